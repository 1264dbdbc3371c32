from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("expiring/", views.expiring, name="expiring"),
    path("<str:number>/", views.certificate_detail, name="detail"),
    path("<str:number>/revoke/", views.certificate_revoke, name="revoke"),
    path("<str:number>/pdf", views.certificate_pdf_download, name="pdf"),
]

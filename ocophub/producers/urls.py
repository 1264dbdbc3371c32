from django.urls import path, re_path

from . import views

app_name = "producers"
urlpatterns = [
    path("", views.producer_list, name="list"),
    path("new/", views.producer_edit, name="create"),
    path("import/", views.producer_import, name="import"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.producer_export, name="export"),
    path("<int:pk>/", views.producer_detail, name="detail"),
    path("<int:pk>/edit/", views.producer_edit, name="edit"),
]

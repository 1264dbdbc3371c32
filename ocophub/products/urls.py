from django.urls import path, re_path

from . import views

app_name = "products"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("new/", views.product_edit, name="create"),
    path("import/", views.product_import, name="import"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.product_export, name="export"),
    path("<int:pk>/", views.product_detail, name="detail"),
    path("<int:pk>/edit/", views.product_edit, name="edit"),
    path("<int:pk>/photos/", views.product_photo, name="photo"),
    path("<int:pk>/status/", views.product_status, name="status"),
]

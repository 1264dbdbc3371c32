from django.urls import path, re_path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^export/(?P<key>[a-z_]+)\.(?P<fmt>csv|xlsx)$", views.export_table, name="export"),
    path("report.pdf", views.report_pdf, name="report"),
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_edit, name="target_create"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    re_path(
        r"^targets/(?P<pk>\d+)/export\.(?P<fmt>csv|xlsx)$",
        views.target_export,
        name="target_export",
    ),
]

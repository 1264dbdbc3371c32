from django.urls import path, re_path

from . import diary_views, views

app_name = "compliance"
urlpatterns = [
    path("eligibility/", views.check, name="eligibility"),
    path("eligibility/statement.pdf", views.statement, name="statement"),
    path("codes/", views.code_list, name="codes"),
    path("map/", views.code_map, name="map"),
    path("reports/", views.report_page, name="reports"),
    re_path(
        r"^reports/(?P<key>[a-z]+)\.(?P<fmt>xlsx|csv|pdf)$",
        views.report_export,
        name="report_export",
    ),
    path("map/codes.geojson", views.map_data, name="map_data"),
    path("codes/<str:code>/", views.code_detail, name="code"),
    path("codes/<str:code>/inspect/", views.inspect, name="inspect"),
    path("codes/<str:code>/boundary/", views.boundary, name="boundary"),
    path("areas/new/", views.area_add, name="area_add"),
    path("codes/<str:code>/diary/", diary_views.diary_page, name="diary"),
    path("codes/<str:code>/diary/season/", diary_views.new_season, name="diary_season"),
    path(
        "codes/<str:code>/diary/<int:season>/input/",
        diary_views.new_application,
        name="diary_application",
    ),
    path(
        "codes/<str:code>/diary/<int:season>/harvest/",
        diary_views.new_harvest,
        name="diary_harvest",
    ),
]

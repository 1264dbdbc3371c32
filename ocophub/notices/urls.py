from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("settings/", views.notice_settings, name="settings"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("<int:pk>/", views.open_notice, name="open"),
    path("<int:pk>/read/", views.mark_read, name="read"),
]

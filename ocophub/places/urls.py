from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("", views.provinces, name="provinces"),
    path("communes/suggest", views.suggest, name="suggest"),
    path("mapping/", views.mapping, name="mapping"),
    path("<str:era>/<int:code>/", views.province, name="province"),
]

"""The public verification page, mounted at /verify/ (the QR code on each certificate)."""

from django.urls import path

from . import views

app_name = "verify"
urlpatterns = [path("<str:number>", views.verify, name="certificate")]

"""The public check of a code (the QR code on a growing area's or packing house's
sign): /codes/<code>/ in Vietnamese, /en/codes/<code>/ in English, as the public
market's pages pair their languages."""

from django.urls import path, re_path

from . import views

app_name = "codes"
urlpatterns = [
    path("codes/<str:code>/", views.public_code, name="code"),
    path("en/codes/<str:code>/", views.public_code, {"english": True}, name="code_en"),
    re_path(r"^codes/(?P<code>[^/]+)/qr\.(?P<fmt>svg|png)$", views.code_qr, name="qr"),
]

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.static import serve

from ocophub.api import api

handler404 = "ocophub.core.views.not_found"
handler500 = "ocophub.core.views.server_error"

urlpatterns: list[URLPattern | URLResolver] = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("accounts/", include("ocophub.accounts.urls")),
    path("notices/", include("ocophub.notices.urls")),
    path("places/", include("ocophub.places.urls")),
    path("producers/", include("ocophub.producers.urls")),
    path("products/", include("ocophub.products.urls")),
    path("evaluation/", include("ocophub.evaluation.urls")),
    path("certificates/", include("ocophub.certificates.urls")),
    path("programme/", include("ocophub.programme.urls")),
    path("support/", include("ocophub.support.urls")),
    path("compliance/", include("ocophub.compliance.urls")),
    path("", include("ocophub.compliance.code_urls")),
    path("verify/", include("ocophub.certificates.verify_urls")),
    # The public market: /san-pham/, /en/products/, /sitemap.xml, /feeds/...
    path("", include("ocophub.market.urls")),
    # The traceability app owns root paths (/01/..., /verify/...): keep it after the rest.
    path("", include("ocophub.trace.urls")),
    path("", include("ocophub.core.urls")),
    path("", include("ocophub.site.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

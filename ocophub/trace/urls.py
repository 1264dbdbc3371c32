import re

from django.urls import path, re_path

from .digital_link import primary_keys
from .views import batches, resolver

app_name = "trace"

# Digital Link primary keys (numeric AIs and the short names of Digital Link 1.1), from
# the identifier table itself.
KEYS = "|".join(re.escape(key) for key in primary_keys())

urlpatterns = [
    path("trace/batches/", batches.batch_list, name="batches"),
    path("trace/batches/new/", batches.batch_create, name="batch_create"),
    path("trace/batches/bulk/", batches.batch_bulk, name="batch_bulk"),
    path("trace/batches/import/", batches.batch_import, name="batch_import"),
    path("trace/batches/<int:pk>/", batches.batch_detail, name="batch"),
    path("trace/checked-too-often/", batches.suspect_list, name="suspects"),
    path("trace/batches/<int:pk>/steps/", batches.batch_step, name="batch_step"),
    path("trace/batches/<int:pk>/labels/", batches.batch_labels, name="batch_labels"),
    path(
        "trace/batches/<int:pk>/labels.pdf",
        batches.batch_labels_reprint,
        name="batch_labels_reprint",
    ),
    re_path(
        r"^trace/qr/(?P<kind>product|batch|serial)/(?P<pk>\d+)\.(?P<fmt>svg|png)$",
        batches.qr_code,
        name="qr",
    ),
    re_path(rf"^(?P<dl_path>(?:{KEYS})/.+)$", resolver.resolve, name="resolve"),
]

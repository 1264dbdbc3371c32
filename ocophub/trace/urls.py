from django.urls import path, re_path

from . import views

app_name = "trace"

# Digital Link primary keys (numeric AIs and the short names of Digital Link 1.1).
KEYS = (
    "00|01|253|255|401|402|414|415|417|8003|8004|8006|8010|8013|8017|8018|"
    "sscc|gtin|gdti|gcn|ginc|gsin|gln|party|grai|giai|itip|cpid|gmn|gsrnp|gsrn"
)

urlpatterns = [
    path("trace/batches/", views.batch_list, name="batches"),
    path("trace/batches/new/", views.batch_create, name="batch_create"),
    path("trace/batches/bulk/", views.batch_bulk, name="batch_bulk"),
    path("trace/batches/import/", views.batch_import, name="batch_import"),
    path("trace/batches/<int:pk>/", views.batch_detail, name="batch"),
    path("trace/batches/<int:pk>/steps/", views.batch_step, name="batch_step"),
    path("trace/batches/<int:pk>/labels/", views.batch_labels, name="batch_labels"),
    path(
        "trace/batches/<int:pk>/labels.pdf", views.batch_labels_reprint, name="batch_labels_reprint"
    ),
    re_path(
        r"^trace/qr/(?P<kind>product|batch|serial)/(?P<pk>\d+)\.(?P<fmt>svg|png)$",
        views.qr_code,
        name="qr",
    ),
    re_path(rf"^(?P<dl_path>(?:{KEYS})/.+)$", views.resolve, name="resolve"),
]

"""Batches over the API: list per product, create (scoped), serials and QR codes."""

import datetime
from decimal import Decimal
from typing import cast

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from ocophub.accounts.api_auth import WRITE_AUTH, caller
from ocophub.core.api_errors import api_error, error_docs, error_responses, form_error
from ocophub.core.api_paging import RecordId
from ocophub.products.models import Product

from .digital_link import build_uri
from .forms import MAX_LABELS, BatchForm, BatchStepForm
from .models import Batch, SerialItem
from .qr import qr_response
from .services import add_serials, create_batch, record_step

router = Router(tags=["trace"])


class BatchOut(Schema):
    id: int
    product_id: int
    gtin: str
    lot: str
    production_date: datetime.date
    expiry_date: datetime.date | None
    date_kind: str
    quantity: Decimal | None
    unit: str
    origin_commune: str | None
    input_ids: list[int]
    digital_link: str

    @staticmethod
    def resolve_gtin(obj):
        return obj.product.gtin

    @staticmethod
    def resolve_origin_commune(obj):
        return obj.origin_commune.ref if obj.origin_commune_id else None

    @staticmethod
    def resolve_input_ids(obj):
        return [b.pk for b in obj.inputs.all()]


class BatchPage(Schema):
    count: int
    items: list[BatchOut]


class BatchQuery(Schema):
    product: RecordId | None = None
    lot: str = ""
    limit: int = 100
    offset: int = 0


@router.get("/batches", response=BatchPage)
def list_batches(request, filters: Query[BatchQuery]):
    """Batches of the products the caller may read (published products for everyone).
    `product` filters by product id; `limit` (at most 1000) and `offset` page."""
    qs = Batch.objects.readable_by(caller(request)).select_related("product", "origin_commune")
    if filters.product is not None:
        qs = qs.filter(product_id=filters.product)
    if filters.lot:
        qs = qs.filter(lot=filters.lot)
    qs = qs.prefetch_related("inputs").order_by("-production_date", "-pk")
    limit = max(1, min(filters.limit, 1000))
    offset = max(0, filters.offset)
    return {"count": qs.count(), "items": list(qs[offset : offset + limit])}


@router.get("/batches/{batch_id}", response={200: BatchOut, **error_responses(404)})
def get_batch(request, batch_id: int):
    return get_object_or_404(
        Batch.objects.readable_by(caller(request)).select_related("product", "origin_commune"),
        pk=batch_id,
    )


class BatchIn(Schema):
    product_id: int
    lot: str
    production_date: datetime.date
    expiry_date: datetime.date | None = None
    date_kind: str = "15"
    quantity: Decimal | None = None
    unit: str = "H87"
    origin_commune: str = ""
    input_ids: list[int] = []
    note: str = ""


@router.post("/batches", response={201: BatchOut, **error_responses(400, 403)}, auth=WRITE_AUTH)
def create(request, payload: BatchIn):
    """Create a batch of one of your products (it needs a GTIN). Records the
    commissioning event in EPCIS."""
    data = payload.dict()
    data["product"] = data.pop("product_id")
    data["inputs"] = data.pop("input_ids")
    if data["quantity"] is None:
        data["quantity"] = ""
    form = BatchForm(data={k: ("" if v is None else v) for k, v in data.items()}, user=request.user)
    # Inputs may come from other producers' published batches (chicken into sausage).
    inputs = cast(forms.ModelMultipleChoiceField, form.fields["inputs"])
    inputs.queryset = Batch.objects.readable_by(request.user)
    if not Product.objects.editable_by(request.user).filter(pk=payload.product_id).exists():
        raise api_error(403, "You may not add batches to this product.")
    if not form.is_valid():
        raise form_error(form)
    with transaction.atomic():
        batch = create_batch(form.save(commit=False), form.cleaned_data["inputs"], request.user)
    return Status(201, batch)


class SerialsIn(Schema):
    count: int


class SerialOut(Schema):
    id: int
    serial: str
    digital_link: str


@router.post(
    "/batches/{batch_id}/serials",
    response={201: list[SerialOut], **error_responses(400, 404)},
    auth=WRITE_AUTH,
)
def create_serials(request, batch_id: int, payload: SerialsIn):
    """Make `count` new serial numbers (at most 2000 per call) for labels."""
    batch = get_object_or_404(Batch.objects.editable_by(request.user), pk=batch_id)
    if not 1 <= payload.count <= MAX_LABELS:
        raise api_error(400, f"count: between 1 and {MAX_LABELS}.")
    return Status(201, add_serials(batch, payload.count, request.user))


class StepIn(Schema):
    step: str
    time: datetime.datetime
    quantity: Decimal | None = None
    location_gln: str = ""
    partner_gln: str = ""
    conformant: bool = True


class StepOut(Schema):
    event_id: str


@router.post(
    "/batches/{batch_id}/steps",
    response={201: StepOut, **error_responses(400, 404)},
    auth=WRITE_AUTH,
)
def create_step(request, batch_id: int, payload: StepIn):
    """Record a supply-chain step of one of your batches (`packing`, `storing`,
    `shipping`, `receiving`, `inspecting`) as an EPCIS ObjectEvent; `partner_gln` is
    the destination of a shipment or the source of a receipt, `conformant` the result
    of an inspection. Read the events back at `/api/v1/epcis/events?MATCH_anyEPCClass=`
    with the batch's `digital_link`."""
    batch = get_object_or_404(Batch.objects.editable_by(request.user), pk=batch_id)
    form = BatchStepForm(
        data={
            "step": payload.step,
            "when": payload.time,
            "quantity": "" if payload.quantity is None else payload.quantity,
            "location": payload.location_gln,
            "partner": payload.partner_gln,
            "conformant": "1" if payload.conformant else "0",
        },
        batch=batch,
    )
    if not form.is_valid():
        raise form_error(
            form, names={"when": "time", "location": "location_gln", "partner": "partner_gln"}
        )
    data = form.cleaned_data
    event_id = record_step(batch, data["step"], data["when"], request.user, **form.details())
    return Status(201, {"event_id": event_id})


@router.get("/batches/{batch_id}/serials", response={200: list[SerialOut], **error_responses(404)})
def list_serials(request, batch_id: int):
    batch = get_object_or_404(Batch.objects.readable_by(caller(request)), pk=batch_id)
    return batch.serials.select_related("product")


@router.get("/batches/{batch_id}/qr", url_name="batch_qr", openapi_extra=error_docs(404))
def batch_qr(request, batch_id: int, format: str = "svg"):
    """The batch's QR code (`format=svg` or `png`): its Digital Link with the date."""
    batch = get_object_or_404(Batch.objects.readable_by(caller(request)), pk=batch_id)
    return qr_response(batch.label_uri, _format(format))


@router.get("/serials/{serial_id}/qr", openapi_extra=error_docs(404))
def serial_qr(request, serial_id: int, format: str = "svg"):
    serial = get_object_or_404(
        SerialItem.objects.filter(batch__in=Batch.objects.readable_by(caller(request))),
        pk=serial_id,
    )
    return qr_response(serial.label_uri, _format(format))


@router.get("/products/{product_id}/qr", openapi_extra=error_docs(404))
def product_qr(request, product_id: int, format: str = "svg"):
    product = get_object_or_404(
        Product.objects.readable_by(caller(request)).exclude(gtin=None), pk=product_id
    )

    return qr_response(build_uri([("01", product.gtin)]), _format(format))


def _format(value):
    if value not in ("svg", "png"):
        raise api_error(400, "format: svg or png.")
    return value

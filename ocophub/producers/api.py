from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from ocophub.accounts.api_auth import WRITE_AUTH, caller
from ocophub.core.api_errors import api_error, error_responses, form_error
from ocophub.core.text import filter_by_search
from ocophub.places.schemas import InCommuneOut

from .forms import ProducerForm
from .models import Producer
from .publication import published_work

router = Router(tags=["producers"])


class ProducerOut(InCommuneOut):
    id: int
    name: str
    kind: str
    registration_number: str
    commune: str
    commune_ref: str
    province: str
    member_count: int | None
    status: str


def _readable(request):
    """Producers of published products for everyone, plus those in the caller's scope."""
    user = caller(request)
    readable = Q(pk__in=Producer.objects.filter(published_work()).values("pk"))
    if user.is_authenticated:
        # Subqueries, not `|` on querysets: visible_to() is distinct, which cannot be OR-ed.
        readable |= Q(pk__in=Producer.objects.visible_to(user).values("pk"))
    return Producer.objects.filter(readable).select_related("commune__province")


class ProducerQuery(Schema):
    q: str = ""
    kind: str = ""


@router.get("/producers", response=list[ProducerOut])
@paginate(PageNumberPagination, page_size=20)
def list_producers(request, filters: Query[ProducerQuery]):
    qs = filter_by_search(_readable(request), filters.q)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.order_by("name", "pk")


@router.get("/producers/{producer_id}", response={200: ProducerOut, **error_responses(404)})
def get_producer(request, producer_id: int):
    return get_object_or_404(_readable(request), pk=producer_id)


class ProducerIn(Schema):
    kind: str
    name: str
    registration_number: str
    representative: str
    commune: str
    founded_on: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    member_count: int | None = None
    status: str = "active"


@router.post(
    "/producers",
    response={201: ProducerOut, **error_responses(400, 403)},
    auth=WRITE_AUTH,
)
def create_producer(request, payload: ProducerIn):
    """Register a producer (officers, within their communes)."""
    if not request.user.is_staff_officer:
        raise api_error(403, _("Only provincial and commune officers register producers."))
    form = ProducerForm(data=payload.dict(), user=request.user)
    if not form.is_valid():
        raise form_error(form)
    with transaction.atomic():
        return Status(201, form.save())

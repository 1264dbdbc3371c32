import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from ocophub.accounts.api_auth import WRITE_AUTH, caller
from ocophub.core.api_errors import api_error, error_responses, form_error
from ocophub.places.schemas import InCommuneOut

from .forms import ProductForm
from .models import Classification, Product, ProductGroup
from .search import ProductFilter
from .standing import certificate_brief

router = Router(tags=["products"])


class CertificateBrief(Schema):
    number: str
    status: str
    valid_until: datetime.date


class ProductOut(InCommuneOut):
    id: int
    name: str
    name_en: str
    producer: str
    producer_id: int
    commune: str
    commune_ref: str
    district: str | None
    province: str
    group: str | None
    gtin: str | None
    status: str
    stars: int | None
    certificate: CertificateBrief | None = None

    @staticmethod
    def resolve_certificate(obj):
        # The certificates app registers the rule; _readable prefetches the certificates.
        return certificate_brief(obj)

    @staticmethod
    def resolve_producer(obj):
        return obj.producer.name

    @staticmethod
    def resolve_group(obj):
        group = obj.group
        return group.code if group else None


class ProductQuery(Schema):
    q: str = ""
    province: str = ""
    commune: str = ""
    group: str = ""
    status: str = ""
    stars: str = ""


def _readable(request):
    return (
        Product.objects.readable_by(caller(request))
        .select_related(
            "producer", "commune__district", "commune__province", "group_2023", "group_2019"
        )
        .prefetch_related("certificates")
    )


@router.get("/products", response=list[ProductOut])
@paginate(PageNumberPagination, page_size=20)
def list_products(request, filters: Query[ProductQuery]):
    """Published products for everyone; a signed-in caller also sees drafts in scope.

    `q` ignores case and diacritics ("mat ong" finds "Mật ong"). `province` and `commune`
    take a code in the current era or `legacy:CODE`; `group` a 2023 group code (`1.4`) or
    `2019:CODE`."""
    return ProductFilter(**filters.dict()).apply(_readable(request)).order_by("name", "pk")


@router.get("/products/{product_id}", response={200: ProductOut, **error_responses(404)})
def get_product(request, product_id: int):
    return get_object_or_404(_readable(request), pk=product_id)


class ProductIn(Schema):
    name: str
    name_en: str = ""
    producer_id: int
    commune: str
    group_2023: str = ""
    group_2019: str = ""
    gtin: str = ""
    description: str = ""
    story: str = ""


def _form_data(payload):
    data = payload.dict()
    data["producer"] = data.pop("producer_id")
    for field, cls in (
        ("group_2023", Classification.DECISION_148_2023),
        ("group_2019", Classification.DECISION_1048_2019),
    ):
        code = data[field]
        group = ProductGroup.objects.filter(classification=cls, code=code).first() if code else None
        data[field] = group.pk if group else (code and "unknown")
    return data


def _save(request, payload, instance=None):
    form = ProductForm(data=_form_data(payload), instance=instance, user=request.user)
    if not form.is_valid():
        raise form_error(form)
    with transaction.atomic():
        return form.save()


@router.post("/products", response={201: ProductOut, **error_responses(400, 403)}, auth=WRITE_AUTH)
def create_product(request, payload: ProductIn):
    """Register a product for a producer the caller may manage."""
    if not (request.user.is_staff_officer or request.user.producers.exists()):
        raise api_error(403, "Only officers and producer accounts may register products.")
    return Status(201, _save(request, payload))


@router.put(
    "/products/{product_id}",
    response={200: ProductOut, **error_responses(400, 404)},
    auth=WRITE_AUTH,
)
def update_product(request, product_id: int, payload: ProductIn):
    product = Product.objects.editable_by(request.user).filter(pk=product_id).first()
    if product is None:
        raise api_error(404, "No such product among those you may change.")
    try:
        return _save(request, payload, product)
    except ValidationError as exc:
        raise api_error(400, " ".join(exc.messages)) from exc

"""Public certificate look-up: anyone holding a certificate number may check it."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from ocophub.core.api_errors import error_docs, error_responses

from .models import Certificate
from .pdf import pdf_response

router = Router(tags=["certificates"])


class CertificateOut(Schema):
    number: str
    product: str
    product_id: int
    producer: str
    stars: int
    status: str
    valid_from: datetime.date
    valid_until: datetime.date
    issued_by: str
    decision_number: str
    revoked_on: datetime.date | None
    revocation_reason: str
    superseded_by: str | None
    verification_url: str

    @staticmethod
    def resolve_product(obj):
        return obj.product.name

    @staticmethod
    def resolve_producer(obj):
        return obj.product.producer.name

    @staticmethod
    def resolve_status(obj):
        return str(obj.status)

    @staticmethod
    def resolve_superseded_by(obj):
        return obj.superseded_by.number if obj.superseded_by_id else None


def _get(number):
    return get_object_or_404(
        Certificate.objects.select_related("product__producer", "superseded_by"), number=number
    )


@router.get("/certificates/{number}", response={200: CertificateOut, **error_responses(404)})
def get_certificate(request, number: str):
    """A certificate and its status today (`valid`, `expiring`, `expired`, `revoked`,
    `superseded`, `not_yet`). Public."""
    return _get(number)


@router.get("/certificates/{number}/pdf", openapi_extra=error_docs(404))
def get_certificate_pdf(request, number: str):
    """The certificate document (PDF, Vietnamese) with its verification QR code. Public."""
    return pdf_response(_get(number))

"""Sending, answering and closing trade enquiries, for the API and the pages alike: the rule
(Enquiry.clean), the write and the notice in one transaction, so a refused enquiry
tells nobody and a sent one tells the producer once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocophub.accounts.models import Role
from ocophub.producers.models import Producer
from ocophub.products.models import PUBLISHED

from .catalogue import listed
from .models import Enquiry, EnquiryStatus
from .receivers import tell_enquiry_answered, tell_enquiry_closed, tell_enquiry_received


def may_send(user):
    """Only a registered buyer account sends enquiries (the office makes them)."""
    return user.is_authenticated and user.role == Role.BUYER


def enquirable():
    """Products a buyer may ask about: certified today and published."""
    return listed().filter(status__in=PUBLISHED)


def answerable_by(user):
    """Enquiries a user may answer: those about their own producer's products."""
    if not user.is_authenticated:
        return Enquiry.objects.none()
    # A subquery, not a join: no duplicate rows, and select_for_update stays allowed.
    return Enquiry.objects.filter(product__producer__in=Producer.objects.filter(accounts=user))


def send(enquiry):
    """Save a new enquiry that keeps the rule (raises ValidationError naming the
    fields) and tell the producer's accounts."""
    for name in ("quantity", "place", "message"):
        setattr(enquiry, name, (getattr(enquiry, name) or "").strip())
    enquiry.full_clean(exclude=["buyer", "product"])
    with transaction.atomic():
        enquiry.save()
        tell_enquiry_received(enquiry)
    return enquiry


def answer(enquiry_id, user, text):
    """The producer's answer (Enquiry.answer_with), then the buyer's notice. Raises
    Enquiry.DoesNotExist when the user may not answer it."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"answer": _("Write an answer.")})
    with transaction.atomic():
        enquiry = (
            answerable_by(user)
            .select_for_update()
            .select_related("product__producer", "buyer")
            .get(pk=enquiry_id)
        )
        if enquiry.status == EnquiryStatus.CLOSED:
            raise ValidationError({"answer": _("This enquiry is closed: it takes no answer.")})
        enquiry.answer_with(text)
        tell_enquiry_answered(enquiry)
    return enquiry


def close(enquiry_id, user, reason, note=""):
    """The producer closes an enquiry with its reason (Enquiry.close_with), then the
    buyer's notice; closing twice is refused before anyone is told. Raises
    Enquiry.DoesNotExist when the user may not answer it."""
    with transaction.atomic():
        enquiry = (
            answerable_by(user)
            .select_for_update()
            .select_related("product__producer", "buyer")
            .get(pk=enquiry_id)
        )
        enquiry.close_with(reason, note)
        tell_enquiry_closed(enquiry)
    return enquiry

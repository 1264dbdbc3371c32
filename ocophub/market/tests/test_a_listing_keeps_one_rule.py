import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ocophub.market.models import Listing


def test_the_listing_rule_names_the_choices_and_the_full_address(certified):
    listing = Listing(product=certified["honey"], platform="amazon", url="voso.vn", price=-1)
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            listing.full_clean()
        errors = {k: [str(m) for m in v] for k, v in raised.value.message_dict.items()}
    assert set(errors) == {"platform", "url", "price"}
    # One message per fault: the rule's own, not Django's generic one beside it.
    assert errors["platform"] == [
        "Choose one of: postmart, voso, shopee, lazada, tiki, tiktok, own_site."
    ]
    assert errors["url"] == ["Give the full address of the listing, starting with https://."]
    assert errors["price"] == ["A price cannot be negative."]


def test_a_listing_with_a_full_address_passes(certified):
    Listing(product=certified["honey"], platform="voso", url="https://voso.vn/x").full_clean()

"""A union officer lists for the producers the union supports: those in its territory
(a commune union's communes, the provincial union's province) and those linked to a
founding case it works on, not every producer of the province."""

import datetime

import pytest
from django.apps import apps

from ocophub.accounts.models import ApiToken, Role
from ocophub.conftest import current_commune, make_user
from ocophub.market.models import Enquiry, Listing
from ocophub.places.models import Commune

HONEY = "Mật ong hoa nhãn Thanh An"


@pytest.fixture
def neighbour(certified):
    """Another current commune of the honey's province."""
    commune = certified["producer"].commune
    return (
        Commune.objects.filter(era=commune.era, province=commune.province)
        .exclude(pk=commune.pk)
        .order_by("code")
        .first()
    )


def commune_union(username, commune, province):
    user = make_user(username, Role.UNION_OFFICER, province=province)
    user.communes.set([commune])
    return user


def founding_case(producer, commune, officer=None):
    # The support app sits above the market: its model is taken by name.
    case_model = apps.get_model("support", "SupportCase")
    return case_model.objects.create(
        name=producer.name,
        org_type="cooperative",
        commune=commune,
        officer=officer,
        stage="registered",
        founding_group_on=datetime.date(2024, 1, 5),
        registration_number="HTX-001",
        registered_on=datetime.date(2024, 6, 1),
        producer=producer,
    )


def listing_page(client, user):
    client.force_login(user)
    return client.get("/market/listings/").content.decode()


def test_the_provincial_union_lists_for_its_province_and_a_commune_union_for_its_communes(
    client, certified, neighbour, province_officer
):
    province = certified["producer"].commune.province
    assert HONEY in listing_page(client, make_user("tinh", Role.UNION_OFFICER, province=province))
    here = commune_union("xa", certified["producer"].commune, province)
    assert HONEY in listing_page(client, here)
    there = commune_union("ben", neighbour, province)
    assert HONEY not in listing_page(client, there)
    hanoi = make_user("hn", Role.UNION_OFFICER, province=current_commune(4).province)
    assert HONEY not in listing_page(client, hanoi)
    nowhere = make_user("none", Role.UNION_OFFICER)
    assert HONEY not in listing_page(client, nowhere)


def test_a_union_officer_out_of_scope_cannot_open_change_or_add_the_listing(
    client, certified, neighbour
):
    there = commune_union("ben", neighbour, neighbour.province)
    listing = Listing.objects.get()
    client.force_login(there)
    assert client.get(f"/market/listings/{listing.pk}/").status_code == 404
    paused = client.post(f"/market/listings/{listing.pk}/status/", {"status": "paused"})
    assert paused.status_code == 404
    form = client.get("/market/listings/new/").content.decode()
    assert HONEY not in form
    made = client.post(
        "/market/listings/new/",
        {
            "product": certified["honey"].pk,
            "platform": "voso",
            "url": "https://voso.vn/mat-ong",
            "status": "live",
        },
    )
    assert made.status_code == 400
    token = ApiToken.issue(there)
    api = client.patch(
        f"/api/v1/listings/{listing.pk}",
        {"status": "paused"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert api.status_code == 404
    listing.refresh_from_db()
    assert listing.status == "live" and Listing.objects.count() == 1


def test_a_founding_case_in_the_officers_charge_brings_its_producer_into_scope(
    client, certified, neighbour
):
    there = commune_union("ben", neighbour, neighbour.province)
    listing = Listing.objects.get()
    # The case sits in the producer's commune, outside the officer's communes: the
    # officer responsible for it still supports the producer.
    founding_case(certified["producer"], certified["producer"].commune, officer=there)
    assert HONEY in listing_page(client, there)
    paused = client.post(f"/market/listings/{listing.pk}/status/", {"status": "paused"})
    assert paused.status_code == 302
    listing.refresh_from_db()
    assert listing.status == "paused"
    made = client.post(
        "/market/listings/new/",
        {
            "product": certified["honey"].pk,
            "platform": "voso",
            "url": "https://voso.vn/mat-ong",
            "status": "draft",
        },
    )
    assert made.status_code == 302
    assert Listing.objects.get(platform="voso").made_by == there


def test_a_founding_case_in_the_unions_communes_brings_its_producer_into_scope(
    client, certified, neighbour
):
    there = commune_union("ben", neighbour, neighbour.province)
    founding_case(certified["producer"], neighbour)  # nobody in charge; the union's commune
    assert HONEY in listing_page(client, there)


def test_a_union_officer_reads_the_enquiries_of_supported_producers_only(
    client, certified, neighbour
):
    buyer = make_user("buyer", Role.BUYER)
    enquiry = Enquiry.objects.create(buyer=buyer, product=certified["honey"], quantity="50 hũ")
    here = commune_union("xa", certified["producer"].commune, neighbour.province)
    there = commune_union("ben", neighbour, neighbour.province)
    assert list(Enquiry.objects.visible_to(here)) == [enquiry]
    assert not Enquiry.objects.visible_to(there).exists()
    client.force_login(there)
    assert client.get(f"/market/enquiries/{enquiry.pk}/").status_code == 404

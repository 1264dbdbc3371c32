import datetime

import pytest
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.conftest import current_commune, make_user
from ocophub.market.models import ClosedReason, Enquiry

MUONG_VANG = 5287  # in Phú Thọ, outside the commune officer's communes
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def enquiry(buyer, product, sent, closed=None, reason=ClosedReason.AGREED):
    made = Enquiry.objects.create(buyer=buyer, product=product, quantity="10")
    Enquiry.objects.filter(pk=made.pk).update(created=at(sent))
    if closed:
        made.close_with(reason, "", when=at(closed))
    return made


@pytest.fixture
def deals(certified, make_producer, make_product):
    buyer = make_user("buyer", Role.BUYER)
    honey = certified["honey"]
    D = datetime.date
    enquiry(buyer, honey, D(2026, 3, 5), D(2026, 3, 20))  # counts
    enquiry(buyer, honey, D(2026, 3, 6), D(2026, 3, 10), ClosedReason.CANNOT_SUPPLY)
    enquiry(buyer, honey, D(2026, 2, 10), D(2026, 3, 2))  # sent before the period
    enquiry(buyer, honey, D(2026, 3, 25), D(2026, 4, 3))  # agreed after the period
    producer = make_producer(name="HTX Mường Vang", commune=current_commune(MUONG_VANG))
    tea = make_product(producer, name="Chè Mường Vang")
    enquiry(buyer, tea, D(2026, 3, 7), D(2026, 3, 15))  # counts for the province only
    return {"honey": honey, "tea": tea}


def test_only_enquiries_sent_and_agreed_in_the_period_count_as_deals(
    client, deals, province_officer
):
    client.force_login(province_officer)
    page = client.get("/market/connections/", MARCH)
    assert {r["key"]: (r["sent"], r["agreed"]) for r in page.context["rows"]} == {
        "Mật ong hoa nhãn Thanh An": (3, 1),
        "Chè Mường Vang": (1, 1),
    }
    assert page.context["totals"]["agreed"] == 2
    html = page.content.decode()
    assert "<th>Đã thỏa thuận</th>" in html and 'data-label="Đã thỏa thuận">2</td>' in html
    by_month = client.get("/market/connections/", {**MARCH, "by": "month"}).context
    assert [r["agreed"] for r in by_month["rows"]] == [2]
    sheet = client.get("/market/connections/", {**MARCH, "by": "commune", "format": "csv"})
    lines = sheet.content.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",Yêu cầu,Đã trả lời,Đã thỏa thuận,Bên mua")
    assert sorted(line.split(",", 1)[1] for line in lines[1:]) == ["1,0,1,1", "3,0,1,1"]


def test_a_commune_officer_counts_the_deals_of_their_communes_only(client, deals, commune_officer):
    client.force_login(commune_officer)
    page = client.get("/market/connections/", MARCH)
    assert [(r["key"], r["agreed"]) for r in page.context["rows"]] == [
        ("Mật ong hoa nhãn Thanh An", 1)
    ]
    assert page.context["totals"]["agreed"] == 1


def test_an_answered_enquiry_closed_later_still_counts_as_answered(
    client, certified, province_officer
):
    buyer = make_user("buyer", Role.BUYER)
    D = datetime.date
    answered_then_agreed = enquiry(buyer, certified["honey"], D(2026, 3, 5))
    answered_then_agreed.answer_with("Có hàng, giá 250.000 đ/kg", when=at(D(2026, 3, 6)))
    answered_then_agreed.close_with(ClosedReason.AGREED, "", when=at(D(2026, 3, 9)))
    enquiry(buyer, certified["honey"], D(2026, 3, 7), D(2026, 3, 8))  # closed, never answered
    late = enquiry(buyer, certified["honey"], D(2026, 3, 20))
    late.answer_with("Có hàng", when=at(D(2026, 4, 2)))  # answered after the period
    client.force_login(province_officer)
    totals = client.get("/market/connections/", MARCH).context["totals"]
    assert (totals["sent"], totals["answered"], totals["agreed"]) == (3, 1, 2)

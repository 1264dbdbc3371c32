"""The validity rule (36 months, month ends) and the status on boundary days."""

import datetime

import pytest

from ocophub.certificates.models import Certificate, CertificateStatus
from ocophub.certificates.validity import add_months, valid_q, valid_until
from ocophub.products.models import Product

D = datetime.date


@pytest.mark.parametrize(
    "start,end",
    [
        (D(2024, 2, 29), D(2027, 2, 27)),  # no 29 Feb 2027: 28 Feb, valid to the day before
        (D(2020, 2, 29), D(2023, 2, 27)),
        (D(2023, 2, 28), D(2026, 2, 27)),
        (D(2023, 3, 1), D(2026, 2, 28)),
        (D(2024, 1, 31), D(2027, 1, 30)),
        (D(2023, 5, 31), D(2026, 5, 30)),
        (D(2022, 8, 31), D(2025, 8, 30)),
        (D(2023, 3, 31), D(2026, 3, 30)),
        (D(2024, 3, 15), D(2027, 3, 14)),
        (D(2023, 12, 31), D(2026, 12, 30)),
        (D(2019, 12, 27), D(2022, 12, 26)),
    ],
)
def test_36_months(start, end):
    assert valid_until(start) == end


@pytest.mark.parametrize(
    "start,months,end",
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2023, 8, 31), 1, D(2023, 9, 30)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, end):
    assert add_months(start, months) == end


def test_validity_period_is_a_setting(settings):
    settings.CERTIFICATE_VALIDITY_MONTHS = 24
    assert valid_until(D(2024, 2, 29)) == D(2026, 2, 27)


def cert(**fields):
    fields.setdefault("valid_from", D(2024, 3, 15))
    fields.setdefault("valid_until", valid_until(fields["valid_from"]))
    return Certificate(number="X", stars=3, issued_by="UBND", **fields)


@pytest.mark.parametrize(
    "day,status",
    [
        (D(2024, 3, 14), CertificateStatus.NOT_YET),
        (D(2024, 3, 15), CertificateStatus.VALID),
        (D(2026, 12, 13), CertificateStatus.VALID),  # 91 days left
        (D(2026, 12, 14), CertificateStatus.VALID),  # 90 days left: not yet "within 90"
        (D(2026, 12, 15), CertificateStatus.EXPIRING),  # 89 days left
        (D(2027, 3, 14), CertificateStatus.EXPIRING),  # last valid day
        (D(2027, 3, 15), CertificateStatus.EXPIRED),
    ],
)
def test_status_on_boundary_days(day, status):
    assert cert().status_on(day) == status


def test_warning_window_is_a_setting(settings):
    settings.CERTIFICATE_EXPIRY_WARNING_DAYS = 30
    assert cert().status_on(D(2027, 2, 11)) == CertificateStatus.VALID
    assert cert().status_on(D(2027, 2, 13)) == CertificateStatus.EXPIRING


def test_revoked_and_superseded_take_effect_on_their_day():
    revoked = cert(revoked_on=D(2025, 1, 10))
    assert revoked.status_on(D(2025, 1, 9)) == CertificateStatus.VALID
    assert revoked.status_on(D(2025, 1, 10)) == CertificateStatus.REVOKED
    assert revoked.status_on(D(2030, 1, 1)) == CertificateStatus.REVOKED
    superseded = cert(superseded_on=D(2025, 6, 1))
    assert superseded.status_on(D(2025, 5, 31)) == CertificateStatus.VALID
    assert superseded.status_on(D(2025, 6, 1)) == CertificateStatus.SUPERSEDED


@pytest.mark.parametrize(
    "day",
    [
        D(2024, 3, 14),
        D(2024, 3, 15),
        D(2026, 12, 14),
        D(2026, 12, 15),
        D(2027, 3, 14),
        D(2027, 3, 15),
        D(2025, 1, 10),
        D(2025, 6, 1),
    ],
)
def test_database_status_filter_agrees_with_status_on(honey, issue, make_product, day):
    """with_status() and expiring_within() are the same rule as status_on(), as queries."""
    plain = issue(honey, valid_from=D(2024, 3, 15))
    revoked = issue(make_product(honey.producer, name="A"), valid_from=D(2024, 3, 15))
    Certificate.objects.filter(pk=revoked.pk).update(revoked_on=D(2025, 1, 10))
    old = issue(make_product(honey.producer, name="B"), valid_from=D(2024, 3, 15))
    issue(old.product, stars=4, valid_from=D(2025, 6, 1))
    for c in Certificate.objects.all():
        for status in CertificateStatus.values:
            in_filter = Certificate.objects.with_status(status, day).filter(pk=c.pk).exists()
            assert in_filter == (c.status_on(day) == status), (c.number, status, day)
        expiring = Certificate.objects.expiring_within(today=day).filter(pk=c.pk).exists()
        assert expiring == (c.status_on(day) == CertificateStatus.EXPIRING)
    assert plain.status_on(day) in CertificateStatus.values


@pytest.mark.parametrize("day", [D(2024, 3, 14), D(2024, 3, 15), D(2025, 1, 10), D(2027, 3, 15)])
def test_in_force_as_a_query_agrees_with_status_on(honey, issue, make_product, day):
    """valid_q (directly, through valid_on, and across a relation) is what status_on calls
    valid or expiring."""
    issue(honey, valid_from=D(2024, 3, 15))
    revoked = issue(make_product(honey.producer, name="A"), valid_from=D(2024, 3, 15))
    Certificate.objects.filter(pk=revoked.pk).update(revoked_on=D(2025, 1, 10))
    in_force = (CertificateStatus.VALID, CertificateStatus.EXPIRING)
    for c in Certificate.objects.all():
        expected = c.status_on(day) in in_force
        assert Certificate.objects.valid_on(day).filter(pk=c.pk).exists() == expected
        assert Certificate.objects.filter(valid_q(day), pk=c.pk).exists() == expected
        through = Product.objects.filter(valid_q(day, "certificates__"), pk=c.product_id)
        assert through.exists() == expected, (c.number, day)

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ocophub.certificates import issuing
from ocophub.certificates.issuing import issue_certificate, revoke, sync_product
from ocophub.certificates.models import Certificate, CertificateStatus
from ocophub.conftest import QUYET_THANG, current_commune
from ocophub.products.models import Lifecycle

D = datetime.date


def reload(obj):
    obj.refresh_from_db()
    return obj


def test_issue_numbers_by_province_and_year_and_sets_product(honey, issue):
    first = issue(honey, valid_from=D(2024, 3, 15))
    assert first.number == "OCOP-17-2024-0001"  # My Thanh was in Hòa Bình (17) then
    assert first.valid_until == D(2027, 3, 14)
    honey = reload(honey)
    assert (honey.stars, honey.status) == (3, Lifecycle.CERTIFIED)


def test_sequence_continues_and_given_number_is_kept(honey, issue, make_product):
    issue(honey, valid_from=D(2024, 3, 15))
    other = make_product(honey.producer, name="Mật ong bạc hà")
    second = issue(other, valid_from=D(2024, 5, 1))
    assert second.number == "OCOP-17-2024-0002"
    third = make_product(honey.producer, name="Sáp ong")
    given = issue(third, valid_from=D(2024, 5, 1), number="123-GCN-UBND")
    assert given.number == "123-GCN-UBND"


@pytest.mark.parametrize("number", ["12/QĐ-UBND", "has space", "", "-leading", "x" * 61, "Số-1"])
def test_url_unsafe_numbers_refused(honey, issue, number):
    with pytest.raises(ValidationError) as exc:
        issue(honey, number=number or "")
    if number:
        assert "number" in exc.value.message_dict
    assert not Certificate.objects.exists()
    assert reload(honey).stars is None


def test_duplicate_number_refused_and_nothing_written(honey, issue, make_product):
    issue(honey, number="CERT-1")
    other = make_product(honey.producer, name="Mật ong bạc hà")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        issue(other, number="CERT-1")
    assert "already used" in exc.value.message_dict["number"][0]
    with pytest.raises(ValidationError) as exc:
        issue(other, number="CERT-1")
    assert "đã được sử dụng" in exc.value.message_dict["number"][0]
    assert reload(other).status == Lifecycle.IDEA


@pytest.mark.parametrize("stars", [1, 2, 6])
def test_only_three_to_five_stars(honey, issue, stars):
    with pytest.raises(ValidationError) as exc:
        issue(honey, stars=stars)
    assert "stars" in exc.value.message_dict
    assert not Certificate.objects.exists()


def test_upgrade_supersedes_current_certificate(honey, issue):
    old = issue(honey, stars=3, valid_from=D(2023, 6, 1))
    new = issue(honey, stars=4, score=75, valid_from=D(2025, 9, 10), decision_number="88/QĐ-UBND")
    old = reload(old)
    assert old.superseded_by == new
    assert old.superseded_on == D(2025, 9, 10)
    assert old.status_on(D(2025, 9, 9)) in (CertificateStatus.VALID, CertificateStatus.EXPIRING)
    assert old.status_on(D(2025, 9, 10)) == CertificateStatus.SUPERSEDED
    assert new.decision_number == "88/QĐ-UBND"
    assert reload(honey).stars == 4
    # history records the supersession
    assert old.history.count() == 2


def test_expired_certificate_is_not_superseded(honey, issue):
    old = issue(honey, valid_from=D(2019, 12, 20))
    issue(honey, stars=3, valid_from=D(2024, 1, 5))
    old = reload(old)
    assert old.superseded_by is None
    assert old.status_on(D(2024, 1, 5)) == CertificateStatus.EXPIRED


def test_revoke_clears_stars_and_marks_product_expired(honey, issue, province_officer):
    cert = issue(honey, valid_from=D(2024, 3, 15))
    revoke(cert, D(2025, 2, 1), "Vi phạm an toàn thực phẩm", by=province_officer)
    cert = reload(cert)
    assert cert.status_on(D(2025, 1, 31)) != CertificateStatus.REVOKED
    assert cert.status_on(D(2025, 2, 1)) == CertificateStatus.REVOKED
    assert cert.history.first().history_user == province_officer
    honey = reload(honey)
    assert (honey.stars, honey.status) == (None, Lifecycle.EXPIRED)


def test_revoke_needs_reason_and_a_date_within_validity(honey, issue):
    cert = issue(honey, valid_from=D(2024, 3, 15))
    with pytest.raises(ValidationError) as exc:
        revoke(cert, D(2024, 3, 1), "  ")
    assert set(exc.value.message_dict) == {"reason", "on"}
    revoke(cert, D(2024, 4, 1), "Sai phạm")
    with pytest.raises(ValidationError):
        revoke(cert, D(2024, 5, 1), "Lần nữa")
    assert reload(cert).revoked_on == D(2024, 4, 1)


def test_sync_product_follows_expiry(honey, issue):
    cert = issue(honey, valid_from=D(2024, 3, 15))
    assert sync_product(honey, D(2027, 3, 14)) is False  # last valid day: unchanged
    assert reload(honey).status == Lifecycle.CERTIFIED
    assert sync_product(honey, D(2027, 3, 15)) is True
    honey = reload(honey)
    assert (honey.stars, honey.status) == (None, Lifecycle.EXPIRED)
    assert cert.status_on(D(2027, 3, 15)) == CertificateStatus.EXPIRED


def test_sync_leaves_reevaluation_status(honey, issue):
    issue(honey, valid_from=D(2020, 1, 10))
    honey = reload(honey)
    honey.status = Lifecycle.SUBMITTED
    honey.save()
    sync_product(honey, D(2024, 1, 1))
    assert reload(honey).status == Lifecycle.SUBMITTED
    assert reload(honey).stars is None


def test_issue_is_atomic_when_product_vanishes_midway(honey, monkeypatch):
    def broken(product, today=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(issuing, "sync_product", broken)
    with pytest.raises(RuntimeError):
        issue_certificate(
            product=honey, stars=3, score=60, issued_by="UBND", valid_from=D(2024, 1, 1)
        )
    assert not Certificate.objects.exists()


def test_certificate_recorded_after_expiry_marks_product_expired(honey, issue):
    issue(honey, valid_from=D(2019, 12, 20))
    honey = reload(honey)
    assert (honey.stars, honey.status) == (None, Lifecycle.EXPIRED)


def test_numbers_after_the_reform_use_the_successor_province(
    honey, issue, make_producer, make_product
):
    assert issue(honey, valid_from=D(2025, 7, 1)).number == "OCOP-25-2025-0001"
    current = make_producer(commune=current_commune(QUYET_THANG), name="HTX Quyết Thắng")
    product = make_product(current, name="Gà Ri Lạc Sơn")
    assert issue(product, valid_from=D(2025, 8, 2)).number == "OCOP-25-2025-0002"

import datetime

import pytest
from django.utils import timezone

from ocophub.accounts.models import Role
from ocophub.certificates.issuing import revoke
from ocophub.certificates.models import Certificate
from ocophub.conftest import current_commune, make_user

D = datetime.date
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def today():
    return timezone.localdate()


@pytest.fixture
def certs(honey, issue, make_product):
    """One certificate in each status, relative to today."""
    t = today()
    p = honey.producer
    valid = issue(honey, valid_from=t - datetime.timedelta(days=100), number="C-VALID")
    expiring = issue(
        make_product(p, name="Mật ong bạc hà"),
        valid_from=t - datetime.timedelta(days=1030),
        number="C-EXPIRING",
    )
    expired = issue(make_product(p, name="Sáp ong"), valid_from=D(2019, 12, 20), number="C-EXPIRED")
    revoked = issue(
        make_product(p, name="Phấn hoa"),
        valid_from=t - datetime.timedelta(days=200),
        number="C-REVOKED",
    )
    revoke(revoked, t - datetime.timedelta(days=3), "Sai phạm nhãn hàng hóa")
    old = issue(
        make_product(p, name="Mật ong rừng"),
        valid_from=t - datetime.timedelta(days=400),
        number="C-OLD",
    )
    upgrade = issue(
        old.product, stars=4, valid_from=t - datetime.timedelta(days=10), number="C-NEW"
    )
    return {
        "valid": valid,
        "expiring": expiring,
        "expired": expired,
        "revoked": revoked,
        "superseded": Certificate.objects.get(number="C-OLD"),
        "upgrade": upgrade,
    }


@pytest.mark.parametrize(
    "key,status,english",
    [
        ("valid", "valid", "This certificate is valid until"),
        ("expiring", "expiring", "EXPIRING SOON"),
        ("expired", "expired", "EXPIRED"),
        ("revoked", "revoked", "Sai phạm nhãn hàng hóa"),
        ("superseded", "superseded", "/verify/C-NEW"),
    ],
)
def test_verify_page_shows_status_to_anyone(client, certs, key, status, english):
    cert = certs[key]
    response = client.get(f"/verify/{cert.number}", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-status="{status}"' in html
    assert english in html
    assert "Mật ong" in html or cert.product.name in html
    assert cert.product.producer.name in html
    assert cert.valid_until.strftime("%d/%m/%Y") in html


def test_verify_unknown_number_is_404(client, db):
    response = client.get("/verify/NO-SUCH-1", **EN)
    assert response.status_code == 404
    assert 'data-status="unknown"' in response.content.decode()
    assert "NO-SUCH-1" in response.content.decode()


def test_verify_page_vietnamese_by_default(client, certs):
    html = client.get("/verify/C-EXPIRED").content.decode()
    assert "HẾT HIỆU LỰC" in html
    html = client.get("/verify/C-VALID").content.decode()
    assert "CÒN HIỆU LỰC" in html


def test_pdf_is_public_and_unknown_is_404(client, certs):
    response = client.get("/certificates/C-VALID/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get("/certificates/NOPE/pdf").status_code == 404


def test_list_needs_login(client, certs):
    response = client.get("/certificates/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def numbers(response):
    return {c.number for c in response.context["page"]}


def test_list_scoped_by_role(
    client,
    certs,
    province_officer,
    other_province_officer,
    commune_officer,
    producer_account,
    make_producer,
):
    all_numbers = {c.number for c in Certificate.objects.all()}
    client.force_login(province_officer)
    assert numbers(client.get("/certificates/")) == all_numbers
    client.force_login(other_province_officer)
    assert numbers(client.get("/certificates/")) == set()
    # Chí Đạo's successor commune only: none of these My Thanh products.
    client.force_login(commune_officer)
    assert numbers(client.get("/certificates/")) == set()
    client.force_login(producer_account)
    assert numbers(client.get("/certificates/")) == all_numbers
    stranger = make_user("stranger", Role.PRODUCER)
    make_producer(account=stranger)
    client.force_login(stranger)
    assert numbers(client.get("/certificates/")) == set()
    assert client.get("/certificates/C-VALID/").status_code == 404


def test_commune_officer_sees_own_commune(
    client, certs, commune_officer, make_producer, make_product, issue
):
    producer = make_producer(commune=current_commune(5323), name="HTX Chí Đạo")
    product = make_product(producer, name="Hạt dổi Chí Đạo")
    issue(product, number="C-DOI")
    client.force_login(commune_officer)
    assert numbers(client.get("/certificates/")) == {"C-DOI"}


@pytest.mark.parametrize(
    "query,expected",
    [
        ("status=valid", {"C-VALID", "C-NEW"}),
        ("status=expiring", {"C-EXPIRING"}),
        ("status=expired", {"C-EXPIRED"}),
        ("status=revoked", {"C-REVOKED"}),
        ("status=superseded", {"C-OLD"}),
        ("stars=4", {"C-NEW"}),
        ("expiring=1", {"C-EXPIRING"}),
        ("q=mat+ong", {"C-VALID", "C-EXPIRING", "C-OLD", "C-NEW"}),
    ],
)
def test_list_filters(client, certs, province_officer, query, expected):
    client.force_login(province_officer)
    assert numbers(client.get(f"/certificates/?{query}")) == expected


def test_detail_shows_history(client, certs, province_officer):
    client.force_login(province_officer)
    response = client.get("/certificates/C-REVOKED/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sai phạm nhãn hàng hóa" in html
    assert len(response.context["history"]) == 2
    assert "/certificates/C-REVOKED/revoke/" not in html  # already revoked
    assert "/certificates/C-VALID/revoke/" in client.get("/certificates/C-VALID/").content.decode()


def test_only_province_office_revokes(
    client, certs, commune_officer, producer_account, other_province_officer, province_officer
):
    url = "/certificates/C-VALID/revoke/"
    data = {"revoked_on": today().isoformat(), "reason": "Không duy trì chất lượng"}
    client.force_login(producer_account)
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    client.force_login(other_province_officer)
    assert client.post(url, data).status_code == 404
    assert Certificate.objects.get(number="C-VALID").revoked_on is None

    client.force_login(province_officer)
    response = client.post(url, data)
    assert response.status_code == 302
    cert = Certificate.objects.get(number="C-VALID")
    assert cert.revoked_on == today()
    assert cert.history.first().history_user == province_officer
    cert.product.refresh_from_db()
    assert cert.product.stars is None


def test_revoke_form_errors_name_the_field(client, certs, province_officer):
    client.force_login(province_officer)
    client.cookies["django_language"] = "en"  # staff pages: English only by the switch
    response = client.post(
        "/certificates/C-VALID/revoke/", {"revoked_on": "2001-01-01", "reason": " "}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "reason" in form.errors
    response = client.post(
        "/certificates/C-VALID/revoke/", {"revoked_on": "2001-01-01", "reason": "x"}
    )
    assert "cannot be revoked before it starts" in response.context["form"].errors["revoked_on"][0]
    assert Certificate.objects.get(number="C-VALID").revoked_on is None


def test_expiring_page_scoped(
    client, certs, producer_account, other_province_officer, province_officer
):
    client.force_login(producer_account)
    rows = client.get("/certificates/expiring/").context["rows"]
    assert [(c.number, days) for c, days in rows] == [
        ("C-EXPIRING", (certs["expiring"].valid_until - today()).days)
    ]
    client.force_login(province_officer)
    assert len(client.get("/certificates/expiring/").context["rows"]) == 1
    client.force_login(other_province_officer)
    assert client.get("/certificates/expiring/").context["rows"] == []


def test_admin_reads_but_does_not_add(client, certs, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@x.vn", "pw-for-tests-1")
    client.force_login(admin)
    assert client.get("/admin/certificates/certificate/").status_code == 200
    cert = certs["revoked"]
    assert client.get(f"/admin/certificates/certificate/{cert.pk}/change/").status_code == 200
    assert client.get("/admin/certificates/certificate/add/").status_code == 403


def test_verify_page_english_shows_english_name(client, certs):
    product = certs["valid"].product
    product.name_en = "Thanh An honey"
    product.save()
    html = client.get("/verify/C-VALID", **EN).content.decode()
    assert "Mật ong Thanh An" in html and "(Thanh An honey)" in html
    assert "(Thanh An honey)" not in client.get("/verify/C-VALID").content.decode()

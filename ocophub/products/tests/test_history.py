"""Every write is kept in the audit history (who, when, what) and shown on the record."""

import pytest

pytestmark = pytest.mark.django_db


def test_editing_a_product_records_who_changed_what(
    client, province_officer, make_producer, make_product
):
    product = make_product(make_producer(), name="Mật ong Thanh An", description="Mật ong rừng")
    client.force_login(province_officer)
    response = client.post(
        f"/products/{product.pk}/edit/",
        {
            "name": "Mật ong hoa rừng Thanh An",
            "producer": product.producer_id,
            "commune": product.commune.ref,
            "group_2023": product.group_2023_id,
            "description": "Mật ong rừng",
            "gtin": "8930000000019",
        },
    )
    assert response.status_code == 302
    latest = product.history.order_by("-history_date").first()
    assert latest.history_user == province_officer and latest.history_type == "~"
    changed = {c.field for c in latest.diff_against(latest.prev_record).changes}
    assert changed == {"name", "gtin"}

    page = client.get(f"/products/{product.pk}/").content.decode()
    history = page[page.index('id="history"') :]
    assert "province" in history
    assert "Mật ong Thanh An → Mật ong hoa rừng Thanh An" in history
    assert "Tên (tiếng Việt)" in history and "08930000000019" in history
    assert "Tạo mới" in history  # the creation entry

    client.post(f"/products/{product.pk}/status/", {"status": "preparing"})
    latest = product.history.order_by("-history_date").first()
    assert latest.history_user == province_officer
    assert [c.field for c in latest.diff_against(latest.prev_record).changes] == ["status"]


def test_editing_a_producer_and_its_members_is_recorded(client, province_officer, make_producer):
    producer = make_producer(name="Hợp tác xã Thanh An")
    client.force_login(province_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    data = {
        "kind": producer.kind,
        "name": producer.name,
        "registration_number": producer.registration_number,
        "representative": "Bùi Thị Thanh",
        "commune": producer.commune.ref,
        "status": "active",
        "member_count": "20",
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "0",
        "m-0-full_name": "Bùi Thị Hoa",
        "m-0-gender": "female",
        "m-0-ethnicity": "Mường",
        "t-TOTAL_FORMS": "0",
        "t-INITIAL_FORMS": "0",
    }
    assert client.post(f"/producers/{producer.pk}/edit/", data).status_code == 302
    latest = producer.history.order_by("-history_date").first()
    assert latest.history_user == province_officer
    changed = {c.field for c in latest.diff_against(latest.prev_record).changes}
    assert changed == {"representative", "member_count"}
    member = producer.members.get()
    assert member.history.get().history_user == province_officer
    page = client.get(f"/producers/{producer.pk}/").content.decode()
    assert "Representative</strong>: Bùi Văn Thử → Bùi Thị Thanh" in page
    assert "1 listed: 1 women, 1 from ethnic minorities" in page

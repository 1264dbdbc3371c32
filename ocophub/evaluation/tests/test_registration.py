"""Opening a round, registering a dossier, completing it and proposing it, all through
HTTP by the roles that do each step."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocophub.accounts.models import Role
from ocophub.conftest import QUYET_THANG, current_commune, make_user
from ocophub.evaluation.models import Council, Dossier, DossierStatus, Round, required_documents

from .conftest import full_scores


def test_round_to_proposal_over_http(
    client,
    criteria_sets,
    province_officer,
    commune_officer,
    producer_account,
    make_producer,
    make_product,
    council_users,
):
    producer = make_producer(commune=current_commune(QUYET_THANG), account=producer_account)
    product = make_product(producer, name="Măng chua Văn Sơn")

    client.force_login(producer_account)
    assert client.get(reverse("evaluation:round_create")).status_code == 403
    client.force_login(province_officer)
    response = client.post(
        reverse("evaluation:round_create"),
        {"year": 2025, "number": 3, "opens_on": "2025-09-01", "closes_on": "2025-08-01"},
    )
    assert response.status_code == 200 and not Round.objects.exists()  # dates reversed
    response = client.post(
        reverse("evaluation:round_create"),
        {"year": 2025, "number": 3, "opens_on": "2025-09-01", "closes_on": "2025-11-30"},
    )
    round_ = Round.objects.get()
    assert round_.province == province_officer.province
    again = client.post(
        reverse("evaluation:round_create"),
        {"year": 2025, "number": 3, "opens_on": "2025-10-01", "closes_on": "2025-11-30"},
    )
    assert again.status_code == 200 and Round.objects.count() == 1  # same number refused

    client.force_login(producer_account)
    client.post(
        reverse("evaluation:dossier_create", args=[round_.pk]),
        {"product": product.pk, "kind": "new"},
    )
    dossier = Dossier.objects.get(product=product)
    assert dossier.criteria_set.code == "148-2023-thuc-pham"
    page = client.get(reverse("evaluation:dossier", args=[dossier.pk])).content.decode()
    assert "Giấy chứng nhận an toàn thực phẩm" in page  # listed as missing, in Vietnamese

    for kind in required_documents():
        upload = SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        client.post(
            reverse("evaluation:document_upload", args=[dossier.pk]), {"kind": kind, "file": upload}
        )
    data = {f"c_{code}": str(int(v)) for code, v in full_scores(dossier.criteria_set).items()}
    client.post(reverse("evaluation:self_assessment", args=[dossier.pk]), data)
    dossier.refresh_from_db()
    assert dossier.is_complete, dossier.missing()
    document = dossier.documents.first()
    assert client.get(reverse("evaluation:document", args=[document.pk])).status_code == 200

    # The producer cannot do the commune's step; the commune officer can.
    assert client.get(reverse("evaluation:local_step", args=[dossier.pk])).status_code == 403
    client.force_login(commune_officer)
    response = client.post(
        reverse("evaluation:local_step", args=[dossier.pk]),
        {"origin_confirmed": "on", "local_workers": 12, "total_workers": 10, "proposed": "on"},
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DRAFT  # more local than all workers: refused
    client.post(
        reverse("evaluation:local_step", args=[dossier.pk]),
        {"origin_confirmed": "on", "local_workers": 8, "total_workers": 10, "proposed": "on"},
    )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.PROPOSED
    assert dossier.local_step.level == "commune"

    # The province sets up the council; the proposed dossier joins it.
    chair, member = council_users
    client.force_login(province_officer)
    client.post(
        reverse("evaluation:council_create", args=[round_.pk]),
        {"name": "Hội đồng tỉnh", "level": "province", "chair": chair.pk, "members": [member.pk]},
    )
    council = Council.objects.get()
    assert council.chair == chair
    dossier.refresh_from_db()
    assert dossier.council == council
    # The document is not downloadable by someone outside the dossier's scope.
    client.force_login(member)
    assert client.get(reverse("evaluation:document", args=[document.pk])).status_code == 200

    client.force_login(make_user("x", Role.PRODUCER))
    assert client.get(reverse("evaluation:document", args=[document.pk])).status_code == 404


def test_pages_in_english(client, cycle, province_officer):
    client.force_login(province_officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("evaluation:dossier", args=[cycle["dossier"].pk])).content.decode()
    assert "Completeness" in page and "Tính đầy đủ" not in page
    del client.cookies["django_language"]
    page = client.get(reverse("evaluation:dossier", args=[cycle["dossier"].pk])).content.decode()
    assert "Tính đầy đủ của hồ sơ" in page

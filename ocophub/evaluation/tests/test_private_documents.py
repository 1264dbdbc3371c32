"""Dossier documents are private: never under /media/, only through the scoped view."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse

from ocophub.accounts.models import Role
from ocophub.conftest import make_user
from ocophub.evaluation.models import DossierDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(cycle):
    doc = DossierDocument(dossier=cycle["dossier"], kind="food_safety")
    doc.file.save("an-toan.pdf", ContentFile(b"%PDF-1.4 secret"), save=True)
    return doc


def download(client, document):
    return client.get(reverse("evaluation:document", args=[document.pk]))


def test_the_producer_who_owns_the_dossier_downloads_its_document(
    client, document, producer_account
):
    client.force_login(producer_account)
    response = download(client, document)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"
    assert 'filename="food_safety-an-toan.pdf"' in response["Content-Disposition"]


def test_another_producer_gets_not_found(client, document):
    client.force_login(make_user("other", Role.PRODUCER))
    assert download(client, document).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, document):
    response = download(client, document)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_file_is_stored_outside_the_media_folder_and_has_no_address(client, document, settings):
    assert (settings.PRIVATE_MEDIA_ROOT / document.file.name).read_bytes() == b"%PDF-1.4 secret"
    assert not (settings.MEDIA_ROOT / document.file.name).exists()
    assert document.file.url is None
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_behind_nginx_the_scoped_view_hands_the_file_to_nginx(
    client, document, province_officer, settings
):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/private-media/"
    client.force_login(province_officer)
    response = download(client, document)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/private-media/{document.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''food_safety-an-toan.pdf"
    client.force_login(make_user("x", Role.PRODUCER))
    response = download(client, document)
    assert response.status_code == 404 and "X-Accel-Redirect" not in response


def test_documents_stored_before_move_out_of_the_media_folder(document, settings):
    # As a deployment had them: under MEDIA_ROOT, where /media/ served them.
    name = document.file.name
    old = settings.MEDIA_ROOT / name
    old.parent.mkdir(parents=True)
    (settings.PRIVATE_MEDIA_ROOT / name).rename(old)
    migration = importlib.import_module("ocophub.evaluation.migrations.0003_private_documents")
    migration.move_documents(apps, None)
    assert not old.exists()
    assert (settings.PRIVATE_MEDIA_ROOT / name).read_bytes() == b"%PDF-1.4 secret"

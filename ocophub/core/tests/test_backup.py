"""`manage.py backup` and `manage.py restore`: a snapshot of the database and the uploaded
files that comes back whole, on SQLite and (DATABASE_URL) PostgreSQL."""

import json
import tarfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import CommandError, call_command
from django.db import connection

from ocophub.conftest import load_reference_data
from ocophub.testing.builders import make_batch, make_certificate


@pytest.fixture
def units_back_after_flush(django_db_blocker):
    # Requested before transactional_db, so this runs after its flush: a restore rewrites
    # the whole database, which a rolled-back test cannot hold, and the flush at its end
    # would leave the other tests without the administrative units. A transactional test
    # run before this one may have flushed them already: load them first too.
    with django_db_blocker.unblock():
        load_reference_data()
    yield
    with django_db_blocker.unblock():
        load_reference_data()


def run_backup(tmp_path):
    out = tmp_path / "backups"
    call_command("backup", output_dir=str(out), stdout=open(tmp_path / "out.txt", "w"))
    (archive,) = out.glob("ocophub-*.tar.gz")
    assert (tmp_path / "out.txt").read_text().strip() == str(archive)
    return archive


def test_a_restore_brings_back_certificates_batches_events_and_files_as_they_were(
    units_back_after_flush, transactional_db, tmp_path, make_producer, make_product
):
    Event = apps.get_model("epcis", "Event")
    honey = make_product(make_producer(), gtin="8930000000019")
    certificate = make_certificate(honey, stars=4)
    batch = make_batch(honey, lot="MO2025-07")
    events = list(Event.objects.values_list("event_id", flat=True))
    assert events  # the batch's commissioning
    photo = default_storage.save("products/honey.jpg", ContentFile(b"photo bytes"))
    document = storages["private"].save("dossiers/form.pdf", ContentFile(b"%PDF dossier"))

    archive = run_backup(tmp_path)

    # What an accident or an attack might do after the backup.
    honey.name = "HACKED"
    honey.save()
    certificate.delete()
    batch.delete()
    Event.objects.all().delete()
    default_storage.delete(photo)
    storages["private"].save("dossiers/form.pdf", ContentFile(b"replaced"))
    default_storage.save("products/added-later.jpg", ContentFile(b"new"))

    call_command("restore", str(archive), interactive=False, stdout=open(tmp_path / "r", "w"))

    honey.refresh_from_db()
    assert honey.name == "Mật ong Thanh An"
    assert type(certificate).objects.get(number=certificate.number).stars == 4
    assert type(batch).objects.filter(product=honey, lot="MO2025-07").exists()
    assert sorted(Event.objects.values_list("event_id", flat=True)) == sorted(events)
    assert default_storage.open(photo).read() == b"photo bytes"
    with storages["private"].open(document) as f:
        assert f.read() == b"%PDF dossier"
    assert not default_storage.exists("products/added-later.jpg")


def test_a_truncated_archive_is_refused_and_nothing_changes(
    db, tmp_path, make_producer, make_product
):
    honey = make_product(make_producer())
    default_storage.save("products/honey.jpg", ContentFile(b"photo bytes"))
    archive = tmp_path / "ocophub-20261203-170000.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(__file__, arcname="manifest.json")
    archive.write_bytes(archive.read_bytes()[:40])

    with pytest.raises(CommandError, match="not a complete OCOP Hub backup"):
        call_command("restore", str(archive), interactive=False)

    honey.refresh_from_db()
    assert default_storage.open("products/honey.jpg").read() == b"photo bytes"


def test_a_backup_of_another_database_engine_is_refused(db, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    forged = tmp_path / "ocophub-20261203-170000.tar.gz"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "engine": other, "database": "db.dump"}))
    with tarfile.open(forged, "w:gz") as tar:
        tar.add(manifest, arcname="manifest.json")

    with pytest.raises(CommandError, match=f"backup of a {other} database"):
        call_command("restore", str(forged), interactive=False)


def test_a_backup_inside_a_transaction_is_refused(db, tmp_path):
    # SQLite's backup would wait forever on the transaction's own lock.
    with pytest.raises(CommandError, match="inside a transaction"):
        call_command("backup", output_dir=str(tmp_path))

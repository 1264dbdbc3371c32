"""Product import: all rows or none; bad GTINs, producers, groups and communes named by
row and column; large files checked by the task worker with visible progress."""

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from ocophub.conftest import legacy_commune
from ocophub.core import importing
from ocophub.core.models import ImportJob
from ocophub.notices.models import Kind, Notice
from ocophub.products.importing import ProductImporter
from ocophub.products.models import Product
from ocophub.testing.files import csv_upload, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = ["name", "producer_registration_number", "group_2023", "commune_code", "gtin"]


def csv_file(rows, header=HEADER, name="products.csv"):
    return csv_upload(rows, header, name)


def xlsx_file(rows, header=HEADER, name="products.xlsx"):
    return xlsx_upload(rows, header, name)


@pytest.fixture
def officer_client(client, province_officer):
    client.force_login(province_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def thanh_an(make_producer):
    return make_producer(name="Hợp tác xã Thanh An", commune=legacy_commune(5275))


def upload(client, file):
    response = client.post("/products/import/", {"file": file})
    assert response.status_code == 302, response.content
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    return job, client.get(response["Location"]).content.decode()


def rows_for(producer):
    reg = producer.registration_number
    return [
        ["Mật ong Thanh An", reg, "1.4", "legacy:5275", "8930000000019"],
        ["Mật ong bạc hà", reg, "1.4", "legacy:5275", ""],
        ["Sáp ong", reg, "1.5", "legacy:5275", "12345670"],
    ]


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_a_good_file_imports_every_row(officer_client, thanh_an, make_file):
    job, page = upload(officer_client, make_file(rows_for(thanh_an)))
    assert job.status == ImportJob.Status.DONE, job.problems
    assert "3 records imported." in page
    honey = Product.objects.get(name="Mật ong Thanh An")
    assert honey.producer == thanh_an and honey.group_2023.code == "1.4"
    assert honey.gtin == "08930000000019" and honey.status == "idea"
    assert Product.objects.get(name="Sáp ong").gtin == "00000012345670"


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_one_bad_row_among_good_ones_stores_nothing(officer_client, thanh_an, make_file):
    rows = rows_for(thanh_an)
    rows[1][4] = "8930000000018"  # wrong check digit
    job, page = upload(officer_client, make_file(rows))
    assert job.status == ImportJob.Status.FAILED
    assert [(p["row"], p["field"]) for p in job.problems] == [(3, "gtin")]
    assert "the last digit should be 9" in job.problems[0]["message"]
    assert Product.objects.count() == 0
    assert "Nothing was stored" in page and "8930000000018" in page


def test_every_kind_of_bad_value_is_named(officer_client, thanh_an, make_product):
    taken = make_product(thanh_an, name="Đã có", gtin="8930000000026")
    reg = thanh_an.registration_number
    rows = [
        ["Mật ong", "0100233583", "1.4", "legacy:5275", ""],  # producer not in the registry
        ["Mật ong", reg, "9.9", "legacy:5275", ""],  # unknown group
        ["Mật ong", reg, "1.4", "legacy:77777", ""],  # unknown commune
        ["Mật ong", reg, "1.4", "legacy:5275", "12345"],  # GTIN too short
        ["Mật ong", reg, "1.4", "legacy:5275", taken.gtin],  # GTIN already used
        ["", reg, "", "legacy:5275", ""],  # no name, no group
    ]
    job, _page = upload(officer_client, csv_file(rows))
    found = {(p["row"], p["field"]) for p in job.problems}
    assert found == {
        (2, "producer_registration_number"),
        (3, "group_2023"),
        (4, "commune_code"),
        (5, "gtin"),
        (6, "gtin"),
        (7, "name"),
        (7, "group_2023"),
    }
    messages = {(p["row"], p["field"]): p["message"] for p in job.problems}
    assert "registration or tax number" in messages[(2, "producer_registration_number")]
    assert "1.4 for honey" in messages[(3, "group_2023")]
    assert "8, 12, 13 or 14 digits" in messages[(5, "gtin")]
    assert Product.objects.count() == 1


def test_duplicate_gtin_within_the_file(officer_client, thanh_an):
    rows = rows_for(thanh_an)
    rows[2][4] = "08930000000019"  # the same GTIN as row 2, written as GTIN-14
    job, _page = upload(officer_client, csv_file(rows))
    assert [(p["row"], p["field"]) for p in job.problems] == [(4, "gtin")]
    assert "repeats row 2" in job.problems[0]["message"]


def test_producer_account_imports_only_for_itself(
    client, producer_account, thanh_an, make_producer
):
    other = make_producer(name="HTX khác")
    thanh_an.accounts.add(producer_account)
    client.force_login(producer_account)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    rows = rows_for(thanh_an)
    rows[0][1] = other.registration_number
    job, _page = upload(client, csv_file(rows))
    assert [(p["row"], p["field"]) for p in job.problems] == [(2, "producer_registration_number")]
    assert Product.objects.count() == 0


def run_queued_tasks():
    """What `manage.py db_worker` does with each task it takes from the queue."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
    )
    queued = list(DBTaskResult.objects.ready())
    for task_result in queued:
        worker.run_task(task_result)
    return len(queued)


def test_large_file_is_checked_by_the_task_worker_with_progress(
    officer_client, thanh_an, monkeypatch, settings
):
    """Above the threshold the job is queued for the worker, the request returns at once
    and the page polls its progress; the worker checks every row, then saves them all."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 20
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 10)
    reg = thanh_an.registration_number
    rows = [[f"Mật ong lô {i}", reg, "1.4", "legacy:5275", ""] for i in range(45)]
    job, page = upload(officer_client, csv_file(rows))
    assert job.status == ImportJob.Status.VALIDATING and job.total == 45
    assert DBTaskResult.objects.get().task_path == "ocophub.core.tasks.run_import"
    assert 'role="progressbar"' in page and "0 of 45 rows checked" in page
    assert f'hx-get="/imports/{job.pk}/"' in page
    assert Product.objects.count() == 0

    seen, pages = [], []
    form_for = ProductImporter.form_for
    save = ProductImporter.save

    def watching(self, row):
        seen.append(ImportJob.objects.get(pk=job.pk).checked)
        return form_for(self, row)

    def saving(self, form):
        if not pages:
            pages.append(officer_client.get(f"/imports/{job.pk}/").content.decode())
        return save(self, form)

    monkeypatch.setattr(ProductImporter, "form_for", watching)
    monkeypatch.setattr(ProductImporter, "save", saving)
    assert run_queued_tasks() == 1
    assert seen[0] == 0 and seen[10] == 10 and seen[44] == 40
    # The worker reports in the language of the page that started the import.
    assert "Every row checked; saving…" in pages[0] and 'aria-valuenow="100"' in pages[0]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.checked == 45 and job.percent == 100
    assert Product.objects.count() == 45
    fragment = officer_client.get(f"/imports/{job.pk}/", headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "45 records imported." in html and "hx-get" not in html and "<html" not in html
    # The report leads to what the import made.
    assert 'href="/products/"' in html and "See what was imported" in html
    assert Notice.objects.get(recipient=job.user, kind=Kind.IMPORT_FINISHED).params["rows"] == 45


def test_a_large_file_with_one_bad_row_stores_nothing_in_the_worker_either(
    officer_client, thanh_an, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 20
    reg = thanh_an.registration_number
    rows = [[f"Mật ong lô {i}", reg, "1.4", "legacy:5275", ""] for i in range(30)]
    rows[25][2] = "9.9"
    job, _page = upload(officer_client, csv_file(rows))
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert [(p["row"], p["field"]) for p in job.problems] == [(27, "group_2023")]
    assert Product.objects.count() == 0


def test_an_import_that_breaks_off_in_the_worker_stops_polling_and_stores_nothing(
    officer_client, thanh_an, monkeypatch, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 20
    reg = thanh_an.registration_number
    rows = [[f"Mật ong lô {i}", reg, "1.4", "legacy:5275", ""] for i in range(30)]
    job, _page = upload(officer_client, csv_file(rows))
    save = ProductImporter.save
    saved = []

    def failing(self, form):
        if len(saved) == 10:
            raise OSError("disk full")
        saved.append(save(self, form))

    monkeypatch.setattr(ProductImporter, "save", failing)
    run_queued_tasks()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.finished is not None
    assert "The import stopped: disk full" in job.problems[0]["message"]
    assert Product.objects.count() == 0  # the ten saved before went with the transaction
    page = officer_client.get(f"/imports/{job.pk}/").content.decode()
    assert "hx-get" not in page and "disk full" in page
    assert Notice.objects.filter(recipient=job.user, kind=Kind.IMPORT_FINISHED).count() == 1


def test_import_job_pages_belong_to_their_user(client, officer_client, thanh_an, commune_officer):
    job, _page = upload(officer_client, csv_file(rows_for(thanh_an)))
    client.force_login(commune_officer)
    assert client.get(f"/imports/{job.pk}/").status_code == 404

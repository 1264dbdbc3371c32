"""An import job that ends (core.importing sends `import_ended`) tells the person who
ran it, once: how many rows went in, or that nothing was changed and why."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from ocophub.accounts.models import Role
from ocophub.conftest import make_user
from ocophub.core.importing import Column, Importer, start_import
from ocophub.core.models import ImportJob
from ocophub.core.signals import import_ended
from ocophub.notices.models import Kind, Notice
from ocophub.notices.receivers import tell_import_ended
from ocophub.testing.files import csv_upload


class WordForm(forms.Form):
    word = forms.CharField(max_length=5)

    def save(self):
        SAVED.append(self.cleaned_data["word"])


SAVED: list[str] = []


class WordImporter(Importer):
    kind = "words"
    what = "words"  # a real importer gives a lazy translation
    columns = [Column("word", True)]

    def form_for(self, row):
        return WordForm(row)


@pytest.fixture
def officer(db):
    SAVED.clear()
    return make_user("officer", Role.PROVINCE_OFFICE)


def notices_of(user):
    return Notice.objects.filter(recipient=user, kind=Kind.IMPORT_FINISHED)


def test_a_finished_import_tells_its_rows(officer):
    job = start_import(WordImporter(officer), csv_upload([["mot"], ["hai"]], header=["word"]))
    assert job.status == ImportJob.Status.DONE and SAVED == ["mot", "hai"]
    notice = notices_of(officer).get()
    assert notice.message == "import_finished"
    assert notice.event == f"import:{job.pk}"
    assert notice.url == reverse("core:import_job", args=[job.pk])
    assert notice.params["rows"] == 2
    with translation.override("en"):
        assert notice.title == "Import of words finished"


def test_a_refused_import_says_nothing_changed_and_the_first_problem(officer):
    upload = csv_upload([["mot"], ["toolong"], ["muoiba"]], header=["word"])
    # The problems are written in the language of the page that ran the import.
    with translation.override("en"):
        job = start_import(WordImporter(officer), upload)
    assert job.status == ImportJob.Status.FAILED and SAVED == []
    notice = notices_of(officer).get()
    assert notice.message == "import_failed"
    with translation.override("en"):
        assert notice.title == "Import of words was not applied"
        assert notice.body.startswith("Nothing was changed: 3, word: ")
    assert notice.params["error"].endswith("(and 1 more problem)")


def test_a_file_without_the_columns_is_told_too(officer):
    job = start_import(WordImporter(officer), csv_upload([["x"]], header=["other"]))
    assert job.status == ImportJob.Status.FAILED
    notice = notices_of(officer).get()
    assert "word" in notice.params["error"]


def test_the_same_job_reported_again_tells_nobody_twice(officer):
    job = start_import(WordImporter(officer), csv_upload([["mot"]], header=["word"]))
    tell_import_ended(WordImporter, job=job, importer=WordImporter(officer))
    import_ended.send(WordImporter, job=job, importer=WordImporter(officer))
    assert notices_of(officer).count() == 1

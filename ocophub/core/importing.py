"""The import engine shared by the registry's CSV/XLSX imports.

An Importer names its columns and turns a row into a bound form. Every row is checked
before anything is written; if any row is bad, nothing is written and the job reports
each bad row and field. Large files run as a task of the worker (core.tasks.run_import)
and the page polls the job for progress.
"""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ImportJob
from .signals import import_ended
from .tabular import Row, TableError, read_table

PROGRESS_EVERY = 50
# Each Importer subclass by its kind, for the job's page (it knows the job, not the class).
IMPORTERS: dict[str, type["Importer"]] = {}


class Importer:
    kind = ""
    # What the rows are, for people (a lazy "products"): notices name the import by it.
    what: Any = ""
    columns: list[tuple[str, bool]] = []  # (name, required)
    # Column aliases accepted in uploads, e.g. Vietnamese headers.
    aliases: dict[str, str] = {}
    # Form fields whose column in the file has another name, so reports name the column.
    field_columns: dict[str, str] = {}
    # URL name of the list that shows what an import made (the report links to it).
    done_url = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.kind:
            IMPORTERS[cls.kind] = cls

    def __init__(self, user):
        self.user = user

    @property
    def required(self):
        return [c for c, req in self.columns if req]

    def form_for(self, row):
        raise NotImplementedError

    def unique_key(self, row):
        """A value that must not repeat within one file, or None."""
        return None

    def normalise_headers(self, rows):
        if not self.aliases:
            return rows
        return [
            Row({self.aliases.get(k, k): v for k, v in row.items()}, getattr(row, "line", None))
            for row in rows
        ]

    def save(self, form):
        return form.save()

    def task_params(self) -> dict[str, Any]:
        """What besides the user rebuilds this importer in the worker (JSON: ids, text)."""
        return {}

    @classmethod
    def from_task(cls, user, params: dict[str, Any]) -> "Importer":
        """The importer again, in the worker, from `task_params`."""
        return cls(user, **params)


def check_rows(importer, rows, job=None):
    """Validate every row; return (forms, problems). Updates `job.checked` as it goes."""
    forms, problems, seen = [], [], {}
    for index, row in enumerate(rows):
        line = getattr(row, "line", None) or index + 2  # the header is line 1
        key = importer.unique_key(row)
        if key:
            if key[1] in seen:
                problems.append(
                    {
                        "row": line,
                        "field": key[0],
                        "message": _("“%(value)s” repeats row %(other)s of this file.")
                        % {"value": key[1], "other": seen[key[1]]},
                    }
                )
            seen.setdefault(key[1], line)
        form = importer.form_for(row)
        if form.is_valid():
            forms.append(form)
        else:
            for field, errors in form.errors.items():
                for message in errors:
                    problems.append(
                        {
                            "row": line,
                            "field": importer.field_columns.get(field, field)
                            if field != "__all__"
                            else "",
                            "message": message,
                        }
                    )
        if job is not None and (index + 1) % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(checked=index + 1)
    return forms, problems


def run(job, importer, rows):
    forms, problems = check_rows(importer, rows, job)
    job.checked = len(rows)
    # The page then says the rows are being saved, rather than seeming stuck.
    ImportJob.objects.filter(pk=job.pk).update(checked=job.checked)
    if problems:
        job.status, job.problems = ImportJob.Status.FAILED, problems
    else:
        with transaction.atomic():
            for form in forms:
                importer.save(form)
        job.status, job.created_count = ImportJob.Status.DONE, len(forms)
    job.finished = timezone.now()
    job.save()
    import_ended.send(type(importer), job=job, importer=importer)
    return job


def stopped(job, importer, exc):
    """Mark a job that broke off as failed (nothing was written: `run` saves in one
    transaction) so that its page stops polling, and tell who ran it."""
    job.status, job.finished = ImportJob.Status.FAILED, timezone.now()
    job.problems = [{"row": "", "field": "", "message": _("The import stopped: %s") % exc}]
    ImportJob.objects.filter(pk=job.pk).update(
        status=job.status, finished=job.finished, problems=job.problems
    )
    sender = importer if isinstance(importer, type) else type(importer)
    import_ended.send(sender, job=job, importer=importer)


def start_import(importer, upload):
    """Create the job and run it now (small file) or queue it for the worker (large file)."""
    # core.tasks imports this module for `run`: import the task when it is needed.
    from .tasks import run_import

    job = ImportJob(kind=importer.kind, user=importer.user, filename=upload.name[:255])
    try:
        headers, rows = read_table(upload, required=[])
        rows = importer.normalise_headers(rows)
        headers = list(rows[0].keys()) if rows else headers
        missing = [c for c in importer.required if c not in headers]
        if missing:
            raise TableError(
                _("Missing column(s): %(cols)s. The first row must name the columns: %(all)s.")
                % {"cols": ", ".join(missing), "all": ", ".join(c for c, _r in importer.columns)}
            )
    except TableError as exc:
        job.status, job.problems = (
            ImportJob.Status.FAILED,
            [{"row": "", "field": "", "message": str(exc)}],
        )
        job.finished = timezone.now()
        job.save()
        import_ended.send(type(importer), job=job, importer=importer)
        return job
    job.total = len(rows)
    job.save()
    if len(rows) <= settings.IMPORT_BACKGROUND_ROWS:
        return run(job, importer, rows)
    # The rows travel with the task as JSON (text cells and their line in the file).
    importer_class = type(importer)
    run_import.enqueue(
        job.pk,
        f"{importer_class.__module__}.{importer_class.__qualname__}",
        importer.task_params(),
        [[row.line, dict(row)] for row in rows],
        translation.get_language() or settings.LANGUAGE_CODE,
    )
    job.refresh_from_db()  # the immediate backend (tests) has run it already
    return job

"""The import engine shared by the registry's CSV/XLSX imports.

An Importer names its columns and turns a row into a bound form. Every row is checked
before anything is written; if any row is bad, nothing is written and the job reports
each bad row and field. Large files run in a background thread and the page polls the
job for progress.
"""

import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ImportJob
from .signals import import_ended
from .tabular import Row, TableError, read_table

PROGRESS_EVERY = 50


class Importer:
    kind = ""
    # What the rows are, for people (a lazy "products"): notices name the import by it.
    what: Any = ""
    columns: list[tuple[str, bool]] = []  # (name, required)
    # Column aliases accepted in uploads, e.g. Vietnamese headers.
    aliases: dict[str, str] = {}
    # Form fields whose column in the file has another name, so reports name the column.
    field_columns: dict[str, str] = {}

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


def start_import(importer, upload):
    """Create the job and run it now (small file) or in a thread (large file)."""
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
    language = translation.get_language()

    def work():
        close_old_connections()
        try:
            with translation.override(language):
                run(job, importer, rows)
        except Exception as exc:  # the page must show that it stopped
            job.status, job.finished = ImportJob.Status.FAILED, timezone.now()
            job.problems = [{"row": "", "field": "", "message": _("The import stopped: %s") % exc}]
            ImportJob.objects.filter(pk=job.pk).update(
                status=job.status, finished=job.finished, problems=job.problems
            )
            import_ended.send(type(importer), job=job, importer=importer)
            raise
        finally:
            close_old_connections()

    threading.Thread(target=work, daemon=True, name=f"import-{job.pk}").start()
    return job

"""The import engine shared by the registry's CSV/XLSX imports.

An Importer declares its columns (`Column`: header, example, what it takes) and turns a
row into a bound form; the same declaration writes the file to fill in
(`template_response`) and matches an upload's headers, so a template reads back. Every
row is checked before anything is written; if any row is bad, nothing is written and
the job reports each bad row and field. Large files run as a task of the worker
(core.tasks.run_import) and the page polls the job for progress.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ImportJob
from .signals import import_ended
from .tabular import Row, TableError, read_table, sheets_response
from .text import fold

PROGRESS_EVERY = 50
# Each Importer subclass by its kind, for the job's page (it knows the job, not the class).
IMPORTERS: dict[str, type["Importer"]] = {}


@dataclass(frozen=True)
class Column:
    """One column of an import. `header` (lazy) is what the template's first row says in
    the user's language; an upload may name the column by its header in any language,
    by `name`, or by an alias. `example` fills the template's second row; `help` and
    `choices` ((value, label) pairs) are the template's instructions."""

    name: str
    required: bool = False
    header: Any = ""
    example: str = ""
    help: Any = ""
    choices: Sequence[tuple[str, Any]] = ()


def header_key(text):
    """A header as uploads are matched: no accents or case, words joined by "_"."""
    return fold(text).replace(" ", "_")


class Importer:
    kind = ""
    # What the rows are, for people (a lazy "products"): notices name the import by it.
    what: Any = ""
    columns: list[Column] = []
    # More names accepted for a column in uploads (folded, as `header_key` makes them).
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
        return [c.name for c in self.columns if c.required]

    @classmethod
    def column_names(cls):
        return [c.name for c in cls.columns]

    @classmethod
    def accepted_headers(cls):
        """{header_key: column name}: names, aliases, and each column's header in every
        language of the site, so a template downloaded in either language reads back."""
        accepted = {header_key(c.name): c.name for c in cls.columns}
        accepted.update({header_key(k): v for k, v in cls.aliases.items()})
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                accepted.update(
                    {header_key(str(c.header)): c.name for c in cls.columns if c.header}
                )
        return accepted

    def headers(self):
        """The template's header row, in the active language."""
        return [str(c.header or c.name) for c in self.columns]

    def example_row(self):
        """The template's example row; an importer may put the user's own records in."""
        return [c.example for c in self.columns]

    def form_for(self, row):
        raise NotImplementedError

    def unique_key(self, row):
        """A value that must not repeat within one file, or None."""
        return None

    def template_response(self, fmt):
        """The file to fill in: the header row and an example row, in XLSX with a sheet of
        instructions (each column, whether required, what it takes) beside it."""
        notes = []
        for column in self.columns:
            takes = str(column.help)
            if column.choices:
                allowed = "; ".join(f"{value} ({label})" for value, label in column.choices)
                takes = f"{takes} {_('One of: %(values)s.') % {'values': allowed}}".strip()
            notes.append(
                [str(column.header or column.name), _("Yes") if column.required else _("No"), takes]
            )
        return sheets_response(
            f"{self.kind}-template",
            [
                (str(self.what or _("Data")).capitalize(), self.headers(), [self.example_row()]),
                (
                    _("Instructions"),
                    [_("Column"), _("Required"), _("What it takes")],
                    [
                        *notes,
                        [],
                        [
                            _(
                                "Keep the first row as it is; write one record a row below "
                                "it, in place of the example."
                            )
                        ],
                    ],
                ),
            ],
            fmt,
        )

    def normalise_headers(self, rows):
        accepted = self.accepted_headers()
        return [
            Row(
                {accepted.get(header_key(k), k): v for k, v in row.items()},
                getattr(row, "line", None),
            )
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
                % {"cols": ", ".join(missing), "all": ", ".join(importer.column_names())}
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

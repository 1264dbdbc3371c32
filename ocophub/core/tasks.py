"""Large imports, run by the task worker (never in a request): core.importing queues
`run_import` for a file above IMPORT_BACKGROUND_ROWS and the job's page polls its
progress. All or nothing as a small import: every row checked, then one transaction."""

from typing import Any

from django.utils import translation
from django.utils.module_loading import import_string
from django_tasks import task

from .importing import run, stopped
from .models import ImportJob
from .tabular import Row


@task()
def run_import(
    job_id: int,
    importer_path: str,
    params: dict[str, Any],
    rows: list[list[Any]],
    language: str,
) -> str:
    """Check and save the rows of one queued job, in the language of the page that
    started it (its report and notice are read in that language)."""
    job = (
        ImportJob.objects.select_related("user")
        .filter(pk=job_id, status=ImportJob.Status.VALIDATING)
        .first()
    )
    if job is None:
        return "not waiting"  # already run (a task retried), or its user is gone
    importer_class = import_string(importer_path)
    with translation.override(language):
        # If the importer cannot be rebuilt (its course deleted meanwhile), the class
        # stands in for it: receivers read only what it says of itself (`what`).
        importer = importer_class
        try:
            importer = importer_class.from_task(job.user, params)
            run(job, importer, [Row(values, line) for line, values in rows])
        except Exception as exc:  # the page must show that it stopped
            stopped(job, importer, exc)
            raise
    return job.status

"""Notices for what the bottom layer reports by signal: an import job that ended (the
core app cannot call this row). Imported by NoticesConfig.ready()."""

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from ocophub.core.signals import import_ended

from .models import Kind
from .sending import notify


def _in(language: str, text: Any) -> str:
    with translation.override(language):
        return str(text)


def import_error(problems: list[dict[str, Any]]) -> str:
    """The first problem, and how many there are, in the language of the import."""
    if not problems:
        return ""
    first = problems[0]
    where = ", ".join(str(p) for p in (first.get("row"), first.get("field")) if p)
    text = f"{where}: {first['message']}" if where else str(first["message"])
    if len(problems) > 1:
        more = len(problems) - 1
        text += " " + ngettext("(and %(n)s more problem)", "(and %(n)s more problems)", more) % {
            "n": more
        }
    return text


@receiver(import_ended, dispatch_uid="notices-import-ended")
def tell_import_ended(sender: Any, job: Any, importer: Any, **kwargs: Any) -> None:
    """The person who ran the import hears how it ended, once per job."""
    what = importer.what or job.kind
    params = {"what": _in("vi", what), "what_en": _in("en", what)}
    done = job.status == job.Status.DONE
    if done:
        params["rows"] = job.created_count
    else:
        params["error"] = import_error(job.problems)
    notify(
        [job.user],
        Kind.IMPORT_FINISHED,
        f"import:{job.pk}",
        params,
        url=reverse("core:import_job", args=[job.pk]),
        subject=job,
        message="import_finished" if done else "import_failed",
    )

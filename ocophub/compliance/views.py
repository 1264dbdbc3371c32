"""Staff pages of compliance: the eligibility check of a consignment for inspectors,
the provincial office and producers, and its dated statement as a PDF. Batches are
looked up in the user's scope only (`Batch.objects.visible_to`)."""

from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from . import eligibility
from .forms import EligibilityForm
from .models import is_compliance_official
from .statement import statement_pdf


def may_check(user: Any) -> bool:
    return is_compliance_official(user) or getattr(user, "is_producer", False)


def checkers_only(view: Any) -> Any:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not may_check(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _answer(request: HttpRequest) -> tuple[EligibilityForm, eligibility.Eligibility | None]:
    asked = "market" in request.GET
    form = EligibilityForm(request.GET if asked else None, user=request.user)
    if not asked or not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, eligibility.check(data["chosen"], data["market"], data["date"])


def _query(form: EligibilityForm) -> str:
    data = form.cleaned_data
    return urlencode(
        {
            "links": "\n".join(str(b.pk) for b in data["chosen"]),
            "market": data["market"].code,
            "date": data["date"].isoformat(),
        }
    )


@checkers_only
def check(request: HttpRequest) -> HttpResponse:
    form, result = _answer(request)
    return render(
        request,
        "compliance/eligibility.html",
        {"form": form, "result": result, "query": _query(form) if result else ""},
    )


@checkers_only
def statement(request: HttpRequest) -> HttpResponse:
    form, result = _answer(request)
    if result is None:
        return render(
            request, "compliance/eligibility.html", {"form": form, "result": None}, status=400
        )
    response = HttpResponse(statement_pdf(result, request.user), content_type="application/pdf")
    name = f"eligibility-{result.market.code}-{result.day.isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response

"""The production diary's pages: an area's seasons with their inputs and harvests and
the flags beside them (diary.py), and the forms that add a season, an input or a
harvest, on a phone.

Reading follows `GrowingArea.objects.visible_to` (the producer's accounts, officials
and commune officers of its territory); an area outside it is 404, as on the code
pages. Writing follows `GrowingArea.objects.editable_by` / `Season.objects.editable_by`
(the producer's accounts, the provincial office and inspectors of its province): a
reader who may not write gets 403."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import diary
from .diary_forms import ApplicationForm, HarvestForm, SeasonForm
from .models import Application, GrowingArea, Harvest, Season


def _readable_area(user: Any, code: str) -> GrowingArea:
    area = (
        GrowingArea.objects.visible_to(user)
        .select_related("producer", "crop", "commune")
        .filter(code=code.strip())
        .first()
    )
    if area is None:
        raise Http404
    return area


def may_edit(user: Any, area: GrowingArea) -> bool:
    return GrowingArea.objects.editable_by(user).filter(pk=area.pk).exists()


def _editable_area(user: Any, code: str) -> GrowingArea:
    area = _readable_area(user, code)
    if not may_edit(user, area):
        raise PermissionDenied
    return area


def _editable_season(user: Any, area: GrowingArea, season_id: int) -> Season:
    season = (
        Season.objects.editable_by(user)
        .select_related("area__producer")
        .filter(pk=season_id, area=area)
        .first()
    )
    if season is None:
        raise Http404
    return season


@login_required
def diary_page(request: HttpRequest, code: str) -> HttpResponse:
    """The area's seasons, newest first, each with its inputs and harvests in date order
    and what is wrong beside each row."""
    area = _readable_area(request.user, code)
    return render(
        request,
        "compliance/diary/diary.html",
        {
            "area": area,
            "seasons": diary.area_diary(area),
            "may_edit": may_edit(request.user, area),
        },
    )


def _form_page(
    request: HttpRequest, area: GrowingArea, form: BaseForm, title: str, season: Season | None
) -> HttpResponse:
    return render(
        request,
        "compliance/diary/form.html",
        {"area": area, "form": form, "title": title, "season": season},
        status=400 if request.method == "POST" else 200,
    )


def _writer(request: HttpRequest) -> Any:
    # Logged in (login_required): the user who records the row.
    return request.user


def _flag_messages(request: HttpRequest, flags: list[diary.Flag]) -> None:
    for flag in flags:
        messages.warning(request, flag.message)


@login_required
def new_season(request: HttpRequest, code: str) -> HttpResponse:
    area = _editable_area(request.user, code)
    form = SeasonForm(
        request.POST if request.method == "POST" else None, instance=Season(area=area)
    )
    if request.method == "POST" and form.is_valid():
        season = form.save()
        messages.success(request, _("Season %(name)s added.") % {"name": season.name})
        return redirect("compliance:diary", code=area.code)
    return _form_page(request, area, form, _("New season"), None)


@login_required
def new_application(request: HttpRequest, code: str, season: int) -> HttpResponse:
    area = _editable_area(request.user, code)
    chosen = _editable_season(request.user, area, season)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        instance=Application(season=chosen, recorded_by=_writer(request)),
        season=chosen,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            application = form.save()
        messages.success(request, _("Input recorded."))
        # A banned ingredient is recorded as it was used, and said at once.
        _flag_messages(request, diary.application_flags(application))
        return redirect("compliance:diary", code=area.code)
    title = _("Input applied · %(name)s") % {"name": chosen.name}
    return _form_page(request, area, form, title, chosen)


@login_required
def new_harvest(request: HttpRequest, code: str, season: int) -> HttpResponse:
    area = _editable_area(request.user, code)
    chosen = _editable_season(request.user, area, season)
    form = HarvestForm(
        request.POST if request.method == "POST" else None,
        instance=Harvest(season=chosen, recorded_by=_writer(request)),
        season=chosen,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            harvest = form.save()
        messages.success(request, _("Harvest recorded."))
        applications = list(chosen.applications.prefetch_related("substances"))
        _flag_messages(request, diary.harvest_flags(harvest, applications))
        return redirect("compliance:diary", code=area.code)
    title = _("Harvest · %(name)s") % {"name": chosen.name}
    return _form_page(request, area, form, title, chosen)

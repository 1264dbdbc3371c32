"""Evaluation API: criteria sets and the self-assessment preview are open to anyone;
rounds, dossiers, score sheets and decisions follow the same scope as the pages."""

import datetime

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from ocophub.accounts.api_auth import caller
from ocophub.core.api_errors import api_error, error_docs, error_responses, validation_error

from . import workflow
from .classify import assess
from .models import CriteriaSet, Decision, Dossier, ScoreSheet
from .workflow import rounds_for

router = Router(tags=["evaluation"])


def _points(value):
    value = float(value)
    return int(value) if value.is_integer() else value


def set_summary(s):
    return {
        "code": s.code,
        "name": s.name,
        "name_en": s.name_en,
        "decision_number": s.decision_number,
        "decision_date": s.decision_date,
        "in_force_from": s.in_force_from,
        "in_force_until": s.in_force_until,
        "classification": s.classification,
        "product_groups": sorted(s.product_groups.values_list("code", flat=True)),
        "wording_confirmed": s.wording_confirmed,
    }


@router.get("/criteria-sets", summary="Criteria sets (all versions)")
def criteria_sets(request):
    return [set_summary(s) for s in CriteriaSet.objects.prefetch_related("product_groups")]


@router.get(
    "/criteria-sets/{code}",
    summary="A criteria set: parts, criteria, levels, bands",
    openapi_extra=error_docs(404),
)
def criteria_set(request, code: str):
    s = get_object_or_404(CriteriaSet, code=code)
    parts = []
    for part in s.parts.prefetch_related("criteria"):
        parts.append(
            {
                "code": part.code,
                "title": part.title,
                "title_en": part.title_en,
                "total": _points(part.total),
                "criteria": [
                    {
                        "code": c.code,
                        "section": c.section,
                        "text": c.text,
                        "max_points": _points(c.max_points),
                        "levels": [
                            {"points": _points(lv["points"]), "description": lv["description"]}
                            for lv in c.levels
                        ],
                        "minimum_requirement": c.minimum_requirement,
                        "minimum_points": _points(c.required_points)
                        if c.minimum_requirement
                        else None,
                    }
                    for c in part.criteria.all()
                ],
            }
        )
    return {
        **set_summary(s),
        "note": s.note,
        "bands": [{"stars": b["stars"], "min": _points(b["min"])} for b in s.bands],
        "parts": parts,
    }


class SelfAssessmentIn(Schema):
    criteria_set: str
    scores: dict[str, float | int | str]


@router.post(
    "/evaluation/self-assessment",
    summary="Preview a self-assessment",
    description=(
        "Open to anyone. Returns the total, the stars the set's bands give it, whether the "
        "product would be achieved (at least 3 stars and every minimum requirement met), and "
        "`missing`: each criterion not scored (`reason: not_scored`) and each minimum "
        "requirement scored below its threshold (`reason: below_minimum`). A disallowed level "
        "or an unknown criterion is a 400 whose `errors` names it."
    ),
    response={200: dict, **error_responses(400, 404)},
)
def self_assessment(request, payload: SelfAssessmentIn):
    s = CriteriaSet.objects.filter(code=payload.criteria_set).first()
    if s is None:
        unknown = _("Unknown criteria set “%(code)s”.") % {"code": payload.criteria_set}
        raise api_error(400, unknown, {"criteria_set": unknown})
    try:
        result = assess(s, payload.scores)
    except ValidationError as exc:
        raise validation_error(exc) from exc
    return Status(200, result.as_dict())


# --- scoped reads --------------------------------------------------------------------


def _user(request):
    user = caller(request)
    if not user.is_authenticated:
        raise api_error(401, "Sign in or send a bearer token.")
    return user


def _round(r):
    return {
        "id": r.pk,
        "province": r.province.name,
        "year": r.year,
        "number": r.number,
        "title": r.title,
        "opens_on": r.opens_on,
        "closes_on": r.closes_on,
        "status": r.status,
    }


def _dossier(d):
    return {
        "id": d.pk,
        "round": d.round_id,
        "product": d.product.name,
        "product_id": d.product_id,
        "producer": d.product.producer.name,
        "kind": d.kind,
        "status": d.status,
        "criteria_set": d.criteria_set.code,
        "council": d.council_id,
        "self_assessment": d.self_assessment,
        "missing": d.missing(),
    }


@router.get(
    "/evaluation/rounds",
    summary="Evaluation rounds you may see",
    response={200: list[dict], **error_responses(401)},
)
def rounds(request):
    user = _user(request)
    return [_round(r) for r in rounds_for(user).select_related("province")]


@router.get(
    "/evaluation/rounds/{round_id}/dossiers",
    summary="Dossiers of a round you may see",
    response={200: list[dict], **error_responses(401, 404)},
)
def round_dossiers(request, round_id: int):
    user = _user(request)
    round_ = get_object_or_404(rounds_for(user), pk=round_id)
    qs = (
        Dossier.objects.visible_to(user)
        .filter(round=round_)
        .select_related("product__producer", "criteria_set")
    )
    return [_dossier(d) for d in qs]


@router.get(
    "/evaluation/dossiers/{dossier_id}",
    summary="A dossier you may see",
    response={200: dict, **error_responses(401, 404)},
)
def dossier(request, dossier_id: int):
    user = _user(request)
    d = get_object_or_404(
        Dossier.objects.visible_to(user).select_related("product__producer", "criteria_set"),
        pk=dossier_id,
    )
    data = _dossier(d)
    data["score_sheets"] = [
        {
            "id": s.pk,
            "member": str(s.member),
            "submitted_at": s.submitted_at,
            "scores": s.scores,
            "total": _points(s.total),
        }
        for s in d.score_sheets.select_related("member__user")
        if workflow.may_read_sheet(user, s)
    ]
    return data


@router.get(
    "/evaluation/score-sheets",
    summary="Your own score sheets",
    response={200: list[dict], **error_responses(401)},
)
def my_sheets(request):
    user = _user(request)
    return [
        {
            "id": s.pk,
            "dossier": s.dossier_id,
            "product": s.dossier.product.name,
            "submitted_at": s.submitted_at,
            "scores": s.scores,
            "total": _points(s.total),
        }
        for s in ScoreSheet.objects.filter(member__user=user).select_related("dossier__product")
    ]


@router.get(
    "/evaluation/decisions",
    summary="Decisions on dossiers you may see",
    response={200: list[dict], **error_responses(401)},
)
def decisions(request, since: datetime.date | None = None):
    user = _user(request)
    visible = Dossier.objects.visible_to(user)
    qs = Decision.objects.filter(issued_at__isnull=False, items__dossier__in=visible).distinct()
    if since:
        qs = qs.filter(date__gte=since)
    out = []
    for decision in qs.select_related("round"):
        items = decision.items.filter(dossier__in=visible).select_related(
            "dossier__product", "certificate"
        )
        out.append(
            {
                "id": decision.pk,
                "number": decision.number,
                "date": decision.date,
                "issuing_body": decision.issuing_body,
                "body_level": decision.body_level,
                "round": decision.round_id,
                "corrects": decision.corrects_id,
                "items": [
                    {
                        "dossier": i.dossier_id,
                        "product": i.dossier.product.name,
                        "total": _points(i.total),
                        "stars": i.stars,
                        "achieved": i.achieved,
                        "certificate": i.certificate.number if i.certificate else None,
                    }
                    for i in items
                ],
            }
        )
    return out

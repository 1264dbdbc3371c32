"""A code's standing on a day, as the inspectors' list and the public check show it:
in use or retired, and each market approval's status then (`Approval.status_on`, so
an approval past its expiry reads expired whether or not the move was recorded)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from .models import Approval, ApprovalStatus, GrowingArea, PackingFacility


@dataclass
class Standing:
    approval: Approval
    status: str | None  # None: not yet requested on the day

    @property
    def label(self) -> str:
        return str(ApprovalStatus(self.status).label) if self.status else ""

    @property
    def in_force(self) -> bool:
        return self.status == ApprovalStatus.APPROVED


def _approvals() -> Prefetch:
    return Prefetch(
        "approvals",
        queryset=Approval.objects.select_related("market", "product").prefetch_related("events"),
    )


def standings(holder: GrowingArea | PackingFacility, day: datetime.date) -> list[Standing]:
    """The holder's approvals with their status on `day`, those begun by then only."""
    rows = []
    for approval in holder.approvals.all():
        status = approval.status_on(day)
        if status is not None:
            rows.append(Standing(approval, status))
    return rows


def find(code: str) -> GrowingArea | PackingFacility | None:
    """The area or facility holding `code` exactly as issued (codes are never rewritten,
    so no normalising beyond surrounding spaces)."""
    code = code.strip()
    area = (
        GrowingArea.objects.select_related("producer", "crop", "commune__province")
        .prefetch_related(_approvals())
        .filter(code=code)
        .first()
    )
    if area is not None:
        return area
    return (
        PackingFacility.objects.select_related("operator", "commune__province")
        .prefetch_related(_approvals(), "crops")
        .filter(code=code)
        .first()
    )


def holders_for(user: Any, kind: str = "", market: str = "", status: str = "") -> list[Any]:
    """The areas and facilities `user` may read, each with `kind` and `standings` for
    today set; `market` and `status` keep those with an approval in that state today."""
    today = timezone.localdate()
    rows: list[Any] = []
    if kind in ("", "area"):
        areas = GrowingArea.objects.visible_to(user).select_related("producer", "crop", "commune")
        rows += [(a, "area") for a in areas.prefetch_related(_approvals())]
    if kind in ("", "facility"):
        facilities = PackingFacility.objects.visible_to(user).select_related("operator", "commune")
        rows += [(f, "facility") for f in facilities.prefetch_related(_approvals())]
    out = []
    for holder, holder_kind in rows:
        holder.kind = holder_kind
        holder.standings = standings(holder, today)
        chosen = [
            s
            for s in holder.standings
            if (not market or s.approval.market.code == market)
            and (not status or s.status == status)
        ]
        if (market or status) and not chosen:
            continue
        out.append(holder)
    return sorted(out, key=lambda h: h.code)

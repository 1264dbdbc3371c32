"""Reports of the compliance work, for the officials who supervise the codes (and the
producers holding them), in their scope:

- codes by market and approval status today, with hectares and producers;
- codes by unit and code status, the unit as the code was made (before or after July
  2025) and what it is today, so both eras read;
- visits due: each code's next visit from its latest inspection, overdue or due within
  `DUE_DAYS`;
- suspensions over a period: codes and approvals suspended, with the date and reason.

Each is a `Table` (headers, rows) shown as a page and written as XLSX or CSV by
core.tabular."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.core.i18n import page_name

from .codes import standings
from .models import (
    Approval,
    ApprovalEvent,
    ApprovalStatus,
    CodeEvent,
    CodeStatus,
    GrowingArea,
    Inspection,
    PackingFacility,
)

DUE_DAYS = 30


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    @property
    def labelled(self) -> list[list[tuple[str, Any]]]:
        """Each row's cells with their header, for the phone layout's card labels."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


def _holders(user: Any) -> list[Any]:
    approvals = Prefetch(
        "approvals", queryset=Approval.objects.select_related("market").prefetch_related("events")
    )
    areas = (
        GrowingArea.objects.visible_to(user)
        .select_related("producer", "commune__district", "commune__province")
        .select_related("commune__successor__province")
        .prefetch_related(approvals, "boundaries")
    )
    facilities = (
        PackingFacility.objects.visible_to(user)
        .select_related("operator", "commune__district", "commune__province")
        .select_related("commune__successor__province")
        .prefetch_related(approvals)
    )
    return list(areas) + list(facilities)


def _hectares(holder: Any, day: datetime.date) -> Decimal:
    if not isinstance(holder, GrowingArea):
        return Decimal("0")
    for boundary in holder.boundaries.all():
        if boundary.valid_from <= day and (
            boundary.valid_until is None or boundary.valid_until >= day
        ):
            return boundary.area_ha
    return Decimal("0")


def _owner(holder: Any) -> int:
    return holder.producer_id if isinstance(holder, GrowingArea) else holder.operator_id


def by_market(user: Any, day: datetime.date) -> Table:
    table = Table(
        "markets",
        _("Codes by market and approval status"),
        [_("Market"), _("Approval status"), _("Codes"), _("Hectares"), _("Producers")],
    )
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    names: dict[str, str] = {}
    for holder in _holders(user):
        for standing in standings(holder, day):
            if standing.status is None:  # standings() leaves these out; for mypy
                continue
            market = standing.approval.market
            names[market.code] = f"{page_name(market)} ({market.code})"
            groups[(market.code, standing.status)].append(holder)
    order = {s: i for i, s in enumerate(ApprovalStatus.values)}
    for (code, status), holders in sorted(groups.items(), key=lambda g: (g[0][0], order[g[0][1]])):
        unique = {(type(h), h.pk): h for h in holders}.values()
        table.rows.append(
            [
                names[code],
                str(ApprovalStatus(status).label),
                len(unique),
                float(sum(_hectares(h, day) for h in unique)),
                len({_owner(h) for h in unique}),
            ]
        )
    return table


def _unit_then(commune: Any) -> str:
    return commune.full_name()


def _unit_now(commune: Any) -> str:
    current = commune.current
    return current.full_name() if current is not None else _("not mapped")


def by_unit(user: Any, day: datetime.date) -> Table:
    table = Table(
        "units",
        _("Codes by unit and code status"),
        [
            _("Commune as made"),
            _("Commune today"),
            _("Code status"),
            _("Growing areas"),
            _("Packing facilities"),
            _("Hectares"),
            _("Producers"),
        ],
    )
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for holder in _holders(user):
        status = holder.status_on(day)
        if status is None:
            continue
        groups[(_unit_then(holder.commune), _unit_now(holder.commune), status)].append(holder)
    order = {s: i for i, s in enumerate(CodeStatus.values)}
    for (then, now, status), holders in sorted(
        groups.items(), key=lambda g: (g[0][1], g[0][0], order[g[0][2]])
    ):
        table.rows.append(
            [
                then,
                now,
                str(CodeStatus(status).label),
                sum(isinstance(h, GrowingArea) for h in holders),
                sum(isinstance(h, PackingFacility) for h in holders),
                float(sum(_hectares(h, day) for h in holders)),
                len({_owner(h) for h in holders}),
            ]
        )
    return table


def visits_due(user: Any, day: datetime.date) -> Table:
    """Codes in use whose latest inspection set a next visit that is past or within
    DUE_DAYS of `day`, the most overdue first."""
    table = Table(
        "visits",
        _("Visits due"),
        [_("Code"), _("Holder"), _("Last inspection"), _("Next visit due"), _("Days late")],
    )
    latest: dict[tuple[str, int], Inspection] = {}
    inspections = (
        Inspection.objects.visible_to(user)
        .filter(on__lte=day)
        .select_related("area__producer", "facility__operator")
        .order_by("on", "pk")
    )
    for inspection in inspections:
        key = (
            ("area", inspection.area_id)
            if inspection.area_id
            else ("facility", inspection.facility_id)
        )
        latest[key] = inspection
    horizon = day + datetime.timedelta(days=DUE_DAYS)
    rows = []
    for inspection in latest.values():
        holder = inspection.holder
        if inspection.next_visit is None or inspection.next_visit > horizon:
            continue
        if holder.status not in (CodeStatus.ACTIVE, CodeStatus.SUSPENDED):
            continue
        owner = holder.producer if isinstance(holder, GrowingArea) else holder.operator
        rows.append(
            [
                holder.code,
                owner.name,
                inspection.on,
                inspection.next_visit,
                max(0, (day - inspection.next_visit).days),
            ]
        )
    table.rows = sorted(rows, key=lambda r: (r[3], r[0]))
    return table


def suspensions(user: Any, start: datetime.date, end: datetime.date) -> Table:
    """Codes and approvals suspended between `start` and `end`, with their reasons."""
    table = Table(
        "suspensions",
        _("Suspensions"),
        [_("Date"), _("Code"), _("What was suspended"), _("Reason"), _("Lifted on")],
    )
    areas = GrowingArea.objects.visible_to(user)
    facilities = PackingFacility.objects.visible_to(user)
    rows = []
    code_events = CodeEvent.objects.filter(
        to_status=CodeStatus.SUSPENDED, on__gte=start, on__lte=end
    ).select_related("area", "facility")
    for event in code_events.filter(area__in=areas) | code_events.filter(facility__in=facilities):
        holder = event.area or event.facility
        assert holder is not None  # a code event belongs to an area or a facility
        lifted = (
            CodeEvent.objects.filter(
                **{holder.holder_kind: holder}, from_status=CodeStatus.SUSPENDED, on__gte=event.on
            )
            .order_by("on")
            .first()
        )
        rows.append(
            [event.on, holder.code, _("the code"), event.reason, lifted.on if lifted else ""]
        )
    moves = ApprovalEvent.objects.filter(
        to_status=ApprovalStatus.SUSPENDED, on__gte=start, on__lte=end
    ).select_related("approval__market", "approval__area", "approval__facility")
    visible = Approval.objects.visible_to(user)
    for move in moves.filter(approval__in=visible):
        approval = move.approval
        lifting = (
            approval.events.filter(from_status=ApprovalStatus.SUSPENDED, on__gte=move.on)
            .order_by("on")
            .first()
        )
        what = _("approval for %(market)s") % {"market": approval.market.code}
        rows.append([move.on, approval.code, what, move.note, lifting.on if lifting else ""])
    table.rows = sorted(rows, key=lambda r: (r[0], r[1]))
    return table


def period_from(query: Any, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The suspensions' period from `start`/`end` (YYYY-MM-DD): the year to `day` by
    default; an unreadable or reversed period falls back to it."""
    default = (day - datetime.timedelta(days=365), day)
    try:
        start = datetime.date.fromisoformat(query.get("start") or default[0].isoformat())
        end = datetime.date.fromisoformat(query.get("end") or default[1].isoformat())
    except ValueError:
        return default
    return (start, end) if start <= end else default


def all_tables(user: Any, query: Any) -> tuple[list[Table], datetime.date, datetime.date]:
    day = timezone.localdate()
    start, end = period_from(query, day)
    return (
        [
            by_market(user, day),
            by_unit(user, day),
            visits_due(user, day),
            suspensions(user, start, end),
        ],
        start,
        end,
    )

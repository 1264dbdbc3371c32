"""May this consignment go to that market on that date? The rule behind the eligibility
API, page and statement.

Each batch is followed back through its input batches (trace's `Batch.inputs`) to:
- the growing areas and seasons it came from: a `Harvest` names the batches it fed;
- the packing facilities it went through: EPCIS events naming the batch (or one of its
  serialised items) whose business location is a facility's GLN. Any step counts (a
  packing house receives, packs, stores and ships); events declared in error and events
  after the date do not.

On the date it then checks, for every code reached: the code is in use by its status
history (granted by then, not suspended, revoked, expired or retired on that day;
for an area, a boundary recorded on that date), an approval for the market and the
product (or for every product) is approved then, per `Approval.status_on`; and for
every season reached: no input applied with a substance that a banned list in force
(Vietnam's or the market's) names, every harvest that fed the batch came after its
pre-harvest interval, and the season's harvests stay within its declared yield.

The answer is eligible only when no reason is found. Messages are in the active
language.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q, QuerySet
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ocophub.epcis.models import Event, EventEpc
from ocophub.epcis.vocab import epc_key
from ocophub.products.gtin import check_digit
from ocophub.trace.digital_link import DigitalLinkError, parse
from ocophub.trace.models import Batch, SerialItem

from .models import (
    Application,
    Approval,
    ApprovalStatus,
    CodeStatus,
    GrowingArea,
    Harvest,
    ListEntry,
    ListKind,
    Market,
    PackingFacility,
    Season,
    SubstanceList,
)

# Reason codes: what a client can act on without reading the message.
NO_GROWING_AREA = "no_growing_area"
NO_PACKING_FACILITY = "no_packing_facility"
# A code not in use on the date: code_suspended, code_revoked, code_expired, code_retired.
CODE_RETIRED = "code_retired"
CODE_SUSPENDED = "code_suspended"
CODE_NOT_GRANTED = "code_not_granted"
AREA_NOT_RECORDED = "area_not_recorded"
NOT_APPROVED = "not_approved"
APPROVAL_SUSPENDED = "approval_suspended"
APPROVAL_REVOKED = "approval_revoked"
APPROVAL_EXPIRED = "approval_expired"
BANNED_SUBSTANCE = "banned_substance"
PHI_NOT_RESPECTED = "phi_not_respected"
OVER_DECLARED_YIELD = "over_declared_yield"


@dataclass(frozen=True)
class Reason:
    code: str
    batch: Batch  # the consignment's batch the reason concerns (as asked, not an input)
    record: str  # the record at fault, "kind:id" (approval:12, application:5 ...)
    message: str


@dataclass
class Trail:
    """What one consignment batch came through."""

    batch: Batch
    batches: list[Batch] = field(default_factory=list)  # itself and all its inputs
    areas: list[GrowingArea] = field(default_factory=list)
    seasons: list[Season] = field(default_factory=list)
    harvests: list[Harvest] = field(default_factory=list)
    facilities: list[PackingFacility] = field(default_factory=list)


@dataclass
class Eligibility:
    market: Market
    day: datetime.date
    trails: list[Trail]
    reasons: list[Reason]

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _kg(value: Decimal) -> str:
    places = 0 if value == value.to_integral() else 1
    return number_format(value, places, force_grouping=True)


# Batches ---------------------------------------------------------------------------------


def with_inputs(batch: Batch) -> list[Batch]:
    """The batch and every batch it was made from, however many steps back (a batch
    graph may join again, so each batch once)."""
    through = Batch.inputs.through
    seen = {batch.pk}
    frontier = [batch.pk]
    while frontier:
        step = set(
            through.objects.filter(from_batch_id__in=frontier).values_list("to_batch_id", flat=True)
        )
        frontier = list(step - seen)
        seen.update(frontier)
    rows = {b.pk: b for b in Batch.objects.filter(pk__in=seen).select_related("product")}
    return [rows[batch.pk]] + sorted((b for pk, b in rows.items() if pk != batch.pk), key=str)


def find_batch(ref: str | int, batches: QuerySet[Batch]) -> Batch | None:
    """A batch by id or by Digital Link URI (of the batch, or of one of its serialised
    items) among `batches` (the caller's scope)."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
        return batches.filter(pk=int(ref)).first()
    try:
        dl = parse(str(ref))
    except DigitalLinkError:
        return None
    if dl.key != "01":
        return None
    qualifiers = dl.qualifiers
    if "21" in qualifiers:
        serial = SerialItem.objects.filter(product__gtin=dl.gtin, serial=qualifiers["21"]).first()
        if serial is None or ("10" in qualifiers and serial.batch.lot != qualifiers["10"]):
            return None
        return batches.filter(pk=serial.batch_id).first()
    if "10" in qualifiers:
        return batches.filter(product__gtin=dl.gtin, lot=qualifiers["10"]).first()
    return None


# Locations -------------------------------------------------------------------------------

_SGLN = re.compile(r"^urn:epc:id:sgln:(\d+)\.(\d*)\.")


def gln_of(location: str) -> str | None:
    """The GLN a business location names: a Digital Link /414/ URI (with or without
    /254/) or an SGLN URN; None for anything else."""
    if not location:
        return None
    match = _SGLN.match(location + ".")
    if match:
        body = match.group(1) + match.group(2)
        return body + check_digit(body) if len(body) == 12 else None
    try:
        dl = parse(location)
    except DigitalLinkError:
        return None
    return dl.path[0][1] if dl.key == "414" else None


def facilities_of(batches: list[Batch], day: datetime.date) -> list[PackingFacility]:
    """The packing facilities at whose GLN an event named one of the batches (or their
    serialised items) on or before `day`."""
    keys = [epc_key(b.digital_link)[0] for b in batches]
    keys += [
        epc_key(s.digital_link)[0]
        for s in SerialItem.objects.filter(batch__in=batches).select_related("product", "batch")
    ]
    event_ids = EventEpc.objects.filter(key__in=keys).values("event_id")
    locations = set(
        Event.objects.filter(
            pk__in=event_ids,
            declared_in_error=False,
            is_declaration=False,
            event_time__date__lte=day,
        )
        .exclude(biz_location="")
        .values_list("biz_location", flat=True)
    )
    glns = {g for g in map(gln_of, locations) if g}
    if not glns:
        return []
    return list(PackingFacility.objects.filter(gln__in=glns).order_by("code"))


# Checks ----------------------------------------------------------------------------------


def _approval_reason(
    holder: GrowingArea | PackingFacility,
    market: Market,
    product_ids: set[int],
    day: datetime.date,
    batch: Batch,
) -> Reason | None:
    """None when the holder has an approval for the market and one of the products (or
    every product) approved on `day`; else the reason, the worst state first."""
    approvals = [
        a
        for a in Approval.objects.filter(
            Q(area=holder) if isinstance(holder, GrowingArea) else Q(facility=holder),
            market=market,
        )
        if a.product_id is None or a.product_id in product_ids
    ]
    states = [(a, a.status_on(day)) for a in approvals]
    if any(status == ApprovalStatus.APPROVED for _a, status in states):
        return None
    values = {"code": holder.code, "market": market.code, "day": _d(day)}
    for status, reason_code in (
        (ApprovalStatus.SUSPENDED, APPROVAL_SUSPENDED),
        (ApprovalStatus.REVOKED, APPROVAL_REVOKED),
        (ApprovalStatus.EXPIRED, APPROVAL_EXPIRED),
    ):
        for approval, state in states:
            if state != status:
                continue
            last = approval.events.filter(on__lte=day).order_by("-on", "-at", "-pk").first()
            values["why"] = (last.note if last else "") or approval.reason or "—"
            values["since"] = _d(last.on if last else day)
            if status == ApprovalStatus.SUSPENDED:
                message = _(
                    "%(code)s: its approval for %(market)s was suspended on %(since)s "
                    "(%(why)s) and not lifted by %(day)s."
                )
            elif status == ApprovalStatus.REVOKED:
                message = _(
                    "%(code)s: its approval for %(market)s was revoked on %(since)s (%(why)s)."
                )
            else:
                values["since"] = (
                    _d(approval.expires_on) if approval.expires_on else values["since"]
                )
                message = _("%(code)s: its approval for %(market)s expired on %(since)s.")
            return Reason(reason_code, batch, f"approval:{approval.pk}", message % values)
    pending = next((a for a, state in states if state is not None), None)
    if pending is not None:
        values["status"] = str(ApprovalStatus(pending.status_on(day)).label)
        message = _(
            "%(code)s is not approved for %(market)s on %(day)s (the approval is %(status)s)."
        )
        return Reason(NOT_APPROVED, batch, f"approval:{pending.pk}", message % values)
    kind = "area" if isinstance(holder, GrowingArea) else "facility"
    message = _("%(code)s holds no approval for %(market)s for this product on %(day)s.")
    return Reason(NOT_APPROVED, batch, f"{kind}:{holder.pk}", message % values)


def _code_reasons(
    holder: GrowingArea | PackingFacility, day: datetime.date, batch: Batch
) -> list[Reason]:
    # The code's status history and the area's boundary versions say whether the code
    # was in use on the date, whatever it is today.
    record = f"{holder.holder_kind}:{holder.pk}"
    values = {"code": holder.code, "day": _d(day)}
    status = holder.status_on(day)
    if status is None:
        message = _("The code %(code)s had not been granted yet on %(day)s.")
        return [Reason(CODE_NOT_GRANTED, batch, record, message % values)]
    if status != CodeStatus.ACTIVE:
        since = holder.status_since(day)
        values["status"] = str(CodeStatus(status).label)
        values["since"] = _d(since) if since else _("an unrecorded date")
        message = _("On %(day)s the code %(code)s was %(status)s (since %(since)s).")
        return [Reason(f"code_{status}", batch, record, message % values)]
    if isinstance(holder, GrowingArea) and holder.boundary_on(day) is None:
        message = _("The growing area %(code)s had no recorded boundary on %(day)s.")
        return [Reason(AREA_NOT_RECORDED, batch, record, message % values)]
    return []


def lists_in_force(market: Market | None, day: datetime.date) -> QuerySet[SubstanceList]:
    """The substance lists that apply to `market` on `day`: its own and Vietnam's
    (Vietnam's alone when no market is named)."""
    return SubstanceList.in_force(day).filter(Q(market=market) | Q(market__isnull=True))


# The diary rules: shared by the check of a consignment (lists in force on its date) and
# the production diary's page (lists in force on the day of each input and harvest).


def banned_by(lists: QuerySet[SubstanceList]) -> dict[int, list[SubstanceList]]:
    """The substances the banned lists among `lists` name, each with the lists naming it
    (Vietnam's first)."""
    banned: dict[int, list[SubstanceList]] = {}
    for entry in (
        ListEntry.objects.filter(substance_list__in=lists.filter(kind=ListKind.BANNED))
        .select_related("substance_list")
        # Vietnam's list first, so a substance banned at home is named as such.
        .order_by(F("substance_list__market__code").asc(nulls_first=True), "substance_list_id")
    ):
        banned.setdefault(entry.substance_id, []).append(entry.substance_list)
    return banned


def intervals_in(lists: QuerySet[SubstanceList]) -> dict[int, int]:
    """The longest pre-harvest interval (days) the entries of `lists` give each substance."""
    phi: dict[int, int] = {}
    for entry in ListEntry.objects.filter(substance_list__in=lists, phi_days__isnull=False):
        phi[entry.substance_id] = max(phi.get(entry.substance_id, 0), entry.phi_days or 0)
    return phi


def interval_of(application: Application, phi: dict[int, int]) -> int:
    """The days a harvest must wait after `application`: the longest of its label's
    interval and its substances' (`phi` from `intervals_in`)."""
    return max(
        [application.phi_days or 0] + [phi.get(s.pk, 0) for s in application.substances.all()]
    )


def too_early(harvest: Harvest, application: Application, phi: dict[int, int]) -> int | None:
    """The days waited when `harvest` came inside the pre-harvest interval of an input
    applied on or before it; None when it waited long enough (or came before it)."""
    if application.applied_on > harvest.harvested_on:
        return None
    waited = (harvest.harvested_on - application.applied_on).days
    return waited if waited < interval_of(application, phi) else None


def _season_reasons(
    season: Season,
    harvests: list[Harvest],
    market: Market,
    day: datetime.date,
    batch: Batch,
) -> list[Reason]:
    """The diary of a season: banned substances applied, pre-harvest intervals of the
    harvests that fed the batch, and the season's harvests against its declared yield."""
    reasons = []
    lists = lists_in_force(market, day)
    banned = banned_by(lists)
    phi = intervals_in(lists)
    applications = list(
        Application.objects.filter(season=season, applied_on__lte=day).prefetch_related(
            "substances"
        )
    )
    where = {"area": season.area.code, "season": season.name}
    for application in applications:
        for substance in application.substances.all():
            if substance.pk in banned:
                values = {
                    **where,
                    "product": application.product_name,
                    "applied": _d(application.applied_on),
                    "substance": substance.name,
                    "list": banned[substance.pk][0].name,
                }
                message = _(
                    "%(area)s, season %(season)s: %(product)s applied on %(applied)s "
                    "contains %(substance)s, banned by “%(list)s”."
                )
                reasons.append(
                    Reason(
                        BANNED_SUBSTANCE, batch, f"application:{application.pk}", message % values
                    )
                )
    for harvest in harvests:
        for application in applications:
            waited = too_early(harvest, application, phi)
            if waited is not None:
                values = {
                    **where,
                    "harvested": _d(harvest.harvested_on),
                    "waited": str(waited),
                    "product": application.product_name,
                    "applied": _d(application.applied_on),
                    "interval": str(interval_of(application, phi)),
                }
                message = _(
                    "%(area)s, season %(season)s: the harvest of %(harvested)s came "
                    "%(waited)s days after %(product)s was applied (%(applied)s); its "
                    "pre-harvest interval is %(interval)s days."
                )
                reasons.append(
                    Reason(PHI_NOT_RESPECTED, batch, f"harvest:{harvest.pk}", message % values)
                )
    harvested = sum(
        (h.quantity_kg for h in season.harvests.filter(harvested_on__lte=day)), Decimal(0)
    )
    if harvested > season.declared_yield_kg:
        values = {
            **where,
            "harvested": _kg(harvested),
            "declared": _kg(season.declared_yield_kg),
        }
        message = _(
            "%(area)s, season %(season)s: %(harvested)s kg harvested, more than the "
            "%(declared)s kg declared for the season."
        )
        reasons.append(Reason(OVER_DECLARED_YIELD, batch, f"season:{season.pk}", message % values))
    return reasons


def trail_of(batch: Batch, day: datetime.date) -> tuple[Trail, dict[tuple[str, int], set[int]]]:
    """What the batch came through, and for each area and facility the products of the
    batches that reached it (an approval may name any of them, or the consignment's)."""
    trail = Trail(batch=batch, batches=with_inputs(batch))
    products: dict[tuple[str, int], set[int]] = {}
    harvests = (
        Harvest.objects.filter(batches__in=trail.batches, harvested_on__lte=day)
        .select_related("season__area")
        .prefetch_related("batches")
        .distinct()
    )
    trail.harvests = list(harvests)
    in_trail = {b.pk: b for b in trail.batches}
    for harvest in trail.harvests:
        season, area = harvest.season, harvest.season.area
        if season not in trail.seasons:
            trail.seasons.append(season)
        if area not in trail.areas:
            trail.areas.append(area)
        fed = {b.product_id for b in harvest.batches.all() if b.pk in in_trail}
        products.setdefault(("area", area.pk), {batch.product_id}).update(fed)
    trail.facilities = facilities_of(trail.batches, day)
    for facility in trail.facilities:
        products[("facility", facility.pk)] = {b.product_id for b in trail.batches}
    return trail, products


def check(batches: list[Batch], market: Market, day: datetime.date) -> Eligibility:
    """The eligibility of a consignment of `batches` for `market` on `day`."""
    trails: list[Trail] = []
    reasons: list[Reason] = []
    for batch in batches:
        trail, products = trail_of(batch, day)
        trails.append(trail)
        found: list[Reason] = []
        values = {"batch": str(batch), "market": market.code}
        if not trail.areas:
            message = _("%(batch)s cannot be traced to a harvest of a growing area.")
            found.append(Reason(NO_GROWING_AREA, batch, f"batch:{batch.pk}", message % values))
        if not trail.facilities and market.requires_packing_code:
            message = _(
                "%(batch)s went through no registered packing facility, which %(market)s requires."
            )
            found.append(Reason(NO_PACKING_FACILITY, batch, f"batch:{batch.pk}", message % values))
        holders: list[tuple[GrowingArea | PackingFacility, str]] = [
            (a, "area") for a in trail.areas
        ]
        if market.requires_packing_code:
            # Where the market does not ask for packing codes, the house is not checked.
            holders += [(f, "facility") for f in trail.facilities]
        for holder, kind in holders:
            found += _code_reasons(holder, day, batch)
            approval = _approval_reason(holder, market, products[(kind, holder.pk)], day, batch)
            if approval is not None:
                found.append(approval)
        for season in trail.seasons:
            fed = [h for h in trail.harvests if h.season_id == season.pk]
            found += _season_reasons(season, fed, market, day, batch)
        for reason in found:
            if reason not in reasons:
                reasons.append(reason)
    return Eligibility(market=market, day=day, trails=trails, reasons=reasons)

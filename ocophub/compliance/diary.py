"""The production diary (nhật ký sản xuất) of a growing area, read with its flags: per
season, the inputs applied and the harvests in date order, each input beside the banned
lists in force on the day it was applied (Vietnam's, and each market's), each harvest
beside the pre-harvest intervals of the inputs before it (Vietnam's lists in force on
the harvest's day, and the label's). The rules are eligibility's (`banned_by`,
`intervals_in`, `too_early`); only the day they are asked on differs."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .eligibility import banned_by, interval_of, intervals_in, lists_in_force, too_early
from .models import Application, GrowingArea, Harvest, Season, SubstanceList

# Flag kinds, also the rows' data-flag on the page.
BANNED = "banned"  # by Vietnam's list
BANNED_FOR_MARKET = "banned_market"
PHI = "phi"


@dataclass(frozen=True)
class Flag:
    kind: str
    message: str


@dataclass
class Row:
    record: Application | Harvest
    flags: list[Flag] = field(default_factory=list)

    @property
    def banned(self) -> bool:
        return any(f.kind == BANNED for f in self.flags)


@dataclass
class SeasonDiary:
    season: Season
    applications: list[Row]
    harvests: list[Row]

    @property
    def harvested_kg(self) -> Decimal:
        return sum((r.record.quantity_kg for r in self.harvests), Decimal(0))  # type: ignore[union-attr]

    @property
    def flagged(self) -> int:
        return sum(1 for r in self.applications + self.harvests if r.flags)


def _d(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


class Rules:
    """The lists asked once per day: a diary has many rows on few days."""

    def __init__(self) -> None:
        self._banned: dict[datetime.date, dict[int, list[SubstanceList]]] = {}
        self._phi: dict[datetime.date, dict[int, int]] = {}

    def banned(self, day: datetime.date) -> dict[int, list[SubstanceList]]:
        if day not in self._banned:
            self._banned[day] = banned_by(SubstanceList.in_force(day).select_related("market"))
        return self._banned[day]

    def phi(self, day: datetime.date) -> dict[int, int]:
        if day not in self._phi:
            self._phi[day] = intervals_in(lists_in_force(None, day))
        return self._phi[day]


def application_flags(application: Application, rules: Rules | None = None) -> list[Flag]:
    """Each active ingredient of the input on a banned list in force the day it was
    applied: Vietnam's (the input breaks the national rule) and markets' (its harvests
    may not go there)."""
    rules = rules or Rules()
    banned = rules.banned(application.applied_on)
    flags = []
    for substance in application.substances.all():
        for substance_list in banned.get(substance.pk, []):
            values = {
                "substance": substance.name,
                "list": substance_list.name,
                "day": _d(application.applied_on),
            }
            if substance_list.market is None:
                message = _("%(substance)s is banned in Vietnam on %(day)s (“%(list)s”).")
                flags.append(Flag(BANNED, message % values))
            else:
                values["market"] = substance_list.market.code
                message = _("%(substance)s is banned for %(market)s (“%(list)s”).")
                flags.append(Flag(BANNED_FOR_MARKET, message % values))
    return flags


def harvest_flags(
    harvest: Harvest, applications: list[Application], rules: Rules | None = None
) -> list[Flag]:
    """Each input of the season whose pre-harvest interval had not passed when the
    harvest was made."""
    rules = rules or Rules()
    phi = rules.phi(harvest.harvested_on)
    flags = []
    for application in applications:
        waited = too_early(harvest, application, phi)
        if waited is not None:
            values = {
                "waited": str(waited),
                "product": application.product_name,
                "applied": _d(application.applied_on),
                "interval": str(interval_of(application, phi)),
            }
            message = _(
                "Harvested %(waited)s days after %(product)s was applied (%(applied)s): "
                "its pre-harvest interval is %(interval)s days."
            )
            flags.append(Flag(PHI, message % values))
    return flags


def season_diary(season: Season, rules: Rules | None = None) -> SeasonDiary:
    rules = rules or Rules()
    applications = list(season.applications.prefetch_related("substances"))
    harvests = list(season.harvests.prefetch_related("batches__product"))
    return SeasonDiary(
        season=season,
        applications=[Row(a, application_flags(a, rules)) for a in applications],
        harvests=[Row(h, harvest_flags(h, applications, rules)) for h in harvests],
    )


def seasons_of(area: GrowingArea) -> QuerySet[Season]:
    return Season.objects.filter(area=area).order_by("-starts", "-pk")


def area_diary(area: GrowingArea) -> list[SeasonDiary]:
    """The area's seasons, newest first, each with its rows in date order."""
    rules = Rules()
    return [season_diary(s, rules) for s in seasons_of(area)]

"""Evaluation procedures as dated data (`data/procedures.json`).

Three procedures have governed OCOP evaluation: Decision 1048/QĐ-TTg (2019), 148/QĐ-TTg
(2023) and 148 as amended by 1489/QĐ-TTg (from 6 July 2025). Which levels exist, which
level checks dossiers before the council (district, later commune) and which body may
recognise which stars are read from the file, so a new decision is a data change. The
file can be replaced through the `OCOP_PROCEDURES_FILE` setting.
"""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.core.i18n import page_name


class BodyLevel(models.TextChoices):
    COMMUNE = "commune", gettext_lazy("Commune")
    DISTRICT = "district", gettext_lazy("District")
    PROVINCE = "province", gettext_lazy("Province")
    NATIONAL = "national", gettext_lazy("National (ministry)")


class AuthorityError(ValueError):
    """A body tried to recognise stars it may not recognise on that date."""


@dataclass(frozen=True)
class Recognition:
    level: str
    stars: tuple
    below_total: Decimal | None = None

    def covers(self, stars, total):
        if stars not in self.stars:
            return False
        return self.below_total is None or total is None or Decimal(total) < self.below_total


@dataclass(frozen=True)
class Procedure:
    code: str
    decision: str
    name: str
    name_en: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    levels: tuple
    local_step: str
    forward_min_total: Decimal | None
    recognition: tuple

    def __str__(self):
        return page_name(self)

    def applies_on(self, day):
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def recognising_level(self, stars, total=None):
        """The body level that recognises `stars` at `total` under this procedure."""
        for rule in self.recognition:
            if rule.covers(stars, total):
                return rule.level
        return None


def _date(text):
    return datetime.date.fromisoformat(text) if text else None


@lru_cache(maxsize=4)
def _load(path):
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)["procedures"]
    return tuple(
        Procedure(
            code=p["code"],
            decision=p["decision"],
            name=p["name"],
            name_en=p.get("name_en", p["name"]),
            valid_from=_date(p["from"]),
            valid_until=_date(p.get("until")),
            levels=tuple(p["levels"]),
            local_step=p["local_step"],
            forward_min_total=(
                Decimal(str(p["forward_min_total"])) if p.get("forward_min_total") else None
            ),
            recognition=tuple(
                Recognition(
                    level=r["level"],
                    stars=tuple(r["stars"]),
                    below_total=Decimal(str(r["below_total"])) if r.get("below_total") else None,
                )
                for r in p["recognition"]
            ),
        )
        for p in raw
    )


def procedures():
    return _load(str(settings.OCOP_PROCEDURES_FILE))


def procedure_on(day):
    """The procedure in force on `day`; ValueError before the first one."""
    for procedure in procedures():
        if procedure.applies_on(day):
            return procedure
    raise ValueError(_("No OCOP evaluation procedure was in force on %(day)s.") % {"day": day})


def authority(body_level, stars, total, on_date):
    """Check that a body of `body_level` may recognise `stars` (at `total` points) by a
    decision dated `on_date`. Returns the procedure; raises AuthorityError saying who may.
    """
    procedure = procedure_on(on_date)
    level_label = BodyLevel(body_level).label if body_level in BodyLevel.values else body_level
    if body_level not in procedure.levels:
        raise AuthorityError(
            _("Under %(procedure)s there is no %(level)s level (decision dated %(day)s).")
            % {"procedure": procedure, "level": level_label, "day": date_format(on_date)}
        )
    allowed = procedure.recognising_level(stars, total)
    if allowed != body_level:
        if allowed is None:
            raise AuthorityError(
                _("Under %(procedure)s no body recognises %(stars)s stars.")
                % {"procedure": procedure, "stars": stars}
            )
        raise AuthorityError(
            _(
                "Under %(procedure)s a %(stars)s-star product with %(total)s points is "
                "recognised at %(allowed)s level, not by a %(level)s body."
            )
            % {
                "procedure": procedure,
                "stars": stars,
                "total": total,
                "allowed": BodyLevel(allowed).label,
                "level": level_label,
            }
        )
    return procedure

"""From points to stars.

- A score for a criterion must be one of its allowed levels; anything else (or a code
  the set does not hold) is refused with a message naming it.
- Stars come from the total by the criteria set's bands: the band with the highest
  minimum the total reaches. Totals are compared exactly, not rounded (89.5 is 4 stars).
- "Achieved" means recognised as an OCOP product: at least 3 stars and every minimum
  requirement met. A missed minimum requirement means not achieved whatever the total.
- The council's score for a criterion is the mean of its members' submitted scores
  (setting EVALUATION_SCORE_RULE: "mean", the default, or "median"), rounded to 0.01;
  the council total is the sum of those. A criterion is flagged when members' scores
  differ by more than EVALUATION_DIVERGENCE_POINTS (default 2 points), and the dossier
  when members' totals differ by more than EVALUATION_DIVERGENCE_TOTAL (default 10).
"""

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CERTIFIED_STARS = (3, 4, 5)
CENT = Decimal("0.01")


def to_points(value, code):
    if isinstance(value, bool):
        value = None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(
            {
                code: _("Criterion %(code)s: “%(value)s” is not a number.")
                % {"code": code, "value": value}
            }
        ) from None


def check_scores(criteria, scores):
    """Validate `scores` ({code: points}) against `criteria` ({code: Criterion}).
    Returns {code: Decimal}; raises ValidationError keyed by criterion code."""
    errors = {}
    clean = {}
    for code, value in (scores or {}).items():
        criterion = criteria.get(code)
        if criterion is None:
            errors[code] = _("Unknown criterion “%(code)s” in this criteria set.") % {"code": code}
            continue
        try:
            points = to_points(value, code)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        allowed = criterion.allowed_points
        if points not in allowed:
            errors[code] = _(
                "Criterion %(code)s: %(points)s points is not an allowed level "
                "(allowed: %(allowed)s)."
            ) % {
                "code": code,
                "points": _fmt(points),
                "allowed": ", ".join(_fmt(p) for p in allowed),
            }
            continue
        clean[code] = points
    if errors:
        raise ValidationError(errors)
    return clean


def _fmt(points):
    points = Decimal(points)
    return str(points.quantize(Decimal(1))) if points == points.to_integral() else str(points)


def stars_for(total, bands):
    """The stars the bands give `total` (bands: [{"stars": n, "min": points}, ...])."""
    total = Decimal(str(total))
    for band in sorted(bands, key=lambda b: Decimal(str(b["min"])), reverse=True):
        if total >= Decimal(str(band["min"])):
            return band["stars"]
    return None


@dataclass
class Result:
    total: Decimal
    stars: int | None
    achieved: bool
    missing: list = field(default_factory=list)

    def as_dict(self):
        return {
            "total": float(self.total),
            "stars": self.stars,
            "achieved": self.achieved,
            "missing": self.missing,
        }


def classify(criteria_set, scores, criteria=None):
    """Classify checked `scores` ({code: Decimal}) under `criteria_set`.

    `missing` lists, for each criterion of the set in order, those not scored
    ("not_scored") and the minimum requirements scored below their threshold
    ("below_minimum"). A sheet with unscored criteria is not achieved either: its total
    would be understated.
    """
    criteria = criteria if criteria is not None else criteria_set.criteria_by_code()
    total = sum(scores.values(), Decimal(0))
    missing = []
    for code, criterion in criteria.items():
        if code not in scores:
            missing.append(
                {
                    "criterion": code,
                    "reason": "not_scored",
                    "minimum_requirement": criterion.minimum_requirement,
                    "message": _("Criterion %(code)s is not scored.") % {"code": code},
                }
            )
            continue
        needed = criterion.required_points
        if needed is not None and scores[code] < needed:
            missing.append(
                {
                    "criterion": code,
                    "reason": "below_minimum",
                    "minimum_requirement": True,
                    "message": _(
                        "Criterion %(code)s is a minimum requirement: it needs at least "
                        "%(needed)s points (scored %(points)s)."
                    )
                    % {"code": code, "needed": _fmt(needed), "points": _fmt(scores[code])},
                }
            )
    stars = stars_for(total, criteria_set.bands)
    achieved = not missing and stars in CERTIFIED_STARS
    return Result(total=total, stars=stars, achieved=achieved, missing=missing)


def assess(criteria_set, raw_scores):
    """Check and classify a self-assessment; raises ValidationError naming bad codes."""
    criteria = criteria_set.criteria_by_code()
    scores = check_scores(criteria, raw_scores)
    return classify(criteria_set, scores, criteria)


# --- the council's score -------------------------------------------------------------


def score_rule():
    return settings.EVALUATION_SCORE_RULE


def divergence_points():
    return Decimal(str(settings.EVALUATION_DIVERGENCE_POINTS))


def divergence_total():
    return Decimal(str(settings.EVALUATION_DIVERGENCE_TOTAL))


def combine(values):
    values = [Decimal(str(v)) for v in values]
    if score_rule() == "median":
        value = Decimal(str(statistics.median(values)))
    else:
        value = sum(values, Decimal(0)) / len(values)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class CouncilScore:
    per_criterion: dict  # code -> Decimal (council score)
    spread: dict  # code -> (min, max)
    diverging: list  # codes where members differ by more than the threshold
    totals: list  # each submitted sheet's total
    total: Decimal
    sheets: int
    total_diverges: bool

    @property
    def has_scores(self):
        return self.sheets > 0


def council_score(dossier, sheets=None, codes=None):
    """Combine the submitted sheets of `dossier` by the configured rule. `sheets` and
    `codes` may be given when the caller already holds them (exports, council pages)."""
    if sheets is None:
        # Only the sheets of the council now reviewing the dossier count (a dossier
        # forwarded from a district council keeps the district's sheets in its history).
        sheets = list(
            dossier.score_sheets.filter(
                submitted_at__isnull=False, member__council=dossier.council_id
            )
        )
    if codes is None:
        codes = list(dossier.criteria_set.criteria().values_list("code", flat=True))
    per, spread, diverging = {}, {}, []
    for code in codes:
        values = [Decimal(str(s.scores[code])) for s in sheets if code in s.scores]
        if not values:
            continue
        per[code] = combine(values)
        spread[code] = (min(values), max(values))
        if max(values) - min(values) > divergence_points():
            diverging.append(code)
    totals = [s.total for s in sheets]
    return CouncilScore(
        per_criterion=per,
        spread=spread,
        diverging=diverging,
        totals=totals,
        total=sum(per.values(), Decimal(0)),
        sheets=len(sheets),
        total_diverges=bool(totals) and max(totals) - min(totals) > divergence_total(),
    )

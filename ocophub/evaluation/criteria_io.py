"""Criteria sets as data: validate and store, import from and export to XLSX (the
shipped JSON files are loaded by loading.py).

A set is a plain dict (the JSON file format): code, names, decision number and date,
in force from/until, classification ("2019"/"2023"), product_groups (group codes),
bands [{"stars", "min"}], parts [{"code", "title", "total", "criteria": [{"code",
"section", "text", "max_points", "levels": [{"points", "description"}],
"minimum_requirement", "minimum_points"?}]}]. Any node may carry "_where" (an XLSX
cell such as "Criteria!F7") so errors point at the cell to fix.

The validator refuses a set whose part totals do not add up to 100, whose criteria do
not add up to their part's stated total, or whose levels exceed (or do not reach) a
criterion's maximum. Nothing is written unless the whole set is valid.
"""

import datetime
import io
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ocophub.core.tabular import TextWorkbook
from ocophub.products.models import ProductGroup

from .models import CriteriaSet, Criterion, Part

SET_TOTAL = Decimal(100)


class CriteriaError(ValueError):
    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))


def _num(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except InvalidOperation:
        return None


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        return "invalid"


def _at(node, fallback):
    return node.get("_where") or fallback


def validate(data):
    """Return a list of error messages (empty if the set is valid)."""
    errors = []
    where = _at(data, _("set"))

    def need(key, label):
        if not str(data.get(key) or "").strip():
            errors.append(_("%(where)s: %(label)s is required.") % {"where": where, "label": label})

    need("code", _("code"))
    need("name", _("name"))
    need("decision_number", _("decision number"))
    for key, label in (
        ("decision_date", _("decision date")),
        ("in_force_from", _("in force from")),
        ("in_force_until", _("in force until")),
    ):
        value = _date(data.get(key))
        if value == "invalid":
            errors.append(
                _("%(where)s: %(label)s “%(value)s” is not a date (YYYY-MM-DD).")
                % {
                    "where": data.get(f"_where_{key}", where),
                    "label": label,
                    "value": data.get(key),
                }
            )
        elif value is None and key != "in_force_until":
            errors.append(_("%(where)s: %(label)s is required.") % {"where": where, "label": label})
    if data.get("classification") not in ("2019", "2023"):
        errors.append(
            _("%(where)s: classification must be 2019 or 2023, not “%(value)s”.")
            % {"where": where, "value": data.get("classification")}
        )
    else:
        known = set(
            ProductGroup.objects.filter(classification=data["classification"]).values_list(
                "code", flat=True
            )
        )
        if not data.get("product_groups"):
            errors.append(_("%(where)s: name at least one product group.") % {"where": where})
        for code in data.get("product_groups") or []:
            if code not in known:
                errors.append(
                    _("%(where)s: product group “%(code)s” does not exist in the %(year)s groups.")
                    % {"where": where, "code": code, "year": data["classification"]}
                )
    errors += _validate_bands(data.get("bands") or [], _at(data, "bands"))

    parts = data.get("parts") or []
    if not parts:
        errors.append(_("%(where)s: the set has no parts.") % {"where": where})
    part_sum = Decimal(0)
    seen_parts, seen_codes = set(), set()
    for part in parts:
        pwhere = _at(part, _("part %(code)s") % {"code": part.get("code")})
        if part.get("code") in seen_parts:
            errors.append(
                _("%(where)s: part %(code)s repeats.") % {"where": pwhere, "code": part.get("code")}
            )
        seen_parts.add(part.get("code"))
        total = _num(part.get("total"))
        if total is None:
            errors.append(
                _("%(where)s: the part's stated total is missing or not a number.")
                % {"where": pwhere}
            )
            continue
        part_sum += total
        criteria = part.get("criteria") or []
        if not criteria:
            errors.append(
                _("%(where)s: part %(code)s has no criteria.")
                % {"where": pwhere, "code": part.get("code")}
            )
        crit_sum = Decimal(0)
        for criterion in criteria:
            code = criterion.get("code")
            cwhere = _at(criterion, _("criterion %(code)s") % {"code": code})
            if not code:
                errors.append(_("%(where)s: a criterion has no code.") % {"where": cwhere})
            elif code in seen_codes:
                errors.append(
                    _("%(where)s: criterion code %(code)s repeats.")
                    % {"where": cwhere, "code": code}
                )
            seen_codes.add(code)
            if not str(criterion.get("text") or "").strip():
                errors.append(
                    _("%(where)s: criterion %(code)s has no wording.")
                    % {"where": cwhere, "code": code}
                )
            maximum = _num(criterion.get("max_points"))
            if maximum is None or maximum <= 0:
                errors.append(
                    _("%(where)s: criterion %(code)s needs a maximum above zero.")
                    % {"where": criterion.get("_where_max") or cwhere, "code": code}
                )
                continue
            crit_sum += maximum
            errors += _validate_levels(criterion, code, maximum)
        if crit_sum != total:
            errors.append(
                _(
                    "%(where)s: the criteria of part %(code)s add up to %(sum)s points, but the "
                    "part's stated total is %(total)s."
                )
                % {
                    "where": pwhere,
                    "code": part.get("code"),
                    "sum": _n(crit_sum),
                    "total": _n(total),
                }
            )
    if parts and part_sum != SET_TOTAL:
        errors.append(
            _("%(where)s: the parts add up to %(sum)s points; a criteria set has 100.")
            % {"where": where, "sum": _n(part_sum)}
        )
    return errors


def _n(d):
    return str(int(d)) if d == d.to_integral() else str(d.normalize())


def _validate_levels(criterion, code, maximum):
    errors = []
    where = criterion.get("_where_levels") or _at(
        criterion, _("criterion %(code)s") % {"code": code}
    )
    levels = criterion.get("levels") or []
    if not levels:
        return [
            _("%(where)s: criterion %(code)s has no allowed levels.")
            % {"where": where, "code": code}
        ]
    points = []
    for level in levels:
        value = _num(level.get("points"))
        if value is None:
            errors.append(
                _("%(where)s: criterion %(code)s has a level “%(value)s” that is not a number.")
                % {"where": where, "code": code, "value": level.get("points")}
            )
            continue
        if value < 0 or value > maximum:
            errors.append(
                _(
                    "%(where)s: criterion %(code)s has a level of %(value)s points, "
                    "outside 0–%(max)s."
                )
                % {"where": where, "code": code, "value": _n(value), "max": _n(maximum)}
            )
        points.append(value)
    if len(set(points)) != len(points):
        errors.append(
            _("%(where)s: criterion %(code)s repeats a level.") % {"where": where, "code": code}
        )
    if points and max(points) != maximum and not errors:
        where = criterion.get("_where_max") or where
        errors.append(
            _(
                "%(where)s: criterion %(code)s has a maximum of %(max)s but its highest "
                "level is %(top)s."
            )
            % {"where": where, "code": code, "max": _n(maximum), "top": _n(max(points))}
        )
    minimum = _num(criterion.get("minimum_points"))
    if minimum is not None and minimum not in points:
        errors.append(
            _(
                "%(where)s: criterion %(code)s: its minimum of %(min)s points is not one "
                "of its levels."
            )
            % {"where": where, "code": code, "min": _n(minimum)}
        )
    return errors


def _validate_bands(bands, where):
    errors = []
    if not bands:
        return [_("%(where)s: the set has no star bands.") % {"where": where}]
    mins = []
    stars = []
    for band in bands:
        bwhere = band.get("_where", where)
        low = _num(band.get("min"))
        try:
            star = int(band.get("stars"))
        except (TypeError, ValueError):
            star = None
        if low is None or star is None or not 1 <= star <= 5 or not 0 <= low <= 100:
            errors.append(
                _("%(where)s: a band needs stars from 1 to 5 and a minimum from 0 to 100.")
                % {"where": bwhere}
            )
            continue
        mins.append(low)
        stars.append(star)
    if errors:
        return errors
    if 0 not in mins:
        errors.append(
            _("%(where)s: the lowest star band must start at 0 points.") % {"where": where}
        )
    if len(set(mins)) != len(mins) or len(set(stars)) != len(stars):
        errors.append(
            _("%(where)s: star bands repeat a minimum or a star count.") % {"where": where}
        )
    ordered = [s for _m, s in sorted(zip(mins, stars, strict=True))]
    if ordered != sorted(ordered):
        errors.append(_("%(where)s: more points must never give fewer stars.") % {"where": where})
    return errors


@transaction.atomic
def save(data, replace=True):
    """Validate and store the set; returns (CriteriaSet, created). Raises CriteriaError.

    A set already used by a dossier is never rewritten (past evaluations keep the set
    they were scored with): changing it needs a new code.
    """
    errors = validate(data)
    if errors:
        raise CriteriaError(errors)
    existing = CriteriaSet.objects.filter(code=data["code"]).first()
    if existing is not None:
        if existing.dossiers.exists():
            if not replace:
                return existing, False
            raise CriteriaError(
                [
                    _(
                        "Criteria set %(code)s is already used by dossiers; import the new "
                        "version under a new code."
                    )
                    % {"code": data["code"]}
                ]
            )
        if not replace:
            return existing, False
        existing.parts.all().delete()
    criteria_set = existing or CriteriaSet(code=data["code"])
    criteria_set.name = data["name"]
    criteria_set.name_en = data.get("name_en") or ""
    criteria_set.decision_number = data["decision_number"]
    criteria_set.decision_date = _date(data["decision_date"])
    criteria_set.in_force_from = _date(data["in_force_from"])
    criteria_set.in_force_until = _date(data.get("in_force_until"))
    criteria_set.classification = data["classification"]
    criteria_set.bands = [
        {"stars": int(b["stars"]), "min": float(_num(b["min"]))}
        for b in sorted(data["bands"], key=lambda b: _num(b["min"]))
    ]
    criteria_set.wording_confirmed = bool(data.get("wording_confirmed"))
    criteria_set.note = data.get("note") or ""
    criteria_set.save()
    criteria_set.product_groups.set(
        ProductGroup.objects.filter(
            classification=data["classification"], code__in=data["product_groups"]
        )
    )
    for part_data in data["parts"]:
        part = Part.objects.create(
            criteria_set=criteria_set,
            code=part_data["code"],
            title=part_data.get("title") or "",
            title_en=part_data.get("title_en") or "",
            total=_num(part_data["total"]),
        )
        for position, c in enumerate(part_data["criteria"]):
            Criterion.objects.create(
                part=part,
                code=c["code"],
                section=c.get("section") or "",
                text=c["text"],
                max_points=_num(c["max_points"]),
                levels=[
                    {
                        "points": float(_num(lv["points"])),
                        "description": lv.get("description") or "",
                    }
                    for lv in sorted(c["levels"], key=lambda lv: _num(lv["points"]))
                ],
                minimum_requirement=bool(c.get("minimum_requirement")),
                minimum_points=_num(c.get("minimum_points")),
                position=position,
            )
    return criteria_set, existing is None


# --- XLSX ----------------------------------------------------------------------------

SET_FIELDS = [
    "code",
    "name",
    "name_en",
    "decision_number",
    "decision_date",
    "in_force_from",
    "in_force_until",
    "classification",
    "product_groups",
    "wording_confirmed",
    "note",
]
PART_COLUMNS = ["code", "title", "title_en", "total"]
CRITERION_COLUMNS = [
    "part",
    "code",
    "section",
    "text",
    "max_points",
    "levels",
    "minimum_requirement",
    "minimum_points",
]
BAND_COLUMNS = ["stars", "min"]
TRUE = {"1", "true", "yes", "x", "có", "co", "đúng"}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value
    return str(value).strip()


def _levels_text(levels):
    return "\n".join(f"{_n(Decimal(str(lv['points'])))} = {lv['description']}" for lv in levels)


def parse_levels(text):
    """ "0 = Không có\n1 = ..." (lines or ";"-separated) → [{"points", "description"}]."""
    levels = []
    for chunk in str(text or "").replace(";", "\n").splitlines():
        if not chunk.strip():
            continue
        points, _sep, description = chunk.partition("=")
        levels.append({"points": points.strip(), "description": description.strip()})
    return levels


def to_xlsx(criteria_set):
    """The set as a workbook in the import format (also the template to fill in)."""
    book = TextWorkbook()
    sheet = book.active
    sheet.title = "Set"
    values = {
        "code": criteria_set.code,
        "name": criteria_set.name,
        "name_en": criteria_set.name_en,
        "decision_number": criteria_set.decision_number,
        "decision_date": criteria_set.decision_date.isoformat(),
        "in_force_from": criteria_set.in_force_from.isoformat(),
        "in_force_until": criteria_set.in_force_until.isoformat()
        if criteria_set.in_force_until
        else "",
        "classification": criteria_set.classification,
        "product_groups": ", ".join(
            criteria_set.product_groups.order_by("code").values_list("code", flat=True)
        ),
        "wording_confirmed": "yes" if criteria_set.wording_confirmed else "no",
        "note": criteria_set.note,
    }
    for key in SET_FIELDS:
        sheet.append([key, values[key]])
    parts = book.create_sheet("Parts")
    parts.append(PART_COLUMNS)
    crit = book.create_sheet("Criteria")
    crit.append(CRITERION_COLUMNS)
    for part in criteria_set.parts.all():
        parts.append([part.code, part.title, part.title_en, float(part.total)])
        for c in part.criteria.all():
            crit.append(
                [
                    part.code,
                    c.code,
                    c.section,
                    c.text,
                    float(c.max_points),
                    _levels_text(c.levels),
                    "yes" if c.minimum_requirement else "no",
                    float(c.minimum_points) if c.minimum_points is not None else "",
                ]
            )
    bands = book.create_sheet("Bands")
    bands.append(BAND_COLUMNS)
    for band in criteria_set.bands:
        bands.append([band["stars"], band["min"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _table(book, name, columns, errors):
    if name not in book.sheetnames:
        errors.append(_("The workbook has no sheet named “%(name)s”.") % {"name": name})
        return []
    rows = list(book[name].iter_rows(values_only=True))
    if not rows:
        errors.append(_("Sheet “%(name)s” is empty.") % {"name": name})
        return []
    header = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        errors.append(
            _("Sheet “%(name)s”, row 1: missing column(s) %(cols)s.")
            % {"name": name, "cols": ", ".join(missing)}
        )
        return []
    out = []
    for index, values in enumerate(rows[1:], start=2):
        if not any(_cell(v) for v in values):
            continue
        row = {h: _cell(v) for h, v in zip(header, values, strict=False)}
        row["_row"] = index
        row["_cols"] = {h: get_column_letter(i + 1) for i, h in enumerate(header)}
        out.append(row)
    return out


def from_xlsx(data):
    """Parse an uploaded workbook into set data with cell references; CriteriaError if
    the workbook's shape is wrong (validation of the content is `validate`'s job)."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        raise CriteriaError(
            [_("The file is not a readable .xlsx workbook; save it again as .xlsx.")]
        ) from exc
    errors = []
    result = {"_where": "Set"}
    if "Set" not in book.sheetnames:
        errors.append(_("The workbook has no sheet named “%(name)s”.") % {"name": "Set"})
    else:
        for index, row in enumerate(book["Set"].iter_rows(values_only=True), start=1):
            if not row or row[0] is None:
                continue
            key = str(row[0]).strip().lower()
            value = _cell(row[1] if len(row) > 1 else None)
            if key in SET_FIELDS:
                result[key] = value
                result[f"_where_{key}"] = f"Set!B{index}"
        result["product_groups"] = [
            g.strip() for g in str(result.get("product_groups") or "").split(",") if g.strip()
        ]
        result["wording_confirmed"] = str(result.get("wording_confirmed", "")).lower() in TRUE
        for key in ("decision_date", "in_force_from", "in_force_until"):
            if isinstance(result.get(key), (datetime.date, datetime.datetime)):
                result[key] = _date(result[key]).isoformat()
    parts = {}
    result["parts"] = []
    for row in _table(book, "Parts", PART_COLUMNS, errors):
        part = {
            "code": row["code"],
            "title": row["title"],
            "title_en": row.get("title_en", ""),
            "total": row["total"],
            "criteria": [],
            "_where": f"Parts!{row['_cols']['total']}{row['_row']}",
        }
        parts[row["code"]] = part
        result["parts"].append(part)
    for row in _table(book, "Criteria", CRITERION_COLUMNS, errors):
        cols, line = row["_cols"], row["_row"]
        part = parts.get(row["part"])
        if part is None:
            errors.append(
                _("Criteria!%(cell)s: part “%(part)s” is not listed in the Parts sheet.")
                % {"cell": f"{cols['part']}{line}", "part": row["part"]}
            )
            continue
        part["criteria"].append(
            {
                "code": row["code"],
                "section": row["section"],
                "text": row["text"],
                "max_points": row["max_points"],
                "levels": parse_levels(row["levels"]),
                "minimum_requirement": str(row["minimum_requirement"]).lower() in TRUE,
                "minimum_points": row["minimum_points"] or None,
                "_where": f"Criteria!{cols['code']}{line}",
                "_where_max": f"Criteria!{cols['max_points']}{line}",
                "_where_levels": f"Criteria!{cols['levels']}{line}",
            }
        )
    result["bands"] = [
        {"stars": row["stars"], "min": row["min"], "_where": f"Bands!A{row['_row']}"}
        for row in _table(book, "Bands", BAND_COLUMNS, errors)
    ]
    if errors:
        raise CriteriaError(errors)
    return result


def import_xlsx(data):
    """Parse, validate and store a set from an XLSX upload, all or nothing."""
    return save(from_xlsx(data), replace=True)

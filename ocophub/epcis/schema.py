"""Validation against GS1's EPCIS 2.0 JSON schema (ocophub/epcis/data, vendored unchanged).

Two validators read the same schema. fastjsonschema compiles it to Python once and
answers "valid?" about ten times faster than jsonschema, which keeps capture above
2,000 events a second. When it says no (or where it is stricter than the standard's
reading, as with propertyNames on sensor elements), jsonschema's Draft 7 validator is
the authority: it decides, and it lists every problem with its JSON path.
"""

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import fastjsonschema
from django.utils.translation import gettext as _
from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import best_match

DATA = Path(__file__).parent / "data"
SCHEMA_PATH = DATA / "EPCIS-JSON-Schema.json"
CONTEXT_PATH = DATA / "epcis-context.jsonld"
STANDARD_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"

_DATE_TIME = re.compile(
    r"^(\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d)(\.\d+)?([Zz]|[+-]\d\d:\d\d)$", re.ASCII
)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S*$")


def parse_time(value):
    """An aware datetime for an RFC 3339 date-time (the schema's format), else None."""
    if not isinstance(value, str):
        return None
    match = _DATE_TIME.match(value)
    if not match:
        return None
    whole, fraction, zone = match.groups()
    # datetime keeps microseconds: EPCIS allows any number of fraction digits.
    fraction = (fraction or "")[:7]
    try:
        return datetime.fromisoformat(f"{whole}{fraction}{'+00:00' if zone in 'Zz' else zone}")
    except ValueError:
        return None


def is_date_time(value):
    return not isinstance(value, str) or parse_time(value) is not None


def is_uri(value):
    return not isinstance(value, str) or bool(_URI.match(value))


@lru_cache(maxsize=1)
def schema():
    return json.loads(SCHEMA_PATH.read_text())


@lru_cache(maxsize=1)
def reference_validator():
    checker = FormatChecker(formats=())
    checker.checks("date-time")(is_date_time)
    checker.checks("uri")(is_uri)
    return Draft7Validator(schema(), format_checker=checker)


@lru_cache(maxsize=1)
def fast_validator():
    return fastjsonschema.compile(schema(), formats={"date-time": is_date_time, "uri": is_uri})


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def as_dict(self):
        return {"path": self.path, "message": self.message}


_PLAIN_KEY = re.compile(r"^[A-Za-z_@][A-Za-z0-9_@]*$")


def json_path(parts):
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}"
        else:
            out += "[" + json.dumps(part, ensure_ascii=False) + "]"
    return out


def _short(value):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


TYPE_NAMES = {
    "string": lambda: _("a string"),
    "array": lambda: _("a list"),
    "object": lambda: _("an object"),
    "number": lambda: _("a number"),
    "integer": lambda: _("a whole number"),
    "boolean": lambda: _("true or false"),
}


def _explain(error):
    """Problems for one jsonschema error, in the user's language where we know the kind."""
    parts = list(error.absolute_path)
    kind = error.validator
    if "propertyNames" in error.schema_path:
        name = error.instance
        return [
            Problem(
                json_path([*parts, name]),
                _(
                    "Unknown field “%(name)s”: use a field of the EPCIS standard, or name an "
                    "extension with a prefix declared in @context (such as example:%(name)s)."
                )
                % {"name": name},
            )
        ]
    if kind in ("anyOf", "oneOf") and error.context:
        return _explain(best_match(error.context))
    if kind == "required":
        missing = [f for f in error.validator_value if f not in (error.instance or {})]
        return [
            Problem(json_path([*parts, field]), _("This field is required."))
            for field in missing or error.validator_value[:1]
        ]
    if kind == "enum":
        message = _("%(value)s is not allowed here; use one of: %(choices)s.") % {
            "value": _short(error.instance),
            "choices": ", ".join(str(c) for c in error.validator_value),
        }
    elif kind == "type":
        wanted = error.validator_value
        wanted = wanted if isinstance(wanted, list) else [wanted]
        names = [TYPE_NAMES[w]() if w in TYPE_NAMES else w for w in wanted]
        message = _("%(value)s should be %(type)s.") % {
            "value": _short(error.instance),
            "type": _(" or ").join(names),
        }
    elif kind == "format" and error.validator_value == "date-time":
        message = _(
            "%(value)s is not a date and time with a time zone "
            "(for example 2025-03-01T08:30:00+07:00)."
        ) % {"value": _short(error.instance)}
    elif kind == "format" and error.validator_value == "uri":
        message = _("%(value)s is not a URI.") % {"value": _short(error.instance)}
    elif kind == "pattern":
        message = _("%(value)s does not have the form the standard requires.") % {
            "value": _short(error.instance)
        }
    elif kind == "minItems":
        message = _("This list needs at least %(count)s item(s).") % {
            "count": error.validator_value
        }
    elif kind == "const":
        message = _("This must be %(value)s.") % {"value": _short(error.validator_value)}
    else:
        message = error.message
    return [Problem(json_path(parts), message)]


def schema_problems(document):
    """Every way `document` breaks the EPCIS 2.0 JSON schema (an empty list if none)."""
    try:
        fast_validator()(document)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    # One problem per place: a bad value often breaks several rules (enum and pattern).
    problems = {}
    for error in reference_validator().iter_errors(document):
        for problem in _explain(error):
            problems.setdefault(problem.path, problem)
    return list(problems.values())

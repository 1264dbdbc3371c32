"""GS1 Digital Link URIs (uncompressed form): parse, validate and build canonical URIs.

A Digital Link URI carries GS1 identifiers in its path, `/{primary key AI}/{value}`
followed by the key's qualifiers in a fixed order (`/01/{gtin}/22/{cpv}/10/{lot}/21/{ser}`),
and data attributes in the query string (`?17=YYMMDD`). Every Application Identifier's
format comes from gs1_identifiers.TABLE; check digits, dates and other content rules are the
linters below. The canonical form uses numeric AIs, a 14-digit GTIN, percent-encoding of
everything but unreserved characters, and the platform's SITE_URL as host.

Readings of the standard where its text leaves room (GS1 Digital Link URI Syntax 1.4 and
the Barcode Syntax Dictionary that ai_table transcribes):
- Key qualifiers: each primary key's allowed sequences are data (`pk=` in ai_table),
  any qualifier may be left out but those present keep the sequence's order; a GTIN takes
  either 22/10/21 or the third-party serial extension 235 alone (235 excludes 21, and
  "/01/{gtin}/10/{lot}/235/{tpx}" is refused: 235 is not in the 22/10/21 sequence).
- Data attributes: any AI the table does not mark `noattr`, other than the URI's own key
  and its qualifiers (those belong in the path), whose pairing rules hold against every
  AI of the URI. So a GIAI may carry its GTIN, "/8004/{giai}?01={gtin}", and an SSCC its
  contents, "/00/{sscc}?02=...&37=...".
- Percent-encoding is undone first and the AI's character set (CSET 82, 39 or 64) is
  checked on the decoded value: "%2F" in a lot is a "/", allowed in CSET 82; "%23" a "#",
  allowed in CSET 39 only; a decoded non-ASCII character is refused.
- "+" in the query string is a plus sign, as RFC 3986 (which the standard's grammar
  follows) reads it, not a space as HTML forms encode one: "?240=A+B" is "A+B" (CSET 82
  has "+"; CSET 64 does not). "%20" is a space, which no GS1 character set allows, so it
  is refused. The canonical form writes "+" as "%2B", so form decoders cannot misread it.
- Order: the query string's attributes may come in any order and keep it in the
  canonical form; an AI may appear once in the whole URI (path and query together).
  Parameters that are not AIs (linkType, context) are kept aside, any number of times.
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from stdnum import iban

from ocophub.products.gtin import check_digit

from .gs1_identifiers import SHORT_NAMES, TABLE

CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
CSET39 = frozenset("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
CSET64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=")
DIGITS = frozenset("0123456789")
CHARSETS = {"N": DIGITS, "X": CSET82, "Y": CSET39, "Z": CSET64}
# GTINs may appear in a URI as 8, 12, 13 or 14 digits; canonical is 14.
GTIN_LENGTHS = (8, 12, 13, 14)


class DigitalLinkError(ValueError):
    """A URI that is not a valid GS1 Digital Link; the message says why."""


@dataclass(frozen=True)
class Component:
    kind: str  # N, X, Y or Z
    min: int
    max: int
    optional: bool
    linters: tuple


@dataclass(frozen=True)
class AI:
    code: str
    title: str
    components: tuple
    requires: tuple = ()  # each item: AIs (patterns) of which one must be present
    excludes: tuple = ()
    qualifiers: tuple | None = None  # None: not a primary key; else allowed sequences
    attribute: bool = True  # may be a data attribute in a Digital Link query string

    @property
    def is_primary_key(self):
        return self.qualifiers is not None

    @property
    def label(self):
        return f"({self.code}) {self.title}"


COMPONENT = re.compile(r"^(\[)?([NXYZ])(\.\.)?(\d+)(\])?((?:,[a-z0-9]+)*)$")


def _component(text):
    m = COMPONENT.match(text)
    if not m:
        raise ValueError(f"bad component {text!r}")
    optional, kind, variable, length, _close, linters = m.groups()
    length = int(length)
    return Component(
        kind=kind,
        min=1 if variable else length,
        max=length,
        optional=bool(optional),
        linters=tuple(x for x in linters.split(",") if x),
    )


@cache
def ai_table():
    """{code: AI} for every AI in the table (ranges expanded)."""
    table = {}
    for line in TABLE.strip().splitlines():
        spec, _bar, title = line.rpartition("|")
        words = spec.split()
        codes, rest = words[0], words[1:]
        components, requires, excludes, qualifiers, attribute = [], [], [], None, True
        for word in rest:
            if word == "noattr":
                attribute = False
            elif word.startswith("req="):
                requires.append(tuple(word[4:].split(",")))
            elif word.startswith("ex="):
                excludes.extend(word[3:].split(","))
            elif word == "pk":
                qualifiers = ((),)
            elif word.startswith("pk="):
                qualifiers = tuple(tuple(alt.split(",")) for alt in word[3:].split("|"))
            else:
                components.append(_component(word))
        first, _dash, last = codes.partition("-")
        numbers = range(int(first), int(last or first) + 1)
        for number in numbers:
            code = str(number).zfill(len(first))
            table[code] = AI(
                code=code,
                title=title.strip(),
                components=tuple(components),
                requires=tuple(requires),
                excludes=tuple(excludes),
                qualifiers=qualifiers,
                attribute=attribute,
            )
    return table


def primary_keys():
    """Every way a Digital Link path may start: the primary keys' numeric AIs, then their
    short names (what the resolver's URL pattern accepts)."""
    codes = [code for code, ai in ai_table().items() if ai.is_primary_key]
    return (*codes, *(name for name, code in SHORT_NAMES.items() if code in codes))


def lookup(code):
    """The AI for a numeric code or a Digital Link short name, or None."""
    code = SHORT_NAMES.get(code, code)
    return ai_table().get(code)


# ---- content checks ("linters") -------------------------------------------------------


def check_csum(value):
    if check_digit(value[:-1]) != value[-1]:
        return _("wrong check digit: the last digit should be %(digit)s") % {
            "digit": check_digit(value[:-1])
        }


CSET82_ORDER = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
CSET32_ORDER = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _primes(count):
    found, n = [], 2
    while len(found) < count:
        if all(n % p for p in found if p * p <= n):
            found.append(n)
        n += 1
    return found


def check_pair(body):
    """The two check characters of a GMN (GS1 alphanumeric check character pair): the
    body's CSET 82 values weighted by primes from the right, modulo 1021, as two 5-bit
    values in CSET 32."""
    weights = _primes(len(body))
    total = sum(CSET82_ORDER.index(c) * w for c, w in zip(reversed(body), weights, strict=True))
    total %= 1021
    return CSET32_ORDER[total >> 5] + CSET32_ORDER[total & 31]


def check_csumalpha(value):
    if len(value) < 2 or any(c not in CSET32_ORDER for c in value[-2:]):
        return _("the last two characters must be a check pair from 2-9 and A-Z (no I, O)")
    if check_pair(value[:-2]) != value[-2:]:
        return _("wrong check characters: they should be %(pair)s") % {
            "pair": check_pair(value[:-2])
        }


def _date(value, zero_day=False, century=False):
    if century:
        year, month, day = int(value[:4]), int(value[4:6]), int(value[6:8])
    else:
        year, month, day = 2000 + int(value[:2]), int(value[2:4]), int(value[4:6])
    if not 1 <= month <= 12:
        return _("“%(value)s” is not a date: month %(month)02d does not exist") % {
            "value": value,
            "month": month,
        }
    if zero_day and day == 0:
        return None  # GS1 allows day 00: the end of the month
    try:
        datetime.date(year, month, day)
    except ValueError:
        return _("“%(value)s” is not a date: day %(day)02d does not exist in that month") % {
            "value": value,
            "day": day,
        }


def _time(value, fields):
    limits = {"hh": 24, "mm": 60, "ss": 60}
    for i, name in enumerate(fields):
        if int(value[2 * i : 2 * i + 2]) >= limits[name]:
            return _("“%(value)s” is not a valid time") % {"value": value}


def check_yymmddhh(value):
    return _date(value[:6]) or _time(value[6:8], ["hh"])


def check_mmoptss(value):
    if len(value) not in (2, 4):
        return _("minutes and optional seconds need 2 or 4 digits")
    return _time(value, ["mm", "ss"][: len(value) // 2])


def check_pieceoftotal(value):
    piece, total = int(value[:2]), int(value[2:])
    if not (1 <= piece <= total):
        return _("the piece number must be between 1 and the total number of pieces")


def check_posinseqslash(value):
    match = re.fullmatch(r"([1-9])/([1-9])", value)
    if not match or int(match.group(1)) > int(match.group(2)):
        return _("must be a position in a sequence such as 1/2")


def check_iban(value):
    if not iban.is_valid(value):
        return _("“%(value)s” is not a valid IBAN") % {"value": value}


def check_pcenc(value):
    if re.search(r"%(?![0-9A-Fa-f]{2})", value):
        return _("a “%” must be followed by two hexadecimal digits")


def check_latitude(value):
    if int(value) > 1_800_000_000:
        return _("latitude out of range")


def check_longitude(value):
    if int(value) > 3_600_000_000:
        return _("longitude out of range")


def check_importeridx(value):
    if value not in "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz":
        return _("“%(value)s” is not a valid importer index") % {"value": value}


def _iso3166(value):
    # Numeric country codes run 004–894; the full list is not checked here.
    if not 4 <= int(value) <= 894:
        return _("“%(value)s” is not an ISO 3166 numeric country code") % {"value": value}


def check_iso3166list(value):
    if len(value) % 3:
        return _("a list of country codes needs 3 digits per country")
    for i in range(0, len(value), 3):
        error = _iso3166(value[i : i + 3])
        if error:
            return error


LINTERS = {
    "csum": check_csum,
    "csumalpha": check_csumalpha,
    "yymmdd": lambda v: _date(v),
    "yymmd0": lambda v: _date(v, zero_day=True),
    "yyyymmdd": lambda v: _date(v, century=True),
    "yyyymmd0": lambda v: _date(v, zero_day=True, century=True),
    "yymmddhh": check_yymmddhh,
    "hhmm": lambda v: _time(v, ["hh", "mm"]),
    "hh": lambda v: _time(v, ["hh"]),
    "hhmi": lambda v: _time(v, ["hh", "mm"]),
    "mi": lambda v: _time(v, ["mm"]),
    "ss": lambda v: _time(v, ["ss"]),
    "hasnondigit": lambda v: (
        _("must contain a character other than a digit") if v.isdigit() else None
    ),
    "iso5218": lambda v: _("must be 0, 1, 2 or 9") if v not in "0129" else None,
    "posinseqslash": check_posinseqslash,
    "mmoptss": check_mmoptss,
    "nonzero": lambda v: _("must not be zero") if int(v) == 0 else None,
    "zero": lambda v: _("must be 0") if v != "0" else None,
    "winding": lambda v: _("must be 0, 1 or 9") if v not in "019" else None,
    "yesno": lambda v: _("must be 0 or 1") if v not in "01" else None,
    "hyphen": lambda v: _("must be “-”") if v != "-" else None,
    "nozeroprefix": lambda v: _("must not start with 0") if len(v) > 1 and v[0] == "0" else None,
    "pieceoftotal": check_pieceoftotal,
    "iban": check_iban,
    "pcenc": check_pcenc,
    "latitude": check_latitude,
    "longitude": check_longitude,
    "importeridx": check_importeridx,
    "iso3166": _iso3166,
    "iso3166999": lambda v: None if v == "999" else _iso3166(v),
    "iso3166list": check_iso3166list,
    "iso3166alpha2": lambda v: (
        _("must be two capital letters") if not re.fullmatch("[A-Z]{2}", v) else None
    ),
    "iso4217": lambda v: None,  # the currency list is not held
    "mediatype": lambda v: None,
    # `key` asks for a GS1 Company Prefix check, which needs GS1's prefix list.
    "key": lambda v: None,
}

CHARSET_NAMES = {
    "N": "digits 0-9",
    "X": "GS1 character set 82 (A-Z a-z 0-9 !\"%&'()*+,-./:;<=>?_)",
    "Y": "GS1 character set 39 (A-Z 0-9 # - /)",
    "Z": "base64url characters (A-Z a-z 0-9 - _ =)",
}


def _length_text(component):
    if component.min == component.max:
        return _("exactly %(n)s") % {"n": component.max}
    return _("1 to %(n)s") % {"n": component.max}


def validate_value(ai, value):
    """Check `value` against the AI's format and content rules; raise DigitalLinkError."""
    if ai.code == "01" and value.isdigit() and len(value) in GTIN_LENGTHS:
        value = value.zfill(14)
    position = 0
    for index, component in enumerate(ai.components):
        rest = len(value) - position
        if rest == 0 and component.optional:
            break
        later_fixed = sum(c.max for c in ai.components[index + 1 :] if not c.optional)
        take = (
            component.max
            if component.min == component.max
            else min(component.max, rest - later_fixed)
        )
        part = value[position : position + take]
        if len(part) < component.min:
            raise DigitalLinkError(
                _("AI %(ai)s: “%(value)s” is too short; it needs %(n)s characters here.")
                % {"ai": ai.label, "value": value, "n": _length_text(component)}
            )
        bad = [c for c in part if c not in CHARSETS[component.kind]]
        if bad:
            raise DigitalLinkError(
                _("AI %(ai)s: “%(char)s” is not allowed; use %(set)s.")
                % {"ai": ai.label, "char": bad[0], "set": CHARSET_NAMES[component.kind]}
            )
        for linter in component.linters:
            problem = LINTERS.get(linter, lambda v: None)(part)
            if problem:
                raise DigitalLinkError(
                    _("AI %(ai)s: %(problem)s.") % {"ai": ai.label, "problem": problem}
                )
        position += len(part)
    if position < len(value):
        longest = sum(c.max for c in ai.components)
        raise DigitalLinkError(
            _("AI %(ai)s: “%(value)s” is too long; at most %(n)s characters.")
            % {"ai": ai.label, "value": value, "n": longest}
        )
    return value


# ---- parsing ------------------------------------------------------------------------

PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")


def percent_decode(text, where):
    if re.search(r"%(?![0-9A-Fa-f]{2})", text):
        raise DigitalLinkError(
            _("%(where)s: a “%%” must be followed by two hexadecimal digits (percent-encoding).")
            % {"where": where}
        )
    raw = PERCENT.sub(lambda m: chr(int(m.group(1), 16)), text)
    try:
        return raw.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return raw  # already decoded non-ASCII: the character set check names it


def encode(value):
    """Percent-encode all but unreserved characters, as the canonical form does."""
    return quote(value, safe="")


@dataclass
class DigitalLink:
    key: str  # the primary key AI
    path: list  # [(ai, value)] the key and its qualifiers, in order, values decoded
    attributes: list = field(default_factory=list)  # [(ai, value)] from the query string
    extra: list = field(default_factory=list)  # [(name, value)] other query parameters
    stem: str = ""

    def get(self, ai):
        for code, value in self.path + self.attributes:
            if code == ai:
                return value
        return None

    @property
    def gtin(self):
        """The GTIN the URI identifies: only when the path's key is one (a GTIN given as
        a data attribute describes the thing, it does not name it)."""
        return self.path[0][1] if self.key == "01" else None

    @property
    def qualifiers(self):
        return dict(self.path[1:])

    def canonical_path(self):
        return "".join(f"/{ai}/{encode(value)}" for ai, value in self.path)

    def canonical_query(self, extra=True):
        pairs = list(self.attributes) + (list(self.extra) if extra else [])
        return "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs)

    def canonical_uri(self, base=None, extra=False):
        """The canonical URI on `base` (SITE_URL): numeric AIs, 14-digit GTIN, qualifiers
        in order, data attributes in the query string."""
        query = self.canonical_query(extra=extra)
        base = (base if base is not None else settings.SITE_URL).rstrip("/")
        return f"{base}{self.canonical_path()}" + (f"?{query}" if query else "")

    def identity_uri(self, base=None):
        """The URI of the thing without data attributes: what EPCIS uses as its EPC."""
        base = (base if base is not None else settings.SITE_URL).rstrip("/")
        return base + self.canonical_path()


def _split_query(query):
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, _eq, value = part.partition("=")
        pairs.append((name, value))
    return pairs


def _find_key(segments):
    """The index of the primary key in the path: the first segment that is a primary key
    AI and is followed by AI/value pairs to the end."""
    for i, segment in enumerate(segments):
        ai = lookup(segment)
        if ai is None or not ai.is_primary_key or (len(segments) - i) % 2:
            continue
        if all(lookup(segments[j]) is not None for j in range(i, len(segments), 2)):
            return i
    return None


def _matches(pattern, code):
    return len(pattern) == len(code) and all(
        p == "n" or p == c for p, c in zip(pattern, code, strict=False)
    )


def parse(uri):
    """Parse a Digital Link URI (absolute, or a path with optional query string)."""
    parts = urlsplit(uri.strip())
    if parts.scheme and parts.scheme not in ("http", "https"):
        raise DigitalLinkError(
            _("A Digital Link URI starts with http:// or https://, not %(scheme)s:.")
            % {"scheme": parts.scheme}
        )
    if parts.scheme and not parts.netloc:
        raise DigitalLinkError(_("The URI has no host name."))
    path = parts.path
    if path.endswith("/") and len(path) > 1:
        path = path[:-1]  # a trailing slash is tolerated and dropped from the canonical form
    segments = path.split("/")[1:] if path.startswith("/") else path.split("/")
    if any(s == "" for s in segments):
        raise DigitalLinkError(_("The path has an empty segment (“//”)."))
    start = _find_key(segments)
    if start is None:
        raise DigitalLinkError(
            _(
                "No GS1 primary key found in the path: a Digital Link path ends with "
                "/{key AI}/{value} and its qualifiers, e.g. /01/{GTIN}/10/{lot}."
            )
        )
    stem = "/" + "/".join(segments[:start]) if start else ""
    pairs = []
    for i in range(start, len(segments), 2):
        ai = lookup(segments[i])
        value = percent_decode(segments[i + 1], ai.label)
        pairs.append((ai, value))

    key = pairs[0][0]
    qualifiers = [ai.code for ai, _v in pairs[1:]]
    codes = [key.code, *qualifiers]
    for code in codes:
        if codes.count(code) > 1:
            raise DigitalLinkError(_("AI %(ai)s appears twice.") % {"ai": lookup(code).label})
    for code in qualifiers:
        if not any(code in seq for seq in key.qualifiers):
            allowed = " | ".join("/".join(seq) for seq in key.qualifiers if seq)
            raise DigitalLinkError(
                _(
                    "AI %(ai)s is not a key qualifier of %(key)s, so it cannot be in the "
                    "path; %(hint)s"
                )
                % {
                    "ai": lookup(code).label,
                    "key": key.label,
                    "hint": _("the qualifiers allowed are %(q)s.") % {"q": allowed}
                    if allowed
                    else _("this key takes no qualifiers (put data attributes in the query)."),
                }
            )
    if not any(_in_order(qualifiers, seq) for seq in key.qualifiers):
        orders = " | ".join("/".join(seq) for seq in key.qualifiers if seq)
        raise DigitalLinkError(
            _("The key qualifiers of %(key)s must come in this order: %(order)s; got %(got)s.")
            % {"key": key.label, "order": orders, "got": "/".join(qualifiers)}
        )
    path_values = []
    for ai, value in pairs:
        path_values.append((ai.code, validate_value(ai, value)))

    attributes, extra, seen = [], [], {code for code, _v in path_values}
    for name, raw in _split_query(parts.query):
        decoded_name = percent_decode(name, name)
        is_numeric = decoded_name.isdigit()
        ai = lookup(decoded_name) if (is_numeric or decoded_name in SHORT_NAMES) else None
        if ai is None:
            if is_numeric:
                raise DigitalLinkError(
                    _("“%(name)s” in the query string is not a GS1 Application Identifier.")
                    % {"name": decoded_name}
                )
            extra.append((decoded_name, percent_decode(raw, decoded_name)))
            continue
        # The URI's own key and its qualifiers belong in the path. Another key's AI
        # (a GTIN beside a GIAI: /8004/...?01=...) is a data attribute like any other,
        # allowed when the AI table's pairing rules (req=, ex=) allow it.
        if ai.code == key.code or any(ai.code in seq for seq in key.qualifiers):
            raise DigitalLinkError(
                _(
                    "AI %(ai)s is a key or key qualifier: it belongs in the path, not the "
                    "query string."
                )
                % {"ai": ai.label}
            )
        if not ai.attribute:
            raise DigitalLinkError(
                _("AI %(ai)s is not permitted as a data attribute of a Digital Link URI.")
                % {"ai": ai.label}
            )
        if ai.code in seen:
            raise DigitalLinkError(_("AI %(ai)s appears twice.") % {"ai": ai.label})
        seen.add(ai.code)
        attributes.append((ai.code, validate_value(ai, percent_decode(raw, ai.label))))

    _check_pairings(seen)
    return DigitalLink(
        key=key.code, path=path_values, attributes=attributes, extra=extra, stem=stem
    )


def _in_order(codes, sequence):
    positions = [sequence.index(c) for c in codes if c in sequence]
    return len(positions) == len(codes) and positions == sorted(set(positions))


def _check_pairings(codes):
    for code in sorted(codes):
        ai = ai_table()[code]
        for group in ai.requires:
            # Each alternative may name several AIs that must all be present ("01+21").
            if not any(
                all(any(_matches(p, other) for other in codes) for p in alternative.split("+"))
                for alternative in group
            ):
                raise DigitalLinkError(
                    _("AI %(ai)s needs one of these AIs alongside: %(list)s.")
                    % {"ai": ai.label, "list": ", ".join(group)}
                )
        for pattern in ai.excludes:
            clash = [other for other in codes if other != code and _matches(pattern, other)]
            if clash:
                raise DigitalLinkError(
                    _("AI %(ai)s cannot be used together with AI %(other)s.")
                    % {"ai": ai.label, "other": clash[0]}
                )


def build_uri(path, attributes=(), base=None):
    """The canonical URI for identifiers we hold, e.g. [("01", gtin), ("10", lot)]."""
    base = (base if base is not None else settings.SITE_URL).rstrip("/")
    uri = base + "".join(f"/{ai}/{encode(value)}" for ai, value in path)
    if attributes:
        uri += "?" + "&".join(f"{ai}={encode(value)}" for ai, value in attributes)
    return uri

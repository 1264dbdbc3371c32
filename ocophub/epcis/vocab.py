"""Identifiers and vocabulary as EPCIS 2.0 compares them.

A CBV business step or disposition may be written as a bare word ("shipping"), a URN
("urn:epcglobal:cbv:bizstep:shipping") or a web URI
("https://ref.gs1.org/cbv/BizStep-shipping"); the standard makes them equal, so they are
stored and queried as the bare word. User vocabulary (any other URI) is kept as written.

An EPC may be a pure-identity URN (urn:epc:id:sgtin:...) or a GS1 Digital Link URI on any
host (https://id.gs1.org/01/...). Both are reduced to a host-free key ("01/<gtin14>/21/<serial>")
so that a query in one form finds events captured in the other, and so that the platform's
own Digital Link host can change without losing the history.
"""

import re
from urllib.parse import unquote

from ocophub.products.gtin import check_digit

CBV_PREFIXES = {
    "bizStep": (
        "urn:epcglobal:cbv:bizstep:",
        "https://ref.gs1.org/cbv/BizStep-",
        "http://ref.gs1.org/cbv/BizStep-",
        "https://gs1.org/voc/BizStep-",
        "cbv:BizStep-",
        "gs1:BizStep-",
    ),
    "disposition": (
        "urn:epcglobal:cbv:disp:",
        "https://ref.gs1.org/cbv/Disp-",
        "http://ref.gs1.org/cbv/Disp-",
        "https://gs1.org/voc/Disp-",
        "cbv:Disp-",
        "gs1:Disp-",
    ),
}


def normalise_cbv(value, kind):
    """The bare CBV word for any of its spellings; other URIs unchanged."""
    if not value:
        return ""
    for prefix in CBV_PREFIXES[kind]:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def normalise_biz_step(value):
    return normalise_cbv(value, "bizStep")


def normalise_disposition(value):
    return normalise_cbv(value, "disposition")


# GS1 Digital Link: /01/{gtin14} then key qualifiers (22, 10, 21) in that order; the path
# may carry a prefix before /01/ and the host is irrelevant to identity.
_DL = re.compile(
    r"^https?://[^/?#]+(?:/[^?#]*?)?/01/(\d{14})((?:/(?:22|10|21)/[^/?#]+)*)/?(?:[?#].*)?$"
)
_DL_QUALIFIER = re.compile(r"/(22|10|21)/([^/?#]+)")
_SGTIN = re.compile(r"^urn:epc:id:sgtin:(\d+)\.(\d+)\.(.+)$")
_LGTIN = re.compile(r"^urn:epc:class:lgtin:(\d+)\.(\d+)\.(.+)$")
_SGTIN_PATTERN = re.compile(r"^urn:epc:idpat:sgtin:([^.]+)\.([^.]+)\.(.+)$")


def _gtin14(company_prefix, item_reference):
    """GTIN-14 from an EPC's company prefix and indicator + item reference."""
    if len(company_prefix) + len(item_reference) != 13:
        return None
    body = item_reference[0] + company_prefix + item_reference[1:]
    return body + check_digit(body)


def epc_key(uri):
    """(key, gtin14) for an EPC or EPC class; the key is host- and form-independent for
    GTIN-based identifiers and the URI itself for everything else."""
    match = _DL.match(uri)
    if match:
        gtin = match.group(1)
        parts = dict(_DL_QUALIFIER.findall(match.group(2)))
        key = "01/" + gtin
        for ai in ("22", "10", "21"):
            if ai in parts:
                key += f"/{ai}/{unquote(parts[ai])}"
        return key, gtin
    for pattern, ai in ((_SGTIN, "21"), (_LGTIN, "10")):
        match = pattern.match(uri)
        if match:
            gtin = _gtin14(match.group(1), match.group(2))
            if gtin:
                return f"01/{gtin}/{ai}/{unquote(match.group(3))}", gtin
    return uri, ""


def epc_matcher(value):
    """How a MATCH_ parameter value selects keys: ("exact", key), ("prefix", p) or
    ("regex", r). EPC patterns (urn:epc:idpat:...) follow the EPC Tag Data Standard: a
    field is either fixed or "*", and every field after a "*" is "*" too."""
    if not value.startswith("urn:epc:idpat:"):
        return "exact", epc_key(value)[0]
    match = _SGTIN_PATTERN.match(value)
    if match:
        company, item, serial = match.groups()
        if company != "*" and item != "*" and serial == "*":
            gtin = _gtin14(company, item)
            if gtin:
                return "prefix", f"01/{gtin}/21/"
        if company != "*" and item == "*":
            # The indicator digit leads the GTIN, so the company prefix sits at offset 1.
            return "regex", rf"^01/\d{re.escape(company)}\d+/21/"
        if company == "*":
            return "regex", r"^01/\d{14}/21/"
    # Other schemes (sscc, sgln, grai, giai, ...): the id URN up to the first "*".
    plain = "urn:epc:id:" + value[len("urn:epc:idpat:") :]
    return "prefix", plain.split("*", 1)[0]

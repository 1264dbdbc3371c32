"""The EPCIS 2.0 XML binding: XML documents read as the JSON-LD events capture stores,
stored events written back as XML query documents and capture jobs.

One compiled schema per process (`xml_schema`: GS1's query XSD, which imports the core
one, vendored in data/xsd) validates everything that comes in and, in the tests,
everything that goes out. Reading follows the standard's XML/JSON correspondence
(EPCIS 2.0 sections 9 and 10):

- CBV values are URNs in XML and bare words in JSON-LD (`urn:epcglobal:cbv:bizstep:
  shipping` is `shipping`; the same for dispositions, business transaction, source and
  destination types and error reasons); a sensor report's `gs1:Temperature` is
  `Temperature`.
- Lists are wrapper elements (`<epcList><epc>...`), quantities and sensor values numbers,
  `booleanValue` a boolean; EPCIS 1.x `<extension>`/`<baseExtension>` wrappers are read
  as if their children stood in the parent (2.0 moved those fields up).
- A user extension element is `prefix:local` under the namespace's prefix, which joins
  the document's @context. An element with children is an object, repeated elements a
  list, text a string unless `xsi:type` says number or boolean.

Readings chosen where GS1's own JSON twins disagree with each other: typed extension
text follows `xsi:type` (as `event_with_identical_hash_id_7.json` does, not the all-
string `*_all_possible_fields.jsonld`); an extension element's XML attributes are kept as
`@name` keys with the text under `#text` (GS1's twins drop them, losing data).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from .schema import STANDARD_CONTEXT, Problem
from .schema import schema as json_schema
from .store import as_epcis, contexts_by_capture

XSD_DIR = Path(__file__).parent / "data" / "xsd"
EPCIS_NS = "urn:epcglobal:epcis:xsd:2"
QUERY_NS = "urn:epcglobal:epcis-query:xsd:2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
XSI_TYPE = f"{{{XSI_NS}}}type"
XML_TYPES = ("application/xml", "text/xml")

# Namespaces the standard context names by prefix: not repeated in a document's @context.
# cbvmda is written without the context's trailing colon in XML, as GS1's examples do.
KNOWN_NAMESPACES = {
    "urn:epcglobal:cbv:mda": "cbvmda",
    "urn:epcglobal:cbv:mda:": "cbvmda",
    "https://gs1.org/voc/": "gs1",
}
WRITE_NAMESPACES = {
    "cbvmda": "urn:epcglobal:cbv:mda",
    "gs1": "https://gs1.org/voc/",
    "xsi": XSI_NS,
    "xsd": XSD_NS,
}
RESERVED_PREFIXES = {"epcis", "epcisq", "xsi", "xsd", "xml"}

CBV_URNS = {
    "bizStep": "urn:epcglobal:cbv:bizstep:",
    "disposition": "urn:epcglobal:cbv:disp:",
    "bizTransaction": "urn:epcglobal:cbv:btt:",
    "sourceDest": "urn:epcglobal:cbv:sdt:",
    "reason": "urn:epcglobal:cbv:er:",
}
GS1_VOC = ("gs1:", "https://gs1.org/voc/", "http://gs1.org/voc/")

EPC_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
TEXT_FIELDS = (
    "eventTime",
    "recordTime",
    "eventTimeZoneOffset",
    "eventID",
    "certificationInfo",
    "action",
    "parentID",
    "transformationID",
)
WRAPPERS = ("extension", "baseExtension")
SENSOR_NUMBERS = {"value", "minValue", "maxValue", "sDev", "meanValue", "percRank", "percValue"}
SENSOR_VOCAB = {"type", "exception"}
INTEGER_TYPES = {
    "integer",
    "int",
    "long",
    "short",
    "byte",
    "nonNegativeInteger",
    "positiveInteger",
    "negativeInteger",
    "nonPositiveInteger",
    "unsignedLong",
    "unsignedInt",
    "unsignedShort",
    "unsignedByte",
}
DECIMAL_TYPES = {"decimal", "double", "float"}

# The XSD's sequence for each event type after the common fields (order matters in XML).
COMMON_FIELDS = ("eventTime", "recordTime", "eventTimeZoneOffset", "eventID")
EVENT_FIELDS = {
    "ObjectEvent": (
        "epcList",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "quantityList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "persistentDisposition",
        "ilmd",
    ),
    "AggregationEvent": (
        "parentID",
        "childEPCs",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "childQuantityList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "persistentDisposition",
    ),
    "TransactionEvent": (
        "bizTransactionList",
        "parentID",
        "epcList",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "quantityList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "persistentDisposition",
    ),
    "TransformationEvent": (
        "inputEPCList",
        "inputQuantityList",
        "outputEPCList",
        "outputQuantityList",
        "transformationID",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "persistentDisposition",
        "ilmd",
    ),
    "AssociationEvent": (
        "parentID",
        "childEPCs",
        "childQuantityList",
        "action",
        "bizStep",
        "disposition",
        "readPoint",
        "bizLocation",
        "bizTransactionList",
        "sourceList",
        "destinationList",
        "sensorElementList",
        "persistentDisposition",
    ),
}
EVENT_TYPES = tuple(EVENT_FIELDS)
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")


class XmlDocumentError(Exception):
    """An XML document that was refused; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems[:5]))
        self.problems = problems


@lru_cache(maxsize=1)
def xml_schema() -> etree.XMLSchema:
    """GS1's EPCIS 2.0 query XSD (it imports the core schema), compiled once."""
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "EPCglobal-epcis-query-2_0.xsd")))


def _parser() -> etree.XMLParser:
    # No entities, no DTD, no network: a capture body is untrusted (XXE, entity bombs).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )


def schema_errors(root: etree._Element) -> list[Problem]:
    """Every way `root` breaks the EPCIS 2.0 XSD, as problems with the element's XPath."""
    schema = xml_schema()
    if schema.validate(root):
        return []
    return [
        Problem(
            entry.path or "/",
            _("Line %(line)s: %(message)s") % {"line": entry.line, "message": entry.message},
        )
        for entry in schema.error_log
    ]


def parse(data: bytes) -> etree._Element:
    """The root element of an XML document, or XmlDocumentError saying where it breaks."""
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise XmlDocumentError(
            [
                Problem(
                    "/",
                    _("This is not well-formed XML (line %(line)s: %(error)s).")
                    % {"line": line, "error": exc.msg},
                )
            ]
        ) from exc
    if root is None:
        raise XmlDocumentError([Problem("/", _("The document is empty."))])
    for entity in root.iter(etree.Entity):
        # Left unexpanded on purpose (they could read files or grow without end).
        parent = entity.getparent()
        raise XmlDocumentError(
            [
                Problem(
                    root.getroottree().getpath(parent if parent is not None else root),
                    _("Entity references (&%(name)s;) are not accepted; write the text out.")
                    % {"name": entity.name},  # type: ignore[attr-defined]  # an _Entity
                )
            ]
        )
    return root


def read_document(data: bytes) -> dict[str, Any]:
    """An EPCIS 2.0 XML document (EPCISDocument, or EPCISQueryDocument as the REST
    binding allows for capture) as the JSON-LD EPCISDocument the capture path takes.
    Raises XmlDocumentError listing every XSD problem."""
    root = parse(data)
    if root.tag not in (f"{{{EPCIS_NS}}}EPCISDocument", f"{{{QUERY_NS}}}EPCISQueryDocument"):
        raise XmlDocumentError(
            [
                Problem(
                    "/",
                    _(
                        "Capture takes an EPCISDocument or EPCISQueryDocument in namespace "
                        "%(ns)s; this is %(tag)s."
                    )
                    % {"ns": EPCIS_NS, "tag": root.tag},
                )
            ]
        )
    problems = schema_errors(root)
    if problems:
        raise XmlDocumentError(problems)
    return _Reader().document(root)


def _local(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        ns, local = tag[1:].split("}", 1)
        return ns, local
    return None, tag


def _tag(element: etree._Element) -> str:
    # lxml types a tag as str, bytes or QName for writing; a parsed element's is a str.
    return str(element.tag)


def _text(element: etree._Element) -> str:
    return (element.text or "").strip()


def _number(text: str) -> int | float | str:
    text = text.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text


def _strip_cbv(value: str, kind: str) -> str:
    prefix = CBV_URNS[kind]
    return value[len(prefix) :] if value.startswith(prefix) else value


@lru_cache(maxsize=1)
def _gs1_words() -> frozenset[str]:
    """The sensor measurement and alert types JSON-LD writes as bare words."""
    definitions = json_schema()["definitions"]
    words: set[str] = set()
    for name in ("measurementType", "sensorAlertType"):
        for option in definitions[name]["anyOf"]:
            words.update(option.get("enum", ()))
    return frozenset(words)


def _strip_gs1(value: str) -> str:
    """gs1:Temperature is Temperature in JSON-LD; a gs1: term the standard context does
    not list (GS1's example has gs1:Molar_concentration) stays a compact IRI."""
    for prefix in GS1_VOC:
        if value.startswith(prefix) and value[len(prefix) :] in _gs1_words():
            return value[len(prefix) :]
    return value


def _group(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Key/value pairs as an object; a key that repeats holds the list of its values."""
    grouped: dict[str, list[Any]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in grouped.items()}


class _Reader:
    """One document's reading: remembers the extension namespaces it met for @context."""

    def __init__(self) -> None:
        self.prefixes: dict[str, str] = {}  # prefix -> namespace, for @context
        self.by_namespace: dict[str, str] = {}

    def prefix(self, namespace: str, element: etree._Element) -> str:
        if namespace in KNOWN_NAMESPACES:
            return KNOWN_NAMESPACES[namespace]
        if namespace in self.by_namespace:
            return self.by_namespace[namespace]
        declared = [p for p, ns in element.nsmap.items() if ns == namespace and p]
        prefix = declared[0] if declared else "ns1"
        n = 1
        while prefix in self.prefixes or prefix in WRITE_NAMESPACES or prefix in ("epcis",):
            n += 1
            prefix = f"ns{n}"
        self.prefixes[prefix] = namespace
        self.by_namespace[namespace] = prefix
        return prefix

    def name(self, tag: str, element: etree._Element) -> str:
        namespace, local = _local(tag)
        return f"{self.prefix(namespace, element)}:{local}" if namespace else local

    def context(self) -> list[Any]:
        return [STANDARD_CONTEXT] + [{p: ns} for p, ns in self.prefixes.items()]

    # Extension content --------------------------------------------------------------

    def typed(self, element: etree._Element) -> Any:
        text = _text(element)
        declared = element.get(XSI_TYPE)
        if not declared:
            return text
        kind = declared.rsplit(":", 1)[-1]
        if kind in INTEGER_TYPES:
            try:
                return int(text)
            except ValueError:
                return text
        if kind in DECIMAL_TYPES:
            try:
                return float(text)
            except ValueError:
                return text
        if kind == "boolean":
            return text in ("true", "1")
        return text

    def value(self, element: etree._Element) -> Any:
        """A user extension element's content as JSON."""
        attributes = {
            "@" + self.name(k, element): v for k, v in element.attrib.items() if k != XSI_TYPE
        }
        children = [c for c in element if isinstance(c.tag, str)]
        if not children:
            value = self.typed(element)
            return {**attributes, "#text": value} if attributes else value
        content = _group((self.name(_tag(c), c), self.value(c)) for c in children)
        return {**attributes, **content}

    def extension(self, element: etree._Element) -> tuple[str, Any]:
        return self.name(_tag(element), element), self.value(element)

    def attributes(self, element: etree._Element) -> dict[str, Any]:
        return {self.name(k, element): v for k, v in element.attrib.items()}

    # The document ---------------------------------------------------------------------

    def document(self, root: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "EPCISDocument"}
        for key, value in root.attrib.items():
            if key != XSI_TYPE and not key.startswith(f"{{{XSI_NS}}}"):
                out[self.name(key, root)] = value
        out.setdefault("schemaVersion", "2.0")
        header = None
        events: list[dict[str, Any]] = []
        extensions = []
        for child in root:
            namespace, local = _local(_tag(child))
            if namespace:
                extensions.append(self.extension(child))
            elif local == "EPCISHeader":
                header = self.header(child)
            elif local == "EPCISBody":
                events = self.body(child)
        if header:
            out["epcisHeader"] = header
        out["epcisBody"] = {"eventList": events}
        out.update(_group(extensions))
        return {"@context": self.context(), **out}

    def header(self, element: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {}
        pairs = []
        for child in element.iter():
            namespace, local = _local(_tag(child))
            if local == "EPCISMasterData" and namespace is None:
                vocabularies = child.find("VocabularyList")
                out["epcisMasterData"] = {
                    "vocabularyList": [self.vocabulary(v) for v in vocabularies]
                    if vocabularies is not None
                    else []
                }
        for child in element:
            namespace, _local_name = _local(_tag(child))
            if namespace:  # the SBDH and any other header element
                pairs.append(self.extension(child))
        out.update(_group(pairs))
        return out

    def vocabulary(self, element: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {"type": element.get("type")}
        elements = element.find("VocabularyElementList")
        if elements is not None:
            out["vocabularyElementList"] = [self.vocabulary_element(e) for e in elements]
        return out

    def vocabulary_element(self, element: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {"id": element.get("id")}
        attributes = []
        for child in element:
            if child.tag == "attribute":
                children = [c for c in child if isinstance(c.tag, str)]
                value = (
                    _group((self.name(_tag(c), c), self.value(c)) for c in children)
                    if children
                    else self.typed(child)
                )
                attributes.append({"id": child.get("id"), "attribute": value})
            elif child.tag == "children":
                out["children"] = [_text(i) for i in child if i.tag == "id"]
        if attributes:
            out["attributes"] = attributes
        return out

    def body(self, element: etree._Element) -> list[dict[str, Any]]:
        event_list = element.find("EventList")
        if event_list is None:
            results = element.find(f"{{{QUERY_NS}}}QueryResults")
            body = results.find("resultsBody") if results is not None else None
            event_list = body.find("EventList") if body is not None else None
        if event_list is None:
            return []
        events = []
        for child in event_list:
            if child.tag in EVENT_TYPES:
                events.append(self.event(child))
            elif child.tag == "extension":
                raise XmlDocumentError(
                    [
                        Problem(
                            event_list.getroottree().getpath(child),
                            _("Only EPCIS 2.0's five event types can be captured."),
                        )
                    ]
                )
        return events

    # Events -------------------------------------------------------------------------

    def event(self, element: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {"type": element.tag}
        extensions: list[tuple[str, Any]] = []
        self.fields(element, out, extensions)
        out.update(_group(extensions))
        return out

    def fields(
        self, element: etree._Element, out: dict[str, Any], extensions: list[tuple[str, Any]]
    ) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            namespace, name = _local(child.tag)
            if namespace:
                extensions.append(self.extension(child))
            elif name in WRAPPERS:
                self.fields(child, out, extensions)
            elif name in TEXT_FIELDS:
                out[name] = _text(child)
            elif name in ("bizStep", "disposition"):
                out[name] = _strip_cbv(_text(child), name)
            elif name in EPC_LISTS:
                out[name] = [_text(e) for e in child if e.tag == "epc"]
            elif name in QUANTITY_LISTS:
                out[name] = [self.quantity(q) for q in child if q.tag == "quantityElement"]
            elif name in ("readPoint", "bizLocation"):
                out[name] = self.location(child)
            elif name == "bizTransactionList":
                out[name] = [self.transaction(t) for t in child if t.tag == "bizTransaction"]
            elif name in ("sourceList", "destinationList"):
                kind = name[: -len("List")]
                out[name] = [self.source_dest(s, kind) for s in child if s.tag == kind]
            elif name == "sensorElementList":
                out[name] = [self.sensor_element(s) for s in child if s.tag == "sensorElement"]
            elif name == "persistentDisposition":
                out[name] = self.persistent_disposition(child)
            elif name == "ilmd":
                pairs: list[tuple[str, Any]] = []
                self.ext_children(child, pairs)
                out[name] = _group(pairs)
            elif name == "errorDeclaration":
                out[name] = self.error_declaration(child)

    def ext_children(self, element: etree._Element, pairs: list[tuple[str, Any]]) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            if child.tag in WRAPPERS:
                self.ext_children(child, pairs)
            else:
                pairs.append(self.extension(child))

    def quantity(self, element: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for child in element:
            if child.tag == "epcClass":
                out["epcClass"] = _text(child)
            elif child.tag == "quantity" and _text(child):
                out["quantity"] = _number(_text(child))
            elif child.tag == "uom":
                out["uom"] = _text(child)
        return out

    def location(self, element: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {}
        pairs: list[tuple[str, Any]] = []
        for child in element:
            if child.tag == "id":
                out["id"] = _text(child)
            elif child.tag in WRAPPERS:
                self.ext_children(child, pairs)
            elif isinstance(child.tag, str):
                pairs.append(self.extension(child))
        out.update(_group(pairs))
        return out

    def transaction(self, element: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {}
        kind = element.get("type")
        if kind:
            out["type"] = _strip_cbv(kind, "bizTransaction")
        out["bizTransaction"] = _text(element)
        return out

    def source_dest(self, element: etree._Element, kind: str) -> dict[str, Any]:
        return {"type": _strip_cbv(element.get("type", ""), "sourceDest"), kind: _text(element)}

    def sensor_attributes(self, element: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in element.attrib.items():
            name = self.name(key, element)
            if name in SENSOR_NUMBERS:
                out[name] = _number(value)
            elif name == "booleanValue":
                out[name] = value.strip() in ("true", "1")
            elif name in SENSOR_VOCAB:
                out[name] = _strip_gs1(value)
            else:
                out[name] = value
        return out

    def sensor_element(self, element: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {}
        reports = []
        pairs: list[tuple[str, Any]] = []
        for child in element:
            if child.tag == "sensorMetadata":
                out["sensorMetadata"] = self.sensor_attributes(child)
            elif child.tag == "sensorReport":
                reports.append(self.sensor_attributes(child))
            elif child.tag in WRAPPERS:
                self.ext_children(child, pairs)
            elif isinstance(child.tag, str):
                pairs.append(self.extension(child))
        out["sensorReport"] = reports
        out.update(_group(pairs))
        return out

    def persistent_disposition(self, element: etree._Element) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for child in element:
            if child.tag in ("set", "unset"):
                out.setdefault(_tag(child), []).append(_strip_cbv(_text(child), "disposition"))
        return out

    def error_declaration(self, element: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {}
        pairs: list[tuple[str, Any]] = []
        for child in element:
            if child.tag == "declarationTime":
                out["declarationTime"] = _text(child)
            elif child.tag == "reason":
                out["reason"] = _strip_cbv(_text(child), "reason")
            elif child.tag == "correctiveEventIDs":
                out["correctiveEventIDs"] = [
                    _text(c) for c in child if c.tag == "correctiveEventID"
                ]
            elif child.tag in WRAPPERS:
                self.ext_children(child, pairs)
            elif isinstance(child.tag, str):
                pairs.append(self.extension(child))
        out.update(_group(pairs))
        return out


# Writing ------------------------------------------------------------------------------


def context_namespaces(context: Iterable[Any]) -> dict[str, str]:
    """prefix -> namespace from the term definitions of a JSON-LD @context list."""
    out: dict[str, str] = {}
    for entry in context or ():
        if isinstance(entry, Mapping):
            for prefix, namespace in entry.items():
                if isinstance(namespace, str) and _NCNAME.match(prefix):
                    out.setdefault(prefix, namespace)
    return out


def _decimal(value: Any) -> str:
    """A JSON number as xsd:decimal text (never exponent notation)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    try:
        return format(Decimal(str(value)), "f")
    except (InvalidOperation, ValueError):
        return str(value)


def _double(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Writer:
    """Writes one event's JSON as XML, resolving extension prefixes with its @context."""

    def __init__(self, namespaces: Mapping[str, str]):
        self.namespaces = {**namespaces, **WRITE_NAMESPACES}

    def qname(self, key: str) -> str:
        """The Clark name ({ns}local) of an extension key such as "example:myField"."""
        prefix, sep, local = key.partition(":")
        if sep and prefix in self.namespaces and _NCNAME.match(local):
            return f"{{{self.namespaces[prefix]}}}{local}"
        # An absolute IRI as a key: namespace up to its last "/" or "#".
        cut = max(key.rfind("/"), key.rfind("#"))
        if cut > 0 and _NCNAME.match(key[cut + 1 :]):
            return f"{{{key[: cut + 1]}}}{key[cut + 1 :]}"
        # An undeclared prefix is an IRI scheme to JSON-LD: "p:local" is IRI "p:" + local.
        if sep and _NCNAME.match(local):
            return f"{{{prefix}:}}{local}"
        return f"{{urn:ocophub:unnamed:}}{re.sub(r'[^A-Za-z0-9_.-]', '_', key) or '_'}"

    def attribute_name(self, key: str) -> str:
        return key if ":" not in key else self.qname(key)

    def value(self, parent: etree._Element, key: str, value: Any) -> None:
        """An extension value under `parent` as element(s) named `key`."""
        if isinstance(value, list):
            for item in value:
                self.value(parent, key, item)
            return
        element = etree.SubElement(parent, self.qname(key) if ":" in key else key)
        self.content(element, value)

    def content(self, element: etree._Element, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "#text":
                    self.content(element, item)
                elif key.startswith("@"):
                    element.set(self.attribute_name(key[1:]), _scalar(item))
                else:
                    self.value(element, key, item)
        elif isinstance(value, bool):
            element.set(XSI_TYPE, "xsd:boolean")
            element.text = "true" if value else "false"
        elif isinstance(value, int):
            element.set(XSI_TYPE, "xsd:integer")
            element.text = str(value)
        elif isinstance(value, float):
            element.set(XSI_TYPE, "xsd:double")
            element.text = repr(value)
        elif value is not None:
            element.text = str(value)

    def text(self, parent: etree._Element, name: str, value: Any) -> etree._Element:
        element = etree.SubElement(parent, name)
        element.text = str(value)
        return element

    def event(self, parent: etree._Element, event: Mapping[str, Any]) -> etree._Element:
        kind = event["type"]
        element = etree.SubElement(parent, kind)
        fields = EVENT_FIELDS[kind]
        for name in COMMON_FIELDS:
            if name in event:
                self.text(element, name, event[name])
        if "errorDeclaration" in event:
            self.error_declaration(element, event["errorDeclaration"])
        info = event.get("certificationInfo")
        if info:
            # The XSD has one certificationInfo; JSON may list several: the first is kept.
            self.text(element, "certificationInfo", info[0] if isinstance(info, list) else info)
        for name in fields:
            if name in event:
                self.field(element, name, event[name])
        known = {"type", "@context", "certificationInfo", "errorDeclaration", *COMMON_FIELDS}
        for key, value in event.items():
            if key not in known and key not in fields:
                self.value(element, key, value)
        return element

    def field(self, parent: etree._Element, name: str, value: Any) -> None:
        if name in EPC_LISTS:
            wrapper = etree.SubElement(parent, name)
            for epc in value:
                self.text(wrapper, "epc", epc)
        elif name in QUANTITY_LISTS:
            wrapper = etree.SubElement(parent, name)
            for item in value:
                element = etree.SubElement(wrapper, "quantityElement")
                self.text(element, "epcClass", item["epcClass"])
                if "quantity" in item:
                    self.text(element, "quantity", _decimal(item["quantity"]))
                if "uom" in item:
                    self.text(element, "uom", item["uom"])
        elif name in ("bizStep", "disposition"):
            self.text(parent, name, _cbv(value, name))
        elif name in ("readPoint", "bizLocation"):
            element = etree.SubElement(parent, name)
            self.text(element, "id", value["id"])
            for key, item in value.items():
                if key != "id":
                    self.value(element, key, item)
        elif name == "bizTransactionList":
            wrapper = etree.SubElement(parent, name)
            for item in value:
                element = self.text(wrapper, "bizTransaction", item["bizTransaction"])
                if "type" in item:
                    element.set("type", _cbv(item["type"], "bizTransaction"))
        elif name in ("sourceList", "destinationList"):
            wrapper = etree.SubElement(parent, name)
            kind = name[: -len("List")]
            for item in value:
                element = self.text(wrapper, kind, item[kind])
                element.set("type", _cbv(item["type"], "sourceDest"))
        elif name == "sensorElementList":
            wrapper = etree.SubElement(parent, name)
            for item in value:
                self.sensor_element(wrapper, item)
        elif name == "persistentDisposition":
            element = etree.SubElement(parent, name)
            for kind in ("unset", "set"):
                for word in value.get(kind, ()):
                    self.text(element, kind, _cbv(word, "disposition"))
        elif name == "ilmd":
            element = etree.SubElement(parent, name)
            for key, item in value.items():
                self.value(element, key, item)
        else:
            self.text(parent, name, value)

    def sensor_attributes(self, element: etree._Element, values: Mapping[str, Any]) -> None:
        for key, value in values.items():
            if key in SENSOR_VOCAB and isinstance(value, str) and ":" not in value:
                value = "gs1:" + value
            elif key in SENSOR_NUMBERS or key == "booleanValue":
                value = _double(value)
            element.set(self.attribute_name(key), _scalar(value))

    def sensor_element(self, parent: etree._Element, value: Mapping[str, Any]) -> None:
        element = etree.SubElement(parent, "sensorElement")
        if "sensorMetadata" in value:
            self.sensor_attributes(
                etree.SubElement(element, "sensorMetadata"), value["sensorMetadata"]
            )
        for report in value.get("sensorReport", ()):
            self.sensor_attributes(etree.SubElement(element, "sensorReport"), report)
        for key, item in value.items():
            if key not in ("sensorMetadata", "sensorReport"):
                self.value(element, key, item)

    def error_declaration(self, parent: etree._Element, value: Mapping[str, Any]) -> None:
        element = etree.SubElement(parent, "errorDeclaration")
        self.text(element, "declarationTime", value["declarationTime"])
        if "reason" in value:
            self.text(element, "reason", _cbv(value["reason"], "reason"))
        if "correctiveEventIDs" in value:
            wrapper = etree.SubElement(element, "correctiveEventIDs")
            for event_id in value["correctiveEventIDs"]:
                self.text(wrapper, "correctiveEventID", event_id)
        for key, item in value.items():
            if key not in ("declarationTime", "reason", "correctiveEventIDs"):
                self.value(element, key, item)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)


def _cbv(value: str, kind: str) -> str:
    """A bare CBV word as the URN XML writes it; any other URI unchanged."""
    return value if ":" in value else CBV_URNS[kind] + value


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _root_namespaces(contexts: Iterable[Iterable[Any]]) -> dict[str | None, str]:
    out: dict[str | None, str] = {"epcisq": QUERY_NS, "epcis": EPCIS_NS}
    out.update(WRITE_NAMESPACES.items())
    for context in contexts:
        for prefix, namespace in context_namespaces(context).items():
            if prefix not in RESERVED_PREFIXES and prefix not in out:
                out[prefix] = namespace
    return out


def query_document(
    events: Iterable[tuple[Mapping[str, Any], Iterable[Any]]],
    query_name: str = "SimpleEventQuery",
    subscription_id: str | None = None,
) -> bytes:
    """An XML EPCISQueryDocument holding `events`, each (event JSON, the @context of the
    document it was captured in)."""
    events = list(events)
    root = etree.Element(
        f"{{{QUERY_NS}}}EPCISQueryDocument",
        nsmap=_root_namespaces(context for _event, context in events),
    )
    root.set("schemaVersion", "2.0")
    root.set("creationDate", _now())
    body = etree.SubElement(root, "EPCISBody")
    results = etree.SubElement(body, f"{{{QUERY_NS}}}QueryResults")
    etree.SubElement(results, "queryName").text = query_name
    if subscription_id:
        etree.SubElement(results, "subscriptionID").text = subscription_id
    event_list = etree.SubElement(etree.SubElement(results, "resultsBody"), "EventList")
    writers: dict[str, _Writer] = {}
    for event, context in events:
        cache_key = json.dumps(context, sort_keys=True, default=str)
        writer = writers.get(cache_key)
        if writer is None:
            writer = writers[cache_key] = _Writer(context_namespaces(context))
        writer.event(event_list, event)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def query_document_for(rows: Iterable[Any], **kwargs: Any) -> bytes:
    """The XML query document for stored Event rows (each with its capture's @context)."""
    rows = list(rows)
    contexts = contexts_by_capture(rows)
    return query_document(((as_epcis(r), contexts.get(r.capture_id) or []) for r in rows), **kwargs)


def capture_job(job: Mapping[str, Any]) -> bytes:
    """An EPCISCaptureJob (the REST binding's answer to GET /capture/{id}) as XML."""
    root = etree.Element(f"{{{EPCIS_NS}}}EPCISCaptureJob", nsmap={"epcis": EPCIS_NS})
    root.set("captureID", str(job["captureID"]))
    root.set("running", "true" if job.get("running") else "false")
    root.set("success", "true" if job.get("success") else "false")
    etree.SubElement(root, "captureErrorBehaviour").text = job.get(
        "captureErrorBehaviour", "rollback"
    )
    for name in ("createdAt", "finishedAt"):
        if job.get(name):
            etree.SubElement(root, name).text = job[name]
    errors = job.get("errors") or []
    if errors:
        wrapper = etree.SubElement(root, "errors")
        for error in errors:
            element = etree.SubElement(wrapper, "error")
            for name in ("type", "title", "status", "detail", "instance"):
                if error.get(name) not in (None, ""):
                    etree.SubElement(element, name).text = str(error[name])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def read_capture_job(data: bytes) -> dict[str, Any]:
    """An XML EPCISCaptureJob as the JSON the binding describes (read back in tests)."""
    root = parse(data)
    out: dict[str, Any] = {
        "captureID": root.get("captureID"),
        "running": root.get("running") == "true",
        "success": root.get("success") == "true",
    }
    for child in root:
        if child.tag in ("captureErrorBehaviour", "createdAt", "finishedAt", "errorFile"):
            out[_tag(child)] = _text(child)
        elif child.tag == "errors":
            out["errors"] = [
                {c.tag: _number(_text(c)) if c.tag == "status" else _text(c) for c in error}
                for error in child
            ]
    return out


def wants_xml(accept: str) -> bool:
    """Does an Accept header ask for XML before JSON?"""
    best = None
    for part in accept.split(","):
        media = part.split(";", 1)[0].strip().lower()
        if media in XML_TYPES:
            return best is None
        if media.endswith("json") and best is None:
            best = media
    return False

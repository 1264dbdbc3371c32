"""Capture and query of EPCIS 2.0 events.

`capture` takes a whole EPCIS document and stores all of its events or none;
`record_event` is how the platform records what it does itself (commissioning a batch,
packing, shipping, receiving, inspecting); `events_for_epcs` and `inputs_of` are what
the scan page and batch pages read; `query` serves the REST binding's GET /events.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.products.models import Product

from .models import (
    CLASS_ROLES,
    INSTANCE_ROLES,
    Capture,
    EpcRole,
    Event,
    EventEpc,
)
from .schema import STANDARD_CONTEXT, Problem, json_path, parse_time, schema_problems
from .vocab import epc_key, epc_matcher, normalise_biz_step, normalise_disposition

# Which event fields name identifiers, and under which role they are indexed.
EPC_FIELDS = (
    ("epcList", EpcRole.EPC),
    ("childEPCs", EpcRole.EPC),
    ("inputEPCList", EpcRole.INPUT),
    ("outputEPCList", EpcRole.OUTPUT),
)
QUANTITY_FIELDS = (
    ("quantityList", EpcRole.QUANTITY),
    ("childQuantityList", EpcRole.QUANTITY),
    ("inputQuantityList", EpcRole.INPUT_QUANTITY),
    ("outputQuantityList", EpcRole.OUTPUT_QUANTITY),
)
HEADER_SKIP = {"@context", "epcisBody"}

# Sent once a capture's transaction has committed (capture_id=...): subscriptions react.
captured = Signal()


class CaptureError(Exception):
    """A document that was refused; `problems` lists every reason with its JSON path."""

    def __init__(self, problems):
        super().__init__("; ".join(f"{p.path}: {p.message}" for p in problems[:5]))
        self.problems = problems


@dataclass
class CaptureResult:
    capture: Capture
    event_count: int
    # Stored events whose error declaration this document carried.
    declared: list = field(default_factory=list)

    @property
    def capture_id(self):
        return str(self.capture.id)


def _location(value):
    if isinstance(value, dict):
        return value.get("id", "") or ""
    return value or ""


def event_identifiers(event):
    """(role, key, gtin) for every identifier the event names, without repeats."""
    seen = set()
    out = []

    def add(role, uri):
        if not isinstance(uri, str):
            return
        key, gtin = epc_key(uri)
        if (role, key) not in seen:
            seen.add((role, key))
            out.append((role, key, gtin))

    for name, role in EPC_FIELDS:
        for uri in event.get(name) or ():
            add(role, uri)
    if event.get("parentID"):
        add(EpcRole.PARENT, event["parentID"])
    for name, role in QUANTITY_FIELDS:
        for element in event.get(name) or ():
            if isinstance(element, dict):
                add(role, element.get("epcClass"))
    return out


def _event_row(capture, event, record_time):
    return Event(
        capture=capture,
        event_id=event.get("eventID") or None,
        type=event["type"],
        event_time=parse_time(event["eventTime"]),
        event_time_zone_offset=event["eventTimeZoneOffset"],
        record_time=record_time,
        action=event.get("action", ""),
        biz_step=normalise_biz_step(event.get("bizStep")),
        disposition=normalise_disposition(event.get("disposition")),
        read_point=_location(event.get("readPoint")),
        biz_location=_location(event.get("bizLocation")),
        # A declaration describes the erroneous event: it is no fact either.
        declared_in_error="errorDeclaration" in event,
        is_declaration="errorDeclaration" in event,
        body=json.dumps(event, ensure_ascii=False, separators=(",", ":")),
    )


def _scope_problems(user, events):
    """A writer may name a GTIN registered on the platform only if they may edit that
    product: nobody records events on another producer's product. GTINs the platform
    does not know (suppliers', buyers') are free."""
    if user is None or user.is_superuser:
        return []

    first_path = {}
    for index, event in enumerate(events):
        for _role, _key, gtin in event_identifiers(event):
            if gtin and gtin not in first_path:
                first_path[gtin] = json_path(["epcisBody", "eventList", index])
    if not first_path:
        return []
    registered = set(Product.objects.filter(gtin__in=first_path).values_list("gtin", flat=True))
    if not registered:
        return []
    allowed = set(
        Product.objects.editable_by(user).filter(gtin__in=registered).values_list("gtin", flat=True)
    )
    return [
        Problem(
            first_path[gtin],
            _("GTIN %(gtin)s belongs to a product you may not record events for.") % {"gtin": gtin},
        )
        for gtin in sorted(registered - allowed)
    ]


MAX_LENGTH = 500  # the indexed columns' width


def _length_problems(events):
    """Identifiers longer than the columns that index them (the schema sets no limit)."""
    problems = []
    for index, event in enumerate(events):
        values = [
            ("eventID", event.get("eventID")),
            ("bizStep", event.get("bizStep")),
            ("disposition", event.get("disposition")),
            ("readPoint", _location(event.get("readPoint"))),
            ("bizLocation", _location(event.get("bizLocation"))),
        ]
        values += [("", key) for _role, key, _gtin in event_identifiers(event)]
        for name, value in values:
            if isinstance(value, str) and len(value) > MAX_LENGTH:
                parts = ["epcisBody", "eventList", index] + ([name] if name else [])
                problems.append(
                    Problem(
                        json_path(parts),
                        _("%(value)s… is longer than %(max)s characters.")
                        % {"value": value[:40], "max": MAX_LENGTH},
                    )
                )
    return problems


def as_capture_document(document):
    """An EPCISQueryDocument's events as the EPCISDocument they would be captured in."""
    if document.get("type") != "EPCISQueryDocument":
        return document
    results = document.get("epcisBody", {}).get("queryResults", {})
    events = results.get("resultsBody", {}).get("eventList", [])
    out = {k: v for k, v in document.items() if k != "epcisBody"}
    out["type"] = "EPCISDocument"
    out["epcisBody"] = {"eventList": events}
    return out


def check_document(document, user=None, trusted=False, validated=False):
    """Every problem with `document` as a capture; an empty list means it can be stored.
    `validated`: the document was read from another binding and checked against that
    binding's schema (XML: the XSD, see xml.py), which is the authority for it."""
    if not isinstance(document, dict):
        return [Problem("$", _("An EPCIS document is a JSON object."))]
    if document.get("type") == "EPCISQueryDocument":
        # The binding accepts a query answer for capture: its events, its header.
        problems = [] if validated else schema_problems(document)
        if problems:
            return problems
        return check_document(
            as_capture_document(document), user=user, trusted=trusted, validated=True
        )
    if document.get("type") != "EPCISDocument":
        return [
            Problem(
                "$.type",
                _("Capture takes an EPCISDocument; this is %(type)s.")
                % {"type": json.dumps(document.get("type"))},
            )
        ]
    problems = [] if validated else schema_problems(document)
    if problems:
        return problems
    events = document["epcisBody"]["eventList"]
    seen = {}
    for index, event in enumerate(events):
        event_id = event.get("eventID")
        if not event_id:
            continue
        if event_id in seen and "errorDeclaration" not in event:
            problems.append(
                Problem(
                    json_path(["epcisBody", "eventList", index, "eventID"]),
                    _("Event ID %(id)s appears twice in this document (first at event %(first)s).")
                    % {"id": event_id, "first": seen[event_id]},
                )
            )
        seen.setdefault(event_id, index)
    problems.extend(_length_problems(events))
    if not trusted:
        problems.extend(_scope_problems(user, events))
    return problems


def _stored_events(event_ids):
    """{event ID: the stored event (not a declaration)} for those of `event_ids` stored."""
    found = {}
    ids = list(event_ids)
    for start in range(0, len(ids), 500):
        rows = Event.objects.filter(
            event_id__in=ids[start : start + 500], is_declaration=False
        ).only("id", "event_id", "type", "declared_in_error", "capture__captured_by_id")
        found.update((row.event_id, row) for row in rows.select_related("capture"))
    return found


def _event_path(index):
    return json_path(["epcisBody", "eventList", index, "eventID"])


def _stored_gtins(originals):
    """{event ID: (GTINs it names, who captured it)} for stored events `originals`."""
    by_pk = {row.pk: row for row in originals.values()}
    out = {row.event_id: (set(), row.capture.captured_by_id) for row in originals.values()}
    for event_pk, gtin in EventEpc.objects.filter(event_id__in=list(by_pk)).values_list(
        "event_id", "gtin"
    ):
        if gtin:
            out[by_pk[event_pk].event_id][0].add(gtin)
    return out


def _may_correct(user, events):
    """{event ID: may `user` declare it erroneous?} for `events`, {event ID: (GTINs it
    names, id of who captured it)}.

    Only someone who may capture for every object of the original event: every GTIN of
    it registered on the platform must be one the user may edit (the owner, its commune
    officer, the province office). An event naming no registered GTIN belongs to whoever
    captured it (and to the province office)."""
    if user is None or user.is_superuser:
        return dict.fromkeys(events, True)
    named = set().union(*(gtins for gtins, _by in events.values())) if events else set()
    registered = set(Product.objects.filter(gtin__in=named).values_list("gtin", flat=True))
    allowed = set(
        Product.objects.editable_by(user).filter(gtin__in=registered).values_list("gtin", flat=True)
    )
    out = {}
    for event_id, (gtins, captured_by_id) in events.items():
        own = gtins & registered
        if own:
            out[event_id] = own <= allowed
        else:
            out[event_id] = captured_by_id == user.pk or user.is_province_office
    return out


def _declaration_problems(events, existing, user, trusted):
    """Every problem with the error declarations among `events`: each names an event
    of the same type (if it is stored or in this document), not declared erroneous
    before, that the user may correct. A declaration of an event not (yet) stored is
    kept; the event takes it on arrival if its declarer may correct it."""
    problems = []
    earlier = {}  # event ID -> type, of the plain events in this document
    declared = set()
    may = None
    for index, event in enumerate(events):
        event_id = event.get("eventID")
        if "errorDeclaration" not in event:
            if event_id:
                earlier.setdefault(event_id, event["type"])
            continue
        path = _event_path(index)
        original = existing.get(event_id)
        kind = original.type if original is not None else earlier.get(event_id)
        if not event_id:
            continue  # GS1's examples have these: they declare nothing stored
        if kind is not None and kind != event["type"]:
            problems.append(
                Problem(
                    path,
                    _("Event %(id)s is an %(type)s: its error declaration must be one too.")
                    % {"id": event_id, "type": kind},
                )
            )
        elif event_id in declared or (original is not None and original.declared_in_error):
            problems.append(
                Problem(path, _("Event %(id)s was already declared in error.") % {"id": event_id})
            )
        elif original is not None and not trusted:
            if may is None:
                may = _may_correct(user, _stored_gtins(existing))
            if not may[event_id]:
                problems.append(
                    Problem(
                        path,
                        _(
                            "You may not declare event %(id)s in error: it records objects "
                            "you may not capture events for."
                        )
                        % {"id": event_id},
                    )
                )
        declared.add(event_id)
    return problems


def _declared_before(rows, events):
    """Mark the new plain events whose error declaration was captured before them, when
    its declarer may correct them (anyone else's declaration stays ignored)."""
    plain = {
        row.event_id: (row, event)
        for row, event in zip(rows, events, strict=True)
        if row.event_id and not row.is_declaration and not row.declared_in_error
    }
    if not plain:
        return
    waiting = Event.objects.filter(event_id__in=list(plain), is_declaration=True).select_related(
        "capture__captured_by"
    )
    for declaration in waiting:
        row, event = plain[declaration.event_id]
        gtins = {gtin for _role, _key, gtin in event_identifiers(event) if gtin}
        by = declaration.capture.captured_by
        facts = {row.event_id: (gtins, row.capture.captured_by_id)}
        if row.type == declaration.type and _may_correct(by, facts)[row.event_id]:
            row.declared_in_error = True


def capture(document, user=None, media_type="application/json", trusted=False, validated=False):
    """Store every event of an EPCIS document, or none: raises CaptureError with every
    problem found. `trusted` skips the scope checks for the platform's own events;
    `validated` the JSON schema for a document its own binding's schema has passed."""
    problems = check_document(document, user=user, trusted=trusted, validated=validated)
    if problems:
        raise CaptureError(problems)
    document = as_capture_document(document)
    events = document["epcisBody"]["eventList"]
    now = timezone.now()
    with transaction.atomic():
        existing = _stored_events(e["eventID"] for e in events if e.get("eventID"))
        # An error declaration repeats the event it declares erroneous (same eventID)
        # and is stored beside it; any other repeat of a stored event ID is refused.
        clashes = [
            Problem(
                _event_path(index),
                _("Event %(id)s was already captured.") % {"id": event["eventID"]},
            )
            for index, event in enumerate(events)
            if event.get("eventID") in existing and "errorDeclaration" not in event
        ]
        clashes += _declaration_problems(events, existing, user, trusted)
        if clashes:
            raise CaptureError(clashes)
        record = Capture.objects.create(
            captured_at=now,
            captured_by=user if user is not None and user.is_authenticated else None,
            document_id=str(document.get("id") or document.get("instanceIdentifier") or ""),
            context=_as_list(document.get("@context")),
            header={k: v for k, v in document.items() if k not in HEADER_SKIP},
            media_type=media_type,
            event_count=len(events),
        )
        declared = []
        new_rows, position = [], {}
        for event in events:
            row = _event_row(record, event, now)
            new_rows.append(row)
            if not row.is_declaration:
                if row.event_id is not None:
                    position[row.event_id] = row
                continue
            declared.append(row.event_id)
            if row.event_id in position:  # declared erroneous in the same document
                position[row.event_id].declared_in_error = True
            elif row.event_id in existing:
                Event.objects.filter(pk=existing[row.event_id].pk).update(declared_in_error=True)
        _declared_before(new_rows, events)
        try:
            _insert(new_rows, events)
        except (IntegrityError, connection.Database.IntegrityError) as exc:
            # Another capture stored one of these event IDs in the meantime.
            message = _("An event ID in this document was already captured.")
            raise CaptureError([Problem("$.epcisBody.eventList", message)]) from exc
        capture_id = record.id
        transaction.on_commit(lambda: captured.send(sender=Capture, capture_id=capture_id))
    return CaptureResult(capture=record, event_count=len(events), declared=declared)


EVENT_COLUMNS = (
    "id",
    "capture_id",
    "event_id",
    "type",
    "event_time",
    "event_time_zone_offset",
    "record_time",
    "action",
    "biz_step",
    "disposition",
    "read_point",
    "biz_location",
    "declared_in_error",
    "is_declaration",
    "body",
)


def _insert(rows, events):
    """Write the events and their identifier rows. On PostgreSQL this is COPY with ids
    taken from the sequence beforehand (a third of the time of bulk_create, which the
    2,000 events/second target needs); elsewhere bulk_create."""
    if connection.vendor != "postgresql":
        Event.objects.bulk_create(rows, batch_size=1000)
        EventEpc.objects.bulk_create(
            [
                EventEpc(event_id=row.pk, role=role, key=key, gtin=gtin)
                for row, event in zip(rows, events, strict=True)
                for role, key, gtin in event_identifiers(event)
            ],
            batch_size=2000,
        )
        return
    if not rows:
        return
    event_table, epc_table = Event._meta.db_table, EventEpc._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [event_table, len(rows)],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
        raw = cursor.cursor
        with raw.copy(f"COPY {event_table} ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                row.pk = pk
                copy.write_row([pk] + [getattr(row, c) for c in EVENT_COLUMNS[1:]])
        with raw.copy(f"COPY {epc_table} (event_id, role, key, gtin) FROM STDIN") as copy:
            for pk, event in zip(ids, events, strict=True):
                for role, key, gtin in event_identifiers(event):
                    copy.write_row((pk, role, key, gtin))


def _as_list(context):
    if context is None:
        return []
    return context if isinstance(context, list) else [context]


def _offset_now():
    now = timezone.localtime()
    offset = now.strftime("%z")
    return now, f"{offset[:3]}:{offset[3:]}"


def record_event(event, user=None):
    """Record one of the platform's own events (commissioning a batch, packing, shipping,
    receiving, inspecting). Missing eventID, eventTime and eventTimeZoneOffset are filled
    in (a new urn:uuid, now, the server's zone). The caller has checked the user's scope.
    Returns the stored Event; raises CaptureError if the event breaks the schema."""
    event = dict(event)
    now, offset = _offset_now()
    event.setdefault("eventID", f"urn:uuid:{uuid.uuid4()}")
    if "eventTime" not in event:
        event["eventTime"] = now.isoformat(timespec="milliseconds")
    elif isinstance(event["eventTime"], datetime):
        moment = event["eventTime"]
        event["eventTime"] = moment.isoformat(timespec="milliseconds")
        if "eventTimeZoneOffset" not in event and moment.utcoffset() is not None:
            minutes = int(moment.utcoffset().total_seconds() // 60)
            sign = "+" if minutes >= 0 else "-"
            event["eventTimeZoneOffset"] = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    event.setdefault("eventTimeZoneOffset", offset)
    document = {
        "@context": [STANDARD_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": now.isoformat(timespec="milliseconds"),
        "epcisBody": {"eventList": [event]},
    }
    capture(document, user=user, trusted=True)
    return Event.objects.get(event_id=event["eventID"])


# Reading ------------------------------------------------------------------------------


def match_q(values, roles):
    """Events naming, under one of `roles`, an identifier matching any of `values`."""
    q = Q()
    for value in values:
        how, arg = epc_matcher(value)
        lookup = {"exact": "key", "prefix": "key__startswith", "regex": "key__regex"}[how]
        q |= Q(**{lookup: arg})
    return Q(pk__in=EventEpc.objects.filter(q, role__in=roles).values("event_id"))


def as_epcis(event, record_time=None):
    """The event as captured, with the repository's recordTime (the standard has the
    repository set it on capture, whatever the document said)."""
    data = json.loads(event.body)
    moment = record_time or event.record_time
    data["recordTime"] = (
        moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    )
    return data


def events_for_epcs(epcs):
    """The events naming any of `epcs` (EPCs, EPC classes or patterns, in URN or Digital
    Link form) in any role, oldest first, as EPCIS JSON dicts: the scan page's timeline.
    Each carries "recordTime"; events are as captured, error declarations left out (see
    `corrections`)."""
    return [as_epcis(row) for row in _rows_for_epcs(epcs)]


def _rows_for_epcs(epcs):
    epcs = [e for e in epcs if e]
    if not epcs:
        return []
    return list(
        Event.objects.filter(
            match_q(epcs, [r.value for r in EpcRole]), is_declaration=False
        ).order_by("event_time", "id")
    )


def timeline_of(epcs):
    """(events_for_epcs(epcs), a function giving their `corrections`): the declarations
    are read only when one of the events carries one, which few do, so a scan page
    costs one query for its whole timeline."""
    rows = _rows_for_epcs(epcs)
    declared = [row.event_id for row in rows if row.declared_in_error]
    return [as_epcis(row) for row in rows], lambda: corrections(declared)


@dataclass
class Correction:
    """An error declaration of a stored event: what it says and who captured it."""

    event_id: str
    declaration: dict  # the event's errorDeclaration (declarationTime, reason, ...)
    recorded_at: datetime
    by: object  # the user who captured it, or None for the platform itself


def corrections(event_ids):
    """{event ID: Correction} for those of `event_ids` declared in error."""
    ids = [e for e in event_ids if e]
    if not ids:
        return {}
    taken = Event.objects.filter(event_id__in=ids, is_declaration=False, declared_in_error=True)
    rows = Event.objects.filter(
        event_id__in=taken.values("event_id"), is_declaration=True
    ).select_related("capture__captured_by")
    return {
        row.event_id: Correction(
            event_id=row.event_id,
            declaration=json.loads(row.body).get("errorDeclaration") or {},
            recorded_at=row.record_time,
            by=row.capture.captured_by,
        )
        for row in rows
    }


def inputs_of(epc):
    """What went into `epc`, read from TransformationEvents that list it as an output
    (EPC or EPC class): the input EPCs and input EPC classes as captured, in order, without
    repeats. Events declared erroneous are ignored."""
    rows = (
        Event.objects.filter(
            match_q([epc], [EpcRole.OUTPUT, EpcRole.OUTPUT_QUANTITY]),
            type="TransformationEvent",
            declared_in_error=False,
        )
        .order_by("event_time", "id")
        .only("body")
    )
    seen, out = set(), []
    for row in rows:
        data = json.loads(row.body)
        items = list(data.get("inputEPCList") or [])
        items += [q.get("epcClass") for q in data.get("inputQuantityList") or []]
        for item in items:
            if item and item not in seen:
                seen.add(item)
                out.append(item)
    return out


def contexts_for(events):
    """The @context for a query document holding `events`: the standard context plus
    whatever namespaces the captured documents declared, each once."""
    out = [STANDARD_CONTEXT]
    capture_ids = {e.capture_id for e in events}
    for context in Capture.objects.filter(pk__in=capture_ids).values_list("context", flat=True):
        for entry in context or ():
            if isinstance(entry, str) and "epcis-context" in entry:
                continue  # the standard context, under whichever address it was cited
            if entry not in out:
                out.append(entry)
    return out


def contexts_by_capture(events):
    """{capture id: the @context of the document it came in} for the captures of `events`."""
    ids = {e.capture_id for e in events}
    return dict(Capture.objects.filter(pk__in=ids).values_list("id", "context"))


def query_document(events, query_name="SimpleEventQuery", subscription_id=None):
    """An EPCISQueryDocument carrying `events` (rows), as the REST binding answers."""
    results = {"queryName": query_name}
    if subscription_id:
        results["subscriptionID"] = str(subscription_id)
    results["resultsBody"] = {"eventList": [as_epcis(e) for e in events]}
    return {
        "@context": contexts_for(events),
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": timezone.now()
        .astimezone(UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "epcisBody": {"queryResults": results},
    }


__all__ = [
    "CLASS_ROLES",
    "INSTANCE_ROLES",
    "CaptureError",
    "CaptureResult",
    "Correction",
    "capture",
    "corrections",
    "events_for_epcs",
    "inputs_of",
    "timeline_of",
    "query_document",
    "record_event",
]

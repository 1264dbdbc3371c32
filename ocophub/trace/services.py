"""Writing batches and serials, and telling the EPCIS store what the platform did.

EPCs are canonical Digital Link URIs: a batch is the class `https://<host>/01/<gtin14>/10/<lot>`
(counted in `quantityList`), a serialised item `https://<host>/01/<gtin14>/21/<serial>`.
"""

import datetime
import logging
import uuid

from django.db import transaction
from django.utils import timezone

from ocophub.epcis import store
from ocophub.epcis.schema import STANDARD_CONTEXT

from .digital_link import build_uri
from .models import Unit, make_serials
from .receivers import tell_labels_unpublished

log = logging.getLogger(__name__)


def _event_time(day):
    tz = timezone.get_current_timezone()
    now = timezone.localtime()
    moment = now if day >= now.date() else datetime.datetime.combine(day, datetime.time(8), tz)
    offset = moment.strftime("%z")
    return moment.isoformat(timespec="seconds"), f"{offset[:3]}:{offset[3:]}"


def _quantity(batch):
    element = {"epcClass": batch.digital_link}
    if batch.quantity is not None:
        element["quantity"] = float(batch.quantity)
        if batch.unit != Unit.PIECE:
            element["uom"] = batch.unit
    return element


def commissioning_events(batch):
    when, offset = _event_time(batch.production_date)
    events = [
        {
            "type": "ObjectEvent",
            "eventTime": when,
            "eventTimeZoneOffset": offset,
            "epcList": [],
            "quantityList": [_quantity(batch)],
            "action": "ADD",
            "bizStep": "commissioning",
            "disposition": "active",
        }
    ]
    inputs = list(batch.inputs.select_related("product"))
    if inputs:
        # Honey into bottles: the inputs are consumed into this batch.
        events.append(
            {
                "type": "TransformationEvent",
                "eventTime": when,
                "eventTimeZoneOffset": offset,
                "inputQuantityList": [{"epcClass": b.digital_link} for b in inputs],
                "outputQuantityList": [_quantity(batch)],
                "bizStep": "creating_class_instance",
                "disposition": "active",
            }
        )
    return events


def serial_events(batch, serials):
    when, offset = _event_time(timezone.localdate())
    return [
        {
            "type": "ObjectEvent",
            "eventTime": when,
            "eventTimeZoneOffset": offset,
            "epcList": [s.digital_link for s in serials],
            "action": "ADD",
            "bizStep": "commissioning",
            "disposition": "active",
        }
    ]


def record(events, user=None):
    """Capture the platform's own events as one EPCIS document (all or none)."""
    if not events:
        return
    for event in events:
        event.setdefault("eventID", f"urn:uuid:{uuid.uuid4()}")
    now = timezone.localtime().isoformat(timespec="milliseconds")
    document = {
        "@context": [STANDARD_CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": now,
        "epcisBody": {"eventList": events},
    }
    # Trusted: the caller's scope over the product was checked before the batch was saved.
    store.capture(document, user=user, trusted=True)


def create_batch(batch, inputs=(), user=None):
    """Save a validated, unsaved batch with its inputs, and record its commissioning."""
    with transaction.atomic():
        batch.created_by = user if user is not None and user.is_authenticated else None
        batch.save()
        if inputs:
            batch.inputs.set(inputs)
        record(commissioning_events(batch), user)
    return batch


def create_batches(batches, user=None):
    """Save several validated batches (no inputs) and one capture for all their events."""
    with transaction.atomic():
        events = []
        for batch in batches:
            batch.created_by = user if user is not None and user.is_authenticated else None
            batch.save()
            events.extend(commissioning_events(batch))
        record(events, user)
    return batches


def add_serials(batch, count, user=None):
    """A label run: `count` new serials for the batch, commissioned in EPCIS."""
    with transaction.atomic():
        serials = make_serials(batch, count)
        record(serial_events(batch, serials), user)
        tell_labels_unpublished(batch, serials, user)
    return serials


# What a batch goes through after it is made, and the disposition each step leaves it in
# (CBV 2.0). Inspecting leaves the inspector's verdict instead.
STEP_DISPOSITIONS = {
    "packing": "in_progress",
    "storing": "in_progress",
    "shipping": "in_transit",
    "receiving": "in_progress",
    "inspecting": None,
}


def gln_uri(gln):
    return build_uri([("414", gln)]) if gln else None


def step_event(batch, step, moment, quantity=None, location="", partner="", conformant=True):
    """One supply-chain step of a batch as an EPCIS ObjectEvent (OBSERVE).

    `location` is where it happened, `partner` where it goes to (shipping) or comes
    from (receiving), both GLNs."""
    element = _quantity(batch)
    if quantity is not None:
        element["quantity"] = float(quantity)
    moment = timezone.localtime(moment)
    offset = moment.strftime("%z")
    event = {
        "type": "ObjectEvent",
        "eventTime": moment.isoformat(timespec="seconds"),
        "eventTimeZoneOffset": f"{offset[:3]}:{offset[3:]}",
        "epcList": [],
        "quantityList": [element],
        "action": "OBSERVE",
        "bizStep": step,
        "disposition": STEP_DISPOSITIONS[step]
        or ("conformant" if conformant else "non_conformant"),
    }
    if location:
        event["readPoint"] = {"id": gln_uri(location)}
        event["bizLocation"] = {"id": gln_uri(location)}
    if partner and step in ("shipping", "receiving"):
        kind = "destination" if step == "shipping" else "source"
        event[f"{kind}List"] = [{"type": "location", kind: gln_uri(partner)}]
    return event


def record_step(batch, step, moment, user=None, **details):
    """Record a supply-chain step of a batch; returns the event's ID."""
    event = step_event(batch, step, moment, **details)
    record([event], user)
    return event["eventID"]

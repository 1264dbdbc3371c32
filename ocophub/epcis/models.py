"""EPCIS 2.0 events as captured, with the columns the standard's queries filter on.

Each event is kept as the JSON it was captured in (`body`, key order included) so a query
returns it intact; the indexed columns and the EPC side table are derived from it at
capture and never edited on their own.
"""

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Capture(models.Model):
    """One captured EPCIS document: who sent it, when, and its header."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    captured_at = models.DateTimeField(_("captured at"), default=timezone.now, db_index=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("captured by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="epcis_captures",
    )
    document_id = models.CharField(_("document id"), max_length=500, blank=True)
    # The document's @context and its other header fields (creationDate, sender, ...).
    context = models.JSONField(_("JSON-LD context"), default=list)
    header = models.JSONField(_("header"), default=dict)
    media_type = models.CharField(_("media type"), max_length=40, default="application/json")
    event_count = models.PositiveIntegerField(_("events"), default=0)

    class Meta:
        verbose_name = _("EPCIS capture")
        verbose_name_plural = _("EPCIS captures")
        ordering = ["-captured_at"]

    def __str__(self):
        return f"{self.id} ({self.event_count})"


class Event(models.Model):
    # Indexed: what selects few events (time, places, IDs). Type, business step and
    # disposition take a handful of values each; an index on them would cost every
    # capture and help no query that the time order does not serve already.
    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, related_name="events")
    event_id = models.CharField(_("event ID"), max_length=500, null=True, blank=True)
    type = models.CharField(_("type"), max_length=40)
    event_time = models.DateTimeField(_("event time"))
    event_time_zone_offset = models.CharField(_("time zone offset"), max_length=6)
    record_time = models.DateTimeField(_("record time"))
    action = models.CharField(_("action"), max_length=8, blank=True)
    biz_step = models.CharField(_("business step"), max_length=500, blank=True)
    disposition = models.CharField(_("disposition"), max_length=500, blank=True)
    read_point = models.CharField(_("read point"), max_length=500, blank=True)
    biz_location = models.CharField(_("business location"), max_length=500, blank=True)
    # Set on an event once an error declaration for it has been captured.
    declared_in_error = models.BooleanField(_("declared in error"), default=False)
    # The error declaration itself: a row of its own under the original's event ID, so
    # the original stays as captured (EPCIS 2.0 keeps both). One per event.
    is_declaration = models.BooleanField(_("error declaration"), default=False)
    body = models.TextField(_("event JSON"))

    class Meta:
        verbose_name = _("EPCIS event")
        verbose_name_plural = _("EPCIS events")
        ordering = ["event_time", "id"]
        # Meta indexes rather than db_index: on PostgreSQL db_index on a CharField adds a
        # second (LIKE) index that every capture would pay for and no query uses.
        # (event_id, is_declaration): an event ID once, and its error declaration once;
        # event_id leads, so the index serves lookups by event ID too.
        constraints = [
            models.UniqueConstraint(
                fields=["event_id", "is_declaration"], name="epcis_event_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["event_time", "id"], name="epcis_event_time"),
            models.Index(fields=["record_time"], name="epcis_record_time"),
            models.Index(fields=["read_point"], name="epcis_read_point"),
            models.Index(fields=["biz_location"], name="epcis_biz_location"),
        ]

    def __str__(self):
        return f"{self.type} {self.biz_step} {self.event_time:%Y-%m-%d %H:%M}"

    @property
    def data(self):
        return json.loads(self.body)


class EpcRole(models.TextChoices):
    """Which field of the event an identifier came from (the query parameters differ)."""

    EPC = "epc", _("epcList / childEPCs")
    PARENT = "parent", _("parentID")
    INPUT = "input", _("inputEPCList")
    OUTPUT = "output", _("outputEPCList")
    QUANTITY = "quantity", _("quantityList / childQuantityList")
    INPUT_QUANTITY = "in_qty", _("inputQuantityList")
    OUTPUT_QUANTITY = "out_qty", _("outputQuantityList")


INSTANCE_ROLES = (EpcRole.EPC, EpcRole.PARENT, EpcRole.INPUT, EpcRole.OUTPUT)
CLASS_ROLES = (EpcRole.QUANTITY, EpcRole.INPUT_QUANTITY, EpcRole.OUTPUT_QUANTITY)


class EventEpc(models.Model):
    """An identifier an event names, under its comparison key (see vocab.epc_key)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="epcs")
    role = models.CharField(max_length=8, choices=EpcRole.choices)
    key = models.CharField(max_length=500)
    gtin = models.CharField(max_length=14, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["key", "role"], name="epcis_epc_key_role"),
            models.Index(fields=["gtin"], name="epcis_epc_gtin"),
        ]

    def __str__(self):
        return f"{self.role}: {self.key}"


class NamedQuery(models.Model):
    """A query saved under a name (REST binding: POST /queries): a view on the events,
    read back through /queries/{name}/events with the reader's own scope."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    # The EPCIS query as the binding's JSON: {"eventType": ["ObjectEvent"], ...}.
    query = models.JSONField(_("query"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="epcis_queries",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("EPCIS named query")
        verbose_name_plural = _("EPCIS named queries")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Subscription(models.Model):
    """A webhook subscribed to a named query: each capture's matching events are POSTed
    to `dest` as an EPCISQueryDocument, signed with `secret` (GS1-Signature)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    query = models.ForeignKey(NamedQuery, on_delete=models.CASCADE, related_name="subscriptions")
    # Whose read scope the deliveries have: the subscriber's, as if it queried itself.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="epcis_subscriptions",
    )
    dest = models.URLField(_("callback URL"), max_length=1000)
    secret = models.CharField(_("signature token"), max_length=500, blank=True)
    stream = models.BooleanField(_("stream"), default=True)
    schedule = models.JSONField(_("schedule"), default=dict, blank=True)
    report_if_empty = models.BooleanField(_("report if empty"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_notified_at = models.DateTimeField(_("last notified at"), null=True, blank=True)
    # initialRecordTime: events recorded from then until the subscription are sent once.
    initial_record_time = models.DateTimeField(_("initial record time"), null=True, blank=True)

    class Meta:
        verbose_name = _("EPCIS subscription")
        verbose_name_plural = _("EPCIS subscriptions")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.query.name} -> {self.dest}"

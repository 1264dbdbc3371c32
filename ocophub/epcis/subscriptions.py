"""Webhook delivery of named-query subscriptions (REST binding: /queries/{name}/subscriptions).

A stream subscription is told about each capture: once the capture commits, a task per
subscription reads the capture's events that match the query, with the subscriber's own
read scope, and POSTs them to `dest` as an EPCISQueryDocument carrying the
subscriptionID. The body is signed: `GS1-Signature: sha256=<hex HMAC-SHA256 of the body
keyed with the signatureToken>`, so the receiver can check the sender and the content.
A delivery that fails (connection error, timeout, any answer but 2xx) is tried again,
`EPCIS_WEBHOOK_ATTEMPTS` times in all, waiting longer each time when the task backend can
defer. Delivery is at least once: a receiver may see a document twice after a retry, and
tells repeats apart by eventID.
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import default_task_backend, task

from .models import Subscription
from .query import as_params, filtered
from .store import query_document

ATTEMPTS = settings.EPCIS_WEBHOOK_ATTEMPTS
TIMEOUT_SECONDS = settings.EPCIS_WEBHOOK_TIMEOUT
# Events per POST: a capture or an initialRecordTime backlog may hold thousands.
EVENTS_PER_DELIVERY = 1000
RETRY_BASE = timedelta(minutes=1)


def signature(body, secret):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _post(subscription, body):
    request = urllib.request.Request(
        subscription.dest,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "GS1-Signature": signature(body, subscription.secret),
            "GS1-EPCIS-Version": "2.0.0",
            "GS1-CBV-Version": "2.0.0",
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as reply:  # noqa: S310
        return 200 <= reply.status < 300


def matching_events(subscription, capture_id=None):
    """The events of one capture (or, without it, of the initialRecordTime backlog)
    matching the subscription's query and readable by its subscriber."""
    if capture_id is not None:
        scope = Q(capture_id=capture_id)
    else:
        scope = Q(
            record_time__gte=subscription.initial_record_time,
            record_time__lt=subscription.created_at,
        )
    events = filtered(as_params(subscription.query.query), subscription.created_by, [scope])
    return events.only("id", "event_time", "record_time", "capture_id", "body")


@task()
def deliver(subscription_id: str, capture_id: str | None = None, attempt: int = 1) -> dict:
    """POST the matching events to the subscriber; on failure, enqueue the next try."""
    subscription = (
        Subscription.objects.select_related("query", "created_by")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:  # unsubscribed meanwhile
        return {"sent": 0, "status": "gone"}
    rows = list(matching_events(subscription, capture_id))
    if not rows:
        return {"sent": 0, "status": "nothing to send"}
    try:
        for start in range(0, len(rows), EVENTS_PER_DELIVERY):
            chunk = rows[start : start + EVENTS_PER_DELIVERY]
            document = query_document(
                chunk, query_name=subscription.query.name, subscription_id=subscription.id
            )
            body = json.dumps(document, ensure_ascii=False).encode()
            if not _post(subscription, body):
                raise urllib.error.URLError("not a 2xx answer")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        if attempt >= ATTEMPTS:
            return {"sent": 0, "status": "failed", "attempts": attempt, "error": str(exc)}
        retry = deliver
        if default_task_backend.supports_defer:
            retry = deliver.using(run_after=timezone.now() + RETRY_BASE * 2 ** (attempt - 1))
        retry.enqueue(subscription_id, capture_id, attempt + 1)
        return {"sent": 0, "status": "retrying", "attempts": attempt, "error": str(exc)}
    Subscription.objects.filter(pk=subscription.pk).update(last_notified_at=timezone.now())
    return {"sent": len(rows), "status": "delivered", "attempts": attempt}


def notify(capture_id):
    """Queue a delivery of one capture to every stream subscription."""
    for subscription_id in Subscription.objects.filter(stream=True).values_list("id", flat=True):
        deliver.enqueue(str(subscription_id), str(capture_id))


__all__ = ["deliver", "matching_events", "notify", "signature"]

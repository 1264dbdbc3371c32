"""Telling people: the one function the apps above call, `notify`.

    notify(users, Kind.CERTIFICATE_ISSUED, f"certificate:{cert.pk}",
           {"number": cert.number, "product": product.name}, url=cert.get_absolute_url(),
           subject=cert)

Each recipient gets at most one notice per kind and event, however often the event is
reported; a new notice goes by e-mail (a task, once the transaction commits) when the
person has an address and has not kept that kind to the inbox.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from .models import Notice
from .tasks import send_notice_email


def notify(users, kind, event, params=None, *, url="", subject=None, message=None, email=True):
    """Create the notices not yet sent for `event`; returns the new ones. `message`
    names the wording (default: the kind's); `email=False` when the caller mails
    itself (certificate reminders carry their own letter)."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    if not recipients:
        return []
    told = set(
        Notice.objects.filter(kind=kind, event=event, recipient_id__in=recipients).values_list(
            "recipient_id", flat=True
        )
    )
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    created = []
    for pk, user in recipients.items():
        if pk in told:
            continue
        notice = Notice(
            recipient=user,
            kind=kind,
            event=event,
            message=message or str(kind),
            params=params or {},
            url=url,
            subject_type=subject_type,
            subject_id=str(subject.pk) if subject is not None else "",
        )
        try:
            # A savepoint: a notice made meanwhile by another process is not an error.
            with transaction.atomic():
                notice.save()
        except IntegrityError:
            continue
        created.append(notice)
        if email and user.email:
            transaction.on_commit(lambda pk=notice.pk: send_notice_email.enqueue(pk))
    return created

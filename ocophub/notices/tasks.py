"""E-mail of notices, sent by the task worker (never in a request)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notice, preferences


def letter(notice):
    """(subject, body) of the e-mail for a notice, in the active language."""
    site = settings.SITE_URL
    lines = [notice.body]
    if notice.url:
        lines += ["", site + notice.url]
    lines += [
        "",
        "—",
        _("You receive this because of your notice settings on OCOP Hub: %(url)s")
        % {"url": site + reverse("notices:settings")},
    ]
    return notice.title, "\n".join(lines)


@task()
def send_notice_email(notice_id: int) -> str:
    """Mail one notice to its recipient, once, in the recipient's language, if they
    still want this kind by e-mail."""
    notice = Notice.objects.select_related("recipient").filter(pk=notice_id).first()
    if notice is None:
        return "gone"
    if notice.emailed_at is not None:
        return "already sent"
    user = notice.recipient
    prefs = preferences(user)
    if not user.email or not user.is_active or not prefs.by_email(notice.kind):
        return "not wanted"
    with translation.override(prefs.language or settings.LANGUAGE_CODE):
        subject, body = letter(notice)
    send_mail(subject, body, None, [user.email])
    # Marked only once sent: a failed send can be retried without a second letter.
    Notice.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return "sent"

"""Notices: what the platform tells a person, in the app and by e-mail.

A notice is stored as a message key and its parameters, never as finished text, so it
reads in the language of whoever opens it (the inbox follows the page language, the
e-mail the recipient's chosen one). One notice per (recipient, kind, event): the apps
that notify name the event (``"dossier:12:council:3"``), and telling the same person
about the same event again changes nothing.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ocophub.core.i18n import in_page_language


class Kind(models.TextChoices):
    SCORE_NEEDED = "score_needed", _("A dossier needs your score")
    SCORES_IN = "scores_in", _("All scores are in")
    DOSSIER_RETURNED = "dossier_returned", _("A dossier was returned")
    DOSSIER_PROPOSED = "dossier_proposed", _("A dossier went to a council")
    CERTIFICATE_ISSUED = "certificate_issued", _("A certificate was issued")
    CERTIFICATE_EXPIRING = "certificate_expiring", _("A certificate expires soon")
    IMPORT_FINISHED = "import_finished", _("An import finished")
    LABELS_UNPUBLISHED = "labels_unpublished", _("Labels lead to an unpublished product")
    ENQUIRY_RECEIVED = "enquiry_received", _("A buyer sent an enquiry")
    ENQUIRY_ANSWERED = "enquiry_answered", _("An enquiry was answered")
    ENQUIRY_CLOSED = "enquiry_closed", _("An enquiry was closed")
    LISTING_BROKEN = "listing_broken", _("A shop listing no longer opens")


# Message key -> (title, body). Parameters named "...day" hold ISO dates and are written
# in the reader's date format; a parameter "x_en" replaces "x" on an English page.
MESSAGES = {
    "score_needed": (
        _("“%(product)s” needs your score"),
        _(
            "The dossier of %(product)s (%(producer)s) is before %(council)s and waits for "
            "your score."
        ),
    ),
    "scores_in": (
        _("All scores are in for %(council)s"),
        _("Every member of %(council)s has submitted their sheets: the chair may close scoring."),
    ),
    "dossier_returned": (
        _("The dossier of “%(product)s” was returned"),
        _(
            "The assessment of %(day)s did not propose the dossier of %(product)s to the "
            "province. Open it to see what to complete."
        ),
    ),
    "dossier_proposed": (
        _("The dossier of “%(product)s” went to %(council)s"),
        _("The dossier of %(product)s is now before %(council)s for scoring."),
    ),
    "dossier_proposed_no_council": (
        _("The dossier of “%(product)s” was proposed to the province"),
        _(
            "The dossier of %(product)s was proposed to the province; it goes to the "
            "council once one is set up."
        ),
    ),
    "certificate_issued": (
        _("Certificate %(number)s issued for “%(product)s”"),
        _(
            "%(product)s is recognised as a %(stars)s-star OCOP product, valid from "
            "%(from_day)s until %(until_day)s."
        ),
    ),
    "certificate_expiring": (
        _("Certificate %(number)s for “%(product)s” expires on %(day)s"),
        _(
            "%(left)s days left. To keep the product's stars, apply for re-evaluation "
            "before %(day)s."
        ),
    ),
    "import_finished": (
        _("Import of %(what)s finished"),
        _("%(rows)s rows were imported. Open the list to see them."),
    ),
    "import_failed": (
        _("Import of %(what)s was not applied"),
        _("Nothing was changed: %(error)s"),
    ),
    "labels_unpublished": (
        _("Labels of batch %(batch)s lead to an unpublished product"),
        _(
            "%(product)s is not published yet, so a shopper who scans these labels reads "
            "“unknown”. Publish the product before the labels are used."
        ),
    ),
    "enquiry_received": (
        _("An enquiry about “%(product)s” from %(buyer)s"),
        _("%(buyer)s asks: %(excerpt)s"),
    ),
    "enquiry_answered": (
        _("%(producer)s answered your enquiry about “%(product)s”"),
        _("%(excerpt)s"),
    ),
    "enquiry_closed": (
        _("%(producer)s closed your enquiry about “%(product)s”"),
        _("Reason: %(reason)s."),
    ),
    "enquiry_closed_with_note": (
        _("%(producer)s closed your enquiry about “%(product)s”"),
        _("Reason: %(reason)s. %(producer)s adds: %(note)s"),
    ),
    "listing_broken": (
        _("The %(platform)s listing of “%(product)s” no longer opens"),
        _(
            "The link was checked on %(day)s and did not answer. Update the link or "
            "withdraw the listing."
        ),
    ),
}


def render(message, params):
    """(title, body) of a message key in the active language."""
    title, body = MESSAGES.get(message, (message, ""))
    values = {}
    for key, value in params.items():
        if key.endswith("_en"):
            continue
        if key.endswith("day") and isinstance(value, str):
            try:
                value = date_format(datetime.date.fromisoformat(value))
            except ValueError:
                pass
        elif isinstance(value, str):
            value = in_page_language(value, params.get(f"{key}_en"))
        values[key] = value
    return _fill(title, values), _fill(body, values)


class _Params(dict):
    # A message whose parameters changed since the notice was stored still reads.
    def __missing__(self, key):
        return "…"


def _fill(text, values):
    try:
        return str(text) % _Params(values)
    except (TypeError, ValueError):
        return str(text)


class NoticeQuerySet(models.QuerySet):
    def for_user(self, user):
        """A person's own notices: nobody reads another's inbox, not even a superuser."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # What happened, named by the app that notifies: one notice per recipient and event.
    event = models.CharField(_("event"), max_length=120)
    message = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    # The page the notice leads to (a path on this site).
    url = models.CharField(_("link"), max_length=300, blank=True)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    created = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "event"], name="one_notice_per_event"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_inbox")]

    def __str__(self):
        return self.title

    @property
    def title(self):
        return render(self.message, self.params)[0]

    @property
    def body(self):
        return render(self.message, self.params)[1]

    @property
    def is_read(self):
        return self.read_at is not None


class Preferences(models.Model):
    """A person's choice of which kinds of notice also come by e-mail, and in which
    language. Without a row, every kind comes by e-mail in the site's language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    # Kinds kept to the inbox: a kind added later goes by e-mail until turned off.
    inbox_only = models.JSONField(default=list, blank=True)
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="vi"
    )

    class Meta:
        verbose_name = _("notice preferences")
        verbose_name_plural = _("notice preferences")

    def __str__(self):
        return str(self.user)

    def by_email(self, kind):
        return kind not in self.inbox_only


def preferences(user):
    """The user's preferences, unsaved defaults when they never chose."""
    found = Preferences.objects.filter(user=user).first()
    return found or Preferences(user=user, language=settings.LANGUAGE_CODE)


def wants_email(user, kind):
    return bool(user.email) and user.is_active and preferences(user).by_email(kind)

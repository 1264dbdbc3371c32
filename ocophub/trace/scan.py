"""What the scan page shows: the product, its certificate status in words no one can
misread, producer and place in both eras, batch dates, the EPCIS timeline."""

import datetime
import logging
import time
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ocophub.certificates.models import CertificateStatus, current_certificate, latest_certificate
from ocophub.core.i18n import page_name
from ocophub.epcis.store import timeline_of
from ocophub.epcis.vocab import epc_key
from ocophub.places.models import Commune, Era

from .digital_link import DigitalLinkError, parse
from .suspect import warning

log = logging.getLogger(__name__)


def certificate_state(product, today=None, certificate=False):
    """(css class, headline, detail, certificate, stars shown) for the status box.
    `certificate` may be given when the caller has looked it up already."""
    today = today or timezone.localdate()
    if certificate is False:
        certificate = current_certificate(product, today) or latest_certificate(product)
    if certificate is None:
        if product.is_published and product.stars:
            return (
                "none",
                _("OCOP %(stars)s-star product") % {"stars": product.stars},
                _(
                    "The certificate itself is not on record here yet: ask the provincial "
                    "OCOP office to confirm it is valid."
                ),
                None,
                0,
            )
        return (
            "none",
            _("Not OCOP certified"),
            _("This product holds no OCOP certificate."),
            None,
            0,
        )
    status = certificate.status_on(today)
    until = date_format(certificate.valid_until)
    if status in (CertificateStatus.VALID, CertificateStatus.EXPIRING):
        return (
            "valid",
            _("OCOP %(stars)s-star certificate: VALID") % {"stars": certificate.stars},
            _("Valid until %(date)s") % {"date": until},
            certificate,
            certificate.stars,
        )
    if status == CertificateStatus.REVOKED:
        return (
            "bad",
            _("OCOP certificate REVOKED"),
            _("Revoked on %(date)s. This product may not use the OCOP logo.")
            % {"date": date_format(certificate.revoked_on)},
            certificate,
            0,
        )
    if status == CertificateStatus.EXPIRED:
        return (
            "bad",
            _("OCOP certificate EXPIRED"),
            _(
                "Expired on %(date)s. This product may not use the OCOP logo until it is "
                "re-evaluated."
            )
            % {"date": until},
            certificate,
            0,
        )
    if status == CertificateStatus.SUPERSEDED:
        return (
            "bad",
            _("OCOP certificate REPLACED"),
            _("Certificate %(number)s was replaced and is no longer valid.")
            % {"number": certificate.number},
            certificate,
            0,
        )
    return (
        "none",
        _("OCOP certificate NOT YET VALID"),
        _("Valid from %(date)s") % {"date": date_format(certificate.valid_from)},
        certificate,
        0,
    )


BIZ_STEPS = {
    "commissioning": lambda: _("Produced and labelled"),
    "packing": lambda: _("Packed"),
    "shipping": lambda: _("Shipped"),
    "receiving": lambda: _("Received"),
    "inspecting": lambda: _("Inspected"),
    "retail_selling": lambda: _("Sold"),
    "storing": lambda: _("Stored"),
    "creating_class_instance": lambda: _("Made from its ingredients"),
    "transforming": lambda: _("Processed"),
    "accepting": lambda: _("Accepted"),
    "harvesting": lambda: pgettext("supply chain step", "Harvested"),
}


def _step(event):
    step = str(event.get("bizStep") or "")
    short = step.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    label = BIZ_STEPS.get(short)
    return label() if label else (short.replace("_", " ").capitalize() or event.get("type", ""))


def _when(event):
    text = str(event.get("eventTime") or "")
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text, None
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return date_format(local, "SHORT_DATETIME_FORMAT"), moment


def _place(event):
    for key in ("bizLocation", "readPoint"):
        value = event.get(key)
        if isinstance(value, dict):
            value = value.get("id")
        if value:
            return _place_name(str(value))
    return ""


def _place_name(uri):
    """A location as a person reads it: "GLN 8938888000015" rather than its URI."""
    if uri.startswith("http"):
        try:
            dl = parse(uri)
        except DigitalLinkError:
            return uri
        if dl.key == "414":
            return " · ".join(
                [f"GLN {dl.path[0][1]}"] + [f"{ai} {value}" for ai, value in dl.path[1:]]
            )
    return uri


def _mentions(event):
    found = []
    for key in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
        found.extend(event.get(key) or [])
    for key in ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"):
        found.extend(q.get("epcClass") for q in event.get(key) or [] if isinstance(q, dict))
    return found


ERROR_REASONS = {
    "did_not_occur": lambda: _("it did not happen"),
    "incorrect_data": lambda: _("its data were wrong"),
}


def corrected_by(user):
    """Who declared an event in error, as the public reads it: the producer an account
    speaks for, or the office's role (never an officer's own name)."""
    if user is None:
        return _("the platform")
    names = [p.name for p in user.producers.all()]
    if names:
        return ", ".join(names)
    if user.role:
        return user.get_role_display()
    return _("the platform's administrator")


def _correction(correction):
    if correction is None:
        return None
    reason = str(correction.declaration.get("reason") or "")
    label = ERROR_REASONS.get(reason.rsplit("/", 1)[-1].rsplit("-", 1)[-1].rsplit(":", 1)[-1])
    when, _moment = _when({"eventTime": correction.declaration.get("declarationTime")})
    return {
        "when": when,
        "by": corrected_by(correction.by),
        "reason": label() if label else reason,
    }


def timeline(epcs, labels=None):
    """The EPCIS events about `epcs`, oldest first; empty if the event store fails.
    `labels` names the EPCs that are not the scanned thing itself (its input batches)."""
    # Matched host-free: events keep the host they were captured under (SITE_URL may
    # change), and may name the batch as an EPC URN.
    labels = {epc_key(epc)[0]: label for epc, label in (labels or {}).items()}
    try:
        events, corrections = timeline_of(list(epcs))
    except Exception:  # the scan page must show even if the event store fails
        log.exception("EPCIS timeline failed for %s", epcs)
        return []
    try:
        declared = corrections()
    except Exception:
        log.exception("EPCIS corrections failed for %s", epcs)
        declared = {}
    rows = []
    for event in events:
        when, moment = _when(event)
        keys = (epc_key(e)[0] for e in _mentions(event) if isinstance(e, str))
        about = [labels[k] for k in keys if k in labels]
        rows.append(
            {
                "about": ", ".join(dict.fromkeys(about)),
                "when": when,
                "sort": moment.timestamp() if moment else 0,
                "step": _step(event),
                "type": event.get("type", ""),
                "place": _place(event),
                "correction": _correction(declared.get(event.get("eventID"))),
            }
        )
    rows.sort(key=lambda r: r["sort"])
    return rows


# Unit names change only when the office edits the old-to-new mapping: each process
# keeps the whole table (about 13,000 communes of both eras, read in one query) for a
# few minutes rather than joining six tables on every scan.
PLACE_TTL = 300
# commune id -> (name as recorded, today's name or None)
_place_names: dict[int, tuple[str | None, str | None]] = {}
_place_names_loaded = [float("-inf")]


def _load_place_names(now):
    rows = list(
        Commune.objects.values_list(
            "pk", "name", "district__name", "province__name", "era", "successor_id"
        )
    )
    full = {
        pk: ", ".join(filter(None, (name, district, province)))
        for pk, name, district, province, _e, _s in rows
    }
    _place_names.clear()
    for pk, _name, _district, _province, era, successor_id in rows:
        current = pk if era == Era.CURRENT else successor_id
        _place_names[pk] = (full[pk], full.get(current) if current not in (None, pk) else None)
    _place_names_loaded[0] = now


def commune_names(commune_id):
    """(name as recorded, today's name or None) for a commune of either era."""
    if commune_id is None:
        return None, None
    now = time.monotonic()
    if now - _place_names_loaded[0] >= PLACE_TTL:
        _load_place_names(now)
    names = _place_names.get(commune_id)
    if names is None:  # a commune added since the table was read
        commune = (
            Commune.objects.select_related("district", "province", "successor__province")
            .filter(pk=commune_id)
            .first()
        )
        names = (None, None)
        if commune is not None:
            current = commune.current
            names = (
                commune.full_name(),
                current.full_name() if current is not None and current.pk != commune.pk else None,
            )
        _place_names[commune_id] = names
    return names


def scan_context(request, dl, target, language):
    product = target.product
    state, headline, detail, certificate, stars = certificate_state(
        product, certificate=target.certificate
    )
    photo = next(iter(product.photos.all()[:1]), None)
    batch = target.batch
    origin_id = (batch.origin_commune_id if batch else None) or product.commune_id
    origin_then, origin_now = commune_names(origin_id)
    producer = product.producer
    producer_then, producer_now = commune_names(producer.commune_id)
    other = "en" if language == "vi" else "vi"
    extra = [(k, v) for k, v in dl.extra if k != "lang"] + [("lang", other)]
    switch = (
        dl.canonical_path()
        + "?"
        + "&".join(
            f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in list(dl.attributes) + extra
        )
    )
    inputs = target.inputs
    name = page_name(product, language)
    return {
        "lang": language,
        "other_lang": other,
        "switch_url": switch,
        "product": product,
        "name": name,
        "photo": photo.thumbnail.url
        if photo and photo.thumbnail
        else (photo.image.url if photo else ""),
        "state": state,
        "headline": headline,
        "detail": detail,
        "certificate": certificate,
        "verify_url": certificate.verification_url if certificate else "",
        "stars": range(stars),
        "producer": producer,
        "producer_then": producer_then,
        "producer_now": producer_now,
        "origin_then": origin_then,
        "origin_now": origin_now,
        "batch": batch,
        "serial": target.serial,
        "warning": warning(target.serial) if target.serial else None,
        "inputs": inputs,
        "events": timeline(
            target.epcs, {b.digital_link: f"{b.product.name} · {b.lot}" for b in inputs}
        ),
        "registry_stars": range(product.stars or 0) if state == "none" and not certificate else [],
        "product_url": reverse("products:detail", args=[product.pk]),
        "linkset_url": dl.canonical_path() + "?linkType=all",
    }

"""Codes checked too often: a serialised item's code scanned from more devices or places
than one package would be, as a copied label is. The shopper sees a plain warning on the
scan page; the producer and the office see such codes on the batch page and in a list.

What is kept per scan of a serialised code (ItemScan): the day, and two 16-bit keyed
hashes, one of the browser's self-description (User-Agent and Accept-Language), one of
the network's first half (IPv4 /16, IPv6 /32). Neither the address nor the browser
string is kept, and thousands of people share each hash value, so nothing points to a
person; a code seen under many different values in a few weeks still stands out.
Batch codes are not followed: a batch's one QR code is scanned by every buyer."""

import datetime
import ipaddress
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Count, Max, Min, Q, Sum
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import ngettext

from .models import ItemScan, SerialItem, SuspectCode

LOOPBACK = {"", "127.0.0.1", "::1"}


def _bucket(kind, value):
    return salted_hmac(f"ocophub.trace.suspect.{kind}", value).hexdigest()[:4]


def device_of(request):
    """The coarse device: a short keyed hash of what the browser says it is."""
    headers = request.headers
    return _bucket(
        "device", f"{headers.get('User-Agent', '')}|{headers.get('Accept-Language', '')}"
    )


def client_address(request):
    """The client's address: behind our own nginx on this host (deploy/nginx.conf), the
    last X-Forwarded-For entry, which nginx itself added; else the peer's."""
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in LOOPBACK:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return remote


def place_of(request):
    """The coarse place: a short keyed hash of the network the scan came from (its first
    16 bits for IPv4, 32 for IPv6), blank when the address cannot be read."""
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return ""
    prefix = 16 if address.version == 4 else 32
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    return _bucket("place", str(network))


def is_suspect(devices, places):
    return devices >= settings.TRACE_SUSPECT_DEVICES or places >= settings.TRACE_SUSPECT_PLACES


def review(codes, today):
    """Count again the scans of the (GTIN, serial) codes just written and raise or
    refresh their SuspectCode. Three queries whatever the number of codes."""
    if not codes:
        return
    since = today - datetime.timedelta(days=settings.TRACE_SUSPECT_WINDOW_DAYS - 1)
    recent = Q(day__gte=since)
    of_codes = reduce(or_, (Q(gtin=gtin, serial=serial) for gtin, serial in codes))
    totals = {
        (row["gtin"], row["serial"]): row
        for row in ItemScan.objects.filter(of_codes)
        .values("gtin", "serial")
        .annotate(
            scans=Sum("count"),
            first_day=Min("day"),
            last_day=Max("day"),
            devices=Count("device", distinct=True, filter=recent),
            places=Count("place", distinct=True, filter=recent & ~Q(place="")),
        )
        .order_by()
    }
    items = SerialItem.objects.filter(
        reduce(or_, (Q(product__gtin=gtin, serial=serial) for gtin, serial in totals))
    ).values_list("pk", "product__gtin", "serial")
    known = {s.item_id: s for s in SuspectCode.objects.filter(item_id__in=[i[0] for i in items])}
    for pk, gtin, serial in items:
        row = totals[(gtin, serial)]
        counts = {k: row[k] for k in ("scans", "first_day", "last_day", "devices", "places")}
        suspect = known.get(pk)
        if suspect is not None:
            SuspectCode.objects.filter(pk=suspect.pk).update(**counts)
        elif is_suspect(row["devices"], row["places"]):
            SuspectCode.objects.create(item_id=pk, flagged_on=today, **counts)


def warning(serial_item):
    """What the scan page tells the shopper about a code checked too often, or None."""
    suspect = SuspectCode.objects.filter(item_id=serial_item.pk).first()
    if suspect is None:
        return None
    return ngettext(
        "This code has been checked %(n)s time since %(since)s, from many different "
        "devices or places. The code of one package is rarely checked that often: it may "
        "have been copied. If your package was sealed, tell the producer.",
        "This code has been checked %(n)s times since %(since)s, from many different "
        "devices or places. The code of one package is rarely checked that often: it may "
        "have been copied. If your package was sealed, tell the producer.",
        suspect.scans,
    ) % {"n": suspect.scans, "since": date_format(suspect.first_day)}

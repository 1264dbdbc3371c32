"""Link checks of live listings, by the task worker (never in a request).

`check_listing_links` queues one `check_listing` per live listing, so that a slow shop
holds up one worker for at most a few seconds and workers share the list. Each check
asks HEAD first (cheap); shops that refuse HEAD are asked GET. Listing.record_check
counts the failures in a row and marks the link broken after BROKEN_AFTER; the moment it
breaks, the producer hears it (LISTING_BROKEN). A broken link that answers again is
mended by the next check.

A listing's address is typed by its producer, so the check must not become a way to
reach the server's own network: every address a host resolves to must be public
(`public_address`), on the first request and on each redirect, and the connection goes
to the address that was checked, not to a second lookup.
"""

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from .models import Listing, ListingStatus
from .receivers import tell_listing_broken

TIMEOUT_SECONDS = 8

# Networks the checks may reach although they are not public: none. The tests add the
# loopback address of their local shop server.
REACHABLE_NETWORKS: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()


class AddressRefused(OSError):
    """The host resolves to an address the link check must not reach."""


def public_address(text):
    """Is this an address on the public internet (not private, loopback, link-local,
    reserved, multicast or unspecified, also when written as IPv4 inside IPv6)?"""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    if any(address in network for network in REACHABLE_NETWORKS):
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def checked_connection(address, timeout=TIMEOUT_SECONDS, source_address=None):
    """socket.create_connection for the link check: resolve the host once, refuse it if
    any of its addresses is not public, then connect to those very addresses."""
    host, port = address
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    refused = [a for a in addresses if not public_address(a)]
    if refused or not addresses:
        raise AddressRefused(f"{host} resolves to an address not on the internet: {refused}")
    error = None
    for resolved in addresses:
        try:
            return socket.create_connection((resolved, port), timeout, source_address)
        except OSError as exc:
            error = exc
    raise error or AddressRefused(host)


class CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = checked_connection


class CheckedHTTPSConnection(http.client.HTTPSConnection):
    # The certificate is still checked against the host name (connect wraps the socket
    # with server_hostname=self.host).
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = checked_connection


class CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(CheckedHTTPConnection, req)


class CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(CheckedHTTPSConnection, req)


def link_opener():
    """Only http(s) through the checked connections, redirects followed (each one
    connects through them again); no proxy, no ftp, file or data addresses."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        CheckedHTTPHandler(),
        CheckedHTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ):
        opener.add_handler(handler)
    return opener


def link_answers(url, timeout=TIMEOUT_SECONDS):
    """Does the address answer with a page (any status below 400, redirects followed)?
    An address that is, or leads to, a host not on the internet does not."""
    headers = {"User-Agent": f"OCOPHub-link-check (+{settings.SITE_URL})"}
    opener = link_opener()
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with opener.open(request, timeout=timeout) as reply:
                if reply.status < 400:
                    return True
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, AddressRefused):
                return False  # asking again by GET would be refused the same way
        except (OSError, ValueError, http.client.HTTPException):
            pass  # HEAD refused or failed: ask GET; GET failed: the link is down.
    return False


@task()
def check_listing(listing_id: int) -> str:
    """Check one live listing's link and record the result."""
    listing = (
        Listing.objects.select_related("product__producer", "made_by")
        .filter(pk=listing_id, status=ListingStatus.LIVE)
        .first()
    )
    if listing is None:
        return "not live"
    ok = link_answers(listing.url)
    with transaction.atomic():
        was_broken = listing.broken
        listing.record_check(ok, timezone.now())
        if listing.broken and not was_broken:
            tell_listing_broken(listing)
            return "broken"
    return "answers" if ok else f"failed {listing.failed_checks}"


@task()
def check_listing_links() -> int:
    """Queue a check of every live listing, the longest unchecked first."""
    ids = list(
        Listing.objects.filter(status=ListingStatus.LIVE)
        .order_by(F("checked_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        check_listing.enqueue(pk)
    return len(ids)

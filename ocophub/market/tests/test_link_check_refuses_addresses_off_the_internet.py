"""A listing's address is the producer's to type: the link check must not reach the
server's own network (private, loopback, link-local, reserved), also by a redirect."""

import socket

import pytest

from ocophub.market import tasks
from ocophub.market.models import Listing, ListingStatus

from .conftest import Shopfront


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared (carrier-grade NAT)
        "0.0.0.0",
        "240.0.0.1",  # reserved
        "224.0.0.1",  # multicast
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",  # IPv4 loopback written as IPv6
        "::ffff:10.0.0.1",
        "not an address",
    ],
)
def test_addresses_off_the_internet_are_refused(address):
    assert not tasks.public_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "203.113.131.1", "2001:4860:4860::8888"])
def test_public_addresses_are_allowed(address):
    assert tasks.public_address(address)


def resolver(table, monkeypatch):
    """Answer name lookups from `table`; anything else as the system would."""
    system = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in table:
            family = socket.AF_INET6 if ":" in table[host][0] else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (a, port)) for a in table[host]]
        return system(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_shop_on_the_servers_own_machine_is_not_asked(local_shop):
    assert not tasks.link_answers(f"{local_shop}/ok")
    assert Shopfront.asked == []  # refused before connecting, not failed after


def test_a_host_with_one_private_address_among_public_ones_is_refused_unconnected(
    monkeypatch,
):
    resolver({"shop.example": ["203.113.131.1", "10.0.0.7"]}, monkeypatch)
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))
    assert not tasks.link_answers("https://shop.example/p/mat-ong")
    assert not tasks.link_answers("http://shop.example:8080/p/mat-ong")
    assert connected == []


def test_a_redirect_to_a_private_host_is_refused(shop_server, monkeypatch):
    resolver({"metadata.example": ["169.254.169.254"]}, monkeypatch)
    assert not tasks.link_answers(f"{shop_server}/to-metadata")
    # The shop was asked once; the redirect was refused, and not asked again by GET.
    assert Shopfront.asked == ["HEAD /to-metadata"]
    assert tasks.link_answers(f"{shop_server}/moved")  # a redirect within the shop is followed


def test_a_refused_listing_counts_as_failing_and_is_marked_broken(local_shop, certified):
    listing = Listing.objects.create(
        product=certified["honey"],
        platform="own_site",
        url=f"{local_shop}/ok",
        status=ListingStatus.LIVE,
    )
    for _run in range(3):
        tasks.check_listing.enqueue(listing.pk)
    listing.refresh_from_db()
    assert listing.broken and Shopfront.asked == []

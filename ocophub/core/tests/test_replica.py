"""With a read replica configured, the dashboards and the public home page read from it
and every other page from the primary; without one, everything reads the primary."""

import pytest
from django.urls import reverse

from ocophub.core import replica
from ocophub.core.replica import REPLICA, ReplicaRouter, reads_from_replica


@pytest.fixture
def asked(monkeypatch):
    """The database each read asked the router for; the queries themselves still run on
    the test database (a replica is the primary's copy, so the rows are the same)."""
    seen: list[str | None] = []
    real = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append(real(self, model, **hints))
        return None

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    return seen


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def test_the_router_is_installed_and_sends_nothing_anywhere_without_a_replica(settings):
    assert "ocophub.core.replica.ReplicaRouter" in settings.DATABASE_ROUTERS
    assert REPLICA not in settings.DATABASES
    assert reads_from_replica(lambda: ReplicaRouter().db_for_read(None))() is None


def test_inside_a_replica_view_reads_go_to_the_replica_and_writes_to_the_primary(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(None) is None
    assert reads_from_replica(lambda: router.db_for_read(None))() == REPLICA
    assert reads_from_replica(lambda: router.db_for_write(None))() is None
    # The flag ends with the view, even when the view fails.
    with pytest.raises(ZeroDivisionError):
        reads_from_replica(lambda: 1 / 0)()
    assert router.db_for_read(None) is None


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate(REPLICA, "products") is False
    assert router.allow_migrate("default", "products") is True


def test_the_dashboard_and_home_page_read_the_replica(
    client, province_officer, with_replica, asked
):
    assert client.get("/").status_code == 200
    assert asked and set(asked) == {REPLICA}
    asked.clear()
    client.force_login(province_officer)
    assert client.get(reverse("programme:dashboard")).status_code == 200
    assert REPLICA in asked


def test_other_pages_read_the_primary_even_with_a_replica(
    client, province_officer, with_replica, asked
):
    client.force_login(province_officer)
    assert client.get(reverse("products:list")).status_code == 200
    assert asked and REPLICA not in asked

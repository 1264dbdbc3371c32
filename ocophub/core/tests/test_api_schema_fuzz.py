"""Schemathesis over the whole OpenAPI schema (/api/v1/openapi.json), in process through
the WSGI application, on the demo data, anonymously and with a bearer token per role:
whatever a careless or hostile client sends, no operation answers a server error, and
every answer has a status code and a body its operation documents. A bounded run (fixed
seed, a few examples per operation); `make fuzz` (`SCHEMATHESIS_EXAMPLES=50`) runs longer."""

import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ocophub.testing.builders import bearer_headers

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
# Demo users (accounts/demo.py) whose scopes differ: the whole province, one producer's
# own records, the province read-only; None is an anonymous client.
ROLES = (None, "province", "producer", "inspector")
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture(scope="module")
def headers_by_role(django_db_setup, django_db_blocker):
    """The demo data and each role's Authorization header (a fresh token), loaded once
    for the module's operations and rolled back after them (each operation's test runs
    in a savepoint inside)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=open(os.devnull, "w"))
        yield {name: bearer_headers(name) if name else {} for name in ROLES}
        transaction.set_rollback(True)


@pytest.fixture
def api_schema(headers_by_role, db, settings):
    # Each example is one more request from 127.0.0.1: the limits have tests of their own.
    settings.RATE_LIMITS_ENABLED = False
    # As Django's test client does: a request's end must not close the test's database
    # connection (PostgreSQL would lose the test transaction; SQLite's memory one keeps it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Deleting a page token answers 501 Not Implemented, as the EPCIS REST binding allows
# (tokens are signed and expire by themselves): a documented answer, not a failure.
schema = schemathesis.pytest.from_fixture("api_schema").exclude(
    method="DELETE", path="/api/v1/epcis/nextPageToken/{token}"
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_a_documented_status_and_body_for_every_role(case, headers_by_role):
    for role in ROLES:
        case.call_and_validate(headers=headers_by_role[role], checks=CHECKS)

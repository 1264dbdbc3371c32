"""Schemathesis over the whole OpenAPI schema (/api/v1/openapi.json), in process through
the WSGI application: whatever a careless or hostile client sends, no operation answers
a server error. A bounded run (fixed seed, a few examples per operation);
`SCHEMATHESIS_EXAMPLES=50` runs longer."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))


@pytest.fixture
def api_schema(db, settings):
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
def test_no_operation_answers_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error])

"""Subscriptions to a named query: each capture's matching events reach the subscriber's
webhook (a local HTTP receiver here), signed, retried when the receiver fails, with the
subscriber's read scope."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ocophub.epcis import subscriptions
from ocophub.epcis.models import Subscription
from ocophub.testing.epcis import client_for, document, gtin, item, object_event, post_document

pytestmark = pytest.mark.django_db

BASE = "/api/v1/epcis"


class Receiver:
    """A webhook endpoint: keeps what it is sent; answers 500 to the first `failures`."""

    def __init__(self):
        self.received = []
        self.failures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.failures > 0:
                    receiver.failures -= 1
                    self.send_response(500)
                else:
                    receiver.received.append((self.headers, body))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/callback"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def documents(self):
        return [json.loads(body) for _headers, body in self.received]

    def event_ids(self):
        return [
            [e["eventID"] for e in d["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]
            for d in self.documents()
        ]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()
    r.server.server_close()


@pytest.fixture
def staff(province_officer):
    return client_for(province_officer)


@pytest.fixture
def published(make_producer, make_product):
    return make_product(make_producer(), name="Mật ong", gtin=gtin(11), status="certified")


def eid(n):
    return object_event(n)["eventID"]


def make_query(client, name, query):
    reply = client.post(
        f"{BASE}/queries",
        data=json.dumps({"name": name, "query": query}),
        content_type="application/json",
    )
    assert reply.status_code == 201, reply.content


def subscribe(client, name, **body):
    return client.post(
        f"{BASE}/queries/{name}/subscriptions",
        data=json.dumps(body),
        content_type="application/json",
    )


def capture(client, *events, callbacks):
    with callbacks(execute=True):
        assert post_document(client, document(*events)).status_code == 202


def test_a_capture_reaches_the_webhook_signed_with_only_the_matching_events(
    staff, receiver, django_capture_on_commit_callbacks
):
    make_query(staff, "shipped", {"EQ_bizStep": ["shipping"]})
    reply = subscribe(staff, "shipped", dest=receiver.url, signatureToken="s3cret", stream=True)
    assert reply.status_code == 201, reply.content
    subscription_id = reply.json()["subscriptionID"]
    assert reply["Location"] == f"{BASE}/queries/shipped/subscriptions/{subscription_id}"
    assert "signatureToken" not in reply.json()

    capture(
        staff,
        object_event(1, bizStep="shipping"),
        object_event(2, bizStep="receiving"),
        callbacks=django_capture_on_commit_callbacks,
    )

    assert receiver.event_ids() == [[eid(1)]]
    headers, body = receiver.received[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["GS1-Signature"] == expected
    assert headers["Content-Type"] == "application/json"
    results = receiver.documents()[0]["epcisBody"]["queryResults"]
    assert results["subscriptionID"] == subscription_id
    assert results["queryName"] == "shipped"
    assert Subscription.objects.get().last_notified_at is not None
    # A capture with nothing matching sends nothing.
    capture(
        staff, object_event(3, bizStep="receiving"), callbacks=django_capture_on_commit_callbacks
    )
    assert len(receiver.received) == 1


def test_a_failing_receiver_is_tried_again_until_it_answers(
    staff, receiver, django_capture_on_commit_callbacks
):
    make_query(staff, "all", {})
    assert subscribe(staff, "all", dest=receiver.url, stream=True).status_code == 201
    receiver.failures = 2

    with django_capture_on_commit_callbacks(execute=True):
        assert post_document(staff, document(object_event(1))).status_code == 202

    # Two answers of 500, then delivered on the third try.
    assert receiver.failures == 0
    assert receiver.event_ids() == [[eid(1)]]


def test_delivery_gives_up_after_the_configured_attempts(staff, receiver, monkeypatch):
    monkeypatch.setattr(subscriptions, "ATTEMPTS", 3)
    make_query(staff, "all", {})
    subscribe(staff, "all", dest=receiver.url, stream=True)
    assert post_document(staff, document(object_event(1))).status_code == 202
    receiver.failures = 10
    subscription = Subscription.objects.get()
    capture_id = subscription.query.created_by.epcis_captures.get().pk

    result = subscriptions.deliver.enqueue(str(subscription.pk), str(capture_id))

    assert result.return_value["status"] == "retrying"
    assert receiver.failures == 7  # three tries in all
    assert receiver.received == []
    assert Subscription.objects.get().last_notified_at is None


def test_an_unreachable_webhook_does_not_undo_the_capture(
    staff, django_capture_on_commit_callbacks
):
    make_query(staff, "all", {})
    subscribe(staff, "all", dest="http://127.0.0.1:9/nobody", stream=True)
    capture(staff, object_event(1), callbacks=django_capture_on_commit_callbacks)
    assert staff.get(f"{BASE}/events/{eid(1)}").status_code == 200


def test_deliveries_have_the_subscribers_read_scope(
    staff, producer_account, published, receiver, django_capture_on_commit_callbacks
):
    producer = client_for(producer_account)
    make_query(producer, "everything", {})
    assert subscribe(producer, "everything", dest=receiver.url, stream=True).status_code == 201
    public = object_event(1, epcList=[item(gtin(11), "1")])
    private = object_event(2, epcList=["urn:epc:id:sscc:8930000.0000000009"])
    capture(staff, public, private, callbacks=django_capture_on_commit_callbacks)
    assert receiver.event_ids() == [[eid(1)]]


def test_initial_record_time_sends_the_backlog_once(
    staff, receiver, django_capture_on_commit_callbacks
):
    assert post_document(staff, document(object_event(1), object_event(2))).status_code == 202
    make_query(staff, "all", {})
    with django_capture_on_commit_callbacks(execute=True):
        reply = subscribe(
            staff, "all", dest=receiver.url, stream=True, initialRecordTime="2020-01-01T00:00:00Z"
        )
    assert reply.status_code == 201, reply.content
    assert receiver.event_ids() == [[eid(1), eid(2)]]


def test_subscriptions_are_listed_read_and_deleted_by_their_subscriber(
    staff, producer_account, receiver
):
    make_query(staff, "all", {})
    made = subscribe(staff, "all", dest=receiver.url, stream=True)
    # Without a signatureToken the server makes one and shows it this once.
    assert len(made.json()["signatureToken"]) == 40
    sid = made.json()["subscriptionID"]
    listed = staff.get(f"{BASE}/queries/all/subscriptions").json()
    assert [s["subscriptionID"] for s in listed] == [sid]
    assert "signatureToken" not in listed[0] and "secret" not in listed[0]
    one = staff.get(f"{BASE}/queries/all/subscriptions/{sid}")
    assert one.json()["dest"] == receiver.url
    other = client_for(producer_account)
    assert other.get(f"{BASE}/queries/all/subscriptions/{sid}").status_code == 404
    assert other.delete(f"{BASE}/queries/all/subscriptions/{sid}").status_code == 404
    assert staff.delete(f"{BASE}/queries/all/subscriptions/{sid}").status_code == 204
    assert not Subscription.objects.exists()


def test_a_subscription_needs_a_web_address_and_stream(staff):
    make_query(staff, "all", {})
    cases = [
        ({"dest": "ftp://example.com/x", "stream": True}, 400, "$.dest"),
        ({"dest": "https://example.com/x"}, 400, "$.stream"),
        ({"dest": "https://example.com/x", "stream": True, "initialRecordTime": "soon"}, 400, None),
        ({"dest": "https://example.com/x", "schedule": {"hour": "1"}}, 501, None),
    ]
    for body, status, path in cases:
        reply = subscribe(staff, "all", **body)
        assert reply.status_code == status, (body, reply.content)
        assert reply["Content-Type"] == "application/problem+json"
        if path:
            assert reply.json()["problems"][0]["path"] == path
    assert subscribe(staff, "nothing", dest="https://example.com/x", stream=True).status_code == 404
    assert not Subscription.objects.exists()

import datetime
import http.server
import ipaddress
import threading

import pytest

from ocophub.conftest import current_commune
from ocophub.market import tasks
from ocophub.market.models import Listing, ListingStatus, Shop
from ocophub.testing.builders import issue

QUYET_THANG = 5323  # a current commune (Lạc Sơn area)


@pytest.fixture
def certified(make_producer, make_product):
    """A 4-star honey with a GTIN, a live Postmart listing and a shop, and a 3-star rice
    whose certificate expired (decided in 2019: 36 months ended in 2022)."""
    producer = make_producer(
        name="Hợp tác xã Thanh An", member_count=12, commune=current_commune(QUYET_THANG)
    )
    honey = make_product(
        producer,
        name="Mật ong hoa nhãn Thanh An",
        name_en="Thanh An longan honey",
        gtin="8930000000019",
        story="Ong nuôi dưới tán rừng nhãn.",
    )
    issue(honey, stars=4, valid_from=datetime.date(2025, 3, 15))
    rice = make_product(producer, name="Gạo nếp cái hoa vàng")
    issue(rice, stars=3, valid_from=datetime.date(2019, 1, 10))
    Listing.objects.create(
        product=honey,
        platform="postmart",
        url="https://postmart.vn/p/mat-ong",
        price=180000,
        status=ListingStatus.LIVE,
    )
    shop = Shop.objects.create(
        name="Cửa hàng OCOP Đà Bắc",
        kind="ocop_shop",
        address="Tiểu khu Mu",
        commune=producer.commune,
        hours="7:00–18:00",
    )
    shop.products.add(honey)
    honey.refresh_from_db()
    rice.refresh_from_db()
    return {"honey": honey, "rice": rice, "producer": producer, "shop": shop}


class Shopfront(http.server.BaseHTTPRequestHandler):
    """A shop platform on localhost: /ok answers, /no-head refuses HEAD but serves GET,
    /moved redirects to /ok, /to-metadata redirects to a cloud metadata host, anything
    else is gone (404); `down` makes /flaky fail. `asked` lists the requests served."""

    down = True
    asked: list[str] = []

    def answer(self, body):
        Shopfront.asked.append(f"{self.command} {self.path}")
        path = self.path
        if path == "/flaky":
            path = "/gone" if Shopfront.down else "/ok"
        if path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif path in ("/moved", "/to-metadata"):
            self.send_response(301)
            where = "/ok" if path == "/moved" else "http://metadata.example/latest/"
            self.send_header("Location", where)
        elif path in ("/ok", "/no-head"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "2" if body else "0")
        self.end_headers()
        if body:
            self.wfile.write(b"ok")

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_shop():
    """The shop server on 127.0.0.1, which the link check must refuse to reach."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Shopfront)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Shopfront.down, Shopfront.asked = True, []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def shop_server(local_shop, monkeypatch):
    """The same server, made reachable: the tests of what a check records."""
    loopback = (ipaddress.ip_network("127.0.0.1/32"),)
    monkeypatch.setattr(tasks, "REACHABLE_NETWORKS", loopback)
    return local_shop

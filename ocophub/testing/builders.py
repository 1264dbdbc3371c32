"""Saved, validated registry records with plausible defaults, for tests.

Each builder takes the fields a test cares about and fills the rest::

    producer = make_producer(account=producer_account, name="HTX Thanh An")
    honey = make_product(producer, gtin="8930000000019", status=Lifecycle.CERTIFIED)
    make_certificate(honey, stars=4, valid_from=datetime.date(2024, 3, 15))
    lot = make_batch(honey, producer_account, lot="MO2025-07")

`producer_builder()` and `product_builder()` give a builder with its own numbering (the
pytest fixtures `make_producer`/`make_product` take a fresh one per test, so names and
tax numbers run 1, 2, 3 in each test).
"""

import datetime
import itertools
from collections.abc import Callable
from typing import Any

from stdnum.vn import mst

from ocophub.accounts.models import ApiToken, User
from ocophub.certificates.issuing import issue_certificate
from ocophub.certificates.models import Certificate
from ocophub.places.models import Commune, Era
from ocophub.producers.models import Producer
from ocophub.products.models import Product, ProductGroup
from ocophub.support.models import Course, Session
from ocophub.trace.models import Batch
from ocophub.trace.services import create_batch

MY_THANH = 5275  # a legacy commune of Lạc Sơn (Hòa Bình), the default home of a producer

_certificate_numbers = itertools.count(1)


def _default_commune() -> Commune:
    return Commune.objects.get(era=Era.LEGACY, code=MY_THANH)


def producer_builder() -> Callable[..., Any]:
    """`build(commune=None, account=None, **fields)`: a cooperative with a valid tax
    number, in Mỹ Thành unless `commune` is given, owned by `account` if given."""
    counter = itertools.count(1)

    def build(commune: Commune | None = None, account: Any = None, **fields: Any) -> Any:
        n = next(counter)
        body = f"5400{n:05d}"
        while not mst.is_valid(body + mst.calc_check_digit(body)):
            # Some bodies have no valid check digit ("10"): take the next one.
            n = next(counter)
            body = f"5400{n:05d}"
        fields.setdefault("kind", "cooperative")
        fields.setdefault("name", f"Hợp tác xã thử nghiệm {n}")
        fields.setdefault("representative", "Bùi Văn Thử")
        producer = Producer(
            registration_number=body + mst.calc_check_digit(body),
            commune=commune or _default_commune(),
            **fields,
        )
        producer.full_clean()
        producer.save()
        if account is not None:
            producer.accounts.add(account)
        return producer

    return build


def product_builder() -> Callable[..., Any]:
    """`build(producer, name="Mật ong Thanh An", **fields)`: a honey product (group 1.4
    of 2023) made in the producer's commune unless `commune` is given."""

    def build(producer: Any, name: str = "Mật ong Thanh An", **fields: Any) -> Any:
        fields.setdefault("group_2023", ProductGroup.objects.get(classification="2023", code="1.4"))
        fields.setdefault("commune", producer.commune)
        product = Product(name=name, producer=producer, **fields)
        product.full_clean()
        product.save()
        return product

    return build


make_producer = producer_builder()
make_product = product_builder()


def make_certificate(
    product: Any,
    stars: int = 3,
    valid_from: datetime.date = datetime.date(2023, 6, 1),
    **fields: Any,
) -> Any:
    """A certificate stored as it is (no decision, no checks): number `T-n`, 36 months
    unless `valid_until` is given, issued by the province of Hòa Bình."""
    fields.setdefault("number", f"T-{next(_certificate_numbers)}")
    fields.setdefault("issued_by", "UBND tỉnh Hòa Bình")
    return Certificate.objects.create(product=product, stars=stars, valid_from=valid_from, **fields)


def issue(
    product: Any,
    stars: int = 3,
    valid_from: datetime.date = datetime.date(2024, 3, 15),
    **fields: Any,
) -> Any:
    """A certificate through the certificates app's own rule (`issue_certificate`:
    numbering, supersession, the product's stars), score 62 unless given."""
    fields.setdefault("score", 62)
    fields.setdefault("issued_by", "UBND tỉnh Hòa Bình")
    return issue_certificate(product=product, stars=stars, valid_from=valid_from, **fields)


def make_batch(
    product: Any, user: Any = None, lot: str = "MO2025-07", inputs: Any = (), **fields: Any
) -> Any:
    """A validated batch of `product` (made from the batches `inputs`, if any) created
    as the app does (`create_batch`, which records its commissioning, and its
    transformation when it has inputs, in EPCIS); the product needs a GTIN. Produced
    on 1 July 2025 unless `production_date` is given."""
    fields.setdefault("production_date", datetime.date(2025, 7, 1))
    batch = Batch(product=product, lot=lot, **fields)
    batch.full_clean()
    return create_batch(batch, inputs, user=user)


def make_course(commune: Any, sessions: Any = (), topic: str = "Nuôi ong lấy mật") -> Any:
    """A validated husbandry course in `commune`, with a session on each day of
    `sessions`, running from the first to the last (10 March 2025 if none)."""
    days = sorted(sessions) or [datetime.date(2025, 3, 10)]
    course = Course(
        topic=topic, commune=commune, field="husbandry", starts_on=days[0], ends_on=days[-1]
    )
    course.full_clean()
    course.save()
    for day in sessions:
        Session.objects.create(course=course, held_on=day)
    return course


def bearer_headers(username: str) -> dict[str, str]:
    """The Authorization header of a fresh API token for the user of this username."""
    return {"Authorization": f"Bearer {ApiToken.issue(User.objects.get(username=username))}"}

"""The catalogue decides "certified today" from the search entry's runs of certified days
(search.listed_columns), kept by the certificate receivers; these cases check it gives
what the certificates themselves say, on any day."""

import datetime
from types import SimpleNamespace

from ocophub.market.catalogue import CatalogueQuery, search_catalogue
from ocophub.market.models import SearchEntry
from ocophub.market.search import certified_runs, listed_columns
from ocophub.testing.builders import issue

D = datetime.date


def certificate(start, end, revoked=None, superseded=None):
    return SimpleNamespace(
        valid_from=start, valid_until=end, revoked_on=revoked, superseded_on=superseded
    )


def test_touching_periods_make_one_run_and_a_revocation_ends_one_the_day_before():
    runs = certified_runs(
        [
            certificate(D(2022, 1, 1), D(2024, 12, 31), superseded=D(2024, 6, 1)),
            certificate(D(2024, 6, 1), D(2027, 5, 31), revoked=D(2025, 3, 10)),
            certificate(D(2026, 1, 1), D(2028, 12, 31)),
        ]
    )
    assert runs == [(D(2022, 1, 1), D(2025, 3, 9)), (D(2026, 1, 1), D(2028, 12, 31))]


def test_the_entry_keeps_the_run_holding_the_day_or_the_next_and_says_what_lies_around():
    certificates = [
        certificate(D(2019, 1, 1), D(2021, 12, 31)),
        certificate(D(2023, 1, 1), D(2025, 12, 31)),
        certificate(D(2027, 1, 1), D(2029, 12, 31)),
    ]
    in_gap = listed_columns(certificates, D(2026, 6, 1))
    assert (in_gap["listed_from"], in_gap["listed_until"]) == (D(2027, 1, 1), D(2029, 12, 31))
    assert in_gap["listed_before"] and not in_gap["listed_after"]
    during = listed_columns(certificates, D(2024, 1, 1))
    assert during["listed_from"] == D(2023, 1, 1)
    assert during["listed_before"] and during["listed_after"]
    none = listed_columns([], D(2024, 1, 1))
    assert none["listed_from"] is None and not none["listed_after"]


def test_a_lapsed_and_renewed_product_is_listed_exactly_on_its_certified_days(
    make_producer, make_product
):
    honey = make_product(make_producer(name="Hợp tác xã Thanh An"), name="Mật ong hoa nhãn")
    issue(honey, stars=3, valid_from=D(2019, 1, 10))  # in force to 9 Jan 2022
    issue(honey, stars=4, valid_from=D(2023, 6, 1))  # in force to 31 May 2026
    query = CatalogueQuery(q="mat ong")
    for day, expected in [
        (D(2018, 12, 31), []),
        (D(2020, 5, 1), [honey.pk]),
        (D(2022, 1, 9), [honey.pk]),
        (D(2022, 1, 10), []),
        (D(2024, 1, 1), [honey.pk]),
        (D(2026, 5, 31), [honey.pk]),
        (D(2026, 6, 1), []),
    ]:
        assert search_catalogue(query, day=day).ids == expected, day


def test_a_certificate_written_after_the_product_moves_its_entry(make_producer, make_product):
    rice = make_product(make_producer(name="Hợp tác xã Thanh An"), name="Gạo nếp cái hoa vàng")
    entry = SearchEntry.objects.get(product=rice)
    assert entry.listed_from is None and entry.stars is None
    issued = issue(rice, stars=4, valid_from=D(2025, 3, 15))
    entry.refresh_from_db()
    assert (entry.listed_from, entry.stars) == (D(2025, 3, 15), 4)
    issued.revoked_on = D(2025, 9, 1)
    issued.save()
    entry.refresh_from_db()
    assert entry.listed_until == D(2025, 8, 31)
    assert search_catalogue(CatalogueQuery(), day=D(2025, 8, 31)).ids == [rice.pk]
    assert search_catalogue(CatalogueQuery(), day=D(2025, 9, 1)).ids == []

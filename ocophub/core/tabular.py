"""Reading and writing CSV and XLSX tables for imports and exports.

Reading turns an upload into a header row and a list of row dicts, or raises TableError
with a message that says what to fix. Writing turns rows into a download.

Every spreadsheet the platform writes goes through here, so text is written as text
(OWASP's CSV injection): an XLSX cell holding a string is a string cell, never a formula,
whatever it starts with; a CSV value starting with =, +, -, @, tab or CR gets a leading
apostrophe, which reading a CSV takes off again, so an export imports back unchanged.
"""

import csv
import io
import zipfile

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

MAX_ROWS = 50_000


# What a spreadsheet program reads as the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    pass


def csv_text(value):
    """A CSV value no spreadsheet program runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_value(value):
    """A read CSV value as typed before `csv_text` escaped it."""
    if value[:1] == "'" and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def text_cell(sheet, value):
    """A cell for `sheet.append`: strings as string cells (openpyxl otherwise writes any
    string starting with "=" as a formula), other values as they are."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


class TextWorkbook(Workbook):
    """An openpyxl Workbook whose sheets' `append` writes text as text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for sheet in self._sheets:
            self._text_only(sheet)

    def create_sheet(self, title=None, index=None):
        return self._text_only(super().create_sheet(title, index))

    @staticmethod
    def _text_only(sheet):
        append = sheet.append
        sheet.append = lambda row: append([text_cell(sheet, value) for value in row])
        return sheet


class Row(dict):
    """One data row, keyed by column, remembering its line in the file for reports."""

    def __init__(self, values, line):
        super().__init__(values)
        self.line = line


def _clean(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.date().isoformat() if hasattr(value, "date") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(upload, required=()):
    """Return (headers, rows) from an uploaded .csv or .xlsx file."""
    name = (getattr(upload, "name", "") or "").lower()
    data = upload.read()
    if not data:
        raise TableError(_("The file is empty."))
    if name.endswith(".xlsx") or data[:2] == b"PK":
        headers, rows = _read_xlsx(data)
        lines = list(range(2, len(rows) + 2))  # the header is line 1
    elif name.endswith((".csv", ".txt")) or not name:
        headers, rows, lines = _read_csv(data)
    else:
        raise TableError(_("Upload a .csv or .xlsx file; “%(name)s” is neither.") % {"name": name})
    headers = [h.strip().lower() for h in headers]
    missing = [c for c in required if c not in headers]
    if missing:
        raise TableError(
            _("Missing column(s): %(cols)s. The first row must name the columns: %(all)s.")
            % {"cols": ", ".join(missing), "all": ", ".join(required)}
        )
    if len(rows) > MAX_ROWS:
        raise TableError(
            _("The file has %(n)s rows; split it into files of at most %(max)s.")
            % {"n": len(rows), "max": MAX_ROWS}
        )
    table = []
    for line, values in zip(lines, rows, strict=True):
        if not any(_clean(v) for v in values):
            continue  # blank lines are not rows, but still count as lines
        table.append(Row(zip(headers, (_clean(v) for v in values), strict=False), line))
    if not table:
        raise TableError(_("The file has a header row but no data rows."))
    return headers, table


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            _(
                "The file is not UTF-8 text (byte %(pos)s). In Excel choose “Save as → CSV UTF-8”, "
                "or upload the .xlsx file itself."
            )
            % {"pos": exc.start}
        ) from exc
    if "\x00" in text:
        raise TableError(_("The file contains binary data; upload a CSV or XLSX table."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    # Each row with the line of the file it starts on: a quoted value may span lines.
    rows, lines = [], []
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        start = 1
        for row in reader:
            rows.append([_csv_value(v) for v in row])
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise TableError(_("The CSV is malformed: %(error)s.") % {"error": exc}) from exc
    if not rows:
        raise TableError(_("The file is empty."))
    width = len(rows[0])
    for line, row in zip(lines[1:], rows[1:], strict=True):
        # A value running over a line end and holding the separator is a quote left
        # open: it swallowed the rows after it.
        if any("\n" in v and dialect.delimiter in v for v in row):
            raise TableError(
                _(
                    'Row %(row)s opens a quote (") that is not closed on its line, so the '
                    "rows after it were read as one value; close the quote or remove it."
                )
                % {"row": line}
            )
        if len(row) > width and any(v.strip() for v in row[width:]):
            raise TableError(
                _(
                    "Row %(row)s has %(n)s values but the header names %(w)s columns; check for "
                    "unquoted commas."
                )
                % {"row": line, "n": len(row), "w": width}
            )
        if 0 < len(row) < width and any(v.strip() for v in row):
            raise TableError(
                _(
                    "Row %(row)s has %(n)s values but the header names %(w)s columns; give "
                    "every column a value, empty ones too (“a,,c”)."
                )
                % {"row": line, "n": len(row), "w": width}
            )
    return rows[0], rows[1:], lines[1:]


def _read_xlsx(data):
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise TableError(
            _(
                "The file is not a readable .xlsx workbook; save it again from Excel "
                "or LibreOffice as .xlsx."
            )
        ) from exc
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        raise TableError(_("The workbook's first sheet is empty."))
    return [_clean(h) for h in rows[0]], rows[1:]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fill(sheet, headers, rows):
    """Bold headers, the rows, and columns as wide as their text (up to a point)."""
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for col in sheet.columns:
        sheet.column_dimensions[col[0].column_letter].width = min(
            60, max(10, *(len(str(c.value or "")) + 2 for c in col[:200]))
        )


def _xlsx_response(book):
    out = io.BytesIO()
    book.save(out)
    return HttpResponse(out.getvalue(), content_type=XLSX)


def _csv_response(headers, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_text(h) for h in headers])
    writer.writerows([csv_text(v) for v in row] for row in rows)
    return HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")


def _attachment(response, filename, fmt):
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def table_response(filename, headers, rows, fmt):
    """A CSV (UTF-8 with BOM, so Excel shows Vietnamese right) or XLSX download."""
    if fmt == "xlsx":
        book = TextWorkbook()
        _fill(book.active, headers, rows)
        response = _xlsx_response(book)
    else:
        response = _csv_response(headers, rows)
    return _attachment(response, filename, fmt)


def sheets_response(filename, sheets, fmt):
    """Like `table_response`, with named sheets: [(title, headers, rows), ...]. The first
    sheet is the table (all that a CSV holds); the others are notes beside it."""
    if fmt != "xlsx":
        _title, headers, rows = sheets[0]
        return _attachment(_csv_response(headers, rows), filename, fmt)
    book = TextWorkbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        # Excel's limits on a sheet's name: 31 characters, none of []:*?/\
        _fill(book.create_sheet(str(title).translate(SHEET_NAME_BAD)[:31]), headers, rows)
    return _attachment(_xlsx_response(book), filename, fmt)


SHEET_NAME_BAD = str.maketrans(dict.fromkeys("[]:*?/\\", " "))

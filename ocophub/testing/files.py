"""In-memory CSV and XLSX uploads for import tests."""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook


def upload(name: str, data: bytes, content_type: str | None = None) -> SimpleUploadedFile:
    """A file as the browser sends it, named `name` (its suffix picks the reader)."""
    if content_type is None:
        return SimpleUploadedFile(name, data)
    return SimpleUploadedFile(name, data, content_type=content_type)


def csv_upload(
    rows: Iterable[Sequence[str]], header: Sequence[str] | None = None, name: str = "file.csv"
) -> SimpleUploadedFile:
    """A UTF-8 CSV with `header` (if given) then `rows`, comma-separated, no quoting."""
    lines = ([",".join(header)] if header is not None else []) + [",".join(r) for r in rows]
    return upload(name, ("\n".join(lines) + "\n").encode("utf-8"))


def xlsx_bytes(rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None) -> bytes:
    """An XLSX workbook whose first sheet holds `header` (if given) then `rows`."""
    book = Workbook()
    sheet = book.worksheets[0]
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    return workbook_bytes(book)


def workbook_bytes(book: Workbook) -> bytes:
    """An openpyxl workbook saved to bytes."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_upload(
    rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None, name: str = "file.xlsx"
) -> SimpleUploadedFile:
    """`xlsx_bytes` as an uploaded file named `name`."""
    return upload(name, xlsx_bytes(rows, header))

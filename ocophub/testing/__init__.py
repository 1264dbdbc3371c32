"""Test builders shared by every app's tests (and the new apps' from the start).

Outside the app layers on purpose, like ocophub/conftest.py: it may import every app,
and no app imports it outside its tests.

- `ocophub.testing.builders`: `make_producer`, `make_product`, `make_certificate`,
  `issue`, `make_batch` (saved, validated records with plausible defaults).
- `ocophub.testing.files`: `csv_upload`, `xlsx_bytes`, `xlsx_upload`, `upload`
  (in-memory CSV/XLSX files for import tests).
- `ocophub.testing.epcis`: EPCIS 2.0 documents and events (`document`, `object_event`,
  `gtin`, `item`, `batch`), GS1's examples, `client_for`, `post_document`.

The pytest fixtures `make_producer` and `make_product` (ocophub/conftest.py) are these
builders.
"""

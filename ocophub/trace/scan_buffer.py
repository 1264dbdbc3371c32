"""The scan-count write buffer: scans are counted in memory and written every few seconds
in one transaction, so that a burst of scans does not queue on the database's write lock
(SQLite has one for the whole file). A worker that dies loses at most its last few seconds
of counts; a failed write keeps them for the next flush."""

import atexit
import logging
import threading
import time
from collections import Counter

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import suspect
from .models import ItemScan, ScanCount, path_keys

log = logging.getLogger(__name__)

_pending: Counter = Counter()
# Scans of serialised codes by coarse device and place (see suspect.py).
_pending_items: Counter = Counter()
_pending_lock = threading.Lock()
_flushed = [time.monotonic()]


def record(path, device, language, item=None):
    """Count one scan; write the gathered counts when TRACE_SCAN_FLUSH_SECONDS have passed.
    `item` is (GTIN, serial, device hash, place hash) for a serialised item's code."""
    today = timezone.localdate()
    key = (today, path[:200], device, language[:8])
    with _pending_lock:
        _pending[key] += 1
        if item is not None:
            _pending_items[(today, *item)] += 1
        due = time.monotonic() - _flushed[0] >= settings.TRACE_SCAN_FLUSH_SECONDS
    if due:
        flush()


def flush():
    """Write the counts gathered in memory: one upsert that adds to the stored counts,
    rows in key order so that workers flushing at once cannot deadlock. A failure is
    logged and the counts are kept for the next flush: a scan never fails for its count."""
    with _pending_lock:
        counts = dict(_pending)
        items = dict(_pending_items)
        _pending.clear()
        _pending_items.clear()
        _flushed[0] = time.monotonic()
    if not counts and not items:
        return
    q = connection.ops.quote_name
    table, count = q(ScanCount._meta.db_table), q("count")
    key = ", ".join(q(f) for f in ("day", "path", "device", "language"))
    keys = ", ".join(q(f) for f in ("gtin", "lot", "serial"))
    # The same statement on SQLite (3.24+) and PostgreSQL.
    sql = (
        f"INSERT INTO {table} ({key}, {keys}, {count}) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({key}) DO UPDATE SET {count} = {table}.{count} + EXCLUDED.{count}"
    )
    rows = [(*key, *path_keys(key[1]), n) for key, n in sorted(counts.items())]
    item_table = q(ItemScan._meta.db_table)
    item_key = ", ".join(q(f) for f in ("day", "gtin", "serial", "device", "place"))
    item_sql = (
        f"INSERT INTO {item_table} ({item_key}, {count}) VALUES (%s, %s, %s, %s, %s, %s) "
        f"ON CONFLICT ({item_key}) DO UPDATE SET {count} = {item_table}.{count} + EXCLUDED.{count}"
    )
    item_rows = [(*key, n) for key, n in sorted(items.items())]
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if rows:
                cursor.executemany(sql, rows)
            if item_rows:
                cursor.executemany(item_sql, item_rows)
                # Raised in the same transaction as the counts it rests on.
                suspect.review(sorted({(g, s) for _d, g, s, _v, _p in items}), timezone.localdate())
    except DatabaseError:
        log.exception("Scan counts not written; kept for the next flush")
        with _pending_lock:
            _pending.update(counts)
            _pending_items.update(items)


atexit.register(flush)

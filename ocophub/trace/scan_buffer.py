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

from .models import ScanCount, path_keys

log = logging.getLogger(__name__)

_pending: Counter = Counter()
_pending_lock = threading.Lock()
_flushed = [time.monotonic()]


def record(path, device, language):
    """Count one scan; write the gathered counts when TRACE_SCAN_FLUSH_SECONDS have passed."""
    key = (timezone.localdate(), path[:200], device, language[:8])
    with _pending_lock:
        _pending[key] += 1
        due = time.monotonic() - _flushed[0] >= settings.TRACE_SCAN_FLUSH_SECONDS
    if due:
        flush()


def flush():
    """Write the counts gathered in memory: one upsert that adds to the stored counts,
    rows in key order so that workers flushing at once cannot deadlock. A failure is
    logged and the counts are kept for the next flush: a scan never fails for its count."""
    with _pending_lock:
        counts = dict(_pending)
        _pending.clear()
        _flushed[0] = time.monotonic()
    if not counts:
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
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    except DatabaseError:
        log.exception("Scan counts not written; kept for the next flush")
        with _pending_lock:
            _pending.update(counts)


atexit.register(flush)

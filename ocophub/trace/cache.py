"""The file cache that keeps scan pages for their minute (settings.CACHES["scan"])."""

from time import monotonic

from django.core.cache.backends.filebased import FileBasedCache

# Seconds between two looks at the folder's size, per process.
CULL_SECONDS = 30
_last_cull = [float("-inf")]


class ScanPageCache(FileBasedCache):
    """Django's file cache, culled at most every CULL_SECONDS. Django lists the whole
    folder on every set to decide whether to cull: about 1 ms per thousand kept pages,
    paid by every first render of a scan page. The folder may overshoot MAX_ENTRIES by
    the pages rendered in between; expired pages are never served either way."""

    def _cull(self):
        now = monotonic()
        if now - _last_cull[0] < CULL_SECONDS:
            return
        _last_cull[0] = now
        super()._cull()

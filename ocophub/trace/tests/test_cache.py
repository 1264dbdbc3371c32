from ocophub.trace import cache as scan_cache
from ocophub.trace.cache import ScanPageCache


def kept(folder):
    return len(list(folder.glob("*.djcache")))


def test_the_page_cache_culls_when_full_but_looks_at_the_folder_only_now_and_then(
    tmp_path, monkeypatch
):
    clock = [1000.0]
    monkeypatch.setattr(scan_cache, "monotonic", lambda: clock[0])
    monkeypatch.setattr(scan_cache, "_last_cull", [float("-inf")])
    pages = ScanPageCache(tmp_path, {"OPTIONS": {"MAX_ENTRIES": 4, "CULL_FREQUENCY": 2}})
    for i in range(10):
        pages.set(f"page{i}", b"<html>", 60)
    # The first set looked (the folder was empty); the rest came within CULL_SECONDS.
    assert kept(tmp_path) == 10
    assert pages.get("page9") == b"<html>"

    clock[0] += scan_cache.CULL_SECONDS
    pages.set("page10", b"<html>", 60)
    assert kept(tmp_path) == 11 - 10 // 2  # half of the ten found were dropped first
    pages.set("page11", b"<html>", 60)
    assert kept(tmp_path) == 7

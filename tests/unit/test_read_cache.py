"""The read layer's memo cache is bounded in bytes: big results evict old ones, small ones are many. The tables views
slice are held by the read snapshot of the published file, outside that budget."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bezpieczny.read import cache
from bezpieczny.read.snapshots import Snapshot, per_snapshot, snapshot_table


def test_a_cache_of_big_results_keeps_its_byte_budget_and_evicts_the_least_recently_used(monkeypatch):
    monkeypatch.setattr(cache, "_cache", cache.LRUCache(maxsize=3_000_000, getsizeof=lambda entry: entry.size))
    calls = []

    def frame(n: int) -> pd.DataFrame:
        calls.append(n)
        return pd.DataFrame({"value": np.arange(125_000, dtype="float64") + n})  # ~1 MB each

    memo = cache.memoised(frame)
    for n in range(5):
        memo(n)
    usage = cache.cache_usage()
    assert usage["bytes"] <= 3_000_000 and usage["entries"] == 2
    memo(4)
    memo(0)  # evicted long ago: computed again
    assert calls == [0, 1, 2, 3, 4, 0]


def test_a_new_published_file_is_a_new_key_and_clearing_forgets_only_one_function(monkeypatch):
    monkeypatch.setattr(cache, "_cache", cache.LRUCache(maxsize=10_000_000, getsizeof=lambda entry: entry.size))
    old, new = Snapshot(None, ("file", 1, 1)), Snapshot(None, ("file", 2, 2))
    calls = []

    @per_snapshot
    def first(snap, x):
        calls.append(("first", x, snap.identity[1]))
        return x

    @per_snapshot
    def second(snap, x):
        calls.append(("second", x))
        return x

    first(old, 1), second(old, 1), first(old, 1), second(old, 1)
    first(new, 1)  # a rebuild published a new warehouse
    second.cache_clear()
    first(new, 1), second(new, 1)
    assert calls == [("first", 1, 1), ("second", 1), ("first", 1, 2), ("second", 1)]


def test_the_view_cache_keeps_the_identity_not_the_snapshot_and_its_tables(monkeypatch):
    import gc
    import weakref

    monkeypatch.setattr(cache, "_cache", cache.LRUCache(maxsize=10_000_000, getsizeof=lambda entry: entry.size))

    @per_snapshot
    def view(snap, x):
        return x

    old = Snapshot(None, ("file", 1, 1))
    view(old, 1)
    gone = weakref.ref(old)
    view(Snapshot(None, ("file", 2, 2)), 1)
    del old
    gc.collect()
    assert gone() is None and cache.cache_usage()["entries"] == 2


def test_sizes_count_frames_arrays_and_nested_components():
    frame = pd.DataFrame({"text": ["ą" * 100] * 1000})
    assert cache.approximate_bytes(frame) > 100_000
    assert cache.approximate_bytes(np.zeros(1000)) >= 8000
    from dash import html

    page = html.Div([html.P("x" * 10_000) for _ in range(10)])
    assert cache.approximate_bytes(page) > 100_000


def test_functions_made_by_one_factory_do_not_share_results(monkeypatch):
    """Each page's layout wrapper has the same qualified name; one page must never get another's layout."""
    monkeypatch.setattr(cache, "_cache", cache.LRUCache(maxsize=10_000_000, getsizeof=lambda entry: entry.size))

    def page(title: str):
        def render(lang: str) -> str:
            return f"{title} ({lang})"

        return cache.memoised(render)

    overview, comparisons = page("overview"), page("comparisons")
    assert overview("pl") == "overview (pl)"
    assert comparisons("pl") == "comparisons (pl)"


def test_sizes_of_one_functions_results_are_measured_at_first_then_sampled():
    estimate = cache._SizeEstimate()
    small, large = ["x" * 100] * 10, ["x" * 100] * 1000
    first = [estimate(small) for _ in range(cache._MEASURE_FIRST)]
    assert first == [cache.approximate_bytes(small)] * cache._MEASURE_FIRST
    # Unmeasured results count at the running mean; every _MEASURE_EVERY-th is measured and moves the mean.
    until_sampled = -cache._MEASURE_FIRST % cache._MEASURE_EVERY or cache._MEASURE_EVERY
    sizes = [estimate(large) for _ in range(until_sampled)]
    assert sizes[:-1] == [cache.approximate_bytes(small)] * (until_sampled - 1)
    assert sizes[-1] == cache.approximate_bytes(large)
    assert estimate(small) > cache.approximate_bytes(small)


def test_a_table_loaded_once_is_not_evicted_by_views_and_is_reloaded_for_a_new_warehouse(monkeypatch):
    monkeypatch.setattr(cache, "_cache", cache.LRUCache(maxsize=2_000_000, getsizeof=lambda entry: entry.size))
    loads = []

    @snapshot_table
    def table(snap, level: str) -> pd.DataFrame:
        loads.append((level, snap.identity[1]))
        return pd.DataFrame({"value": np.arange(125_000, dtype="float64")})  # ~1 MB

    @per_snapshot
    def views(snap, n):
        return pd.DataFrame({"value": np.arange(125_000, dtype="float64") + n})

    first = Snapshot(None, ("file", 1, 1))
    table(first, "powiat")
    for n in range(10):  # a burst of views fills the byte budget many times over
        views(first, n)
    assert table(first, "powiat") is table(first, "powiat") and loads == [("powiat", 1)]
    table(first, "voivodeship")
    table(Snapshot(None, ("file", 2, 2)), "powiat")
    assert loads == [("powiat", 1), ("voivodeship", 1), ("powiat", 2)]


def test_threads_asking_for_a_table_at_once_wait_for_one_load():
    import threading
    import time

    loads = []

    @snapshot_table
    def table(snap) -> list:
        loads.append(1)
        time.sleep(0.2)
        return [1, 2, 3]

    snap = Snapshot(None, ("file", 1, 1))
    results = []
    threads = [threading.Thread(target=lambda: results.append(table(snap))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(loads) == 1 and len(results) == 8 and all(r is results[0] for r in results)


def test_one_snapshot_per_published_file_until_a_rebuild(monkeypatch):
    from bezpieczny.read import snapshots as module

    class Published:
        identity = ("file", 1, 1)

    source = Published()
    monkeypatch.setattr(module, "warehouse", lambda: source)
    monkeypatch.setitem(module._current, "snapshot", None)
    first = module.snapshot()
    assert module.snapshot() is first
    source.identity = ("file", 2, 2)  # a rebuild published a new file
    assert module.snapshot() is not first and module.snapshot().identity == ("file", 2, 2)

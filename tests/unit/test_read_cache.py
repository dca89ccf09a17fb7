"""The read layer's memo cache is bounded in bytes: big results evict old ones, small ones are many."""

from __future__ import annotations

import numpy as np
import pandas as pd

from bezpieczny.read import cache


def test_a_cache_of_big_results_keeps_its_byte_budget_and_evicts_the_least_recently_used(monkeypatch):
    monkeypatch.setattr(cache, "_cache", cache.LRUCache(maxsize=3_000_000, getsizeof=lambda entry: entry.size))
    calls = []

    def frame(n: int) -> pd.DataFrame:
        calls.append(n)
        return pd.DataFrame({"value": np.arange(125_000, dtype="float64") + n})  # ~1 MB each

    memo = cache.memoised(frame, lambda: "file-1")
    for n in range(5):
        memo(n)
    usage = cache.cache_usage()
    assert usage["bytes"] <= 3_000_000 and usage["entries"] == 2
    memo(4)
    memo(0)  # evicted long ago: computed again
    assert calls == [0, 1, 2, 3, 4, 0]


def test_a_new_published_file_is_a_new_key_and_clearing_forgets_only_one_function(monkeypatch):
    monkeypatch.setattr(cache, "_cache", cache.LRUCache(maxsize=10_000_000, getsizeof=lambda entry: entry.size))
    identity = ["file-1"]
    calls = []

    def first(x):
        calls.append(("first", x, identity[0]))
        return x

    def second(x):
        calls.append(("second", x))
        return x

    memo_first = cache.memoised(first, lambda: identity[0])
    memo_second = cache.memoised(second, lambda: identity[0])
    memo_first(1), memo_second(1), memo_first(1), memo_second(1)
    identity[0] = "file-2"  # a rebuild published a new warehouse
    memo_first(1)
    memo_second.cache_clear()
    memo_first(1), memo_second(1)
    assert calls == [("first", 1, "file-1"), ("second", 1), ("first", 1, "file-2"), ("second", 1)]


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

        return cache.memoised(render, lambda: "file-1")

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
    identity, loads = ["file-1"], []

    def table(level: str) -> pd.DataFrame:
        loads.append((level, identity[0]))
        return pd.DataFrame({"value": np.arange(125_000, dtype="float64")})  # ~1 MB

    loaded = cache.loaded_once(table, lambda: identity[0])
    views = cache.memoised(
        lambda n: pd.DataFrame({"value": np.arange(125_000, dtype="float64") + n}), lambda: identity[0]
    )
    loaded("powiat")
    for n in range(10):  # a burst of views fills the byte budget many times over
        views(n)
    assert loaded("powiat") is loaded("powiat") and loads == [("powiat", "file-1")]
    loaded("voivodeship")
    identity[0] = "file-2"
    loaded("powiat")
    assert loads == [("powiat", "file-1"), ("voivodeship", "file-1"), ("powiat", "file-2")]


def test_threads_asking_for_a_table_at_once_wait_for_one_load():
    import threading
    import time

    loads = []

    def table() -> list:
        loads.append(1)
        time.sleep(0.2)
        return [1, 2, 3]

    loaded = cache.loaded_once(table, lambda: "file-1")
    results = []
    threads = [threading.Thread(target=lambda: results.append(loaded())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(loads) == 1 and len(results) == 8 and all(r is results[0] for r in results)

"""Results that are pure functions of the published warehouse, memoised in one least-recently-used cache per
process that is bounded in bytes (cachetools), not in entries: a rendered comparisons page and a verdict row differ
a thousandfold in size, so a count limit either wastes memory or evicts too early.

The budget is ``BEZPIECZNY_CACHE_MB`` (default 24) per process; each worker of `bezpieczny serve` has its own. The
tables views slice (~15 MB: arrays of every area, keyed frames) are held outside it, by the read snapshot of the
published file (`bezpieczny.read.snapshots`).
Sizes are estimated when a result is stored (DataFrames by pandas' deep memory usage, arrays by their bytes,
components and figures through their JSON-ready form): for each function the first few results and then every
sixteenth are measured, the others counted at that function's running mean.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from functools import wraps
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from cachetools import LRUCache
from cachetools.keys import hashkey

from etl.config import settings

CACHE_BYTES = int(settings().cache_mb * 2**20)  # BEZPIECZNY_CACHE_MB, read by etl.config
_SAMPLE = 8
_SCALARS = (str, bytes, int, float, bool, type(None))
_DEPTH_LIMIT = 60  # deeper structures are counted by their shell only (a component tree is ~20 levels)


class _Entry(NamedTuple):
    value: Any
    size: int


def approximate_bytes(value: object, depth: int = 0) -> int:
    """A cheap estimate of the memory a cached result holds (within tens of percent; used only for the budget)."""
    if isinstance(value, _SCALARS) or depth > _DEPTH_LIMIT:  # the common case first: it is called per node
        return sys.getsizeof(value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(
            approximate_bytes(k, depth + 1) + approximate_bytes(v, depth + 1) for k, v in value.items()
        )
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value) if isinstance(value, set | frozenset) else value
        head = items[:_SAMPLE]
        if len(items) > _SAMPLE and all(isinstance(item, _SCALARS) for item in head):
            # Long runs of numbers or labels (figure data, options): estimated from a sample, not walked.
            return sys.getsizeof(value) + len(items) * sum(sys.getsizeof(item) for item in head) // len(head)
        return sys.getsizeof(value) + sum(approximate_bytes(item, depth + 1) for item in items)
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(deep=True))
    if isinstance(value, np.ndarray):
        return int(value.nbytes) + 112
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(
            approximate_bytes(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value)
        )
    if hasattr(value, "to_plotly_json"):  # Dash components and plotly figures
        return approximate_bytes(value.to_plotly_json(), depth + 1)
    return sys.getsizeof(value)


class _SizeEstimate:
    """The size of one function's results: measured for the first few and then every ``_MEASURE_EVERY``-th, the
    others given the running mean. Results of one function are alike (one page's layout for another area), and
    walking a comparisons page (~8,000 nodes) cost 10 ms a render."""

    def __init__(self):
        self.measured, self.total, self.calls = 0, 0, 0

    def __call__(self, value: object) -> int:
        self.calls += 1
        if self.measured < _MEASURE_FIRST or self.calls % _MEASURE_EVERY == 0:
            size = approximate_bytes(value)
            self.measured, self.total = self.measured + 1, self.total + size
            return size
        return self.total // self.measured


_MEASURE_FIRST, _MEASURE_EVERY = 4, 16
_cache: LRUCache = LRUCache(maxsize=CACHE_BYTES, getsizeof=lambda entry: entry.size)
_lock = threading.Lock()
_MISSING = object()


def memoised(function):
    """``function`` memoised in the shared byte-bounded cache, keyed on the call's arguments (the first of which is
    the published file's identity, `bezpieczny.read.snapshots.per_snapshot`); ``.cache_clear()`` forgets only this
    function's results."""
    # Functions made by one factory share a qualified name (each page's layout wrapper is `page_layout.<locals>.
    # cached`), so the function object's identity is part of the key.
    name = (f"{function.__module__}.{function.__qualname__}", id(function))
    size_of = _SizeEstimate()

    @wraps(function)
    def wrapper(*args, **kwargs):
        key = hashkey(name, *args, **kwargs)
        with _lock:
            entry = _cache.get(key, _MISSING)
        if entry is not _MISSING:
            return entry.value
        result = function(*args, **kwargs)
        entry = _Entry(result, size_of(result))  # measured outside the lock
        if entry.size <= _cache.maxsize:  # a result larger than the whole budget is not kept
            with _lock:
                _cache[key] = entry
        return result

    def cache_clear() -> None:
        with _lock:
            for key in [k for k in _cache if k[0] == name]:
                del _cache[key]

    vars(wrapper).update(cache_clear=cache_clear)  # a function attribute, as functools.lru_cache gives its wrappers
    return wrapper


def cache_usage() -> dict[str, int]:
    """Bytes held, the budget and the number of results (for the benchmarks and the health check)."""
    with _lock:
        return {"bytes": int(_cache.currsize), "budget": int(_cache.maxsize), "entries": len(_cache)}

"""One read snapshot per published warehouse file: what a request reads, resolved once (`snapshot()`) and passed
down to the views, instead of every hop asking whether the file changed.

A `Snapshot` holds
- the file's identity (path, inode, mtime: it changes exactly when a rebuild publishes a new file);
- the tables views slice, loaded when first asked for and kept for the snapshot's life (`@snapshot_table`):
  catalogues, every area's trend points, keyed frames. Their size is set by the data, not by traffic, so they are
  held outside the byte-bounded cache of view results, and dropped with the snapshot when a new file is published;
- the allow-list of areas, so an area is validated once per request (`known_area`).

View results (a page's layout, a scorecard) are memoised per snapshot in the byte-bounded LRU cache
(`@per_snapshot`, `bezpieczny.read.cache`), keyed on the snapshot's identity and the arguments.

Tables are pandas frames sorted by their key, sliced by row position (`KeyedTable`). Measured on the test
warehouse (129,149 trend points, 2 indicators of one area per slice, mean of 300 slices): position spans over
arrays 0.65–0.84 ms; the same with pandas categoricals and `isin` 3.4–4.5 ms; a MultiIndex `.loc` 1.0–1.1 ms;
a filter of a DuckDB relation over the same rows 34 ms. Text columns are kept as codes into their distinct values
(4.2 MB rather than 17.8 MB as Python strings) and turned back into strings for the slice only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import wraps

import numpy as np
import pandas as pd

from bezpieczny.read.cache import memoised
from bezpieczny.read.connection import UnknownIdError, Warehouse, warehouse


class Snapshot:
    """The published warehouse file as one request reads it (see the module's docstring)."""

    def __init__(self, source: Warehouse, identity: tuple):
        self.warehouse, self.identity = source, identity
        self._tables: dict = {}
        self._lock = threading.RLock()  # re-entrant: a table's loader may ask for another table

    def __repr__(self) -> str:
        return f"Snapshot{self.identity!r}"

    def query(self, name: str, **params) -> pd.DataFrame:
        """A named query (`bezpieczny/read/sql/<name>.sql`) with bound parameters."""
        return self.warehouse.query(name, **params)

    def table(self, loader, *args):
        """``loader(self, *args)``, loaded once per snapshot; concurrent first callers wait for one load."""
        key = (loader, args)
        found = self._tables.get(key, _MISSING)
        if found is not _MISSING:
            return found
        with self._lock:
            if key not in self._tables:
                self._tables[key] = loader(self, *args)
            return self._tables[key]

    def known_area(self, area_code: object) -> str:
        """``area_code`` when the warehouse has that area; else UnknownIdError."""
        if not isinstance(area_code, str) or area_code not in self.table(_area_codes):
            raise UnknownIdError(f"unknown area {area_code!r}")
        return area_code


_MISSING = object()


def _area_codes(snap: Snapshot) -> frozenset[str]:
    return frozenset(snap.query("area_codes")["area_code"])


_current: dict = {"snapshot": None}
_current_lock = threading.Lock()


def snapshot() -> Snapshot:
    """The snapshot of the file published now (one `stat` of the file); the same object until a rebuild."""
    source = warehouse()
    identity = source.identity
    held = _current["snapshot"]
    if held is not None and held.identity == identity and held.warehouse is source:
        return held
    with _current_lock:
        held = _current["snapshot"]
        if held is None or held.identity != identity or held.warehouse is not source:
            _current["snapshot"] = held = Snapshot(source, identity)
        return held


def _with_snapshot(args: tuple) -> tuple:
    """The arguments with the snapshot first: the caller's, or the current one for callers that do not pass it."""
    return args if args and isinstance(args[0], Snapshot) else (snapshot(), *args)


def snapshot_table(loader):
    """A table views slice: ``loader(snap, *args)`` (args: a language or a level at most) runs once per snapshot.
    Callers pass the request's snapshot first; a caller that does not gets the current one."""

    @wraps(loader)
    def wrapper(*args):
        snap, *rest = _with_snapshot(args)
        return snap.table(loader, *rest)

    vars(wrapper).update(snapshot_table=True)
    return wrapper


def per_snapshot(function):
    """A view result, ``function(snap, *args)``, memoised in the byte-bounded cache on the snapshot's identity and
    the arguments (hashable). Callers pass the request's snapshot first; a caller that does not gets the current
    one. The cache holds the identity, never the snapshot, so a retired snapshot's tables are freed."""
    by_identity: dict = {}  # identity -> the snapshot the memoised call gets (the latest one seen)

    def call(identity, *args):
        return function(by_identity[identity], *args)

    call.__module__, call.__qualname__ = function.__module__, function.__qualname__
    cached = memoised(call)

    @wraps(function)
    def wrapper(*args, **kwargs):
        snap, *rest = _with_snapshot(args)
        if by_identity.get(snap.identity) is not snap:
            by_identity.clear()  # only the newest published file is read
            by_identity[snap.identity] = snap
        return cached(snap.identity, *rest, **kwargs)

    vars(wrapper).update(cache_clear=cached.cache_clear)
    return wrapper


@dataclass(frozen=True)
class KeyedTable:
    """A table read whole once and then sliced one key at a time: rows sorted by ``key`` with each key's row span,
    text columns stored as codes into their distinct values. ``rows(value)`` gives that key's rows with the
    types a query gives (text as Python strings or None), as a frame of its own."""

    columns: tuple[str, ...]
    spans: dict
    arrays: dict[str, np.ndarray]
    texts: dict[str, np.ndarray]
    """column -> its distinct values, None last (a code of -1 picks it)"""

    @classmethod
    def of(cls, frame: pd.DataFrame, key: str, *, order: tuple[str, ...] = ()) -> KeyedTable:
        """From ``frame``; rows sorted by ``key`` (then ``order``), keeping the frame's order otherwise."""
        frame = frame.sort_values([key, *order], kind="stable", ignore_index=True)
        keys = frame[key].to_numpy(dtype=object)
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.array([], int)
        ends = np.r_[starts[1:], len(keys)] if len(keys) else starts
        arrays, texts = {}, {}
        for column in frame.columns:
            values = frame[column]
            if pd.api.types.is_string_dtype(values) and all(isinstance(v, str | None) for v in values.dropna()):
                codes, distinct = pd.factorize(values)  # a NULL is -1, which picks the None appended last
                arrays[column] = codes.astype(np.int32)
                texts[column] = np.array([*distinct.astype(object), None], dtype=object)
            else:  # numbers, dates, lists (a baseline's years): kept as they are
                arrays[column] = values.to_numpy()
        spans = {keys[s]: (int(s), int(e)) for s, e in zip(starts, ends, strict=True)}
        return cls(tuple(frame.columns), spans, arrays, texts)

    def rows(self, value: object, *, where: str | None = None, isin: tuple = ()) -> pd.DataFrame:
        """The rows with key ``value`` (none: an empty frame); with ``where``, only those whose ``where`` column
        holds one of ``isin``."""
        start, end = self.spans.get(value, (0, 0))
        at = np.arange(start, end)
        if where is not None and where in self.texts:  # compared as codes: no strings made for rows left out
            known = self.texts[where]
            wanted = np.flatnonzero(np.isin(known[:-1], np.array(list(isin), dtype=object)))
            at = at[np.isin(self.arrays[where][at], wanted)]
        elif where is not None:
            at = at[np.isin(self.arrays[where][at], list(isin))]
        return pd.DataFrame({column: self._column(column, at) for column in self.columns})

    def _column(self, column: str, at: np.ndarray) -> np.ndarray:
        values = self.arrays[column][at]
        return self.texts[column][values] if column in self.texts else values

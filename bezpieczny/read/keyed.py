"""A table read whole once and then one key at a time: one frame sorted by the key and each key's row span, rather
than a frame per key (400 areas × small frames cost more memory in pandas objects than their rows)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class KeyedFrame:
    """``frame`` sorted by ``key``; ``rows(value)`` is the slice of rows with that key (empty when there are none).
    Slices share the frame's data: read them, do not change them."""

    frame: pd.DataFrame
    spans: dict

    @classmethod
    def of(cls, frame: pd.DataFrame, key: str) -> KeyedFrame:
        frame = frame.sort_values(key, kind="stable", ignore_index=True)
        keys = frame[key].to_numpy(dtype=object)
        if not len(keys):
            return cls(frame, {})
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ends = np.r_[starts[1:], len(keys)]
        return cls(frame, {keys[s]: (int(s), int(e)) for s, e in zip(starts, ends, strict=True)})

    def rows(self, value: object) -> pd.DataFrame:
        start, end = self.spans.get(value, (0, 0))
        return self.frame.iloc[start:end]

"""A table read once and then one key at a time (the trends page's baselines, XmR limits and signals per area)."""

from __future__ import annotations

import pandas as pd

from bezpieczny.read.keyed import KeyedFrame


def test_each_key_gets_exactly_its_rows_and_an_unknown_key_none():
    frame = pd.DataFrame({"area_code": ["b", "a", "b", "c", "a"], "value": [1, 2, 3, 4, 5]})
    keyed = KeyedFrame.of(frame, "area_code")
    for area in ("a", "b", "c"):
        assert sorted(keyed.rows(area)["value"]) == sorted(frame.loc[frame["area_code"] == area, "value"])
    assert list(keyed.rows("b")["value"]) == [1, 3]  # rows of one key keep their order
    nothing = keyed.rows("zzz")
    assert nothing.empty and list(nothing.columns) == ["area_code", "value"]
    assert KeyedFrame.of(frame.iloc[0:0], "area_code").rows("a").empty

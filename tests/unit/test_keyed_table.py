"""A table read once per snapshot and then one key at a time (`bezpieczny.read.KeyedTable`: trend points, the
trends page's baselines, XmR limits and signals per area, the funnel's fits)."""

from __future__ import annotations

import pandas as pd

from bezpieczny.read import KeyedTable


def test_each_key_gets_exactly_its_rows_and_an_unknown_key_none():
    frame = pd.DataFrame({"area_code": ["b", "a", "b", "c", "a"], "value": [1, 2, 3, 4, 5]})
    keyed = KeyedTable.of(frame, "area_code")
    for area in ("a", "b", "c"):
        assert sorted(keyed.rows(area)["value"]) == sorted(frame.loc[frame["area_code"] == area, "value"])
    assert list(keyed.rows("b")["value"]) == [1, 3]  # rows of one key keep their order
    nothing = keyed.rows("zzz")
    assert nothing.empty and list(nothing.columns) == ["area_code", "value"]
    assert KeyedTable.of(frame.iloc[0:0], "area_code").rows("a").empty


def test_a_slice_can_keep_only_some_values_of_another_column():
    frame = pd.DataFrame(
        {"area_code": ["a", "a", "a", "b"], "indicator_id": ["i", "j", "k", "i"], "value": [1, 2, 3, 4]}
    )
    keyed = KeyedTable.of(frame, "area_code")
    assert keyed.rows("a", where="indicator_id", isin=("k", "i", "zzz"))["value"].tolist() == [1, 3]
    assert keyed.rows("a", where="indicator_id", isin=()).empty


def test_text_comes_back_as_strings_and_other_objects_as_they_were():
    frame = pd.DataFrame({"key": ["a", "a"], "text": ["x", None], "years": [[2019, 2020], [2021]]})
    got = KeyedTable.of(frame, "key").rows("a")
    assert got["text"].iloc[0] == "x" and pd.isna(got["text"].iloc[1])  # a NULL stays missing, never ''/"None"
    assert got["years"].tolist() == [[2019, 2020], [2021]]

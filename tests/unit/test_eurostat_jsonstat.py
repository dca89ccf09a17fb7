"""JSON-stat 2.0 reading: positions → codes (row-major, last dimension fastest), values and status flags."""

from __future__ import annotations

import json

import pytest

from etl.sources.eurostat.jsonstat import JsonStatError, read_dataset
from tests.faults.landing import FIXTURES


def small(value, status=None) -> dict:
    """2 × 3 cube: dims a (x, y) and b (p, q, r)."""
    return {
        "version": "2.0",
        "class": "dataset",
        "id": ["a", "b"],
        "size": [2, 3],
        "value": value,
        **({"status": status} if status is not None else {}),
        "dimension": {"a": {"category": {"index": {"x": 0, "y": 1}}}, "b": {"category": {"index": ["p", "q", "r"]}}},
    }


def test_sparse_positions_are_row_major_with_the_last_dimension_fastest():
    frame = read_dataset(small({"1": 10.0, "5": 20.0}))
    assert frame[["a", "b"]].values.tolist() == [["x", "q"], ["y", "r"]]
    assert frame["value"].tolist() == [10.0, 20.0]


def test_dense_list_with_nulls_and_sparse_status_keep_flags_and_gaps():
    frame = read_dataset(small([1, None, 3, 4, 5, 6], {"1": ":", "2": "u"}))
    by_cell = frame.set_index(["a", "b"])
    assert by_cell.loc[("x", "q"), "status"] == ":"
    assert by_cell.loc[("x", "q"), "value"] is None or str(by_cell.loc[("x", "q"), "value"]) == "<NA>"
    assert by_cell.loc[("x", "r"), "status"] == "u" and by_cell.loc[("x", "r"), "value"] == 3
    assert len(frame) == 6  # five values + one flagged gap


def test_single_status_string_applies_to_every_cell():
    frame = read_dataset(small([1, 2, 3, 4, 5, 6], "p"))
    assert set(frame["status"]) == {"p"}


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: d.update(size=[2, 4]), "dimension.b"),
        (lambda d: d.update(value=[1, 2]), "value"),
        (lambda d: d.pop("dimension"), "dimension"),
        (lambda d: d.update(value={"6": 1}), "value"),
    ],
)
def test_malformed_documents_name_the_field(change, field):
    document = small({"0": 1})
    change(document)
    with pytest.raises(JsonStatError) as error:
        read_dataset(document)
    assert error.value.field == field


def test_synthetic_fixture_is_what_its_generator_writes():
    from tests.fixtures.eurostat.make_synthetic import build

    committed = json.loads((FIXTURES / "eurostat" / "urb_percep_synthetic.json").read_text(encoding="utf-8"))
    assert committed == build()

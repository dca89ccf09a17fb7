"""JSON-stat 2.0 conformance: one small body per rule of the specification (json-stat.org/full, "dataset").

Each body is written here from the specification's own description of a member, not copied from a response; a valid
body must be read cell for cell, an invalid one refused with `JsonStatError` naming the member or the cell.
"""

from __future__ import annotations

import pytest

from etl.sources.eurostat.jsonstat import JsonStatError, category_labels, read_dataset


def body(**members) -> dict:
    """A 1 × 2 × 3 dataset: a constant dimension `metric`, `sex` (M, F) and `year` (2019, 2020, 2021)."""
    document = {
        "version": "2.0",
        "class": "dataset",
        "id": ["metric", "sex", "year"],
        "size": [1, 2, 3],
        "dimension": {
            "metric": {"category": {"index": ["pct"], "label": {"pct": "share"}}},
            "sex": {"category": {"index": ["M", "F"]}},
            "year": {"category": {"index": {"2019": 0, "2020": 1, "2021": 2}}},
        },
        "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
    }
    document.update(members)
    return document


def cells(frame) -> dict[tuple[str, str, str], float | None]:
    return {
        (r.metric, r.sex, r.year): (None if str(r.value) == "<NA>" else float(r.value))
        for r in frame.itertuples(index=False)
    }


DENSE = {
    ("pct", "M", "2019"): 1.0,
    ("pct", "M", "2020"): 2.0,
    ("pct", "M", "2021"): 3.0,
    ("pct", "F", "2019"): 4.0,
    ("pct", "F", "2020"): 5.0,
    ("pct", "F", "2021"): 6.0,
}


def test_value_array_is_row_major_in_the_order_of_id_with_the_last_dimension_fastest():
    assert cells(read_dataset(body())) == DENSE


def test_index_may_be_left_out_for_a_dimension_with_one_category_whose_id_is_the_label_key():
    document = body()
    document["dimension"]["metric"] = {"category": {"label": {"pct": "share"}}}
    assert cells(read_dataset(document)) == DENSE
    assert category_labels(document, "metric") == {"pct": "share"}


def test_index_cannot_be_left_out_for_a_dimension_with_two_categories():
    document = body()
    document["dimension"]["sex"] = {"category": {"label": {"M": "male", "F": "female"}}}
    with pytest.raises(JsonStatError) as error:
        read_dataset(document)
    assert error.value.field == "dimension.sex.category.index"


def test_index_as_array_and_as_object_give_the_same_cells():
    document = body()
    document["dimension"]["sex"] = {"category": {"index": {"F": 1, "M": 0}}}
    document["dimension"]["year"] = {"category": {"index": ["2019", "2020", "2021"]}}
    assert cells(read_dataset(document)) == DENSE


def test_index_object_positions_must_be_0_to_n_minus_1():
    document = body()
    document["dimension"]["sex"] = {"category": {"index": {"M": 0, "F": 2}}}
    with pytest.raises(JsonStatError, match="0 … n-1"):
        read_dataset(document)


def test_missing_values_are_nulls_in_the_array_and_give_no_row():
    frame = read_dataset(body(value=[1.0, None, None, None, None, 6.0]))
    assert cells(frame) == {("pct", "M", "2019"): 1.0, ("pct", "F", "2021"): 6.0}


def test_value_as_a_sparse_object_keyed_by_position_equals_the_dense_array():
    sparse = read_dataset(body(value={"0": 1.0, "5": 6.0}))
    dense = read_dataset(body(value=[1.0, None, None, None, None, 6.0]))
    assert cells(sparse) == cells(dense)


def test_a_sparse_object_of_nulls_is_as_empty_as_a_dense_array_of_nulls():
    assert read_dataset(body(value={"2": None})).empty
    assert read_dataset(body(value=[None] * 6)).empty


def test_status_as_a_string_applies_to_every_cell():
    assert set(read_dataset(body(status="p"))["status"]) == {"p"}


def test_status_as_a_one_element_array_applies_to_every_cell():
    frame = read_dataset(body(status=["e"]))
    assert len(frame) == 6 and set(frame["status"]) == {"e"}


def test_status_as_an_array_over_every_cell_and_as_an_object_by_position():
    by_array = read_dataset(body(status=[None, "u", None, None, None, None])).set_index(["sex", "year"])
    by_object = read_dataset(body(status={"1": "u"})).set_index(["sex", "year"])
    assert by_array.loc[("M", "2020"), "status"] == by_object.loc[("M", "2020"), "status"] == "u"
    assert by_array["status"].isna().sum() == by_object["status"].isna().sum() == 5


def test_a_status_without_a_value_keeps_the_cell_as_a_gap_never_zero():
    frame = read_dataset(body(value={"0": 1.0}, status={"3": ":"})).set_index(["sex", "year"])
    assert str(frame.loc[("F", "2019"), "value"]) == "<NA>" and frame.loc[("F", "2019"), "status"] == ":"


@pytest.mark.parametrize(
    "size, field",
    [([1, 2], "size"), (None, "size"), ([1, 2, "3"], "size"), ([1, 2, -3], "size"), ([1, 2, 4], "dimension.year")],
)
def test_size_must_count_the_categories_of_each_id_in_order(size, field):
    with pytest.raises(JsonStatError) as error:
        read_dataset(body(size=size))
    assert error.value.field == field


def test_id_must_list_distinct_dimension_ids():
    with pytest.raises(JsonStatError) as error:
        read_dataset(body(id=["metric", "sex", "sex"]))
    assert error.value.field == "id"


@pytest.mark.parametrize("bad", ["48.0", True, {"x": 1}, [1]])
def test_a_value_that_is_not_a_number_is_refused_naming_its_cell(bad):
    with pytest.raises(JsonStatError) as error:
        read_dataset(body(value=[1.0, 2.0, 3.0, bad, 5.0, 6.0]))
    assert error.value.field == "value[3] (metric=pct, sex=F, year=2019)"
    assert "is not a number" in str(error.value)


def test_a_dense_array_of_the_wrong_length_and_a_sparse_position_outside_the_cube_are_refused():
    for value in ([1.0] * 5, {"6": 1.0}, {"x": 1.0}):
        with pytest.raises(JsonStatError) as error:
            read_dataset(body(value=value))
        assert error.value.field == "value"

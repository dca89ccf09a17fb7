"""JSON-stat 2.0 dataset → long DataFrame, keeping the status flags, per the specification (json-stat.org/full).

Why not pyjstat: its last release (2.4.0) is from 2023-03, it is untested with pandas 3, and its DataFrame
conversion drops the `status` flags we must keep (Eurostat marks low reliability 'u', provisional 'p', not
available ':'). The format is small; what the reader follows, member by member:

* `id` lists the dimension ids; `size` gives each one's number of categories, same length and order.
* `dimension.<id>.category.index` orders the categories, as an array of ids or an object id → position; it may be
  left out for a dimension with one category, whose id is then the only key of `category.label`.
* `value` is an array over every cell (row-major in the order of `id`, last dimension fastest; null = missing) or,
  for a sparse cube, an object keyed by flat position (a missing key or null = missing). Values are numbers.
* `status` is a string (applies to every cell), an array over every cell or of one element (applies to every
  cell), or an object keyed by flat position.

Anything else is refused with `JsonStatError`, one line naming the member or the cell
(`value[17] (indic_ur=PS3514V, cities=PL003C, time=2019)`); the transform of a landed file adds the file.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd

from etl.loaders.errors import ExpectedError


class JsonStatError(ExpectedError, ValueError):
    """The document is not a JSON-stat 2.0 dataset of the expected shape. `field` names the offending member or
    cell (the transform of a landed file adds the file's name)."""

    hint = "the body is not a JSON-stat 2.0 dataset as json-stat.org describes it: fetch it again"

    def __init__(self, field: str, detail: str):
        super().__init__(f"JSON-stat field {field!r}: {detail}")
        self.field, self.detail = field, detail


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _positions(member: object, total: int, field: str) -> dict[int, object]:
    """Flat position → entry (nulls left out: a null is a missing cell) for the array and object forms, plus the
    forms that apply to every cell (`status` only: a string, or an array of one element)."""
    if member is None:
        return {}
    if field == "status" and isinstance(member, str):
        return dict.fromkeys(range(total), member)
    if isinstance(member, list):
        if field == "status" and len(member) == 1 and total != 1:
            return dict.fromkeys(range(total), member[0]) if member[0] is not None else {}
        if len(member) not in (0, total):
            raise JsonStatError(field, f"has {len(member)} entries for {total} cells")
        return {i: v for i, v in enumerate(member) if v is not None}
    if isinstance(member, dict):
        positions: dict[int, object] = {}
        for key, entry in member.items():
            if not (isinstance(key, str) and key.isdigit()):
                raise JsonStatError(field, f"sparse key {key!r} is not a cell position")
            if int(key) >= total:
                raise JsonStatError(field, f"position {key} outside 0..{total - 1}")
            if entry is not None:
                positions[int(key)] = entry
        return positions
    raise JsonStatError(field, f"unexpected type {type(member).__name__}")


def _category(document: dict, dimension: str) -> dict:
    """`dimension.<id>.category`, checked to be an object at every step."""
    node: object = document
    for step in ("dimension", dimension, "category"):
        node = node.get(step) if isinstance(node, dict) else None
    if not isinstance(node, dict):
        raise JsonStatError(f"dimension.{dimension}.category", "missing or not an object")
    return node


def category_codes(document: dict, dimension: str) -> list[str]:
    """Category ids of one dimension in index order (a one-category dimension may give only `label`)."""
    category, field = _category(document, dimension), f"dimension.{dimension}.category"
    index = category.get("index")
    if index is None:
        labels = category.get("label")
        if isinstance(labels, dict) and len(labels) == 1:
            return [str(next(iter(labels)))]
        raise JsonStatError(f"{field}.index", "missing (only a dimension with one category may leave it out)")
    if isinstance(index, list):
        codes = [str(code) for code in index]
    elif isinstance(index, dict):
        positions = list(index.values())
        if not all(_is_count(p) for p in positions) or sorted(positions) != list(range(len(positions))):
            raise JsonStatError(f"{field}.index", "positions are not 0 … n-1, each once")
        codes = [code for code, _ in sorted(index.items(), key=lambda item: item[1])]
    else:
        raise JsonStatError(f"{field}.index", "neither an array nor an object")
    if len(set(codes)) != len(codes):
        raise JsonStatError(f"{field}.index", "a category id appears twice")
    return codes


def category_labels(document: dict, dimension: str) -> dict[str, str]:
    """Code → label as the response gives it (falls back to the code when a label is absent)."""
    codes = category_codes(document, dimension)
    labels = _category(document, dimension).get("label")
    labels = labels if isinstance(labels, dict) else {}
    return {code: str(labels.get(code, code)) for code in codes}


def _cell(position: int, dims: list[str], size: list[int], codes: dict[str, list[str]]) -> str:
    """`value[17] (a=x, b=q)`: the flat position and the category of each dimension."""
    where = np.unravel_index(position, size)
    return f"value[{position}] (" + ", ".join(f"{d}={codes[d][int(i)]}" for d, i in zip(dims, where)) + ")"


def _shape(document: dict) -> tuple[list[str], list[int]]:
    dims, size = document["id"], document["size"]
    if not isinstance(dims, list) or not all(isinstance(d, str) for d in dims) or len(set(dims)) != len(dims):
        raise JsonStatError("id", "is not an array of distinct dimension ids")
    if not isinstance(size, list) or not all(_is_count(s) for s in size):
        raise JsonStatError("size", f"is not an array of category counts: {json.dumps(size)[:60]}")
    if len(dims) != len(size):
        raise JsonStatError("size", f"{len(size)} sizes for {len(dims)} dimensions in 'id'")
    if not isinstance(document["dimension"], dict):
        raise JsonStatError("dimension", "is not an object")
    return dims, size


def read_dataset(document: dict) -> pd.DataFrame:
    """One row per cell that has a value or a status: one code column per dimension, `value`, `status`.

    A cell without a value stays NULL (never 0); its status (e.g. ':') is kept.
    """
    if not isinstance(document, dict) or document.get("class", "dataset") != "dataset":
        raise JsonStatError("class", "not a JSON-stat dataset")
    for member in ("id", "size", "dimension", "value"):
        if member not in document:
            raise JsonStatError(member, "missing")
    dims, size = _shape(document)
    codes = {dim: category_codes(document, dim) for dim in dims}
    for dim, n in zip(dims, size):
        if len(codes[dim]) != n:
            raise JsonStatError(f"dimension.{dim}", f"{len(codes[dim])} categories but size {n}")
    total = math.prod(size) if size else 0
    values = _positions(document["value"], total, "value")
    for position, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise JsonStatError(_cell(position, dims, size, codes), f"{json.dumps(value)[:40]} is not a number")
    statuses = _positions(document.get("status"), total, "status")
    for position, status in statuses.items():
        if not isinstance(status, str):
            raise JsonStatError(f"status[{position}]", f"{json.dumps(status)[:40]} is not a string")
    flat = np.array(sorted(set(values) | set(statuses)), dtype=np.int64)
    columns: dict[str, object] = {dim: np.array([], dtype=object) for dim in dims}
    if flat.size:
        indices = np.unravel_index(flat, size)  # row-major: last dimension varies fastest
        columns = {dim: np.asarray(codes[dim], dtype=object)[index] for dim, index in zip(dims, indices)}
    frame = pd.DataFrame(columns)
    frame["value"] = pd.array([values.get(int(p)) for p in flat], dtype="Float64")
    frame["status"] = pd.array([statuses.get(int(p)) for p in flat], dtype="string")
    return frame

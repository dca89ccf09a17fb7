"""JSON-stat 2.0 dataset → long DataFrame, keeping the status flags.

Why not pyjstat: its last release (2.4.0) is from 2023-03, it is untested with pandas 3, and its DataFrame
conversion drops the `status` flags we must keep (Eurostat marks low reliability 'u', provisional 'p', not
available ':'). The format is small: `value`/`status` are flat row-major arrays (or sparse objects keyed by flat
position) over `size`, in the order of `id`, last dimension fastest (API-NOTES §2.4) — numpy's `unravel_index`
turns positions back into per-dimension indices.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class JsonStatError(ValueError):
    """The document is not a JSON-stat 2.0 dataset of the expected shape. `field` names the offending member."""

    def __init__(self, field: str, detail: str):
        super().__init__(f"JSON-stat field {field!r}: {detail}")
        self.field, self.detail = field, detail


def _positions(member: object, total: int, field: str) -> dict[int, object]:
    """Flat position → entry, for the dense (list), sparse (object) and single-value (string) forms."""
    if member is None:
        return {}
    if isinstance(member, list):
        if len(member) not in (0, total):
            raise JsonStatError(field, f"has {len(member)} entries for {total} cells")
        return {i: v for i, v in enumerate(member) if v is not None}
    if isinstance(member, dict):
        try:
            positions = {int(k): v for k, v in member.items()}
        except ValueError:
            raise JsonStatError(field, "sparse keys are not integer positions") from None
        if positions and (min(positions) < 0 or max(positions) >= total):
            raise JsonStatError(field, f"position outside 0..{total - 1}")
        return positions
    if isinstance(member, str) and field == "status":
        return dict.fromkeys(range(total), member)
    raise JsonStatError(field, f"unexpected type {type(member).__name__}")


def category_codes(document: dict, dimension: str) -> list[str]:
    """Category codes of one dimension in index order."""
    try:
        index = document["dimension"][dimension]["category"]["index"]
    except (KeyError, TypeError):
        raise JsonStatError(f"dimension.{dimension}.category.index", "missing") from None
    if isinstance(index, list):
        return [str(code) for code in index]
    if isinstance(index, dict):
        return [code for code, _ in sorted(index.items(), key=lambda item: item[1])]
    raise JsonStatError(f"dimension.{dimension}.category.index", "neither a list nor an object")


def category_labels(document: dict, dimension: str) -> dict[str, str]:
    """Code → label as the response gives it (falls back to the code when a label is absent)."""
    labels = ((document.get("dimension") or {}).get(dimension) or {}).get("category", {}).get("label") or {}
    return {code: str(labels.get(code, code)) for code in category_codes(document, dimension)}


def read_dataset(document: dict) -> pd.DataFrame:
    """One row per cell that has a value or a status: one code column per dimension, `value`, `status`.

    A cell without a value stays NULL (never 0); its status (e.g. ':') is kept.
    """
    if not isinstance(document, dict) or document.get("class", "dataset") != "dataset":
        raise JsonStatError("class", "not a JSON-stat dataset")
    for member in ("id", "size", "dimension", "value"):
        if member not in document:
            raise JsonStatError(member, "missing")
    dims, size = list(document["id"]), [int(s) for s in document["size"]]
    if len(dims) != len(size):
        raise JsonStatError("size", f"{len(size)} sizes for {len(dims)} dimensions")
    codes = {dim: category_codes(document, dim) for dim in dims}
    for dim, n in zip(dims, size):
        if len(codes[dim]) != n:
            raise JsonStatError(f"dimension.{dim}", f"{len(codes[dim])} categories but size {n}")
    total = int(np.prod(size)) if size else 0
    values = _positions(document["value"], total, "value")
    statuses = _positions(document.get("status"), total, "status")
    flat = np.array(sorted(set(values) | set(statuses)), dtype=np.int64)
    columns: dict[str, object] = {}
    if flat.size:
        indices = np.unravel_index(flat, size)  # row-major: last dimension varies fastest
        for dim, index in zip(dims, indices):
            columns[dim] = np.asarray(codes[dim], dtype=object)[index]
    else:
        columns = {dim: np.array([], dtype=object) for dim in dims}
    frame = pd.DataFrame(columns)
    frame["value"] = pd.array([values.get(int(p)) for p in flat], dtype="Float64")
    frame["status"] = pd.array([statuses.get(int(p)) for p in flat], dtype="string")
    return frame

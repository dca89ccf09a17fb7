"""The pinned BDL value-attribute code list (`attributes.yaml`): which `attrId` is a number and which is not.

`status_of(attr_id)` says how the transform stores a value: kinds `value` and `zero` keep the published number;
every other kind (confidential, below precision, no information, not yet available) stores NULL and keeps the
attribute's code and labels, so a chart can say "confidential" instead of drawing 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from etl.loaders.yaml_files import read_yaml

ATTRIBUTES_PATH = Path(__file__).resolve().parent / "attributes.yaml"
ORDINARY_KINDS = frozenset({"value", "zero"})
KINDS = ORDINARY_KINDS | {"confidential", "below_precision", "no_information", "not_yet_available"}


@dataclass(frozen=True)
class Attribute:
    id: int
    name: str
    symbol: str
    description: str
    kind: str | None
    label_en: str | None

    @property
    def is_number(self) -> bool:
        return self.kind in ORDINARY_KINDS

    @property
    def label_pl(self) -> str:
        """GUS's own wording: the description, or the short name when GUS gives no description."""
        return self.description or self.name


@lru_cache(maxsize=4)
def pinned_attributes(path: Path = ATTRIBUTES_PATH) -> dict[int, Attribute]:
    entries = (read_yaml(Path(path)) or {}).get("attributes") or []
    return {
        int(e["id"]): Attribute(
            id=int(e["id"]),
            name=str(e.get("name") or ""),
            symbol=str(e.get("symbol") or ""),
            description=str(e.get("description") or ""),
            kind=e.get("kind"),
            label_en=e.get("label_en"),
        )
        for e in entries
    }


def merge_attributes(existing: dict, fresh: list[dict], retrieved: str) -> dict:
    """The code list from `GET /attributes` merged into the pinned file's content.

    GUS's wording is refreshed; our `kind` and `label_en` are kept for known ids (a person's reading). New ids
    arrive with `kind: null`, so a value carrying them fails the build until someone sets the kind.
    """
    by_id = {int(e["id"]): dict(e) for e in existing.get("attributes") or []}
    for item in fresh:
        old = by_id.get(int(item["id"]), {})
        by_id[int(item["id"])] = {
            "id": int(item["id"]),
            "name": item.get("name"),
            "symbol": item.get("symbol"),
            "description": item.get("description") or "",
            "kind": old.get("kind"),
            "label_en": old.get("label_en"),
        }
    return {**existing, "retrieved": retrieved, "attributes": [by_id[i] for i in sorted(by_id)]}

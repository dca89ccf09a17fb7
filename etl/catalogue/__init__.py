"""The indicator catalogue: one YAML file per indicator in ``indicators/``.

>>> from etl.catalogue import load_catalogue, get_indicator
>>> get_indicator("crimes_count__criminal").direction
'lower_is_better'
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from etl.catalogue.model import Indicator
from etl.catalogue.references import resolve
from etl.loaders.yaml_files import read_yaml

INDICATORS_DIR = Path(__file__).with_name("indicators")

__all__ = ["INDICATORS_DIR", "Indicator", "get_indicator", "load_catalogue", "load_indicator_file"]


def load_indicator_file(path: Path) -> Indicator:
    """Read one indicator file, resolve its shared definitions (``definitions.yaml``) and validate it; its file
    name must equal its id."""
    raw = read_yaml(path)
    indicator = Indicator.model_validate(resolve(raw, where=path.name))
    if indicator.id != path.stem:
        raise ValueError(f"{path.name}: file name must equal the indicator id {indicator.id!r}")
    return indicator


@lru_cache(maxsize=1)
def _load_all() -> tuple[Indicator, ...]:
    indicators = [load_indicator_file(p) for p in sorted(INDICATORS_DIR.glob("*.yaml"))]
    ids = [i.id for i in indicators]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate indicator ids: {duplicates}")
    return tuple(sorted(indicators, key=lambda i: (i.order, i.id)))


def load_catalogue() -> list[Indicator]:
    """All indicators, validated, sorted by display order then id (read once, then cached)."""
    return list(_load_all())


def get_indicator(indicator_id: str) -> Indicator:
    """The indicator with this id; ``KeyError`` if the catalogue has none."""
    for indicator in _load_all():
        if indicator.id == indicator_id:
            return indicator
    raise KeyError(f"no indicator {indicator_id!r} in the catalogue")

"""Staging frames for the indicator catalogue: the YAML files flattened into two tables."""

from __future__ import annotations

import pandas as pd

from etl.catalogue import load_catalogue


def staging_tables() -> dict[str, pd.DataFrame]:
    indicators, breaks = [], []
    for indicator in load_catalogue():
        indicators.append(
            {
                "indicator_id": indicator.id,
                "name_pl": indicator.name_pl,
                "name_en": indicator.name_en,
                "description_pl": indicator.description_pl,
                "description_en": indicator.description_en,
                "unit": indicator.unit,
                "decimals": indicator.decimals,
                "direction": indicator.direction,
                "kind": indicator.kind,
                "source_id": indicator.source_id,
                "series_id": indicator.series_id,
                "area_code": indicator.area_code,
                "effect_kind": indicator.effect_kind,
                "interval_method": indicator.interval_method,
                "tolerance": indicator.effective_tolerance,
                "indicator_group": indicator.group,
                "display_order": indicator.order,
                "numerator_series_id": indicator.numerator_series_id,
                "denominator_series_id": indicator.denominator_series_id,
            }
        )
        for item in indicator.series_breaks:
            breaks.append(
                {
                    "indicator_id": indicator.id,
                    "year": item.year,
                    "break_kind": item.kind,
                    "blocks_comparison": item.blocks_comparison,
                    "description_pl": item.description_pl,
                    "description_en": item.description_en,
                }
            )
    columns = ["indicator_id", "year", "break_kind", "blocks_comparison", "description_pl", "description_en"]
    return {
        "stg_catalogue__indicators": pd.DataFrame(indicators),
        "stg_catalogue__series_breaks": pd.DataFrame(breaks, columns=columns),
    }

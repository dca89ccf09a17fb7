"""The sentences of a stored verdict row (`mart__verdicts`), written when read.

The build stores sentences for Kraków, its peers, Małopolska and Poland only; every other area's sentence is
written from the row's stored numbers by the same narrative code (text only: nothing is recomputed). The read
layer's scorecard, `api.verdicts` and `bezpieczny check --area` use this one function.
"""

from __future__ import annotations

import pandas as pd

from etl.catalogue import get_indicator
from etl.evaluate.narrative import sentences
from etl.evaluate.rules import series_break_check

__all__ = ["row_sentences"]


def _num(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _years(value) -> list[int]:
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return []
    return [int(year) for year in value]


def row_sentences(row) -> tuple[str, str]:
    """(pl, en) sentence of a verdict row (any object with mart__verdicts' column attributes)."""
    indicator = get_indicator(row.indicator_id)
    years = _years(row.assessment_years)
    extra = {}
    if row.reason == "series_break":
        extra = {"breaks": series_break_check(indicator, indicator.baseline.years, years, False)[0]}
    return sentences(
        indicator,
        assessment_years=years,
        assessment_value=_num(row.assessment_value),
        baseline_value=_num(row.baseline_value),
        baseline_years=_years(row.baseline_years) or indicator.baseline.years,
        effect=_num(row.effect),
        ci_low=_num(row.ci_low),
        ci_high=_num(row.ci_high),
        state=row.state,
        reason=row.reason,
        extra=extra,
    )

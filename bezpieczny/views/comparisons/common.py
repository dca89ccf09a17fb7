"""What the comparisons page's views share: a chart's content (`Chart`), the category's name, the source line and
the data table's column names in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from bezpieczny.i18n import t


@dataclass(frozen=True)
class Chart:
    """One chart as a reader meets it: the figure, exactly the rows it plots (in the reader's language), a title,
    a description and notes shown under it."""

    chart_id: str
    figure: go.Figure | dict
    plotted: Callable[[], pd.DataFrame] = field(repr=False, compare=False)
    """Builds the rows when the data table or a download first asks (most views never)."""
    title: str = ""
    description: str | None = None
    notes: tuple[str, ...] = ()

    @cached_property
    def rows(self) -> pd.DataFrame:
        return self.plotted()


def category_name(category: str, lang: str) -> str:
    return t(f"comparisons_cat_{category}", lang)


def source_line(files: pd.Series, lang: str) -> str:
    names = sorted({name for value in files.dropna() for name in str(value).split("; ") if name})
    return t("comparisons_source", lang, files=", ".join(names))


def table_columns(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rename (label, area_code, year, value, source_file) to the reader's language."""
    return frame.rename(
        columns={
            "label": t("comparisons_col_area", lang),
            "area_code": t("comparisons_col_code", lang),
            "year": t("comparisons_col_year", lang),
            "value": t("comparisons_col_rate", lang),
            "source_file": t("comparisons_col_source", lang),
        }
    )

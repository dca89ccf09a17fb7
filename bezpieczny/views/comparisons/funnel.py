"""The funnel view of the comparisons page: every powiat's rate against its population with the exact Poisson
limits around the national rate and, chosen by the reader, limits widened for over-dispersion. Every number is
sliced from mart__funnel (computed in the build); this module only arranges and words them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from bezpieczny.charts import comparisons as figures
from bezpieczny.i18n import fmt_number, t
from bezpieczny.read.cube import SeriesCube
from bezpieczny.views.comparisons.common import Chart, category_name
from bezpieczny.views.comparisons.state import ComparisonState
from bezpieczny.views.comparisons.tables import (
    FIT_COLUMNS,
    area_names,
    category_funnel,
    cube,
    funnel_fits,
    funnel_limits,
    level_areas,
)
from etl.definitions import COUNTRY_AREA, HOME_AREA


@dataclass(frozen=True)
class FunnelView:
    chart: Chart
    summaries: tuple[dict, ...] = field(default=())  # {"area_code", "position", "text"} per highlighted area
    dispersion_note: str = ""
    count_note: str = ""
    method_note: str = ""  # the adjusted limits' method and its estimated dispersion (phi, tau²)
    outside: tuple[dict, ...] = field(default=())  # {"area_code", "label", "side", "rate"} outside adjusted 99.8 %
    outside_heading: str = ""


def funnel_rows(category: str, year: int | None) -> pd.DataFrame:
    """Every powiat's published count, rate and population in one year (the funnel's input), in code order."""
    state = ComparisonState(category=category, year=year)
    arrays, powiats = cube(), level_areas("powiat")
    picked = {
        name: arrays.in_year(series, year, powiats.at)
        for name, series in (
            ("count", state.count_series),
            ("rate", state.rate_series),
            ("population", "population__total"),
        )
    }
    national = arrays.in_year(state.rate_series, year, np.array([arrays.area_index[COUNTRY_AREA]]))[0]
    return pd.DataFrame(
        {
            "area_code": powiats.codes,
            "area_name": powiats.names,
            "population": picked["population"][0],
            "published_count": picked["count"][0],
            "published_rate_per_1000": picked["rate"][0],
            "national_rate_per_1000": np.repeat(national, len(powiats.codes)),
            "source_files": joined_sources(arrays, [picked[name][1] for name in ("count", "rate", "population")]),
        }
    )


def joined_sources(arrays: SeriesCube, sources: list[np.ndarray]) -> np.ndarray:
    """'file; file; file' per area from the source indexes of several series (a file only where a row is)."""
    combos, inverse = np.unique(np.stack(sources, axis=1), axis=0, return_inverse=True)
    texts = np.array(["; ".join(f for f in arrays.source_names(combo) if f) for combo in combos], dtype=object)
    return texts[inverse.ravel()]


def funnel_data(state: ComparisonState) -> pd.DataFrame:
    """All powiats for the state's year and category, with the funnel's count, rate and position, and the rows
    they come from (the funnel's data table)."""
    points = funnel_points(state)
    return funnel_rows(state.category, state.year).assign(
        count_derived=points["count_derived"],
        count=points["count"],
        rate_per_1000=points["rate_per_1000"],
        position=points["position"],
        label=points["label"],
    )


def funnel_points(state: ComparisonState) -> dict[str, np.ndarray]:
    """The funnel plot's powiats in the state's category and year, as arrays by column name (area_code, label,
    population, count, rate_per_1000, count_derived, position; in code order), sliced from `category_funnel`."""
    powiats, at = level_areas("powiat"), cube().year_at(state.year)
    if at is None:  # no such year: every powiat without data
        missing = np.full(len(powiats.codes), np.nan)
        return {
            "area_code": powiats.codes,
            "label": powiats.labels,
            "population": missing,
            "count": missing,
            "rate_per_1000": missing,
            "count_derived": np.zeros(len(powiats.codes), dtype=bool),
            "position": np.full(len(powiats.codes), "no_data", dtype=object),
        }
    funnel = category_funnel(state.category)
    return {
        "area_code": powiats.codes,
        "label": powiats.labels,
        "population": funnel.population[:, at],
        "count": funnel.count[:, at],
        "rate_per_1000": funnel.rate[:, at],
        "count_derived": funnel.derived[:, at],
        "position": funnel.position[:, at],
    }


def national_rate(state: ComparisonState) -> float:
    """Poland's published rate of the state's category in its year (NaN when not published)."""
    at = cube().year_at(state.year)
    return float("nan") if at is None else float(category_funnel(state.category).national[at])


def funnel_table(frame: pd.DataFrame, state: ComparisonState, highlight: list[str], lang: str) -> pd.DataFrame:
    """The funnel's rows in the reader's language, the highlighted areas first."""
    yes, no = t("comparisons_yes", lang), t("comparisons_no", lang)
    table = pd.DataFrame(
        {
            t("comparisons_col_area", lang): frame["label"],
            t("comparisons_col_code", lang): frame["area_code"],
            t("comparisons_col_year", lang): state.year,
            t("comparisons_col_population", lang): frame["population"],
            t("comparisons_col_count", lang): frame["count"],
            t("comparisons_col_count_derived", lang): frame["count_derived"].map({True: yes, False: no}),
            t("comparisons_col_rate", lang): frame["rate_per_1000"].round(3),
            t("comparisons_col_published_rate", lang): frame["published_rate_per_1000"],
            t("comparisons_col_position", lang): frame["position"].map(lambda p: t(f"comparisons_position_{p}", lang)),
            t("comparisons_col_source", lang): frame["source_files"],
        }
    )
    order = {code: index for index, code in enumerate(highlight)}
    return table.iloc[frame["area_code"].map(lambda c: order.get(c, len(order))).argsort(kind="stable")]


def funnel_summaries(points: dict[str, np.ndarray], highlight: list[str], lang: str) -> tuple[dict, ...]:
    """One sentence per highlighted area with data (`funnel_points`): its rate and where it lies against the
    limits."""
    at = {code: index for index, code in enumerate(points["area_code"].tolist())}
    summaries = []
    for code in highlight:
        if code not in at:
            continue
        label, rate, position = (points[c][at[code]] for c in ("label", "rate_per_1000", "position"))
        summaries.append(
            {
                "area_code": code,
                "position": position,
                "text": t(
                    "comparisons_funnel_summary",
                    lang,
                    area=label,
                    rate=fmt_number(rate, lang, 2),
                    position=t(f"comparisons_position_{position}", lang),
                ),
            }
        )
    return tuple(summaries)


def funnel_adjusted(state: ComparisonState) -> pd.DataFrame:
    """The over-dispersion-adjusted funnel of the state's rate, year and method (mart__funnel), one row per powiat
    ordered by population, with its label and the side on which it lies outside the 99.8 % limits."""
    fits, key = funnel_fits(state.rate_series), (state.year, state.funnel_method)
    rows = fits.powiats.rows(key)
    fit = fits.dispersion.get(key, dict.fromkeys(FIT_COLUMNS))
    codes = rows["area_code"].to_numpy(dtype=object)
    names = area_names()
    frame = pd.DataFrame(
        {
            "area_code": codes,
            "method": np.repeat(state.funnel_method, len(rows)).astype(object),
            **{c: rows[c].to_numpy() for c in ("rate", "events", "population")},
            **{c: np.repeat(fit[c], len(rows)) for c in FIT_COLUMNS},
            **{c: rows[c].to_numpy() for c in ("lower_95", "upper_95", "lower_998", "upper_998", "outside_998")},
            "label": [names[code][2] for code in codes],
        }
    )
    outside = frame["outside_998"].to_numpy(dtype=bool)
    rate = frame["rate"].to_numpy(dtype=float)
    side = np.where(
        outside & (rate > frame["upper_998"].to_numpy(dtype=float)),
        "above",
        np.where(outside & (rate < frame["lower_998"].to_numpy(dtype=float)), "below", np.array(None, dtype=object)),
    )
    frame["side"] = pd.Series(side, index=frame.index, dtype=object)
    return frame


def funnel_outside(adjusted: pd.DataFrame) -> tuple[dict, ...]:
    """The powiats outside the adjusted 99.8 % limits, highest rate first."""
    outside = np.flatnonzero(adjusted["outside_998"].to_numpy(dtype=bool))
    rate = adjusted["rate"].to_numpy(dtype=float)[outside]
    order = outside[np.argsort(-rate, kind="stable")]
    codes, labels, sides = (adjusted[c].to_numpy(dtype=object)[order] for c in ("area_code", "label", "side"))
    return tuple(
        {"area_code": code, "label": label, "side": side, "rate": float(value)}
        for code, label, side, value in zip(codes, labels, sides, -np.sort(-rate, kind="stable"), strict=True)
    )


def funnel_method_note(adjusted: pd.DataFrame, state: ComparisonState, lang: str) -> str:
    """'Granice skorygowane: model addytywny …, φ = 109,1, τ² = 13,62 (380 powiatów)'; or why there are none."""
    if adjusted.empty:
        return t("comparisons_funnel_no_adjusted", lang)
    fit = adjusted.iloc[0]
    return t(
        "comparisons_funnel_method_note",
        lang,
        method=t(f"comparisons_funnel_method_{state.funnel_method}", lang),
        phi=fmt_number(fit["phi"], lang, 1),
        tau2=fmt_number(fit["tau2"], lang, 2),
        areas=fmt_number(fit["areas"], lang),
        winsor=fmt_number(100 * fit["winsor"], lang),
        target=fmt_number(fit["target"], lang, 2),
    )


def funnel_texts(state: ComparisonState, lang: str) -> dict[str, str]:
    method = t(f"comparisons_funnel_method_{state.funnel_method}", lang)
    return {
        "x_title": t("comparisons_funnel_x", lang),
        "y_title": t("comparisons_funnel_y", lang),
        "national": t("comparisons_funnel_national", lang),
        "limit_95": t("comparisons_funnel_95", lang),
        "limit_998": t("comparisons_funnel_998", lang),
        "others": t("comparisons_funnel_others", lang),
        "adjusted_95": t("comparisons_funnel_adjusted_95", lang, method=method),
        "adjusted_998": t("comparisons_funnel_adjusted_998", lang, method=method),
    }


def funnel_notes(points: dict[str, np.ndarray], state: ComparisonState, lang: str) -> dict[str, str]:
    """The notes under the funnel: how many powiats lie beyond the 99.8 % limits against how many chance alone
    would put there, and where the counts come from."""
    positions = points["position"]
    known = int((positions != "no_data").sum())
    outside = int(np.isin(positions, ["above_998", "below_998"]).sum())
    derived = bool(points["count_derived"].any())
    return {
        "dispersion_note": t(
            "comparisons_funnel_dispersion_note",
            lang,
            outside=outside,
            total=known,
            expected=fmt_number(known * (1 - 0.998), lang, 1),
        ),
        "count_note": (
            t("comparisons_funnel_derived_note", lang, year=state.year)
            if derived
            else t("comparisons_funnel_count_note", lang)
        ),
    }


def funnel_view(state: ComparisonState, lang: str) -> FunnelView:
    points, adjusted, national = funnel_points(state), funnel_adjusted(state), national_rate(state)
    highlight = [HOME_AREA, *state.areas]
    figure = figures.funnel_plot(
        points,
        national,
        lang,
        highlight=highlight,
        texts=funnel_texts(state, lang),
        limits=funnel_limits(state.category).get(state.year),
        adjusted=adjusted,
    )
    outside = funnel_outside(adjusted)
    method = t(f"comparisons_funnel_method_{state.funnel_method}", lang)
    return FunnelView(
        chart=Chart(
            "comparisons-funnel",
            figure,
            lambda: funnel_table(funnel_data(state), state, highlight, lang),
            title=t("comparisons_funnel_title", lang, category=category_name(state.category, lang), year=state.year),
            description=t("comparisons_funnel_description", lang, national=fmt_number(national, lang, 2)),
        ),
        summaries=funnel_summaries(points, highlight, lang),
        **funnel_notes(points, state, lang),
        method_note=funnel_method_note(adjusted, state, lang),
        outside=outside,
        outside_heading=t(
            "comparisons_funnel_outside_heading", lang, count=len(outside), total=len(adjusted), method=method
        ),
    )

"""Data & methods page: the tables (sources with coverage, series breaks, source disagreements, curated figures)
as DataFrames and as accessible HTML tables with CSV/XLSX downloads. No callbacks of its own: downloads use the
chart panel's pattern-matching download callback (same component ids, `dashboard.components.chart_panel`)."""
from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard import data
from dashboard.i18n import fmt_number, language, t


def sources_table() -> pd.DataFrame:
    """Every source file with publisher, licence, retrieval date and coverage computed from the observations."""
    return data.warehouse().query("methods__sources")


def breaks_table() -> pd.DataFrame:
    return data.warehouse().query("methods__breaks")


def disagreements_table() -> pd.DataFrame:
    return data.warehouse().query("methods__disagreements")


def curated_figures_table() -> pd.DataFrame:
    return data.warehouse().query("methods__curated_figures")


def coverage_text(row, lang: str) -> str:
    """'2013–2024; 397 obszarów; 123 864 wartości' (or 'no data' when the file gave no observations)."""
    if pd.isna(row["first_year"]):
        return t("no_data", lang)
    years = (f"{int(row['first_year'])}" if row["first_year"] == row["last_year"]
             else f"{int(row['first_year'])}–{int(row['last_year'])}")
    return t("methods_coverage", lang, years=years, areas=fmt_number(row["area_count"], lang),
             series=fmt_number(row["series_count"], lang), values=fmt_number(row["value_count"], lang))


def html_table(table_id: str, caption: str, header: list[str], rows: list[list], lang: str) -> html.Table:
    """A plain, readable HTML table with a caption (screen readers announce it) and a header row."""
    return html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
        html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows]),
    ], className="data-table d1-table", id=table_id)


def downloads(table_id: str, frame: pd.DataFrame, lang: str) -> html.Div:
    """CSV/XLSX buttons for exactly `frame`, wired to the chart panel's download callback by id pattern."""
    return html.Div([
        html.Button(t("download_csv", lang), id={"type": "download-csv", "chart": table_id}, className="button"),
        html.Button(t("download_xlsx", lang), id={"type": "download-xlsx", "chart": table_id}, className="button"),
        dcc.Store(id={"type": "chart-data", "chart": table_id}, data=frame.to_dict("records")),
        dcc.Download(id={"type": "download", "chart": table_id}),
    ], className="downloads")


def link(url: object) -> object:
    """A link for a URL (curated URLs may lack the scheme); empty for none."""
    if not isinstance(url, str) or not url:
        return ""
    href = url if url.startswith(("http://", "https://")) else f"https://{url}"
    return html.A(url, href=href, rel="noopener noreferrer", target="_blank")


def table_section(name: str, frame: pd.DataFrame, header: list[str], rows: list[list], lang: str) -> html.Section:
    """A heading, an introduction, CSV/XLSX downloads of `frame` and the table itself (`methods_<name>_*` texts)."""
    heading = t(f"methods_{name}_heading", lang)
    return html.Section([
        html.H3(heading),
        html.P(t(f"methods_{name}_intro", lang)),
        downloads(f"methods-{name}", frame, lang),
        html.Div(html_table(f"methods-{name}-table", heading, header, rows, lang), className="table-scroll"),
    ], id=f"methods-{name}")


def sources_section(lang: str) -> html.Section:
    frame = sources_table()
    rows = [[row["publisher"], row["source_file"], row["licence"], row["retrieved_at"], coverage_text(row, lang),
             link(row["url"]) or (row["via"] or "")] for _, row in frame.iterrows()]
    header = [t(f"methods_col_{c}", lang) for c in ("publisher", "file", "licence", "retrieved", "coverage", "origin")]
    return table_section("sources", frame, header, rows, lang)


def breaks_section(lang: str) -> html.Section:
    frame = breaks_table()
    description = "description_pl" if language(lang) == "pl" else "description_en"
    rows = [[str(int(row["year"])), t(f"methods_break_kind_{row['break_kind']}", lang),
             t("methods_yes", lang) if row["blocks_comparison"] else t("methods_no", lang), row[description],
             row["indicators"]] for _, row in frame.iterrows()]
    header = [t(f"methods_col_{c}", lang) for c in ("year", "kind", "blocks", "description", "indicators")]
    return table_section("breaks", frame, header, rows, lang)


def disagreements_section(lang: str) -> html.Section:
    frame = disagreements_table()
    measure = "measure_pl" if language(lang) == "pl" else "measure_en"
    rows = []
    for _, row in frame.iterrows():
        decimals = 0 if float(row["value_a"]).is_integer() and float(row["value_b"]).is_integer() else 2
        rows.append([
            row[measure], row["area_name"] or row["area_code"], str(int(row["year"])),
            fmt_number(row["value_a"], lang, decimals), row["publisher_a"] or row["source_a"],
            fmt_number(row["value_b"], lang, decimals), row["publisher_b"] or row["source_b"],
            fmt_number(row["difference"], lang, decimals),
            fmt_number(row["difference_pct"], lang, 2) + " %" if pd.notna(row["difference_pct"]) else t("no_data", lang),
        ])
    header = [t(f"methods_col_{c}", lang) for c in ("measure", "area", "year", "value_a", "source_a", "value_b",
                                                    "source_b", "difference", "difference_pct")]
    return table_section("disagreements", frame, header, rows, lang)


METHOD_RULES = ("question", "baseline", "effect", "intervals", "no_basis", "band", "rule", "no_judgement",
                "overdispersion", "breaks", "gaps")


def method_section(lang: str) -> html.Section:
    """The verdict method in short (full text: docs/methods.md in the repository)."""
    return html.Section([
        html.H3(t("methods_method_heading", lang)),
        html.Ol([html.Li([html.Strong(t(f"methods_rule_{key}_title", lang) + ": "), t(f"methods_rule_{key}", lang)])
                 for key in METHOD_RULES], className="d1-rules"),
        html.P(t("methods_method_full", lang), className="hint"),
    ], id="methods-method")


def curated_section(lang: str) -> html.Section:
    frame = curated_figures_table()
    return html.Section([
        html.H3(t("methods_downloads_heading", lang)),
        html.P(t("methods_curated_intro", lang, count=fmt_number(len(frame), lang))),
        downloads("curated-figures", frame, lang),
        html.P(t("methods_chart_downloads", lang), className="hint"),
    ], id="methods-downloads")

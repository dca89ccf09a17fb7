"""Dane i metody — every source with provenance and coverage, series breaks, source disagreements, the verdict
method in short, and downloads (curated figures with citations; every chart has its own CSV/XLSX). The tables come
from `bezpieczny.views.methods`; downloads use the chart panel's download callback (same component ids)."""

from __future__ import annotations

import dash
import pandas as pd
from dash import dcc, html

from bezpieczny import read
from bezpieczny.i18n import fmt_number, t
from bezpieczny.views import methods as view
from dashboard.shell import APP_TITLE, page_layout

dash.register_page(__name__, path="/dane-i-metody", name="nav_methods", title=APP_TITLE, order=5)

SECTIONS = (
    "methods-method",
    "methods-calibration",
    "methods-pit",
    "methods-sources",
    "methods-revisions",
    "methods-audit",
    "methods-breaks",
    "methods-disagreements",
    "methods-tables",
    "methods-downloads",
)


def cell(value: object) -> object:
    """A table cell: a cited address becomes a link that opens in a new tab."""
    if isinstance(value, view.Link):
        return html.A(value.text, href=value.href, rel="noopener noreferrer", target="_blank")
    return value


def html_table(table_id: str, caption: str, header: list[str], rows: list[list]) -> html.Table:
    """A plain, readable HTML table with a caption (screen readers announce it) and a header row."""
    return html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
            html.Tbody([html.Tr([html.Td(cell(value)) for value in row]) for row in rows]),
        ],
        className="data-table d1-table",
        id=table_id,
    )


def downloads(table_id: str, frame: pd.DataFrame, lang: str) -> html.Div:
    """CSV/XLSX buttons for exactly `frame`, wired to the chart panel's download callback by id pattern."""
    return html.Div(
        [
            html.Button(t("download_csv", lang), id={"type": "download-csv", "chart": table_id}, className="button"),
            html.Button(t("download_xlsx", lang), id={"type": "download-xlsx", "chart": table_id}, className="button"),
            dcc.Store(id={"type": "chart-data", "chart": table_id}, data=frame.to_dict("records")),
            dcc.Download(id={"type": "download", "chart": table_id}),
        ],
        className="downloads",
    )


def table_section(table: view.MethodsTable, lang: str, *extra) -> html.Section:
    """A heading, an introduction (and any `extra` paragraphs), CSV/XLSX downloads of the table's frame and the
    table itself."""
    heading = t(f"methods_{table.name}_heading", lang)
    return html.Section(
        [
            html.H3(heading),
            html.P(t(f"methods_{table.name}_intro", lang)),
            *extra,
            downloads(f"methods-{table.name}", table.frame, lang),
            html.Div(
                html_table(f"methods-{table.name}-table", heading, table.header, table.rows), className="table-scroll"
            ),
        ],
        id=f"methods-{table.name}",
    )


def method_section(lang: str) -> html.Section:
    """The verdict method in short (full text: docs/methods.md in the repository)."""
    return html.Section(
        [
            html.H3(t("methods_method_heading", lang)),
            html.Ol(
                [
                    html.Li([html.Strong(t(f"methods_rule_{key}_title", lang) + ": "), t(f"methods_rule_{key}", lang)])
                    for key in view.METHOD_RULES
                ],
                className="d1-rules",
            ),
            html.P(t("methods_method_full", lang), className="hint"),
        ],
        id="methods-method",
    )


def calibration_section(lang: str) -> html.Section:
    """Operating characteristics per indicator kind and interval option, which option is the default and why,
    and the one SQL query that recomputes the table."""
    table = view.operating_characteristics_view(lang)
    return table_section(
        table,
        lang,
        html.P(view.default_option_text(table.frame, lang), id="methods-default-option"),
        html.Details(
            [
                html.Summary(t("methods_calibration_query", lang)),
                html.Pre(html.Code(view.calibration_query()), id="methods-calibration-query"),
            ]
        ),
    )


def pit_section(lang: str) -> html.Section:
    """Is the noise model behind the odds calibrated: the PIT table per indicator kind and window kind, the worst
    placebo share of clear changes, the likelihood scale the odds' words come from, the goal setting, and the one
    SQL query that recomputes the table."""
    return table_section(
        view.pit_view(lang),
        lang,
        html.P(view.likelihood_text(lang), id="methods-likelihood-scale"),
        html.P(view.goal_setting_text(lang), id="methods-goal-setting"),
        html.Details(
            [
                html.Summary(t("methods_pit_query", lang)),
                html.Pre(html.Code(view.pit_calibration_query()), id="methods-pit-query"),
            ]
        ),
    )


def revisions_section(lang: str) -> html.Section:
    table = view.revisions_view(lang)
    return table_section(table, lang, html.P(view.revisions_summary(table.frame, lang), id="methods-revisions-summary"))


def audit_section(lang: str) -> html.Section:
    table = view.audit_view(lang)
    empty = [] if table.rows else [html.P(t("methods_audit_empty", lang), id="methods-audit-empty")]
    return table_section(table, lang, *empty)


def curated_section(lang: str) -> html.Section:
    frame = view.curated_figures_table()
    return html.Section(
        [
            html.H3(t("methods_downloads_heading", lang)),
            html.P(t("methods_curated_intro", lang, count=fmt_number(len(frame), lang))),
            downloads("curated-figures", frame, lang),
            html.P(t("methods_chart_downloads", lang), className="hint"),
        ],
        id="methods-downloads",
    )


def render(_snap: read.Snapshot, lang: str, query: dict[str, str]) -> html.Div:
    """The whole page (it has no controls, so no view state beyond the language)."""
    contents = html.Nav(
        html.Ul([html.Li(html.A(t(f"methods_toc_{section}", lang), href=f"#{section}")) for section in SECTIONS]),
        className="d1-toc",
        **{"aria-label": t("methods_toc", lang)},
    )
    return html.Div(
        [
            html.H2(t("methods_heading", lang)),
            html.P(t("methods_intro", lang), className="lead"),
            contents,
            method_section(lang),
            calibration_section(lang),
            pit_section(lang),
            table_section(view.sources_view(lang), lang),
            revisions_section(lang),
            audit_section(lang),
            table_section(view.breaks_view(lang), lang),
            table_section(view.disagreements_view(lang), lang),
            table_section(view.published_tables_view(lang), lang),
            curated_section(lang),
        ],
        className="d1-page",
    )


layout = page_layout(render)

"""Methods-tables view model (page Dane i metody): the sources with coverage computed from the observations, the
series breaks, the source disagreements and the curated figures, each as the frame offered for download plus the
rows shown (already in the reader's language and number format). No html."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bezpieczny import read
from bezpieczny.i18n import fmt_number, language, t
from bezpieczny.read.connection import query_text
from bezpieczny.read.queries import published_models
from bezpieczny.views.reading_texts import goal_rule_text, likelihood_scale_text
from etl.evaluate.reading import GOAL_RULES

METHOD_RULES = (
    "question",
    "baseline",
    "effect",
    "intervals",
    "no_basis",
    "band",
    "rule",
    "no_judgement",
    "overdispersion",
    "breaks",
    "gaps",
)


@dataclass(frozen=True)
class MethodsTable:
    """One table of the page: `name` (ids and texts `methods_<name>_*`), the downloadable `frame`, the column
    headings and the displayed rows (text, or a `Link` for a cited address)."""

    name: str
    frame: pd.DataFrame
    header: list[str]
    rows: list[list]


@dataclass(frozen=True)
class Link:
    """A cited address as written (`text`) and where it leads (`href`: curated URLs may lack the scheme)."""

    text: str

    @property
    def href(self) -> str:
        return self.text if self.text.startswith(("http://", "https://")) else f"https://{self.text}"


def link(url: object) -> Link | str:
    """A link for a URL; empty for none."""
    return Link(url) if isinstance(url, str) and url else ""


def sources_table() -> pd.DataFrame:
    """Every source file with publisher, licence, retrieval date and coverage computed from the observations."""
    return read.warehouse().query("methods__sources")


def breaks_table() -> pd.DataFrame:
    return read.warehouse().query("methods__breaks")


def disagreements_table() -> pd.DataFrame:
    return read.warehouse().query("methods__disagreements")


def curated_figures_table() -> pd.DataFrame:
    return read.warehouse().query("methods__curated_figures")


def coverage_text(row, lang: str) -> str:
    """'2013–2024; 397 obszarów; 123 864 wartości' (or 'no data' when the file gave no observations)."""
    if pd.isna(row["first_year"]):
        return t("no_data", lang)
    years = (
        f"{int(row['first_year'])}"
        if row["first_year"] == row["last_year"]
        else f"{int(row['first_year'])}–{int(row['last_year'])}"
    )
    return t(
        "methods_coverage",
        lang,
        years=years,
        areas=fmt_number(row["area_count"], lang),
        series=fmt_number(row["series_count"], lang),
        values=fmt_number(row["value_count"], lang),
    )


def text(value: object) -> str:
    """A text cell: '' for a missing value (never 'nan')."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def sources_view(lang: str) -> MethodsTable:
    """Sources as a user needs them: what it is (title: publisher's dataset and how it reached us), the dataset /
    BDL subject, the publisher, licence, retrieval date, 'data as of', coverage and its address."""
    frame = sources_table()
    rows = [
        [
            text(row["title"]) or row["source_file"],
            text(row["dataset"]),
            row["publisher"],
            row["licence"],
            row["retrieved_at"],
            text(row["source_last_update"]) or t("methods_not_recorded", lang),
            coverage_text(row, lang),
            link(row["url"]) or (row["via"] or ""),
        ]
        for _, row in frame.iterrows()
    ]
    header = [
        t(f"methods_col_{c}", lang)
        for c in ("source", "dataset", "publisher", "licence", "retrieved", "data_as_of", "coverage", "origin")
    ]
    return MethodsTable("sources", frame, header, rows)


def breaks_view(lang: str) -> MethodsTable:
    frame = breaks_table()
    description = "description_pl" if language(lang) == "pl" else "description_en"
    rows = [
        [
            str(int(row["year"])),
            t(f"methods_break_kind_{row['break_kind']}", lang),
            t("methods_yes", lang) if row["blocks_comparison"] else t("methods_no", lang),
            row[description],
            row["indicators"],
        ]
        for _, row in frame.iterrows()
    ]
    header = [t(f"methods_col_{c}", lang) for c in ("year", "kind", "blocks", "description", "indicators")]
    return MethodsTable("breaks", frame, header, rows)


def disagreements_view(lang: str) -> MethodsTable:
    frame = disagreements_table()
    measure = "measure_pl" if language(lang) == "pl" else "measure_en"
    rows = []
    for _, row in frame.iterrows():
        decimals = 0 if float(row["value_a"]).is_integer() and float(row["value_b"]).is_integer() else 2
        rows.append(
            [
                row[measure],
                row["area_name"] or row["area_code"],
                str(int(row["year"])),
                fmt_number(row["value_a"], lang, decimals),
                row["publisher_a"] or row["source_a"],
                fmt_number(row["value_b"], lang, decimals),
                row["publisher_b"] or row["source_b"],
                fmt_number(row["difference"], lang, decimals),
                (
                    fmt_number(row["difference_pct"], lang, 2) + " %"
                    if pd.notna(row["difference_pct"])
                    else t("no_data", lang)
                ),
            ]
        )
    header = [
        t(f"methods_col_{c}", lang)
        for c in (
            "measure",
            "area",
            "year",
            "value_a",
            "source_a",
            "value_b",
            "source_b",
            "difference",
            "difference_pct",
        )
    ]
    return MethodsTable("disagreements", frame, header, rows)


# --- calibration, revisions, published tables ---------------------------------------------------------------------
SHARE_COLUMNS = ("maintained", "inconclusive", "worsened", "improved", "false_alarm")
CALIBRATION_INDICATOR = "crimes_count__criminal"  # the indicator the default option is chosen on (docs/methods.md)
FALSE_ALARM_LIMIT = 0.05


def operating_characteristics_table() -> pd.DataFrame:
    """State shares in placebo years per indicator kind and interval option (mart__operating_characteristics)."""
    return read.warehouse().query("methods__operating_characteristics")


def calibration_query() -> str:
    """The one documented SQL query that recomputes the calibration table (as in docs/methods.md)."""
    return "\n".join(
        line for line in query_text("methods__calibration_query").splitlines() if not line.startswith("--")
    ).strip()


def pct(share: float, lang: str) -> str:
    return fmt_number(100 * share, lang, 1) + "%"


def default_option_text(frame: pd.DataFrame, lang: str) -> str:
    """Which option is the default and why, with the numbers of the mart: its worst false-alarm share for crimes
    of criminal character in the placebo years against the 5 % limit, and the other options' worst."""
    rows = frame[frame["indicator_id"] == CALIBRATION_INDICATOR]
    worst = rows.groupby("interval_option")["false_alarm_share"].max()
    default = str(rows.loc[rows["is_default"], "interval_option"].iloc[0])
    others = "; ".join(f"{t(f'methods_option_{o}', lang)}: {pct(v, lang)}" for o, v in worst.items() if o != default)
    return t(
        "methods_default_option",
        lang,
        option=t(f"methods_option_{default}", lang),
        worst=pct(worst[default], lang),
        limit=pct(FALSE_ALARM_LIMIT, lang),
        others=others,
        first=rows["period_label"].min(),
        last=rows["period_label"].max(),
    )


def operating_characteristics_view(lang: str) -> MethodsTable:
    frame = operating_characteristics_table()
    names = read.indicator_catalogue().set_index("indicator_id")["name_pl" if language(lang) == "pl" else "name_en"]
    rows = []
    for _, row in frame.iterrows():
        option = t(f"methods_option_{row['interval_option']}", lang)
        if row["is_default"]:
            option += " " + t("methods_default_mark", lang)
        indicator = (
            t("methods_all_of_kind", lang)
            if row["indicator_id"] == "*"
            else names.get(row["indicator_id"], row["indicator_id"])
        )
        rows.append(
            [
                t(f"methods_kind_{row['indicator_kind']}", lang),
                indicator,
                option,
                row["period_label"],
                *(pct(row[f"{c}_share"], lang) for c in SHARE_COLUMNS),
                fmt_number(row["areas_judged"], lang),
            ]
        )
    header = [
        t(f"methods_col_{c}", lang)
        for c in ("kind", "indicator", "option", "placebo_year", *SHARE_COLUMNS, "areas_judged")
    ]
    return MethodsTable("calibration", frame, header, rows)


def revisions_table() -> pd.DataFrame:
    return read.warehouse().query("methods__revisions")


def revisions_summary(frame: pd.DataFrame, lang: str) -> str:
    """'12 wartości zmienionych, 1 nowy rok, 0 wycofanych' (counts of mart__revisions by change)."""
    counts = frame["change"].value_counts()
    new_years = frame.loc[frame["change"] == "new", "year"].nunique()
    return t(
        "methods_revisions_summary",
        lang,
        revised=fmt_number(counts.get("revised", 0), lang),
        new=fmt_number(counts.get("new", 0), lang),
        new_years=fmt_number(new_years, lang),
        withdrawn=fmt_number(counts.get("withdrawn", 0), lang),
    )


def revisions_view(lang: str) -> MethodsTable:
    frame = revisions_table()
    rows = [
        [
            t(f"methods_change_{row['change']}", lang),
            row["series_id"],
            text(row["area_name"]) or row["area_code"],
            str(int(row["year"])),
            fmt_number(row["old_value"], lang, 2),
            fmt_number(row["new_value"], lang, 2),
            text(row["old_last_update"]),
            text(row["new_last_update"]),
            text(row["new_source_file"]) or text(row["old_source_file"]),
        ]
        for _, row in frame.iterrows()
    ]
    header = [
        t(f"methods_col_{c}", lang)
        for c in ("change", "series", "area", "year", "old_value", "new_value", "old_as_of", "new_as_of", "file")
    ]
    return MethodsTable("revisions", frame, header, rows)


def audit_table() -> pd.DataFrame:
    return read.warehouse().query("methods__audit")


def audit_result(result: str, lang: str) -> str:
    """'published' / 'restored' / 'refused: <reason>' in the reader's language (the reason stays as recorded)."""
    word, _, reason = text(result).partition(":")
    if word not in ("published", "refused", "restored"):
        return text(result)
    translated = t(f"methods_result_{word}", lang)
    return f"{translated}: {reason.strip()}" if reason.strip() else translated


def audit_view(lang: str) -> MethodsTable:
    """The change log (uploads, builds, restores), newest first; the editor's display name is its only personal
    detail."""
    frame = audit_table()
    rows = [
        [
            text(row["event_at"]).replace("T", " ").removesuffix("+00:00"),
            text(row["editor_name"]),
            t(f"methods_action_{row['action']}", lang),
            text(row["file_name"]),
            text(row["sha256"])[:12],
            "" if pd.isna(row["row_count"]) else fmt_number(int(row["row_count"]), lang),
            text(row["changes"]),
            audit_result(row["build_result"], lang),
            text(row["warehouse_id"]),
        ]
        for _, row in frame.iterrows()
    ]
    header = [
        t(f"methods_col_{c}", lang)
        for c in ("when", "editor", "action", "file", "sha256", "rows", "changes", "result", "warehouse")
    ]
    return MethodsTable("audit", frame, header, rows)


def published_tables_view(lang: str) -> MethodsTable:
    """The published tables with their descriptions (from the model .yml files, through the read layer)."""
    frame = published_models()
    rows = [
        [row["table"], row["description"] or t("no_data", lang), row["primary_key"], fmt_number(row["columns"], lang)]
        for _, row in frame.iterrows()
    ]
    header = [t(f"methods_col_{c}", lang) for c in ("table", "description", "primary_key", "columns")]
    return MethodsTable("tables", frame, header, rows)


# --- the reading's noise model: PIT table, likelihood scale, goal setting (issue 23 items 2, 4, 5) ------------------
def pit_calibration_table() -> pd.DataFrame:
    """mart__pit_calibration with the worst placebo share of clear changes per indicator kind and window kind."""
    return read.warehouse().query("methods__pit_calibration")


def pit_calibration_query() -> str:
    """The one documented SQL query that recomputes the PIT table (as in docs/methods.md §5c)."""
    return "\n".join(
        line for line in query_text("methods__pit_calibration_query").splitlines() if not line.startswith("--")
    ).strip()


def pit_view(lang: str) -> MethodsTable:
    """One row per indicator kind and window kind: the share of placebo verdicts in each tenth of the PIT (10 % each
    when the noise model behind the odds is calibrated), how many, and the worst placebo share of clear changes."""
    frame = pit_calibration_table()
    rows = []
    for (kind, window), part in frame.groupby(["indicator_kind", "window_kind"], sort=True):
        part = part.sort_values("pit_decile")
        worst = part["worst_clear_share"].iloc[0]
        rows.append(
            [
                t(f"methods_kind_{kind}", lang),
                t(f"methods_window_{window}", lang),
                *(pct(share, lang) for share in part["share"]),
                fmt_number(int(part["total"].iloc[0]), lang),
                t("no_data", lang) if pd.isna(worst) else pct(worst, lang),
            ]
        )
    header = [
        t("methods_col_kind", lang),
        t("methods_col_window", lang),
        *(f"{10 * d}–{10 * (d + 1)}%" for d in range(10)),
        t("methods_col_verdicts", lang),
        t("methods_col_worst_clear", lang),
    ]
    return MethodsTable("pit", frame, header, rows)


def likelihood_text(lang: str) -> str:
    """The stated scale the odds' words come from."""
    return t("methods_likelihood_scale", lang, scale=likelihood_scale_text(lang))


def goal_setting_text(lang: str) -> str:
    """The goal the published verdicts use (the build's setting) and the other choice, each with its band."""
    used = read.warehouse().query("methods__goal_rule")["goal_rule"].tolist()
    rule = used[0] if used else GOAL_RULES[0]
    other = next(r for r in GOAL_RULES if r != rule)
    return t(
        "methods_goal_setting",
        lang,
        goal=goal_rule_text(rule, lang),
        other=goal_rule_text(other, lang),
    )

"""Methods-tables view model (page Dane i metody): the sources with coverage computed from the observations, the
series breaks, the source disagreements and the curated figures, each as the frame offered for download plus the
rows shown (already in the reader's language and number format). No html."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from bezpieczny import read
from bezpieczny.i18n import fmt_number, language, t

METHOD_RULES = ("question", "baseline", "effect", "intervals", "no_basis", "band", "rule", "no_judgement",
                "overdispersion", "breaks", "gaps")


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
    years = (f"{int(row['first_year'])}" if row["first_year"] == row["last_year"]
             else f"{int(row['first_year'])}–{int(row['last_year'])}")
    return t("methods_coverage", lang, years=years, areas=fmt_number(row["area_count"], lang),
             series=fmt_number(row["series_count"], lang), values=fmt_number(row["value_count"], lang))


def sources_view(lang: str) -> MethodsTable:
    frame = sources_table()
    rows = [[row["publisher"], row["source_file"], row["licence"], row["retrieved_at"], coverage_text(row, lang),
             link(row["url"]) or (row["via"] or "")] for _, row in frame.iterrows()]
    header = [t(f"methods_col_{c}", lang) for c in ("publisher", "file", "licence", "retrieved", "coverage", "origin")]
    return MethodsTable("sources", frame, header, rows)


def breaks_view(lang: str) -> MethodsTable:
    frame = breaks_table()
    description = "description_pl" if language(lang) == "pl" else "description_en"
    rows = [[str(int(row["year"])), t(f"methods_break_kind_{row['break_kind']}", lang),
             t("methods_yes", lang) if row["blocks_comparison"] else t("methods_no", lang), row[description],
             row["indicators"]] for _, row in frame.iterrows()]
    header = [t(f"methods_col_{c}", lang) for c in ("year", "kind", "blocks", "description", "indicators")]
    return MethodsTable("breaks", frame, header, rows)


def disagreements_view(lang: str) -> MethodsTable:
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
            (fmt_number(row["difference_pct"], lang, 2) + " %" if pd.notna(row["difference_pct"])
             else t("no_data", lang)),
        ])
    header = [t(f"methods_col_{c}", lang) for c in ("measure", "area", "year", "value_a", "source_a", "value_b",
                                                    "source_b", "difference", "difference_pct")]
    return MethodsTable("disagreements", frame, header, rows)

"""Terminal reports for `bezpieczny check`: data checks on the published warehouse and the verdict table.

Every text comes from the message catalogues of ``etl.i18n`` (``messages/report.<lang>.json``).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
from rich.console import Console
from rich.table import Table

from etl import paths
from etl.checks import CheckFailure, run_checks
from etl.definitions import ASSESSMENT_PERIODS
from etl.evaluate.labels import effect_text
from etl.evaluate.row_sentences import row_sentences
from etl.i18n import format_number, language, translate
from etl.schema.enforce import SchemaError, enforce_model, published_tables

HEADERS = (
    "report_header_indicator",
    "report_header_verdict",
    "report_header_values",
    "report_header_effect",
    "report_header_explanation",
)
# A person reads the reading (issue 23); the terminal styles it (the words carry it without colour).
READING_STYLES = {
    "clearly_worse": "bold red",
    "worse": "red",
    "no_clear_change": "bold",
    "better": "blue",
    "clearly_better": "bold blue",
    "maintained": "bold green",
    "cannot_judge": "dim",
    "no_data": "dim",
}


@dataclass(frozen=True)
class SchemaFailure:
    error: SchemaError

    def message(self) -> str:
        return str(self.error)


def run_published_checks() -> tuple[int, list[CheckFailure | SchemaFailure]]:
    """Run every SQL check, and every published table's declared schema and primary key, against the published
    warehouse (read-only); return (checks run, failures)."""
    with duckdb.connect(str(paths.warehouse_path()), read_only=True) as con:
        ran, check_failures = run_checks(con)
        failures: list[CheckFailure | SchemaFailure] = [*check_failures]
        tables = published_tables()
        for table in tables:
            try:
                enforce_model(con, table)
            except SchemaError as err:
                failures.append(SchemaFailure(err))
    return ran + len(tables), failures


def print_check_report(area_code: str, lang: str, console: Console, period_id: str = ASSESSMENT_PERIODS[0]) -> bool:
    """Print check results and the verdict table; return True when every check passed."""
    checks_run, failures = run_published_checks()
    for failure in failures:
        console.print(f"[red]{failure.message()}[/red]")
    if not failures:
        passed = f"[green]{translate('report_checks_passed', lang, count=checks_run)}[/green]"
        console.print(translate("report_checks_passed_on", lang, passed=passed, warehouse=paths.warehouse_path()))
    print_verdicts(area_code, lang, console, period_id)
    return not failures


def area_name(area_code: str) -> str | None:
    """The name of an area in the published warehouse (`core__areas`), None for an unknown code."""
    with duckdb.connect(str(paths.warehouse_path()), read_only=True) as con:
        found = con.execute("SELECT area_name FROM core__areas WHERE area_code = $area", {"area": area_code}).fetchone()
    return found[0] if found else None


def unknown_area_message(area_code: str, lang: str) -> str:
    """A friendly error for an area code the warehouse does not know, with examples of valid codes."""
    return translate("report_unknown_area", lang, area=area_code)


def verdict_rows(area_code: str, period_id: str):
    with duckdb.connect(str(paths.warehouse_path()), read_only=True) as con:
        return con.execute(
            "SELECT v.*, a.area_name FROM mart__verdicts v LEFT JOIN core__areas a USING (area_code) "
            "WHERE v.area_code = $area AND v.period_id = $period ORDER BY v.kind, v.display_order, v.indicator_id",
            {"area": area_code, "period": period_id},
        ).df()


def _sentence(row, lang: str) -> str:
    """The stored sentence, or (areas the build stores none for) the same sentence written from the row."""
    stored = getattr(row, f"sentence_{lang}")
    if isinstance(stored, str):
        return stored
    return dict(zip(("pl", "en"), row_sentences(row)))[lang]


def print_verdicts(area_code: str, lang: str, console: Console, period_id: str) -> None:
    lang = language(lang)
    rows = verdict_rows(area_code, period_id)
    if rows.empty:
        console.print(translate("report_no_verdicts", lang, area=area_code, period=period_id))
        return
    name = rows["area_name"].iloc[0] or area_code
    console.print(translate("report_area", lang, name=name, area=area_code))
    title = translate("report_title", lang, area=name, period=period_id)
    table = Table(title=title, show_lines=True, expand=True)
    for header in HEADERS:
        table.add_column(translate(header, lang), overflow="fold")
    for row in rows.itertuples():

        def number(x, decimals: int = int(row.decimals)):
            return translate("report_missing_value", lang) if x != x or x is None else format_number(x, decimals, lang)

        verdict = f"[{READING_STYLES[row.reading]}]{getattr(row, f'reading_label_{lang}')}[/]"
        table.add_row(
            getattr(row, f"name_{lang}"),
            verdict,
            f"{number(row.assessment_value)} / {number(row.baseline_value)}",
            effect_text(row.effect, row.effect_kind, row.ci_low, row.ci_high, lang),
            _sentence(row, lang),
        )
    console.print(table)

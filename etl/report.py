"""Terminal reports for `bezpieczny check`: data checks on the published warehouse and the verdict table."""
from __future__ import annotations

import duckdb
from rich.console import Console
from rich.table import Table

from etl import paths
from etl.build import run_checks

HEADERS = {
    "pl": ("Wskaźnik", "Werdykt", "Wartość / średnia 2017–2021", "Efekt [95% PU]", "Uzasadnienie"),
    "en": ("Indicator", "Verdict", "Value / 2017–2021 mean", "Effect [95% CI]", "Explanation"),
}
STATE_STYLES = {"improved": "bold blue", "maintained": "bold green", "worsened": "bold red",
                "inconclusive": "bold", "no_data": "dim"}


def run_published_checks() -> tuple[int, list]:
    """Run every SQL check against the published warehouse (read-only)."""
    with duckdb.connect(str(paths.warehouse_path()), read_only=True) as con:
        return run_checks(con)


def print_check_report(area_code: str, lang: str, console: Console, period_id: str = "2022–2024") -> bool:
    """Print check results and the verdict table; return True when every check passed."""
    checks_run, failures = run_published_checks()
    for failure in failures:
        console.print(f"[red]{failure.message()}[/red]")
    if not failures:
        console.print(f"[green]{checks_run} data checks passed[/green] on {paths.warehouse_path()}")
    print_verdicts(area_code, lang, console, period_id)
    return not failures


def verdict_rows(area_code: str, period_id: str):
    with duckdb.connect(str(paths.warehouse_path()), read_only=True) as con:
        return con.execute(
            "SELECT v.*, a.area_name FROM mart__verdicts v LEFT JOIN core__areas a USING (area_code) "
            "WHERE v.area_code = $area AND v.period_id = $period ORDER BY v.kind, v.display_order, v.indicator_id",
            {"area": area_code, "period": period_id},
        ).df()


def print_verdicts(area_code: str, lang: str, console: Console, period_id: str) -> None:
    from etl.evaluate.labels import effect_text
    from etl.evaluate.narrative import format_number

    rows = verdict_rows(area_code, period_id)
    if rows.empty:
        console.print(f"No verdicts for area {area_code} and period {period_id}.")
        return
    title = ("Werdykty" if lang == "pl" else "Verdicts") + f": {rows['area_name'].iloc[0] or area_code}, {period_id}"
    table = Table(title=title, show_lines=True, expand=True)
    for header in HEADERS[lang]:
        table.add_column(header, overflow="fold")
    for row in rows.itertuples():
        def number(x):
            return "—" if x != x or x is None else format_number(x, int(row.decimals), lang)
        label = row.state_label_pl if lang == "pl" else row.state_label_en
        table.add_row(row.name_pl if lang == "pl" else row.name_en, f"[{STATE_STYLES[row.state]}]{label}[/]",
                      f"{number(row.assessment_value)} / {number(row.baseline_value)}",
                      effect_text(row.effect, row.effect_kind, row.ci_low, row.ci_high, lang),
                      row.sentence_pl if lang == "pl" else row.sentence_en)
    console.print(table)

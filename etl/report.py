"""Terminal reports for `bezpieczny check`: data checks on the published warehouse and the verdict table."""
from __future__ import annotations

import duckdb
from rich.console import Console
from rich.table import Table

from etl import paths
from etl.build import run_checks


def run_published_checks() -> tuple[int, list]:
    """Run every SQL check against the published warehouse (read-only)."""
    with duckdb.connect(str(paths.warehouse_path()), read_only=True) as con:
        return run_checks(con)


def print_check_report(area_code: str, lang: str, console: Console) -> bool:
    """Print check results and the verdict table; return True when every check passed."""
    checks_run, failures = run_published_checks()
    if failures:
        for failure in failures:
            console.print(f"[red]{failure.message()}[/red]")
    else:
        console.print(f"[green]{checks_run} data checks passed[/green] on {paths.warehouse_path()}")
    print_verdicts(area_code, lang, console)
    return not failures


def print_verdicts(area_code: str, lang: str, console: Console) -> None:
    with duckdb.connect(str(paths.warehouse_path()), read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "mart__verdicts" not in tables:
            console.print("No verdicts in this warehouse (mart__verdicts is missing): rebuild with `bezpieczny build`.")
            return
        rows = con.execute(
            "SELECT * FROM mart__verdicts WHERE area_code = $area ORDER BY display_order, indicator_id, period_label",
            {"area": area_code},
        ).df()
    name_col, sentence_col = ("name_pl", "sentence_pl") if lang == "pl" else ("name_en", "sentence_en")
    table = Table(title=("Werdykty" if lang == "pl" else "Verdicts") + f" — {area_code}", show_lines=True)
    for header in (("Wskaźnik", "Okres", "Werdykt", "Efekt [95% PU]", "Uzasadnienie") if lang == "pl"
                   else ("Indicator", "Period", "Verdict", "Effect [95% CI]", "Explanation")):
        table.add_column(header, overflow="fold")
    for row in rows.itertuples():
        table.add_row(getattr(row, name_col), row.period_label, row.state_label_pl if lang == "pl" else row.state,
                      row.effect_text, getattr(row, sentence_col))
    console.print(table)

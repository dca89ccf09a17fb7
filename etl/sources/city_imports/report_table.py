"""Reader of a *report table*: one cited figure per row, for yearly reports, survey results and programme
activities (template: `templates/report_table.csv`; documented in docs/imports.md).

Columns (English names as in the template, or the Polish names beside them): indicator_id (wskaznik),
indicator_name (nazwa_wskaznika), area_code (kod_obszaru), area_name (obszar), period (okres: 2023, 2023-Q2 or
2023-05), value (wartosc), unit (jednostka), source_title (tytul_zrodla), url (adres), document_reference
(sygnatura), quote (cytat), notes (uwagi, optional). Each row needs a value, the title of its source, its address or
a document reference, and the wording quoted from it. Every problem is reported by file, line and column, and a file
with any problem is refused as a whole.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.sources.city_imports.register import Problem

COLUMNS = (
    "indicator_id",
    "indicator_name",
    "area_code",
    "area_name",
    "period",
    "value",
    "unit",
    "source_title",
    "url",
    "document_reference",
    "quote",
    "notes",
)
POLISH_NAMES = {
    "wskaznik": "indicator_id",
    "nazwa_wskaznika": "indicator_name",
    "kod_obszaru": "area_code",
    "obszar": "area_name",
    "okres": "period",
    "wartosc": "value",
    "jednostka": "unit",
    "tytul_zrodla": "source_title",
    "adres": "url",
    "sygnatura": "document_reference",
    "cytat": "quote",
    "uwagi": "notes",
}
OPTIONAL = frozenset({"url", "document_reference", "notes"})
UNITS = frozenset({"count", "pct", "per_1000", "per_100k", "persons", "minutes", "hours", "days", "pln", "index"})
INDICATOR_RE = re.compile(r"[a-z][a-z0-9]*(?:_{1,2}[a-z0-9]+)*")
AREA_CODE_RE = re.compile(r"\d{7}(?:-(?:D|KP)\d{2})?")
PERIOD_RES = (
    (re.compile(r"(\d{4})"), "year"),
    (re.compile(r"(\d{4})-Q([1-4])"), "quarter"),
    (re.compile(r"(\d{4})-(0[1-9]|1[0-2])"), "month"),
)
VALUE_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
AMBIGUOUS_RE = re.compile(r"[+-]?\d{1,3}[.,]\d{3}")  # 1.234 / 1,234: a thousands separator or three decimals?


@dataclass
class ReportTable:
    name: str
    values: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1250")


def period_parts(text: str) -> tuple[str, int, int | None, int | None] | None:
    """(kind, year, quarter, month) of a period, or None."""
    for pattern, kind in PERIOD_RES:
        found = pattern.fullmatch(text)
        if found:
            year = int(found.group(1))
            if kind == "year":
                return kind, year, None, None
            number = int(found.group(2))
            return (kind, year, number, None) if kind == "quarter" else (kind, year, None, number)
    return None


def parse_value(text: str) -> float | str:
    """The number of a cell, or the reason it is not one."""
    compact = text.replace("\u00a0", "").replace(" ", "")
    if not compact:
        return "no value: a row is one figure; leave out figures the document does not give"
    if AMBIGUOUS_RE.fullmatch(compact):
        return f"'{text}' is ambiguous (a thousands separator or three decimals?): write 1234 or 1234,5"
    if not VALUE_RE.fullmatch(compact):
        return f"'{text}' is not a number"
    return float(compact.replace(",", "."))


def _workbook_text(raw: bytes, name: str) -> tuple[str, list[Problem]]:
    """An XLSX workbook's first sheet as CSV text (`spreadsheet.sheet_rows`: no macros, links or XML entities)."""
    from etl.sources.city_imports.spreadsheet import WorkbookRefused, sheet_rows

    try:
        sheet = sheet_rows(raw)
    except WorkbookRefused as err:
        return "", [Problem(name, None, None, str(err))]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(sheet.rows)
    return out.getvalue(), [Problem(name, line, column, message) for line, column, message in sheet.problems]


def read_report_table(path: Path, *, name: str | None = None, data: bytes | None = None) -> ReportTable:
    """Read one report table, a CSV file or an XLSX workbook (its first sheet); problems are returned, not raised."""
    from etl.sources.city_imports.spreadsheet import is_workbook

    name = name or Path(path).name
    raw = data if data is not None else Path(path).read_bytes()
    cell_problems: list[Problem] = []
    if is_workbook(raw):
        text, cell_problems = _workbook_text(raw, name)
        if not text and cell_problems:
            return ReportTable(name, pd.DataFrame(), cell_problems)
    else:
        text = _decode(raw)
    first = text.splitlines()[0] if text.strip() else ""
    if not first.strip():
        return ReportTable(name, pd.DataFrame(), [Problem(name, 1, None, "the file is empty or has no header row")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = [POLISH_NAMES.get(h.strip().lower(), h.strip().lower()) for h in next(reader)]
    problems = [
        Problem(name, 1, h, f"not a report-table column; the columns are {', '.join(COLUMNS)}")
        for h in header
        if h not in COLUMNS
    ]
    problems += [Problem(name, 1, c, "the column is missing") for c in COLUMNS if c not in header and c not in OPTIONAL]
    if problems:
        return ReportTable(name, pd.DataFrame(), problems)
    rows, row_problems = _records(reader, header, name)
    problems += row_problems
    if cell_problems:  # a formula without its stored result says why its cell is empty
        named = {(c.line, c.column) for c in cell_problems}
        problems = sorted(cell_problems + [p for p in problems if (p.line, p.column) not in named], key=_line)
    return ReportTable(name, pd.DataFrame(rows), problems)


def _records(reader, header: list[str], name: str) -> tuple[list[dict], list[Problem]]:
    """The value rows after the header, and the problems of the records refused (each named by its line)."""
    rows: list[dict] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], int] = {}
    last = reader.line_num
    for record in reader:
        line, last = last + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(Problem(name, line, None, f"{len(record)} cells where the header has {len(header)}"))
            continue
        row = dict.fromkeys(COLUMNS, "") | {h: cell.strip() for h, cell in zip(header, record, strict=True)}
        found = _row_problems(row)
        problems += [Problem(name, line, column, message) for column, message in found]
        if found:
            continue
        key = (row["indicator_id"], row["area_code"], row["period"])
        if key in seen:
            problems.append(
                Problem(name, line, "period", f"{'/'.join(key)} is given twice (first on line {seen[key]})")
            )
            continue
        seen[key] = line
        parts = period_parts(row["period"])
        if parts is None:  # _row_problems refused it above; kept for the type checker
            continue
        rows.append(_value_row(row, parts, line))
    return rows, problems


def _value_row(row: dict[str, str], parts: tuple[str, int, int | None, int | None], line: int) -> dict:
    """One checked record as a row of `stg_city_report__values` (empty optional cells as None)."""
    kind, year, quarter, month = parts
    return {
        "report_indicator": row["indicator_id"],
        "indicator_name": row["indicator_name"],
        "area_code": row["area_code"],
        "area_name": row["area_name"],
        "period": row["period"],
        "period_kind": kind,
        "year": year,
        "quarter": quarter,
        "month_number": month,
        "value": parse_value(row["value"]),
        "unit": row["unit"],
        "source_title": row["source_title"],
        "url": row["url"] or None,
        "document_reference": row["document_reference"] or None,
        "quote": row["quote"],
        "notes": row["notes"] or None,
        "source_line": line,
    }


def _line(problem: Problem) -> int:
    return problem.line or 0


def _row_problems(row: dict) -> list[tuple[str, str]]:
    found = []
    for column in COLUMNS:
        if column not in OPTIONAL and not row[column]:
            found.append((column, "empty; every row needs it"))
    if row["indicator_id"] and not INDICATOR_RE.fullmatch(row["indicator_id"]):
        found.append(
            ("indicator_id", f"'{row['indicator_id']}' is not a snake_case id (e.g. city_guard_reports_count)")
        )
    if row["area_code"] and not AREA_CODE_RE.fullmatch(row["area_code"]):
        found.append(("area_code", f"'{row['area_code']}' is not a 7-digit area code (Kraków: 1261000)"))
    if row["period"] and period_parts(row["period"]) is None:
        found.append(("period", f"'{row['period']}' is not a year (2023), quarter (2023-Q2) or month (2023-05)"))
    if row["unit"] and row["unit"] not in UNITS:
        found.append(("unit", f"'{row['unit']}' is not one of {', '.join(sorted(UNITS))}"))
    value = parse_value(row["value"]) if row["value"] else None
    if isinstance(value, str):
        found.append(("value", value))
    elif value is not None and (value < 0 or (row["unit"] == "pct" and value > 100)):
        found.append(("value", f"{row['value']} is outside the range of a {row['unit']} value"))
    if not row["url"] and not row["document_reference"]:
        found.append(("url", "give the document's address (url) or its reference (document_reference)"))
    if row["url"] and not re.match(r"https?://", row["url"]):
        found.append(("url", f"'{row['url']}' is not an http(s) address"))
    return found

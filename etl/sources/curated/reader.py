"""Reader and strict validator for the hand-curated, cited figures in ``data/curated/*.csv``.

Every row is one published figure with its citation (see ``data/curated/README.md`` for the
format). The reader either returns every row of every file, parsed and typed, or stops at the
first problem with a :class:`CuratedDataError` naming the file, line and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from etl.loaders.errors import ExpectedError

SOURCE_ID = "curated"

# The columns every curated CSV must have, in this order.
COLUMNS: tuple[str, ...] = (
    "figure_id",
    "series_id",
    "value",
    "value_qualifier",
    "unit",
    "period",
    "period_detail",
    "area_code",
    "area_name",
    "sample_size",
    "survey_mode",
    "publisher",
    "url",
    "url_status",
    "quote",
    "quote_verbatim",
    "retrieved",
    "is_derived",
    "scope_warning",
    "notes",
)

# Cells that may be left empty; every other cell must hold text.
OPTIONAL_COLUMNS = frozenset({"period_detail", "sample_size", "survey_mode", "scope_warning", "notes"})

# Changes between periods may be negative; every other unit is a level and may not.
CHANGE_UNITS = frozenset({"count_change", "pct_change", "pp"})
LEVEL_UNITS = frozenset({"count", "pct", "per_1000", "per_100k", "minutes", "persons", "rank"})
UNITS = CHANGE_UNITS | LEVEL_UNITS

# exact: the number as published; rounded: published rounded (e.g. "75,2 tys." -> 75200);
# more_than / nearly / about: the source gives only a bound or an approximation.
VALUE_QUALIFIERS = frozenset({"exact", "rounded", "more_than", "nearly", "about"})
# Qualifiers whose value may stand in for the figure itself in core__observations.
OBSERVATION_QUALIFIERS = frozenset({"exact", "rounded"})

# as_recorded: a full address exactly as FIGURES.md records it; incomplete: as recorded but
# without a scheme or shortened with "…" (complete it from the publisher before citing);
# composed: assembled from an identifier FIGURES.md / API-NOTES.md give (confirm before citing).
URL_STATUSES = frozenset({"as_recorded", "incomplete", "composed"})

BOOLEAN_TEXT = {"true": True, "false": False}

FIGURE_ID_RE = re.compile(r"^[A-Z]{2,3}-\d{2,3}[A-Za-z0-9-]*$")  # FIGURES.md (CR-13) and FIGURES-ADDITIONS.md (EUA-145)
SERIES_ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:_{1,2}[a-z0-9]+)*$")
AREA_CODE_RE = re.compile(r"^\d{7}(?:-(?:D|KP)\d{2})?$")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Period grammar (see README): 2023 | 2013-2016 | 2023-H1 | 2018-06 | 2018-06-30 | 2016-09/2022-05
YEAR_RE = re.compile(r"^(\d{4})$")
YEAR_RANGE_RE = re.compile(r"^(\d{4})-(\d{4})$")
HALF_YEAR_RE = re.compile(r"^(\d{4})-H([12])$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
DAY_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH_RANGE_RE = re.compile(r"^(\d{4})-(\d{2})/(\d{4})-(\d{2})$")

# Plain numbers: optional sign, digits, optional dot decimals.
DOT_DECIMAL_RE = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
# One comma followed by digits: a decimal comma unless exactly three digits follow it.
COMMA_DECIMAL_RE = re.compile(r"^([+-]?\d+),(\d+)$")

OBSERVATION_COLUMNS: tuple[str, ...] = (
    "source_id",
    "series_id",
    "area_code",
    "year",
    "value",
    "unit",
    "attr_id",
    "sample_size",
    "ci_low",
    "ci_high",
    "is_derived",
    "source_file",
    "source_series_name",
    "retrieved_at",
    "url",
)


class CuratedDataError(ExpectedError, ValueError):
    """A curated CSV that cannot be read as valid, cited figures.

    ``line`` is the physical line in the file (the header is line 1); ``column`` is the
    column name, or ``None`` when the problem concerns the whole row or file.
    """

    hint = "correct the curated file named (data/curated/, format in its README.md) and run the command again"

    def __init__(self, file: str | Path, line: int | None, column: str | None, message: str):
        self.file = str(file)
        self.line = line
        self.column = column
        self.message = message
        where = self.file
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class _Cell:
    """Where a cell came from, so every check can name its file, line and column."""

    file: Path
    line: int
    column: str

    def error(self, message: str) -> CuratedDataError:
        return CuratedDataError(self.file, self.line, self.column, message)


def decode_curated_bytes(raw: bytes, path: Path) -> str:
    """Decode a curated CSV as UTF-8 (with or without BOM); anything else is refused at the byte's line and column.

    No fallback to Windows-1250: it accepts almost any byte, so a damaged UTF-8 file would be read as other
    letters without a word. Excel saves UTF-8 with "CSV UTF-8 (rozdzielany przecinkami)".
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = _column_at(raw[line_start : error.start].decode("utf-8", errors="replace"), line, raw)
        raise CuratedDataError(
            path,
            line,
            column,
            f"byte 0x{raw[error.start]:02x} is not UTF-8; save the file as UTF-8 (Excel: 'CSV UTF-8')",
        ) from None


def _column_at(line_prefix: str, line: int, raw: bytes) -> str | None:
    """The column a position on a line falls in (commas outside quotes before it), or None for the header."""
    if line == 1:
        return None
    fields = next(csv.reader([line_prefix + "x"]), [""])
    header = [name.strip() for name in raw.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").split(",")]
    index = len(fields) - 1
    return header[index] if index < len(header) else f"field {index + 1}"


def parse_value(text: str, cell: _Cell) -> float:
    """Parse a figure's value: dot decimals, or an unambiguous decimal comma.

    Accepted: ``12.5``, ``-27``, ``+9.6``, and ``12,5`` / ``45,87`` / ``1,2345`` (one comma
    followed by 1, 2, or 4+ digits is a decimal comma). Rejected: ``1,234`` (three digits after
    a single comma could be a thousands separator), ``1,234,567``, ``1.234,5``, ``30 688``,
    and anything else that is not a plain number.
    """
    stripped = text.strip()
    if DOT_DECIMAL_RE.match(stripped):
        return float(stripped)
    comma = COMMA_DECIMAL_RE.match(stripped)
    if comma:
        whole, fraction = comma.groups()
        if len(fraction) == 3:
            raise cell.error(
                f"ambiguous number {text!r}: a comma followed by three digits may be a thousands "
                "separator; write plain digits (1234) or a dot decimal (1.234)"
            )
        return float(f"{whole}.{fraction}")
    raise cell.error(f"value {text!r} is not a number (use plain digits with a dot decimal, e.g. 30688 or 45.87)")


def _parse_boolean(text: str, cell: _Cell) -> bool:
    try:
        return BOOLEAN_TEXT[text.strip().lower()]
    except KeyError:
        raise cell.error(f"expected true or false, got {text!r}") from None


def _parse_sample_size(text: str, cell: _Cell) -> int | None:
    if not text.strip():
        return None
    if not re.fullmatch(r"\d+", text.strip()) or int(text) <= 0:
        raise cell.error(f"sample size must be a positive whole number, got {text!r}")
    return int(text)


def _valid_date(year: int, month: int, day: int = 1) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def period_year(period: str, cell: _Cell) -> int | None:
    """Validate a period and return its year when it is one calendar year, else ``None``."""
    if m := YEAR_RE.match(period):
        return int(m.group(1))
    if m := YEAR_RANGE_RE.match(period):
        start, end = int(m.group(1)), int(m.group(2))
        if start >= end:
            raise cell.error(f"period {period!r}: the first year must precede the second")
        return None
    if HALF_YEAR_RE.match(period):
        return None
    if (m := MONTH_RE.match(period)) and _valid_date(int(m.group(1)), int(m.group(2))):
        return None
    if (m := DAY_RE.match(period)) and _valid_date(*(int(g) for g in m.groups())):
        return None
    if m := MONTH_RANGE_RE.match(period):
        y1, m1, y2, m2 = (int(g) for g in m.groups())
        if _valid_date(y1, m1) and _valid_date(y2, m2) and (y1, m1) < (y2, m2):
            return None
    raise cell.error(
        f"period {period!r} is not one of YYYY, YYYY-YYYY, YYYY-H1/H2, YYYY-MM, YYYY-MM-DD, "
        "YYYY-MM/YYYY-MM (with the start before the end)"
    )


def _check_choice(text: str, allowed: frozenset[str], cell: _Cell) -> str:
    if text not in allowed:
        raise cell.error(f"{text!r} is not one of {sorted(allowed)}")
    return text


def _check_pattern(text: str, pattern: re.Pattern[str], what: str, cell: _Cell) -> str:
    if not pattern.match(text):
        raise cell.error(f"{text!r} is not a valid {what}")
    return text


def _check_url(url: str, status: str, cell: _Cell) -> None:
    has_scheme = url.startswith(("http://", "https://"))
    if status in {"as_recorded", "composed"} and (not has_scheme or "…" in url):
        raise cell.error(
            f"url_status {status!r} needs a full http(s) address without '…'; mark {url!r} as 'incomplete' instead"
        )
    if status == "incomplete" and has_scheme and "…" not in url:
        raise cell.error(f"{url!r} is a full address; mark it 'as_recorded' or 'composed'")


def _parse_row(raw: dict[str, str], file: Path, line: int) -> dict[str, object]:
    """Validate one row's cells and return them typed."""

    def cell(column: str) -> _Cell:
        return _Cell(file, line, column)

    text = {column: raw[column].strip() for column in COLUMNS}
    for column in COLUMNS:
        if column not in OPTIONAL_COLUMNS and not text[column]:
            raise cell(column).error(f"'{column}' is empty; every figure needs it")

    _check_pattern(text["figure_id"], FIGURE_ID_RE, "figure_id (e.g. CR-13)", cell("figure_id"))
    _check_pattern(text["series_id"], SERIES_ID_RE, "snake_case series_id", cell("series_id"))
    _check_pattern(text["area_code"], AREA_CODE_RE, "area code (1261000, 1261000-D05, 1261000-KP01)", cell("area_code"))
    unit = _check_choice(text["unit"], UNITS, cell("unit"))
    _check_choice(text["value_qualifier"], VALUE_QUALIFIERS, cell("value_qualifier"))
    _check_choice(text["url_status"], URL_STATUSES, cell("url_status"))
    _check_url(text["url"], text["url_status"], cell("url"))

    value = parse_value(text["value"], cell("value"))
    if unit in LEVEL_UNITS and value < 0:
        raise cell("value").error(f"negative value {value:g} for unit '{unit}' (only changes may be negative)")
    if unit == "pct" and value > 100:
        raise cell("value").error(f"share {value:g} is above 100 %")

    retrieved = text["retrieved"]
    if not ISO_DATE_RE.match(retrieved) or not _valid_date(*(int(p) for p in retrieved.split("-"))):
        raise cell("retrieved").error(f"retrieved date {retrieved!r} is not an ISO date (YYYY-MM-DD)")

    row: dict[str, object] = dict(text)
    row["value"] = value
    row["year"] = period_year(text["period"], cell("period"))
    row["sample_size"] = _parse_sample_size(text["sample_size"], cell("sample_size"))
    row["is_derived"] = _parse_boolean(text["is_derived"], cell("is_derived"))
    row["quote_verbatim"] = _parse_boolean(text["quote_verbatim"], cell("quote_verbatim"))
    row["source_file"] = file.name
    row["source_line"] = line
    return row


def read_curated_file(path: Path) -> list[dict[str, object]]:
    """Read and validate one curated CSV; return its rows as typed dicts."""
    text = decode_curated_bytes(path.read_bytes(), path)
    if not text.strip():
        raise CuratedDataError(path, 1, None, "file is empty (expected a header row)")
    if not text.endswith(("\n", "\r")):
        raise CuratedDataError(
            path,
            text.count("\n") + 1,
            "(end of file)",
            "the last line has no line end: the file was cut off (truncated); end it with a newline",
        )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = _read_header(reader, path)
    return _read_rows(reader, text, header, path)


def _read_header(reader, path: Path) -> list[str]:
    """The header row, trimmed; exactly the curated columns, each once."""
    try:
        header = next(reader)
    except csv.Error as exc:
        raise CuratedDataError(path, 1, None, f"malformed CSV: {exc}") from None
    header = [name.strip() for name in header]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        raise CuratedDataError(
            path, 1, None, f"header must be exactly {list(COLUMNS)}; missing {missing}, unknown {unknown}"
        )
    return header


def _read_rows(reader, text: str, header: list[str], path: Path) -> list[dict[str, object]]:
    """Every record after the header, parsed and validated; an error names the record's first line and column."""
    rows: list[dict[str, object]] = []
    last_line = reader.line_num
    while True:
        first_line = last_line + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            broken = text.splitlines()[first_line - 1 : reader.line_num]
            fields = next(csv.reader(["\n".join(broken)]), [""])  # lenient: how far the record got
            column = header[len(fields) - 1] if 0 < len(fields) <= len(header) else None
            raise CuratedDataError(path, first_line, column, f"malformed CSV (check the quotes): {exc}") from None
        last_line = reader.line_num
        if not any(f.strip() for f in fields):
            continue  # a blank line carries no figure
        if len(fields) > len(header):
            raise CuratedDataError(
                path, first_line, f"field {len(header) + 1}", f"expected {len(header)} fields, found {len(fields)}"
            )
        if len(fields) < len(header):
            raise CuratedDataError(
                path, first_line, header[len(fields)], f"expected {len(header)} fields, found {len(fields)}"
            )
        rows.append(_parse_row(dict(zip(header, fields)), path, first_line))
    return rows


def read_curated(folder: Path) -> pd.DataFrame:
    """Read every ``*.csv`` in ``folder`` into one validated table of cited figures.

    Raises :class:`CuratedDataError` (file, line, column, message) on the first invalid cell,
    and when a ``figure_id`` repeats within or across files. Columns: :data:`COLUMNS` plus
    ``year`` (the calendar year when the period is one year, else missing), ``source_file``
    and ``source_line``.
    """
    folder = Path(folder)
    paths = sorted(folder.glob("*.csv"))
    if not paths:
        raise CuratedDataError(folder, None, None, "no curated CSV files found")
    rows: list[dict[str, object]] = []
    first_seen: dict[str, tuple[str, int]] = {}
    for path in paths:
        for row in read_curated_file(path):
            figure_id, line = str(row["figure_id"]), int(str(row["source_line"]))
            if figure_id in first_seen:
                seen_file, seen_line = first_seen[figure_id]
                raise CuratedDataError(
                    path,
                    line,
                    "figure_id",
                    f"duplicate figure_id {figure_id!r} (first used in {seen_file}, line {seen_line})",
                )
            first_seen[figure_id] = (path.name, line)
            rows.append(row)
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "year", "source_file", "source_line"])
    frame["value"] = frame["value"].astype("float64")
    frame["year"] = frame["year"].astype("Int64")
    frame["sample_size"] = frame["sample_size"].astype("Int64")
    frame["is_derived"] = frame["is_derived"].astype(bool)
    frame["quote_verbatim"] = frame["quote_verbatim"].astype(bool)
    frame["source_line"] = frame["source_line"].astype("int64")
    return frame


def to_observations(curated: pd.DataFrame) -> pd.DataFrame:
    """Turn single-year curated figures into ``core__observations`` rows.

    Kept: rows whose period is one calendar year and whose value is the figure itself
    (qualifier ``exact`` or ``rounded``). Multi-year, sub-year and bound/approximate rows
    ("more than 3000", "about 57 %") stay only in the full curated table. The quote becomes
    ``source_series_name``. Raises :class:`CuratedDataError` if two kept rows share
    (series_id, area_code, year): curated conflicts must carry distinct series ids.
    """
    kept = curated[curated["year"].notna() & curated["value_qualifier"].isin(sorted(OBSERVATION_QUALIFIERS))]
    clashes = kept[kept.duplicated(["series_id", "area_code", "year"], keep="first")]
    if not clashes.empty:
        clash = clashes.iloc[0]
        raise CuratedDataError(
            clash["source_file"],
            int(clash["source_line"]),
            "series_id",
            f"{clash['series_id']} / {clash['area_code']} / {clash['year']} appears twice "
            "among single-year figures; give conflicting figures distinct series ids",
        )
    observations = pd.DataFrame(
        {
            "source_id": SOURCE_ID,
            "series_id": kept["series_id"],
            "area_code": kept["area_code"],
            "year": kept["year"].astype("int64"),
            "value": kept["value"].astype("float64"),
            "unit": kept["unit"],
            "attr_id": pd.array([pd.NA] * len(kept), dtype="Int64"),
            "sample_size": kept["sample_size"].astype("Int64"),
            "ci_low": float("nan"),
            "ci_high": float("nan"),
            "is_derived": kept["is_derived"].astype(bool),
            "source_file": "data/curated/" + kept["source_file"],
            "source_series_name": kept["quote"],
            "retrieved_at": kept["retrieved"],
            "url": kept["url"],
        },
        columns=list(OBSERVATION_COLUMNS),
    )
    return observations.reset_index(drop=True)

"""Eurostat's bulk TSV format → long cells, checked cell by cell.

The format (as in Eurostat's bulk download of `urb_percep`): tab-separated; the first header cell is a comma-joined
key, `indic_ur,unit,cities\\time`, and each further header cell is a year (`2019 `, with a trailing space). Each
data cell is `value flags` (`20.2 `, `18.2 e`), `:` (not available) or `: u` (not available, with a flag).

`read_bulk_tsv` reads the whole file with pandas and validates it vectorised; anything it does not recognise is
rejected with `BulkFormatError` naming the file, the line (1-based, as an editor shows it) and the column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

KEY_HEADER = "indic_ur,unit,cities\\time"
KEY_COLUMNS = ("indic_ur", "unit", "city_code")
CELL_COLUMNS = ["indic_ur", "unit", "city_code", "year", "value", "flag"]

# Eurostat's published list of observation flags (b break in series, c confidential, d definition differs,
# e estimated, f forecast, n not significant, p provisional, r revised, s Eurostat estimate, u low reliability,
# z not applicable). The 2004–2019 file uses b, d, e and u; any other letter is a format error.
KNOWN_FLAGS = frozenset("bcdefnprsuz")
_CELL = r"^(?P<number>:|-?\d+(?:\.\d+)?)(?:\s+(?P<flag>[a-z]+))?\s*$"


class BulkFormatError(ValueError):
    """The file is not in Eurostat's bulk TSV format; names the file, line and column."""

    def __init__(self, file: str, line: int, column: str, detail: str):
        super().__init__(f"{file}, line {line}, column {column!r}: {detail}")
        self.file, self.line, self.column, self.detail = file, line, column, detail


def read_code_list(path: Path) -> dict[str, str]:
    """A Eurostat `.dic` code list (code TAB label per line) → {code: label}."""
    frame = pd.read_csv(
        path,
        sep="\t",
        header=None,
        names=["code", "label"],
        dtype=str,
        keep_default_na=False,
        quoting=3,
        encoding="utf-8",
    )
    return dict(zip(frame["code"].str.strip(), frame["label"].str.strip()))


def read_bulk_tsv(path: Path) -> pd.DataFrame:
    """Every cell of the file as one row: indic_ur, unit, city_code, year, value (NULL when ':'), flag ('' when
    none). Raises BulkFormatError on a wrong key column, a bad year header, a malformed key, a non-numeric cell
    that is not ':' or an unknown flag."""
    path = Path(path)
    file = path.name
    raw = pd.read_csv(
        path, sep="\t", dtype=str, keep_default_na=False, skip_blank_lines=False, quoting=3, encoding="utf-8"
    )
    header = [str(c) for c in raw.columns]
    if header[0].strip() != KEY_HEADER:
        raise BulkFormatError(file, 1, header[0], f"the key column must be {KEY_HEADER!r}")
    years = _year_columns(header[1:], file)
    raw.columns = ["key", *years]
    lines = pd.Series(range(2, len(raw) + 2), index=raw.index)  # header is line 1
    key_text = raw["key"].str.strip()
    bad_key = (key_text.str.count(",") != len(KEY_COLUMNS) - 1) | key_text.str.contains(r"(?:^|,)(?:,|$)")
    if bad_key.any():
        row = bad_key.idxmax()
        raise BulkFormatError(
            file, int(lines[row]), KEY_HEADER, f"key {raw.at[row, 'key']!r} is not indic_ur,unit,cities"
        )
    keys = key_text.str.split(",", expand=True, regex=False)
    keys.columns = list(KEY_COLUMNS)
    wide = pd.concat([keys, lines.rename("line"), raw[years]], axis=1)
    long = wide.melt(id_vars=[*KEY_COLUMNS, "line"], var_name="year", value_name="cell")
    parts = long["cell"].str.strip().str.extract(_CELL)
    _reject_bad_cells(long, parts, header, file)
    number = parts["number"].where(parts["number"] != ":")
    cells = pd.DataFrame(
        {
            "indic_ur": long["indic_ur"],
            "unit": long["unit"],
            "city_code": long["city_code"],
            "year": long["year"].astype("int64"),
            "value": pd.to_numeric(number).astype("Float64"),
            "flag": parts["flag"].fillna("").astype("string"),
        }
    )
    return cells[CELL_COLUMNS]


def _year_columns(names: list[str], file: str) -> list[str]:
    years = [name.strip() for name in names]
    for position, year in enumerate(years, start=2):
        if not (year.isdigit() and len(year) == 4):
            raise BulkFormatError(file, 1, names[position - 2], f"column {position} header is not a year")
    if len(set(years)) != len(years):
        raise BulkFormatError(file, 1, ",".join(years), "a year column appears twice")
    return years


def _reject_bad_cells(long: pd.DataFrame, parts: pd.DataFrame, header: list[str], file: str) -> None:
    column_of_year = {name.strip(): name for name in header[1:]}
    malformed = parts["number"].isna()
    if malformed.any():
        row = long[malformed].sort_values(["line", "year"]).iloc[0]
        raise BulkFormatError(
            file,
            int(row["line"]),
            column_of_year[row["year"]],
            f"cell {row['cell']!r} is neither a number nor ':' (not available)",
        )
    flags = parts["flag"].fillna("")
    unknown = flags.map(lambda letters: bool(set(letters) - KNOWN_FLAGS))
    if unknown.any():
        row = long[unknown].sort_values(["line", "year"]).iloc[0]
        letters = "".join(sorted(set(flags[row.name]) - KNOWN_FLAGS))
        raise BulkFormatError(
            file,
            int(row["line"]),
            column_of_year[row["year"]],
            f"cell {row['cell']!r} has unknown flag(s) {letters!r}; "
            f"Eurostat's flags are {''.join(sorted(KNOWN_FLAGS))}",
        )

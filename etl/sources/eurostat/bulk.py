"""Eurostat's bulk TSV format → long cells, checked cell by cell.

The format (as in Eurostat's bulk download of `urb_percep`): tab-separated; the first header cell is a comma-joined
key, `indic_ur,unit,cities\\time`, and each further header cell is a year (`2019 `, with a trailing space). Each
data cell is `value flags` (`20.2 `, `18.2 e`), `:` (not available) or `: u` (not available, with a flag).

`read_bulk_tsv` splits the file's lines itself (refusing an empty, cut-off or non-UTF-8 file and a line with more or
fewer fields than the header) and validates the cells vectorised with pandas; anything it does not recognise is
rejected with `BulkFormatError` naming the file, the line (1-based, as an editor shows it) and the column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.loaders.errors import ExpectedError

KEY_HEADER = "indic_ur,unit,cities\\time"
KEY_COLUMNS = ("indic_ur", "unit", "city_code")
CELL_COLUMNS = ["indic_ur", "unit", "city_code", "year", "value", "flag"]

# Eurostat's published list of observation flags (b break in series, c confidential, d definition differs,
# e estimated, f forecast, n not significant, p provisional, r revised, s Eurostat estimate, u low reliability,
# z not applicable). The 2004–2019 file uses b, d, e and u; any other letter is a format error.
KNOWN_FLAGS = frozenset("bcdefnprsuz")
_CELL = r"^(?P<number>:|-?\d+(?:\.\d+)?)(?:\s+(?P<flag>[a-z]+))?\s*$"


class BulkFormatError(ExpectedError, ValueError):
    """The file is not in Eurostat's bulk TSV format; names the file, line and column."""

    hint = "the file is damaged or not in Eurostat's bulk layout: copy it again unchanged from its source"

    def __init__(self, file: str, line: int, column: str, detail: str):
        super().__init__(f"{file}, line {line}, column {column!r}: {detail}")
        self.file, self.line, self.column, self.detail = file, line, column, detail


def tab_lines(path: Path, columns: list[str] | None = None) -> list[list[str]]:
    """The fields of every line of a tab-separated UTF-8 file, refusing what a cut or damaged file looks like.

    Refused with `BulkFormatError` (file, line, column): an empty file; a byte that is not UTF-8; a last line
    without its line end (the file was cut off, e.g. "48.0" cut to "4"); a line with more or fewer fields than the
    first line (`columns` names them; without it, the header line gives the names).
    """
    path = Path(path)
    file = path.name
    raw = path.read_bytes()
    if not raw:
        raise BulkFormatError(file, 1, "(file)", "the file is empty")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        field = raw.count(b"\t", raw.rfind(b"\n", 0, error.start) + 1, error.start)
        header = raw.split(b"\n", 1)[0].decode("utf-8", errors="replace").split("\t")
        names = columns or header
        column = names[field] if field < len(names) else f"field {field + 1}"
        raise BulkFormatError(
            file, line, column, f"byte 0x{raw[error.start]:02x} is not UTF-8 text (the file is damaged or re-encoded)"
        ) from None
    if not text.endswith("\n"):
        last = text.count("\n") + 1
        raise BulkFormatError(
            file, last, "(end of file)", "the last line has no line end: the file was cut off (truncated)"
        )
    lines = [line.removesuffix("\r").split("\t") for line in text[:-1].split("\n")]
    names = columns or lines[0]
    for number, fields in enumerate(lines, start=1):
        if len(fields) > len(names):
            raise BulkFormatError(
                file, number, f"field {len(names) + 1}", f"{len(fields)} fields where the header has {len(names)}"
            )
        if len(fields) < len(names):
            raise BulkFormatError(
                file, number, names[len(fields)], f"{len(fields)} fields where the header has {len(names)}"
            )
    return lines


def read_code_list(path: Path) -> dict[str, str]:
    """A Eurostat `.dic` code list (code TAB label per line) → {code: label}; a code listed twice is refused."""
    codes: dict[str, str] = {}
    for number, (code, label) in enumerate(tab_lines(path, ["code", "label"]), start=1):
        if code.strip() in codes:
            raise BulkFormatError(Path(path).name, number, "code", f"code {code.strip()!r} is listed twice")
        codes[code.strip()] = label.strip()
    return codes


def read_bulk_tsv(path: Path) -> pd.DataFrame:
    """Every cell of the file as one row: indic_ur, unit, city_code, year, value (NULL when ':'), flag ('' when
    none). Raises BulkFormatError on a damaged file (see `tab_lines`), a wrong key column, a bad year header, a
    malformed or repeated key, a non-numeric cell that is not ':' or an unknown flag."""
    path = Path(path)
    file = path.name
    header, *body = tab_lines(path)
    if header[0].strip() != KEY_HEADER:
        raise BulkFormatError(file, 1, header[0], f"the key column must be {KEY_HEADER!r}")
    years = _year_columns(header[1:], file)
    raw = pd.DataFrame(body, columns=["key", *years], dtype=object)
    lines = pd.Series(range(2, len(raw) + 2), index=raw.index)  # header is line 1
    key_text = raw["key"].str.strip()
    bad_key = (key_text.str.count(",") != len(KEY_COLUMNS) - 1) | key_text.str.contains(r"(?:^|,)(?:,|$)")
    if bad_key.any():
        row = bad_key.idxmax()
        raise BulkFormatError(
            file, int(lines[row]), KEY_HEADER, f"key {raw.at[row, 'key']!r} is not indic_ur,unit,cities"
        )
    _reject_repeated_keys(key_text, raw, lines, file)
    keys = key_text.str.split(",", expand=True, regex=False)
    if keys.empty:
        keys = pd.DataFrame(columns=list(range(len(KEY_COLUMNS))), dtype=object)
    keys.columns = list(KEY_COLUMNS)
    wide = pd.concat([keys, lines.rename("line"), raw[years]], axis=1)
    long = wide.melt(id_vars=[*KEY_COLUMNS, "line"], var_name="year", value_name="cell")
    parts = long["cell"].astype("string").str.strip().str.extract(_CELL)
    _reject_bad_cells(long, parts, header, file)
    number = parts["number"].where(parts["number"] != ":")
    cells = pd.DataFrame(
        {
            "indic_ur": long["indic_ur"].astype(object),
            "unit": long["unit"].astype(object),
            "city_code": long["city_code"].astype(object),
            "year": long["year"].astype("int64"),
            "value": pd.to_numeric(number).astype("Float64"),
            "flag": parts["flag"].fillna("").astype("string"),
        }
    )
    return cells[CELL_COLUMNS]


def _reject_repeated_keys(key_text: pd.Series, raw: pd.DataFrame, lines: pd.Series, file: str) -> None:
    """A key (item, unit, city) on two lines: refused, saying whether the two lines disagree."""
    repeated = key_text.duplicated(keep="first")
    if not repeated.any():
        return
    row = repeated.idxmax()
    first = key_text[key_text == key_text[row]].index[0]
    same = raw.loc[first].tolist() == raw.loc[row].tolist()
    raise BulkFormatError(
        file,
        int(lines[row]),
        KEY_HEADER,
        f"key {key_text[row]!r} repeats line {int(lines[first])}"
        + (" (with the same values)" if same else " with different values"),
    )


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
    unknown = flags.map(lambda letters: bool(set(letters) - KNOWN_FLAGS)).astype(bool)
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

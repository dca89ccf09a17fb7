"""Defensive reader of a city-guard register: one row per report (date and time, number, description, type, place,
status, fine, closing time), as the template `templates/register.csv` and real exports such as Straż Miejska
Wrocławia's give it.

Real exports are messy. In the canonical column order (the template's, and the Wrocław export's) a row's eight
cells are read by *what they look like* — a known report type, a status word, a number, a date-time, a house
number such as ``60/`` — and matched against the arrangements real exports are known to produce:

``standard``            description, type, place, status, fine, closing time;
``fine_in_status``      as standard, the status empty and the fine written in the status cell;
``description_missing`` the description absent, every later cell one to the left (an empty cell before the
                        closing time);
``place_split``         the description absent and the place split into street and house number;
``extra_cells``         the description absent, the fine followed by a second date-time and a number: type, place
                        and fine are clear, the closing time is not (two date-times), so it is left empty;
``description_split``   a comma in an unquoted description split it over two cells, pushing the rest right (the
                        status lost);
``type_split``          the type split over two cells (``NIEPRAWIDŁOWE ,PARKOWANIE``), pushing the rest right.

A row is repaired only when exactly one arrangement fits; a row that fits none (or several) is a problem reported
by file, line and column, and the file is refused as a whole (`RegisterError`). A row whose type is not in the
taxonomy (`taxonomy.yaml`) is read as written and counted under "other"; the reader lists such types.
Files in another column order are read by their column names, strictly, without repairs.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd

from etl.loaders.errors import ExpectedError
from etl.loaders.yaml_files import read_yaml

TAXONOMY_PATH = Path(__file__).resolve().parent / "taxonomy.yaml"

# Roles of a register's columns, in the canonical (template) order; the header may name them in Polish or English.
CANONICAL = ("reported_at", "report_number", "description", "type", "place", "status", "fine", "closed_at")
REQUIRED = ("reported_at", "type")
HEADER_NAMES = {
    "reported_at": ("data godzina", "data i godzina", "data zgłoszenia", "reported_at"),
    "report_number": ("numer", "nr", "numer zgłoszenia", "report_number"),
    "description": ("opis", "description"),
    "type": ("typ", "rodzaj", "typ zgłoszenia", "type"),
    "place": ("miejsce", "adres", "place"),
    "status": ("status", "sposób załatwienia"),
    "fine": ("kwota mandatu", "kwota", "mandat", "fine_pln"),
    "closed_at": ("data zakończenia", "data zamknięcia", "closed_at"),
}
ROLE_OF_HEADER = {name: role for role, names in HEADER_NAMES.items() for name in names}

DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M")
DATETIME_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?|\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d{2}(?::\d{2})?"
)
NUMBER_RE = re.compile(r"\d+(?:[.,]\d{1,2})?")
# A house number cut from its street: '60/', '202-204/', '29/31', '/'.
HOUSE_NUMBER_RE = re.compile(r"(?:\d[\w ,.\-]*)?/[\w\-]*")
EARLIEST_YEAR = 1990  # a report dated before the city guards existed in their present form is a broken cell

COLUMNS = [
    "source_line",
    "reported_at",
    "report_number",
    "description",
    "type_original",
    "category",
    "place",
    "status",
    "fine_pln",
    "closed_at",
    "layout",
    "repair_note",
    "row_sha1",
]


@dataclass(frozen=True)
class Problem:
    """A row or file the reader could not read; `line` is the physical line (the header is line 1)."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f", line {self.line}" if self.line is not None else "")
        where += f", column '{self.column}'" if self.column else ""
        return f"{where}: {self.message}"


class RegisterError(ExpectedError, ValueError):
    """A register file that cannot be imported as it is; `problems` name each file, line and column."""

    hint = "correct the rows named above (or export the register again) and import it again"

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the register:\n{shown}{more}")


@dataclass(frozen=True)
class Taxonomy:
    categories: tuple[dict, ...]
    types: dict[str, str]
    statuses: frozenset[str]

    def category_of(self, type_original: str) -> str | None:
        """The category of an original type, or None when the taxonomy does not list it (counted as 'other')."""
        return self.types.get(normalise(type_original))

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(c["id"] for c in self.categories)


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    data = read_yaml(TAXONOMY_PATH)
    categories = tuple(data["categories"])
    ids = {c["id"] for c in categories}
    types = {normalise(k): v for k, v in data["types"].items()}
    unknown = sorted({v for v in types.values() if v not in ids})
    if unknown or "other" not in ids:
        raise ValueError(f"{TAXONOMY_PATH.name}: types map to unknown categories {unknown} (or 'other' is missing)")
    return Taxonomy(categories, types, frozenset(normalise(s) for s in data["statuses"]))


def normalise(text: str) -> str:
    """'nieprawidłowe  parkowanie ' → 'NIEPRAWIDŁOWE PARKOWANIE' (spaces collapsed, upper case)."""
    return " ".join(str(text).split()).upper()


@dataclass
class RegisterFile:
    """What the reader made of one file: the reports (COLUMNS), the problems, and what a user should hear."""

    name: str
    reports: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    layouts: Counter = field(default_factory=Counter)
    unknown_types: Counter = field(default_factory=Counter)
    encoding: str = "utf-8"

    @property
    def repaired(self) -> int:
        return sum(n for layout, n in self.layouts.items() if layout not in ("standard", "by_name"))


# --- cells -------------------------------------------------------------------------------------------------------
def _empty(s: str) -> bool:
    return not s.strip()


def _is_datetime(s: str) -> bool:
    return bool(DATETIME_RE.fullmatch(s.strip()))


def _is_number(s: str) -> bool:
    return bool(NUMBER_RE.fullmatch(s.strip()))


def _is_house_number(s: str) -> bool:
    return bool(HOUSE_NUMBER_RE.fullmatch(s.strip()))


class _Cells:
    """Predicates on one row's cells, against the taxonomy's types and statuses."""

    def __init__(self, tax: Taxonomy):
        self.tax = tax

    def is_type(self, s: str) -> bool:
        return normalise(s) in self.tax.types

    def is_status(self, s: str) -> bool:
        return normalise(s) in self.tax.statuses

    def is_place(self, s: str) -> bool:
        return not (_empty(s) or self.is_type(s) or self.is_status(s) or _is_number(s) or _is_datetime(s))

    def is_text(self, s: str) -> bool:
        return not (_empty(s) or self.is_status(s) or _is_number(s) or _is_datetime(s))

    def status_fine(self, a: str, b: str) -> tuple[str, str, bool] | None:
        """(status, fine, fine written in the status cell) of two cells, or None when they are neither."""
        if (self.is_status(a) or _empty(a)) and (_is_number(b) or _empty(b)):
            return a.strip(), b.strip(), False
        if _is_number(a) and _empty(b):
            return "", a.strip(), True
        return None


def _end(s: str) -> bool:
    return _empty(s) or _is_datetime(s)


def _layouts(c: list[str], cells: _Cells, strict: bool = True) -> list[dict]:
    """Every arrangement the six cells after date and number fit (strict: the type is a known one)."""
    found = []
    type_ok = cells.is_type if strict else cells.is_text
    sf = cells.status_fine(c[3], c[4])
    if type_ok(c[1]) and (cells.is_place(c[2]) or _empty(c[2])) and sf and _end(c[5]):
        found.append(_layout_row("standard", c[0], c[1], c[2], sf, c[5]))
    if not strict:
        return found
    return found + _repaired_layouts(c, cells)


def _repaired_layouts(c: list[str], cells: _Cells) -> list[dict]:
    """The arrangements of a row whose cells were shifted, split or padded, each with a note of the repair."""
    found: list[dict] = []

    def add(*fields) -> None:
        found.append(_layout_row(*fields))

    sf = cells.status_fine(c[2], c[3])
    if cells.is_type(c[0]) and cells.is_place(c[1]) and sf and _empty(c[4]) and _end(c[5]):
        add("description_missing", "", c[0], c[1], sf, c[5], "description absent; cells moved one to the right")
    sf = cells.status_fine(c[3], c[4])
    street_ok = _empty(c[1]) or (cells.is_place(c[1]) and not _is_house_number(c[1]))
    if cells.is_type(c[0]) and street_ok and _is_house_number(c[2]) and sf and _end(c[5]):
        add("place_split", "", c[0], f"{c[1].strip()} {c[2].strip()}", sf, c[5], "description absent; place rejoined")
    if (
        cells.is_type(c[0])
        and cells.is_place(c[1])
        and _is_number(c[2])
        and _is_datetime(c[3])
        and _is_number(c[4])
        and _is_datetime(c[5])
    ):
        note = f"description absent; extra cells '{c[3].strip()}', '{c[4].strip()}' dropped; closing time ambiguous"
        add("extra_cells", "", c[0], c[1], ("", c[2].strip(), False), "", note)
    if (
        not _empty(c[1])
        and not cells.is_type(c[1])
        and cells.is_type(c[2])
        and cells.is_place(c[3])
        and (_is_number(c[4]) or _empty(c[4]))
        and _end(c[5])
    ):
        add("description_split", f"{c[0]},{c[1]}", c[2], c[3], ("", c[4].strip(), False), c[5], "description rejoined")
    if not (cells.is_type(c[1]) or cells.is_type(c[2]) or _empty(c[1]) or _empty(c[2])):
        joined = next((j for j in (f"{c[1]} {c[2]}", f"{c[1]},{c[2]}") if cells.is_type(j)), None)
        if joined and cells.is_place(c[3]) and (_is_number(c[4]) or _empty(c[4])) and _end(c[5]):
            add("type_split", c[0], joined, c[3], ("", c[4].strip(), False), c[5], "type rejoined from two cells")
    return found


def _layout_row(layout, description, type_, place, status_fine, closed, note=None) -> dict:
    """One arrangement's fields, whitespace tidied; a fine read from the status cell makes it `fine_in_status`."""
    status, fine, in_status = status_fine
    if in_status and layout == "standard":
        layout = "fine_in_status"
    return {
        "layout": layout,
        "description": description.strip(),
        "type_original": " ".join(type_.split()),
        "place": " ".join(place.split()),
        "status": status,
        "fine": fine,
        "closed_at": closed.strip(),
        "repair_note": note,
    }


# --- values ------------------------------------------------------------------------------------------------------
def parse_datetime(text: str) -> datetime | None:
    text = text.strip()
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def _decode(raw: bytes) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1250"), "windows-1250"  # Excel's "CSV" in Polish Windows


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _header_roles(header: list[str], name: str) -> tuple[list[str | None], list[Problem]]:
    roles, problems = [], []
    for index, cell in enumerate(header, start=1):
        key = " ".join(cell.replace("\ufeff", "").split()).lower()
        role = ROLE_OF_HEADER.get(key)
        if role is None and key not in ("lp", "lp."):
            problems.append(
                Problem(name, 1, cell, f"column {index} is not a register column; accepted names: {_accepted()}")
            )
        if role is not None and role in roles:
            problems.append(Problem(name, 1, cell, f"column {index} repeats the {role} column"))
        roles.append(role)
    for role in REQUIRED:
        if role not in roles:
            problems.append(
                Problem(name, 1, None, f"no {role} column; accepted names: {', '.join(HEADER_NAMES[role])}")
            )
    return roles, problems


def _accepted() -> str:
    return "; ".join(f"{role}: {' / '.join(names)}" for role, names in HEADER_NAMES.items())


def read_register(path: Path, *, name: str | None = None, data: bytes | None = None) -> RegisterFile:
    """Read one register file (never raises for its content: problems are returned on the result)."""
    name = name or Path(path).name
    raw = data if data is not None else Path(path).read_bytes()
    if b"\x00" in raw[:4096]:
        return RegisterFile(
            name,
            _frame([]),
            [Problem(name, None, None, "not a text CSV file (binary content: a spreadsheet? save it as CSV UTF-8)")],
        )
    text, encoding = _decode(raw)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return RegisterFile(name, _frame([]), [Problem(name, 1, None, "the file is empty or has no header row")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    header = next(reader)
    roles, problems = _header_roles(header, name)
    result = RegisterFile(name, _frame([]), problems, encoding=encoding)
    if problems:
        return result
    canonical = tuple(roles) == CANONICAL
    cells = _Cells(taxonomy())
    rows, last_line = [], reader.line_num
    for record in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        row = _read_row(record, roles, header, canonical, cells, name, line, result)
        if row is not None:
            row["source_line"] = line
            row["row_sha1"] = hashlib.sha1("\x1f".join(record).encode("utf-8")).hexdigest()
            rows.append(row)
    result.reports = _frame(rows)
    return result


def _read_row(record, roles, header, canonical, cells: _Cells, name, line, result: RegisterFile) -> dict | None:
    problem = lambda column, message: result.problems.append(Problem(name, line, column, message))  # noqa: E731
    if len(record) != len(roles):
        problem(None, f"{len(record)} cells where the header has {len(roles)}")
        return None
    if canonical:
        found = _layouts(record[2:], cells)
        if len(found) > 1:
            layouts = ", ".join(f["layout"] for f in found)
            problem(None, f"the cells fit several arrangements ({layouts}); cannot tell which is right")
            return None
        if not found:
            found = _layouts(record[2:], cells, strict=False)
        if not found:
            column = _first_bad_column(record, header, cells)
            problem(column, f"the cells do not fit the register's columns in any known arrangement: {record[2:]}")
            return None
        row = dict(found[0])
        row["reported_at"], row["report_number"] = record[0], record[1].strip()
    else:
        by_role = {role: cell for role, cell in zip(roles, record, strict=True) if role}
        row = {
            "layout": "by_name",
            "description": by_role.get("description", "").strip(),
            "type_original": " ".join(by_role.get("type", "").split()),
            "place": " ".join(by_role.get("place", "").split()),
            "status": by_role.get("status", "").strip(),
            "fine": by_role.get("fine", "").strip(),
            "closed_at": by_role.get("closed_at", "").strip(),
            "repair_note": None,
            "reported_at": by_role["reported_at"],
            "report_number": by_role.get("report_number", "").strip(),
        }
    return _typed(row, header, roles, cells, problem, result)


def _column(header, roles, role) -> str:
    return header[roles.index(role)] if role in roles else role


def _typed(row, header, roles, cells: _Cells, problem, result: RegisterFile) -> dict | None:
    ok = True
    reported = parse_datetime(row["reported_at"])
    if reported is None or not EARLIEST_YEAR <= reported.year <= datetime.now().year + 1:
        problem(_column(header, roles, "reported_at"), f"'{row['reported_at']}' is not a date and time of a report")
        ok = False
    closed = parse_datetime(row["closed_at"]) if row["closed_at"] else None
    if row["closed_at"] and closed is None:
        problem(_column(header, roles, "closed_at"), f"'{row['closed_at']}' is not a date and time")
        ok = False
    fine = row["fine"].replace(" zł", "").replace("zł", "").strip()
    if fine and not _is_number(fine):
        problem(_column(header, roles, "fine"), f"'{row['fine']}' is not an amount in złoty")
        ok = False
    if not row["type_original"]:
        problem(_column(header, roles, "type"), "the report has no type")
        ok = False
    if not ok:
        return None
    category = taxonomy().category_of(row["type_original"])
    if category is None:
        result.unknown_types[row["type_original"]] += 1
    result.layouts[row["layout"]] += 1
    return {
        "reported_at": reported,
        "report_number": row["report_number"] or None,
        "description": row["description"] or None,
        "type_original": row["type_original"],
        "category": category or "other",
        "place": row["place"] or None,
        "status": row["status"] or None,
        "fine_pln": float(fine.replace(",", ".")) if fine else None,
        "closed_at": closed,
        "layout": row["layout"],
        "repair_note": row["repair_note"],
    }


def _first_bad_column(record, header, cells: _Cells) -> str:
    """The first column (in the standard reading) whose cell cannot be what the column holds."""
    checks = [
        (3, cells.is_text(record[3])),
        (4, cells.is_place(record[4]) or _empty(record[4])),
        (5, cells.status_fine(record[5], record[6]) is not None),
        (7, _end(record[7])),
    ]
    return next((header[i] for i, ok in checks if not ok), header[3])


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["reported_at"] = pd.to_datetime(frame["reported_at"])
    frame["closed_at"] = pd.to_datetime(frame["closed_at"])
    frame["fine_pln"] = frame["fine_pln"].astype("float64")
    return frame

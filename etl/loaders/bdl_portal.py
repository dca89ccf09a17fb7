"""Readers for the files a user downloads from the GUS BDL portal (https://bdl.stat.gov.pl/bdl/dane/podgrup/temat).

Two shapes exist:

* the xlsx workbook with sheets ``OPIS`` (metadata) and ``TABLICA`` (data). ``TABLICA`` starts with ``Kod``/``Nazwa``
  and one or more header rows of dimension labels (each label merged over the columns it covers, so only its first
  cell is filled), then a row of years, then a row of units (``[-]``, ``[%]``, ``[osoba]``), then one row per region
  with a 7-digit code;
* the flat CSV (``id,name,year,<series>...``) where ``id`` is the 12-digit BDL unit id written without its leading
  zero.

Both return one tidy row per (series name, region, year). Region codes stay text: ``0200000`` keeps its zero.
A ``-`` cell (BDL's "no information") becomes NULL, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl.definitions import COUNTRY_AREA
from etl.loaders.errors import ExpectedError

TIDY_COLUMNS = ["source_series_name", "area_code", "area_name", "year", "value", "unit_label"]


class PortalFormatError(ExpectedError, ValueError):
    """The file does not have the documented portal-export shape."""

    hint = "export the table again from the BDL portal (see etl/sources/gus_bdl/portal_files.yaml)"

    def __init__(self, file: Path, message: str):
        super().__init__(f"{Path(file).name}: {message}")
        self.file = Path(file)


@dataclass(frozen=True)
class WorkbookMetadata:
    """What the ``OPIS`` sheet says about the table (GUS's own words)."""

    group: str | None
    subgroup: str | None
    last_update: str | None
    notes: str | None


def _is_region_code(cell: object) -> bool:
    return isinstance(cell, str) and len(cell) == 7 and cell.isdigit()


def _forward_fill(labels: tuple) -> list[str | None]:
    """Merged header cells are filled only in their first column; carry the label to the right."""
    filled, current = [], None
    for cell in labels:
        if cell not in (None, ""):
            current = str(cell).strip()
        filled.append(current)
    return filled


def _to_number(cell: object) -> float | None:
    if cell is None or cell == "" or cell == "-":
        return None
    if isinstance(cell, (int, float)):
        return float(cell)
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return float(text)


def read_bdl_xlsx(path: Path) -> pd.DataFrame:
    """Read a BDL ``TABLICA`` sheet into tidy rows (see module doc). Raises PortalFormatError on another shape."""
    path = Path(path)
    import openpyxl  # only for portal XLSX exports; the build reads the snapshot's Parquet without it

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    if "TABLICA" not in workbook.sheetnames:
        raise PortalFormatError(path, f"no sheet 'TABLICA' (sheets: {workbook.sheetnames})")
    rows = list(workbook["TABLICA"].iter_rows(values_only=True))
    workbook.close()
    if not rows or rows[0][:2] != ("Kod", "Nazwa"):
        raise PortalFormatError(path, "sheet 'TABLICA' must start with the columns 'Kod', 'Nazwa'")
    first_data = next((i for i, row in enumerate(rows) if _is_region_code(row[0])), None)
    if first_data is None or first_data < 3:
        raise PortalFormatError(path, "no header rows (labels, years, units) before the first 7-digit region code")
    header_rows = rows[:first_data]
    units, years = header_rows[-1], header_rows[-2]
    label_rows = [_forward_fill(row) for row in header_rows[:-2]]

    columns = []
    for col in range(2, len(units)):
        labels = [label for row in label_rows if (label := row[col])]
        if not labels or years[col] in (None, ""):
            raise PortalFormatError(path, f"column {col + 1} has no series name or year in its header")
        try:
            year = int(str(years[col]).strip())
        except ValueError as err:
            raise PortalFormatError(path, f"column {col + 1}: year {years[col]!r} is not a year") from err
        columns.append((col, "; ".join(labels), year, str(units[col] or "").strip()))

    records = []
    for line, row in enumerate(rows[first_data:], start=first_data + 1):
        if row[0] is None and all(c is None for c in row):
            continue
        if not _is_region_code(row[0]):
            raise PortalFormatError(path, f"row {line}: region code {row[0]!r} is not 7 digits")
        for col, series_name, year, unit in columns:
            try:
                value = _to_number(row[col])
            except ValueError as err:
                raise PortalFormatError(path, f"row {line}, column {col + 1}: {row[col]!r} is not a number") from err
            records.append((series_name, row[0], str(row[1]).strip(), year, value, unit))
    return pd.DataFrame.from_records(records, columns=TIDY_COLUMNS)


def read_bdl_xlsx_metadata(path: Path) -> WorkbookMetadata:
    """Read the labelled fields of the ``OPIS`` sheet (group, subgroup, last update, footnotes)."""
    import openpyxl  # only for portal XLSX exports; the build reads the snapshot's Parquet without it

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    fields: dict[str, str] = {}
    if "OPIS" in workbook.sheetnames:
        for row in workbook["OPIS"].iter_rows(values_only=True):
            cells = [c for c in row if c not in (None, "")]
            if len(cells) >= 2 and isinstance(cells[0], str) and cells[0].endswith(":"):
                fields[cells[0].rstrip(":")] = str(cells[1])
    workbook.close()
    return WorkbookMetadata(
        group=fields.get("Grupa"),
        subgroup=fields.get("Podgrupa"),
        last_update=fields.get("Data ostatniej aktualizacji"),
        notes=fields.get("Przypisy"),
    )


def bdl_unit_to_area_code(unit_id: str) -> tuple[str, str] | None:
    """Map a 12-digit BDL unit id to (7-digit area code, level), or None for levels we do not keep.

    Levels kept: Poland, voivodeships, powiats. Macroregions, regions and NUTS-3 subregions are dropped because
    they have no TERYT code. Slices follow GUS's layout: BDL[2:4] = voivodeship, BDL[7:9] = powiat.
    """
    unit_id = unit_id.zfill(12)
    if unit_id == "000000000000":
        return COUNTRY_AREA, "country"
    voivodeship, region, subregion, powiat = unit_id[2:4], unit_id[4], unit_id[5:7], unit_id[7:9]
    if voivodeship != "00" and region == "0" and subregion == "00" and powiat == "00" and unit_id[9:] == "000":
        return f"{voivodeship}00000", "voivodeship"
    if powiat != "00" and unit_id[9:] == "000":
        return f"{voivodeship}{powiat}000", "powiat"
    return None


def read_bdl_flat_csv(path: Path) -> pd.DataFrame:
    """Read the flat BDL CSV (``id,name,year,<series>...``) into tidy rows for Poland, voivodeships and powiats."""
    path = Path(path)
    frame = pd.read_csv(path, dtype={"id": str, "name": str}, encoding="utf-8-sig")
    missing = {"id", "name", "year"} - set(frame.columns)
    if missing:
        raise PortalFormatError(path, f"missing column(s) {sorted(missing)}")
    mapped = frame["id"].map(bdl_unit_to_area_code)
    frame = frame[mapped.notna()].copy()
    frame["area_code"] = mapped[mapped.notna()].map(lambda pair: pair[0])
    frame = frame.drop(columns="id")
    long = frame.melt(id_vars=["area_code", "name", "year"], var_name="source_series_name", value_name="value").rename(
        columns={"name": "area_name"}
    )
    long["value"] = pd.to_numeric(long["value"].replace("-", None), errors="raise").astype("float64")
    long["year"] = long["year"].astype(int)
    long["unit_label"] = None
    return long[TIDY_COLUMNS].reset_index(drop=True)


LONG_CSV_COLUMNS = ("Kod", "Nazwa", "Rok", "Wartosc", "Jednostka miary", "Atrybut")


def read_bdl_long_csv(path: Path) -> pd.DataFrame:
    """Read a long-format BDL CSV (``Kod;Nazwa;<dimension>;Rok;Wartosc;Jednostka miary;Atrybut;``) into tidy rows.

    Semicolon-separated, decimal comma, a trailing ';' on each line, 7-digit codes kept as text. The series name is
    the dimension column between `Nazwa` and `Rok` (e.g. `Wskaźniki`). An empty `Wartosc` stays NULL.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, sep=";", decimal=",", dtype={"Kod": str}, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise PortalFormatError(path, f"not a BDL long CSV export ({exc})") from None
    frame = frame.loc[:, ~frame.columns.str.startswith("Unnamed")]  # the trailing ';'
    missing = [c for c in LONG_CSV_COLUMNS if c not in frame.columns]
    if missing or list(frame.columns).index("Rok") != 3:
        raise PortalFormatError(path, f"missing column(s) {missing} or no single dimension column before 'Rok'")
    if not frame["Kod"].str.fullmatch(r"\d{7}").all():
        raise PortalFormatError(path, "column 'Kod' holds values that are not 7-digit codes")
    tidy = pd.DataFrame(
        {
            "source_series_name": frame.iloc[:, 2].astype(str),
            "area_code": frame["Kod"],
            "area_name": frame["Nazwa"],
            "year": frame["Rok"].astype(int),
            "value": pd.to_numeric(frame["Wartosc"], errors="raise").astype("float64"),
            "unit_label": frame["Jednostka miary"],
        }
    )
    return tidy[TIDY_COLUMNS].reset_index(drop=True)

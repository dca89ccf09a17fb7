"""Report tables from XLSX workbooks, read defensively (issue 27 item 5): the first sheet's stored values only.

- No macros: a workbook carrying a VBA project (`xl/vbaProject.bin`, or a macro-enabled content type, whatever the
  file is called) is refused before openpyxl opens it; nothing in a workbook is ever run.
- No external links: openpyxl is asked not to keep them (`keep_links=False`) and nothing is fetched; a formula's
  value is the result the spreadsheet program stored when the file was saved. A formula without a stored result
  (written by a program that does not calculate, or pointing into another workbook) is a problem named by row and
  column, never recalculated here.
- No XML attacks: openpyxl parses the workbook's XML with defusedxml when it is installed (entity expansion and
  external entities refused); it is a declared dependency, and reading refuses to start without it.
- No zip bombs: a workbook whose parts unpack to more than `MAX_UNPACKED_BYTES` is refused unread.

Cells become the text a CSV export of the sheet would hold (whole numbers without '.0', dates as ISO dates, line
breaks inside a cell as spaces so that row numbers stay the sheet's), and the report-table reader checks them like
any CSV file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from etl.loaders.errors import ExpectedError

ZIP_MAGIC = b"PK\x03\x04"
MAX_UNPACKED_BYTES = 200_000_000
MACRO_MARKERS = (b"vbaProject", b"macroEnabled")
NO_RESULT = (
    "a formula without a stored result; open the workbook in a spreadsheet program, let it calculate, save it and "
    "upload it again (or type the value)"
)


class WorkbookRefused(ExpectedError, ValueError):
    """The workbook is not read at all (macros, not a workbook, too large unpacked, defusedxml missing)."""


@dataclass
class SheetRows:
    rows: list[list[str]]
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)


def is_workbook(data: bytes) -> bool:
    return data[:4] == ZIP_MAGIC


def _refuse_unsafe(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise WorkbookRefused("not a readable XLSX workbook (a damaged file?)") from None
    with archive:
        names = archive.namelist()
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise WorkbookRefused("not an XLSX workbook (an archive of another kind)")
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
            raise WorkbookRefused(f"the workbook unpacks to more than {MAX_UNPACKED_BYTES:,} bytes")
        content_types = archive.read("[Content_Types].xml")
        if any(n.lower().endswith("vbaproject.bin") for n in names) or any(m in content_types for m in MACRO_MARKERS):
            raise WorkbookRefused(
                "the workbook carries macros; macro-enabled workbooks are not accepted: save it as .xlsx or as CSV "
                "UTF-8 without macros"
            )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).splitlines()) if isinstance(value, str) else str(value)


def sheet_rows(data: bytes) -> SheetRows:
    """The first sheet's rows as text cells, trimmed to the header's width; raise WorkbookRefused."""
    import openpyxl
    from openpyxl import xml as openpyxl_xml

    if not openpyxl_xml.DEFUSEDXML:
        raise WorkbookRefused("XLSX workbooks are read only with defusedxml installed (it is not)")
    _refuse_unsafe(data)
    options = {"read_only": True, "keep_links": False, "keep_vba": False}
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True, **options)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False, **options)
        try:
            return _rows(values.worksheets[0], formulas.worksheets[0])
        finally:
            values.close()
            formulas.close()
    except WorkbookRefused:
        raise
    except Exception as err:  # openpyxl and defusedxml raise many kinds on a broken or hostile file; all mean "no"
        root: BaseException = err
        while root.__cause__ is not None:  # openpyxl wraps defusedxml's refusal (EntitiesForbidden) in a ValueError
            root = root.__cause__
        raise WorkbookRefused(f"the workbook cannot be read safely ({type(root).__name__})") from None


def _rows(sheet, formula_sheet) -> SheetRows:
    """(read-only sheets parse their XML while iterating: the caller's guard covers this too)"""
    from openpyxl.utils import get_column_letter

    result = SheetRows([])
    header: list[str] = []
    rows = zip(sheet.iter_rows(values_only=True), formula_sheet.iter_rows(values_only=True), strict=False)
    for number, (cells, formula_cells) in enumerate(rows, start=1):
        row = [_text(v) for v in cells]
        if number == 1:
            while row and not row[-1].strip():
                row.pop()
            header = row
        for index, (value, formula) in enumerate(zip(cells, formula_cells, strict=False)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                column = header[index] if index < len(header) else get_column_letter(index + 1)
                result.problems.append((number, column, NO_RESULT))
        width = max(len(header), max((i + 1 for i, v in enumerate(row) if v.strip()), default=0))
        result.rows.append((row + [""] * width)[:width])
    return result

"""Reading DfE's reference tables (neighbour groupings, area lists) cell by cell, with each cell's address.

These tables are small, and every problem in them must name its sheet and cell, so they are read as
plain rows of cells rather than through pandas.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from loaders.published.recognise import FORMATS, Recognised

_NUMBER_TEXT = re.compile(r"^\d{1,4}$")
MAX_ROWS = 5000  # far more than there are councils: a bigger sheet is not one of DfE's lists


class TooBig(ValueError):
    """The sheet has far more rows than any list of councils."""


@dataclass(frozen=True)
class TableRows:
    sheet: str  # '' for a CSV
    header: tuple[str, ...]
    header_row: int  # zero-based
    rows: list[tuple[int, tuple[object, ...]]]  # (zero-based sheet row, cells) under the header


def read_table(found: Recognised) -> TableRows:
    """The recognised table's rows under its header, with their sheet rows."""
    path: Path = found.path
    if FORMATS[path.suffix.lower()] == "xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            name = sheet.title
            rows = []
            for index, row in enumerate(sheet.iter_rows(values_only=True)):
                if index > MAX_ROWS:
                    raise TooBig(f"sheet '{name}' has more than {MAX_ROWS} rows")
                rows.append((index, tuple(row)))
        finally:
            book.close()
    else:
        name = ""
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = []
            for index, row in enumerate(csv.reader(handle)):
                if index > MAX_ROWS:
                    raise TooBig(f"the file has more than {MAX_ROWS} rows")
                rows.append((index, tuple(row)))
    return TableRows(name, found.columns, found.header_row, [r for r in rows if r[0] > found.header_row])


def text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def dfe_number(cell: object) -> str | None:
    """A DfE number as written ('895', 895 or 895.0) -> '895'; None for anything else."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return str(cell) if 0 < cell < 10000 else None
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and 0 < cell < 10000 else None
    raw = text(cell)
    if raw.endswith(".0"):
        raw = raw[:-2]
    return raw.lstrip("0") or None if _NUMBER_TEXT.match(raw) else None


def cell_at(row: tuple[object, ...], column: int) -> object:
    return row[column] if column < len(row) else None

"""Telling what a published file is from its columns, never from its name.

DfE renames downloads between releases and councils rename them again, but the columns of a table
stay put. A file is of a kind when its header holds every column that kind requires; the header may
sit under a few junk rows (the statistical neighbour workbook has two rows of column letters and
numbers above it).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq

from loaders.published.mapping import FileKind, PublishedMapping, published_mapping

HEADER_SEARCH_ROWS = 6  # rows looked at for a header in spreadsheets and CSVs
FORMATS = {".csv": "csv", ".parquet": "parquet", ".xlsx": "xlsx", ".xlsm": "xlsx"}


@dataclass(frozen=True)
class Recognised:
    """A file, its kind and where its header is (0 for the first row)."""

    path: Path
    kind: FileKind
    header_row: int
    columns: tuple[str, ...]


def _clean(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


def candidate_headers(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    """The first rows of a file as (row index, cell texts): the rows a header could be in."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt == "parquet":
        return [(0, tuple(pq.read_schema(path).names))]
    if fmt == "csv":
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            reader = csv.reader(handle)
            return [(i, tuple(_clean(c) for c in row)) for i, row in zip(range(HEADER_SEARCH_ROWS), reader,
                                                                          strict=False)]
    if fmt == "xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = book.worksheets[0].iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
            return [(i, tuple(_clean(c) for c in row)) for i, row in enumerate(rows)]
        finally:
            book.close()
    return []


def recognise(path: Path, mapping: PublishedMapping | None = None) -> Recognised | None:
    """The kind of published file this is, or None when its columns match no kind."""
    mapping = mapping or published_mapping()
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        return None
    try:
        headers = candidate_headers(path)
    except Exception:  # a corrupt or unreadable file is simply not one we recognise
        return None
    matches = []
    for row_index, cells in headers:
        present = set(cells)
        for kind in mapping.kinds:
            if fmt in kind.formats and set(kind.required_columns) <= present:
                matches.append(Recognised(path, kind, row_index, cells))
    if not matches:
        return None
    # The most specific kind wins if two ever match the same header.
    return max(matches, key=lambda r: (len(r.kind.required_columns), -r.header_row))

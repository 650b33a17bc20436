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

import pyarrow.parquet as pq

from loaders.published.mapping import FileKind, PublishedMapping, published_mapping
from loaders.sheets import Workbook
from loaders.values import cell_text
from loaders.workbook import read_workbook

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


def candidate_headers(path: Path, workbook: Workbook | None = None) -> list[tuple[int, tuple[str, ...]]]:
    """The first rows of a file as (row index, cell texts): the rows a header could be in.

    A workbook is read by the dashboard's own reader (capped in size, hidden sheets skipped), or taken
    as already read: never handed to a general-purpose reader first, which would scan every sheet of a
    big return, and unpack a zip bomb, before the first row could be looked at.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt == "parquet":
        return [(0, tuple(pq.read_schema(path).names))]
    if fmt == "csv":
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            reader = csv.reader(handle)
            return [(i, tuple(_clean(c) for c in row)) for i, row in zip(range(HEADER_SEARCH_ROWS), reader,
                                                                          strict=False)]
    if fmt == "xlsx":
        book = workbook if workbook is not None else read_workbook(path)
        if not book.sheets:
            return []
        cells = book.sheets[0].cells[:HEADER_SEARCH_ROWS]
        return [(i, tuple(_clean(cell_text(c)) for c in row)) for i, row in enumerate(cells)]
    return []


def recognise(path: Path, mapping: PublishedMapping | None = None,
              workbook: Workbook | None = None) -> Recognised | None:
    """The kind of published file this is, or None when its columns match no kind."""
    mapping = mapping or published_mapping()
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        return None
    try:
        headers = candidate_headers(path, workbook)
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

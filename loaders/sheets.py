"""What reading a file gives: its visible sheets as grids of cells, and what could not be read.

Kept apart from the readers (``loaders.xlsx``, ``loaders.xls``, ``loaders.csvfile``) so every reader
hands the return layer the same shapes, and the return layer never needs to know which format a file
was in to tell a performance officer exactly which cell is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


class NotAWorkbook(Exception):
    """The file cannot be read with certainty; ``text`` says what it is or what is wrong, in words.

    ``sheet`` and ``cell`` name the place when the trouble is in one spot (a stray cell far beyond the
    table, say); both are empty when it concerns the whole file.
    """

    def __init__(self, text: str, sheet: str = "", cell: str = ""):
        self.text = text
        self.sheet = sheet
        self.cell = cell
        super().__init__(text)


@dataclass
class Sheet:
    """One sheet as a rectangular grid from cell A1; empty cells hold ``""`` or None.

    - ``percent``: boolean grid of the same shape marking numbers in percent-formatted cells (0.54
      shown as 54%), or None when no cell is;
    - ``errors``: (row, col) -> Excel error text (``#N/A``); the grid holds the same text there, so an
      error is never mistaken for an empty cell;
    - ``uncached``: (row, col) -> formula of a formula cell with no saved value (written by a tool and
      never opened in Excel); the grid holds None there;
    - ``distrusted``: (row, col) -> why the saved result of a formula cell cannot be trusted (see
      loaders.formulas); such a cell is also in ``uncached`` and holds None, as one with no saved value;
    - ``outliers``: cells far outside the sheet's main block, left out of the grid so a stray cell at
      XFD1048576 costs nothing; the return layer decides whether each is a note or a refusal;
    - ``decimal_comma``: a CSV file that writes decimals with a comma (``61,5``);
    - ``hidden_rows``: rows Excel hides, by hand or by a filter (zero-based). They are read like any
      other row; the import summary says how many of them gave figures, since nobody looking at the
      sheet in Excel sees them.
    """

    name: str
    cells: np.ndarray
    percent: np.ndarray | None = None
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)
    distrusted: dict[tuple[int, int], str] = field(default_factory=dict)
    outliers: list[tuple[int, int, object]] = field(default_factory=list)
    decimal_comma: bool = False
    hidden_rows: frozenset[int] = frozenset()

    @property
    def shape(self) -> tuple[int, int]:
        return self.cells.shape  # type: ignore[return-value]


@dataclass
class Workbook:
    """The visible worksheets in workbook order (one unnamed sheet for a CSV file), and the hidden ones."""

    sheets: list[Sheet]
    hidden: list[str] = field(default_factory=list)


def grid(rows: list[list[object]]) -> np.ndarray:
    """Rows of unequal length as one rectangular object grid, padded with ``""``."""
    width = max((len(r) for r in rows), default=0)
    out = np.empty((len(rows), width), dtype=object)
    out.fill("")
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out

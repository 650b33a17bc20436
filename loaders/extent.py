"""From the cells a reader found to a sheet's grid: how far the table really reaches, and what lies beyond.

A sheet's declared size (``<dimension ref="A1:XFD1048576">``) and its used range say nothing certain: one
stray cell at XFD1048576 would make a 17-billion-cell grid. The grid is built from the cells themselves:

- the sheet's **main block** is found separately for rows and then columns: occupied rows (columns) are
  split wherever more than ``MAX_GAP_ROWS`` (``MAX_GAP_COLUMNS``) empty ones lie between two occupied ones;
  the run holding the most cells is the main one;
- the grid runs from A1 to the end of the main block, so titles and notes above or left of it stay in;
- cells after the main block are **outliers**: kept aside in ``Sheet.outliers`` for the return layer to
  judge, not put in the grid;
- a main block bigger than ``MAX_GRID_CELLS`` is refused, naming the sheet.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field

import numpy as np

from loaders.problems import cell_ref
from loaders.sheets import NotAWorkbook, Sheet

MAX_GAP_ROWS = 1_000
MAX_GAP_COLUMNS = 200
MAX_GRID_CELLS = 5_000_000  # held as Python objects: about 60 bytes a distinct cell, so peak memory stays under 500 MB
MAX_OUTLIERS = 10_000
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384


@dataclass
class CellStore:
    """The cells of one sheet as found, in file order: positions in compact integer arrays.

    Compact because a sheet within the size cap can hold ten million cells: a list of Python ints
    for each would cost more than the grid itself.

    ``percent`` holds indexes into ``values`` of numbers in percent-formatted cells; ``errors`` and
    ``uncached`` are keyed by position. Empty cells are never stored. ``formulas`` holds each formula
    cell with a saved result: position -> (index into ``values``, the formula, "" for a copy of a
    shared one); ``distrusted`` the formulas whose saved result cannot be trusted (loaders.formulas),
    moved to ``uncached``, with the reason. ``hidden_rows`` holds the rows Excel hides (hidden by hand or
    by a filter), zero-based, whether or not they hold cells.
    """

    rows: array = field(default_factory=lambda: array("i"))
    cols: array = field(default_factory=lambda: array("i"))
    values: list = field(default_factory=list)
    percent: array = field(default_factory=lambda: array("i"))
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], tuple[int, str]] = field(default_factory=dict)
    distrusted: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)

    def add(self, row: int, col: int, value: object) -> None:
        self.rows.append(row)
        self.cols.append(col)
        self.values.append(value)


def block_end(positions: np.ndarray, gap: int) -> int:
    """One past the last row (or column) of the main run of occupied positions."""
    occupied, counts = np.unique(positions, return_counts=True)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(occupied) > gap + 1) + 1))
    main = int(np.argmax(np.add.reduceat(counts, starts)))
    last = (starts[main + 1] if main + 1 < starts.size else occupied.size) - 1
    return int(occupied[last]) + 1


def to_sheet(name: str, store: CellStore) -> Sheet:
    """The grid of the sheet's main block, with its percent mask, errors, formulas and outliers.

    The store's list of values is emptied on the way (it is no longer needed once in the grid).
    """
    count = len(store.values)
    if not count:
        return Sheet(name, np.empty((0, 0), dtype=object), hidden_rows=frozenset(store.hidden_rows))
    rows = np.frombuffer(store.rows, dtype=np.int32)
    cols = np.frombuffer(store.cols, dtype=np.int32)
    height = block_end(rows, MAX_GAP_ROWS)
    in_rows = rows < height
    width = block_end(cols[in_rows], MAX_GAP_COLUMNS)
    inside = in_rows & (cols < width)
    if height * width > MAX_GRID_CELLS:
        raise NotAWorkbook(
            f"sheet '{name}' holds a table of {height:,} rows by {width:,} columns, more than the "
            f"{MAX_GRID_CELLS:,} cells this dashboard reads from one sheet; delete the rows and columns "
            "that are not part of the return and save it again", sheet=name)
    outside = np.flatnonzero(~inside)
    if outside.size > MAX_OUTLIERS:
        raise NotAWorkbook(
            f"sheet '{name}' has {outside.size:,} cells far beyond its table (after {cell_ref(height - 1, width - 1)}); "
            "delete them or move them to another sheet and save it again", sheet=name)
    values = np.empty(count, dtype=object)
    values[:] = store.values
    store.values.clear()  # the object array holds them now: free the list before the grid is made
    grid = np.empty((height, width), dtype=object)
    grid.fill("")
    if outside.size:
        keep = np.flatnonzero(inside)
        grid[rows[keep], cols[keep]] = values[keep]
    else:
        grid[rows, cols] = values
    percent = None
    if store.percent:
        marked = np.frombuffer(store.percent, dtype=np.int32)
        marked = marked[inside[marked]]
        if marked.size:
            percent = np.zeros((height, width), dtype=bool)
            percent[rows[marked], cols[marked]] = True
    return Sheet(
        name, grid, percent,
        errors={at: text for at, text in store.errors.items() if at[0] < height and at[1] < width},
        uncached={at: text for at, text in store.uncached.items() if at[0] < height and at[1] < width},
        distrusted={at: text for at, text in store.distrusted.items() if at[0] < height and at[1] < width},
        outliers=[(int(rows[i]), int(cols[i]), values[i]) for i in outside],
        hidden_rows=frozenset(store.hidden_rows),
    )

"""Secondary suppression over what one output shows: which further figures to hide so that no hidden
figure can be worked out from the figures left showing.

An output (a page, the pack, an export) shows a set of figures, some of which are parts of a total it
also shows: a headline and its breakdown by age band, a year of children starting care and its twelve
months, a quarter and its three months. Each such total is an equation (the total less its parts is 0),
so a hidden figure can be worked out whenever the equations and the figures shown fix it: the total less
the eleven months shown gives the twelfth, and two equations can fix what neither fixes alone. This
module finds every hidden figure the shown figures fix (linear algebra over all the equations at once,
not one equation at a time) and hides the smallest shown figure beside it, then looks again, until no
hidden figure can be worked out.

A figure marked ``fixed`` is never hidden (DfE published it: it is public whatever this output does). A
hidden figure that only fixed figures give away is left as it is: its value is public already.

Pure: figures and totals in, the keys to hide out. ``metrics.suppression`` builds the figures and
totals from a frame of observations.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

TOLERANCE = 1e-9


@dataclass(frozen=True)
class Cell:
    """One figure an output shows, or would show."""

    size: float | None  # the number the reader sees (a count, a percentage's numerator); None if no number shows
    protect: bool = False  # hidden, and must stay impossible to work out (a small figure, or DfE's own ``c``)
    fixed: bool = False  # may not be hidden: DfE published it, or the total is known from elsewhere

    @property
    def known(self) -> bool:
        return self.size is not None and not self.protect


@dataclass(frozen=True)
class Total:
    """A figure that is the sum of others in the same output."""

    total: Hashable
    parts: tuple[Hashable, ...]

    @property
    def members(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)


def _components(keys: list[Hashable], totals: list[Total]) -> list[list[Total]]:
    """The totals grouped so that no two groups share a figure: each group is solved on its own."""
    parent = {key: key for key in keys}

    def root(key: Hashable) -> Hashable:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for total in totals:
        first = root(total.total)
        for part in total.parts:
            parent[root(part)] = first
    groups: dict[Hashable, list[Total]] = {}
    for total in totals:
        groups.setdefault(root(total.total), []).append(total)
    return list(groups.values())


def worked_out(cells: Mapping[Hashable, Cell], totals: Iterable[Total], hidden: set[Hashable]) -> list[Hashable]:
    """The protected or ``hidden`` figures that the known figures and the totals fix, in ``cells`` order.

    A figure is fixed when its unit vector lies in the row space of the equations over the unknowns:
    the null space of that system has nothing in its place.
    """
    totals = list(totals)
    unknown = [k for k in dict.fromkeys(k for t in totals for k in t.members) if not cells[k].known or k in hidden]
    if not unknown or not totals:
        return []
    column = {key: i for i, key in enumerate(unknown)}
    matrix = np.zeros((len(totals), len(unknown)))
    for row, total in enumerate(totals):
        if total.total in column:
            matrix[row, column[total.total]] += 1.0
        for part in total.parts:
            if part in column:
                matrix[row, column[part]] -= 1.0
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > TOLERANCE * max(1.0, singular.max(initial=0.0))).sum())
    free = vt[rank:]
    fixed_keys = {key for key, i in column.items() if np.all(np.abs(free[:, i]) < 1e-7)} if len(free) else set(column)
    return [key for key in cells if key in fixed_keys and (cells[key].protect or key in hidden)]


def _candidate(cells: Mapping[Hashable, Cell], totals: list[Total], exposed: Hashable,
               hidden: set[Hashable]) -> Hashable | None:
    """The smallest shown figure beside ``exposed`` that may be hidden: a part before a total."""
    order = {key: i for i, key in enumerate(cells)}
    best: tuple | None = None
    for total in totals:
        if exposed not in total.members:
            continue
        for key in total.members:
            cell = cells[key]
            if key == exposed or key in hidden or not cell.known or cell.fixed:
                continue
            rank = (key == total.total, float(cell.size), order[key])  # type: ignore[arg-type]
            if best is None or rank < best[0]:
                best = (rank, key)
    return None if best is None else best[1]


def secondary_cells(cells: Mapping[Hashable, Cell], totals: Iterable[Total]) -> frozenset[Hashable]:
    """The shown figures to hide so that no protected figure can be worked out from the others.

    ``cells``: every figure the output shows (or leaves hidden), by key; ``totals``: which are sums of
    which. A total or part not in ``cells`` is treated as a figure the output does not show.
    """
    cells = dict(cells)
    totals = list(totals)
    for total in totals:
        for key in total.members:
            cells.setdefault(key, Cell(None, fixed=True))
    hidden: set[Hashable] = set()
    for group in _components(list(cells), totals):
        members = {k for t in group for k in t.members}
        if not any(cells[k].protect for k in members):
            continue
        given_up: set[Hashable] = set()
        while True:
            exposed = [k for k in worked_out(cells, group, hidden) if k not in given_up]
            if not exposed:
                break
            extra = _candidate(cells, group, exposed[0], hidden)
            if extra is None:  # only figures that must show give it away: it is public already
                given_up.add(exposed[0])
            else:
                hidden.add(extra)
    return frozenset(hidden)

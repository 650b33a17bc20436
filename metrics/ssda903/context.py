"""What every 903 measure reads (the stitched history, dates of birth, which years each table covers) and the
one way a figure is made from its cohort, so every measure gives its numerator, denominator and children alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from loaders.ssda903.model import YEAR, Figure903, Return903, collection_year_label
from metrics.ssda903.dates import Window
from metrics.ssda903.episodes import History, stitch

NOT_AVAILABLE = "x"  # reference.statuses: not available (the note says why)
NOT_APPLICABLE = "z"  # not applicable: nobody in the cohort


@dataclass(frozen=True)
class Context:
    ret: Return903
    population: Mapping[int, float]

    def years_of(self, table: str) -> set[int]:
        """The collection years a file of ``table`` was loaded for (a loaded file with no rows still counts).

        A set built without its files (as a test may) is taken to hold every table for every year.
        """
        if not self.ret.files:
            return set(self.ret.years)
        return {f.collection_year for f in self.ret.files if f.table == table}

    @cached_property
    def history(self) -> History:
        return stitch(self.ret, tuple(sorted(self.years_of("episodes"))))

    @cached_property
    def dob(self) -> pd.Series:
        """CHILD -> date of birth from the Header (the latest year's record), else from any table that has one."""
        frames = [self.ret.table("header")]
        frames += [self.ret.table(name) for name in ("oc2", "oc3", "reviews", "missing", "uasc")]
        parts = [f[["CHILD", "DOB", YEAR]] for f in frames if len(f)]
        if not parts:
            return pd.Series(dtype="datetime64[ns]")
        both = pd.concat(parts[:1] + [p.assign(**{YEAR: p[YEAR] - 10_000}) for p in parts[1:]])
        both = both[both["DOB"].notna()].sort_values(YEAR, kind="mergesort")
        return pd.to_datetime(both.drop_duplicates("CHILD", keep="last").set_index("CHILD")["DOB"])

    def dob_of(self, children: pd.Series) -> pd.Series:
        """Each row's date of birth from ``dob``, NaT where unknown, on ``children``'s index.

        A lookup, not ``Series.map``: pandas cannot map through an empty series of dates (a set with no
        header, or no rows in it).
        """
        found = self.dob.reindex(children.to_numpy()) if len(self.dob) else pd.Series(pd.NaT, index=children.to_numpy())
        return pd.Series(pd.to_datetime(found.to_numpy()), index=children.index, dtype="datetime64[ns]")

    def missing_years(self, table: str, window: Window, first: pd.Timestamp | None = None) -> list[int]:
        """The collection years from ``first`` (the 12 months' start) to the window's end that no file of
        ``table`` covers."""
        return sorted(window.collection_years(first) - self.years_of(table))

    @cached_property
    def short_break_children(self) -> frozenset[str]:
        """Children every one of whose episodes is a short break (V3/V4)."""
        history = self.history
        return frozenset(set(history.short_breaks["CHILD"]) - set(history.episodes["CHILD"]))


def label(year: int) -> str:
    return collection_year_label(year)


def not_given(code: str, window: Window, note: str, status: str = NOT_AVAILABLE, general_note: str = "") -> Figure903:
    return Figure903(code, window.period_type, window.end, None, None, None, status, frozenset(), note,
                     general_note=general_note)


def needs_years(code: str, window: Window, table: str, years: Iterable[int]) -> Figure903:
    named = ", ".join(label(y) for y in years)
    return not_given(code, window, f"Needs the {table} of {named}, which this set does not hold.")


def count(code: str, window: Window, children: Iterable[str], counted: float | None = None,
          note: str = "") -> Figure903:
    """A count of children (or of events among ``children`` when ``counted`` is given)."""
    cohort = frozenset(children)
    number = float(len(cohort) if counted is None else counted)
    return Figure903(code, window.period_type, window.end, number, number, None, "value", cohort, note)


def percent(code: str, window: Window, numerator: Iterable[str] | int, cohort: Iterable[str],
            note: str = "") -> Figure903:
    """``numerator`` (children, or a number of events) out of the cohort, as a percentage."""
    children = frozenset(cohort)
    top = float(numerator if isinstance(numerator, int) else len(frozenset(numerator) & children))
    return ratio(code, window, top, float(len(children)), children, note, scale=100.0)


def ratio(code: str, window: Window, numerator: float, denominator: float, children: frozenset[str],
          note: str = "", scale: float = 1.0) -> Figure903:
    if denominator == 0:
        return Figure903(code, window.period_type, window.end, None, numerator, denominator, NOT_APPLICABLE,
                         children, note or "Nobody is in this measure's cohort at this date.")
    return Figure903(code, window.period_type, window.end, scale * numerator / denominator, numerator, denominator,
                     "value", children, note)

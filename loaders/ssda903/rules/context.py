"""One collection year of a 903 set as DfE's rules see it, with what several rules share worked out once.

DfE checks each year's return on its own: the collection year runs from 1 April to 31 March, and a rule
that compares with last year's data reads ``previous`` (the year before in the set, where it is present).

As DfE's validator does before its rules run, code columns are compared in capitals ("e4a" is E4A). A date
column may come as text (``dd/mm/YYYY``) or already parsed; text that is not a date is kept apart so the
rules on invalid dates (102, 141, 147) can flag it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property

import numpy as np
import pandas as pd

from loaders.ssda903.model import FILE, ROW, TABLE, YEAR

NOT_UPPER_CASED = ("CHILD", FILE)  # kept as written: a problem names the child as the file does
DATE_FORMAT = "%d/%m/%Y"
SHORT_BREAKS = ("V3", "V4")  # legal status: a series of short-term breaks
CONTINUES = "X1"  # reason episode ceased: a new episode begins the same day
STARTED = "S"  # reason for new episode: started to be looked after
# Columns of the neighbouring episodes a chronology rule compares with.
NEIGHBOUR_COLUMNS = ("CHILD", "DECOM", "DEC", "REC", "RNE", "LS", "PLACE", "PL_POST", "URN", "PLACE_PROVIDER")


def _prepared(name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """The frame with codes in capitals and dates parsed, and for each date column the text that is no date."""
    frame = frame.copy()
    spec = TABLE.get(name)
    dates = spec.dates if spec else ()
    not_dates: dict[str, pd.Series] = {}
    for column in frame.columns:
        values = frame[column]
        if column in dates:
            if pd.api.types.is_datetime64_any_dtype(values):
                not_dates[column] = pd.Series(False, index=frame.index)
            else:
                parsed = pd.to_datetime(values, format=DATE_FORMAT, errors="coerce")
                not_dates[column] = values.notna() & parsed.isna()
                frame[column] = parsed
        elif column not in (*NOT_UPPER_CASED, ROW, YEAR) and (
                pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            frame[column] = values.astype(str).str.upper().where(values.notna(), None)
    return frame, not_dates


class YearOf903:
    """The rows of one collection year, its start and end, and the year before it where the set has it."""

    def __init__(self, year: int, tables: Mapping[str, pd.DataFrame], previous: YearOf903 | None = None):
        self.year = year
        self.start = pd.Timestamp(year - 1, 4, 1)
        self.end = pd.Timestamp(year, 3, 31)
        self.previous = previous
        self._raw = tables
        self._prepared: dict[str, tuple[pd.DataFrame, dict[str, pd.Series]]] = {}

    def _get(self, name: str) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
        if name not in self._prepared:
            raw = self._raw.get(name)
            if raw is None:
                spec = TABLE[name]
                raw = pd.DataFrame(columns=[*spec.columns, FILE, ROW, YEAR])
            self._prepared[name] = _prepared(name, raw)
        return self._prepared[name]

    def table(self, name: str) -> pd.DataFrame:
        """This year's rows of one table (labels as in the frame ``check`` gave, so problems can name rows)."""
        return self._get(name)[0]

    def not_a_date(self, name: str, column: str) -> pd.Series:
        """True where the column held text that is not a ``dd/mm/YYYY`` date (never for a parsed column)."""
        return self._get(name)[1][column]

    def birthday(self, name: str, years: int) -> pd.Series:
        """The date each row's child (DOB) turns ``years`` (29 February turns 28 February, as DfE's
        validator counts it); NaT where DOB is blank."""
        dob = self.table(name)["DOB"]
        return pd.Series(_add_years(dob.to_numpy(dtype="datetime64[ns]"), years), index=dob.index)

    @cached_property
    def episodes_in_order(self) -> pd.DataFrame:
        """This year's episodes of each child in order of start, with the episode before (``PREV_``), the one
        before that (``PREV2_``) and the one after (``NEXT_``) of the same child. Two episodes starting the same
        day stay in the file's order, as DfE's validator keeps them.

        Episodes with no child or no start date have no place in a child's sequence and are left out.
        """
        return self._in_order(("CHILD", "DECOM"))

    @cached_property
    def episodes_in_order_of_start_and_end(self) -> pd.DataFrame:
        """As ``episodes_in_order``, two episodes starting the same day in order of their end (rule 433)."""
        return self._in_order(("CHILD", "DECOM", "DEC"))

    def _in_order(self, by: tuple[str, ...]) -> pd.DataFrame:
        episodes = self.table("episodes")
        episodes = episodes[episodes["CHILD"].notna() & episodes["DECOM"].notna()]
        ordered = episodes.sort_values(list(by), kind="mergesort", na_position="last")
        child = ordered["CHILD"]
        shifts = {"PREV_": 1, "PREV2_": 2, "NEXT_": -1}
        columns = {}
        for prefix, step in shifts.items():
            same = (child.shift(step) == child).fillna(False)
            columns[f"{prefix}SAME"] = same.astype(bool)
            for column in NEIGHBOUR_COLUMNS[1:]:
                columns[f"{prefix}{column}"] = ordered[column].shift(step).where(same)
        return pd.concat([ordered, pd.DataFrame(columns, index=ordered.index)], axis=1)

    @cached_property
    def continuously_looked_after(self) -> frozenset[str]:
        """Children looked after continuously for the 12 months to 31 March, as DfE's 2021-22 validation
        rules define it: in care at some time in the year, and no episode that starts a period of care
        after 1 April (RNE S), ends one before 31 March (REC other than X1) or is a short break (V3/V4)."""
        episodes = self.table("episodes")
        episodes = episodes[episodes["CHILD"].notna()]
        decom, dec = episodes["DECOM"], episodes["DEC"]
        during = (decom <= self.end) & ((dec >= self.start) | dec.isna())
        enters = (episodes["RNE"] == STARTED) & (decom > self.start) & (decom <= self.end)
        leaves = (episodes["REC"] != CONTINUES) & (dec >= self.start) & (dec < self.end)
        short_break = episodes["LS"].isin(SHORT_BREAKS) & during
        per_child = pd.DataFrame({"CHILD": episodes["CHILD"], "during": during,
                                  "broken": enters | leaves | short_break}).groupby("CHILD")[["during", "broken"]].any()
        return frozenset(per_child.index[per_child["during"] & ~per_child["broken"]])

    def in_continuous_care(self, name: str) -> pd.Series:
        """For each row of a table, whether its child was looked after continuously for 12 months."""
        return self.table(name)["CHILD"].isin(self.continuously_looked_after)


def _add_years(dates: np.ndarray, years: int) -> np.ndarray:
    """``dates`` moved on by whole years, vectorised: a 29 February with no 29 February that year gives
    28 February (as pandas' DateOffset(years=) does); NaT stays NaT."""
    days = dates.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    day_of_month = (days - months).astype(int)  # 0-based
    moved_months = months + np.timedelta64(12 * years, "M")
    next_months = moved_months + np.timedelta64(1, "M")
    month_length = (next_months.astype("datetime64[D]") - moved_months.astype("datetime64[D]")).astype(int)
    moved = moved_months.astype("datetime64[D]") + np.minimum(day_of_month, month_length - 1).astype("timedelta64[D]")
    moved = moved.astype("datetime64[ns]")
    moved[np.isnat(dates)] = np.datetime64("NaT")
    return moved

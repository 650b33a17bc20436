"""The dates 903 measures are given at, the 12 months before each, and ages on a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from loaders.ssda903.model import Return903

# Date columns that show how far a set's latest year runs (a date of birth or the date UASC status ends does not).
ACTIVITY_DATES = {"episodes": ("DECOM", "DEC"), "reviews": ("REVIEW",), "missing": ("MIS_START", "MIS_END")}


@dataclass(frozen=True)
class Window:
    """A measure's date and the 12 months up to and including it."""

    period_type: str  # "year" (31 March, as DfE publishes) or "month"
    end: date

    @property
    def when(self) -> pd.Timestamp:
        return pd.Timestamp(self.end)

    @property
    def first(self) -> pd.Timestamp:
        """The first day of the 12 months: 1 April for 31 March, 1 October 2023 for 30 September 2024."""
        return pd.Timestamp(self.end + timedelta(days=1)) - pd.DateOffset(years=1)

    @property
    def counted_from(self) -> pd.Timestamp:
        """Where a count that adds up over time (children starting care) begins: the 12 months for a year,
        the month itself for a month end, so that a year is the sum of its months as the catalogue says."""
        return self.first if self.period_type == "year" else pd.Timestamp(self.end.replace(day=1))

    def collection_years(self, first: pd.Timestamp | None = None) -> set[int]:
        """The collection years (ending 31 March) from ``first`` (the 12 months' start) to the end."""
        start = (self.first if first is None else first).date()
        return set(range(_collection_year(start), _collection_year(self.end) + 1))


def _collection_year(day: date) -> int:
    return day.year + 1 if day.month >= 4 else day.year


def month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def latest_in_data(ret: Return903) -> date | None:
    """The latest activity date in the latest collection year, or None where the year holds none."""
    year = ret.latest_year
    first, last = pd.Timestamp(date(year - 1, 4, 1)), pd.Timestamp(date(year, 3, 31))
    found: list[pd.Timestamp] = []
    for table, columns in ACTIVITY_DATES.items():
        frame = ret.table(table)
        for column in columns:
            if column in frame and len(frame):
                values = pd.to_datetime(frame[column])
                values = values[(values >= first) & (values <= last)]
                if len(values):
                    found.append(values.max())
    return max(found).date() if found else None


def windows(ret: Return903, latest: date | None = None) -> list[Window]:
    """31 March of every collection year, then every month end of the latest year up to ``latest``.

    Without ``latest``: the last month end on or before the latest date in the data; never after 31 March.
    """
    out = [Window("year", date(year, 3, 31)) for year in ret.years]
    if not ret.years:
        return out
    year = ret.latest_year
    cap = date(year, 3, 31)
    latest = latest or latest_in_data(ret)
    if latest is None:
        return out
    latest = min(latest, cap)
    if month_end(latest) != latest:
        latest = date(latest.year, latest.month, 1) - timedelta(days=1)
    day = date(year - 1, 4, 30)
    while day <= latest:
        out.append(Window("month", day))
        day = month_end(day + timedelta(days=1))
    return out


def age_on(dob: pd.Series, when: pd.Timestamp) -> pd.Series:
    """Age in whole years on ``when`` (NaN where the date of birth is blank)."""
    dob = pd.to_datetime(dob)
    before_birthday = (dob.dt.month * 100 + dob.dt.day) > (when.month * 100 + when.day)
    return when.year - dob.dt.year - before_birthday.astype(int)

"""Numbers, periods and changes written the way UK official statistics write them.

Every figure a person reads goes through here, so a suppressed or missing value can never be shown
as 0 and every page rounds the same way (half away from zero, as published tables do, not Python's
round-half-to-even).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pandas as pd

from reference.catalogue import Measure
from reference.statuses import VALUE
from reference.statuses import label as status_label

NO_DATA = "no data"
NO_COMPARISON = "no comparison"
NO_CHANGE = "no change"
RATE_SUFFIX = " per 10,000"
MINUS = "-"
# First month of each financial-year quarter (Q1 = April to June).
QUARTER_OF_MONTH = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}
PERIOD_TYPES = ("month", "quarter", "year")
YEAR_END_MONTH, YEAR_END_DAY = 3, 31  # DfE's years end on 31 March: the one home of that rule
UK_TIME = ZoneInfo("Europe/London")
MOMENT_FORMAT = "%d %b %Y %H:%M"


def uk_times(moments) -> pd.Series:
    """Stored moments (when a file was loaded, a target set, a commentary written) as UK clock time.

    The dashboard writes them in UTC; SQLite gives them back without a zone and PostgreSQL in its server's
    zone, so the same moment would read differently on the two, and an hour out all summer. A moment
    without a zone is UTC."""
    stamps = pd.to_datetime(pd.Series(moments), utc=True, format="mixed")
    return stamps.dt.tz_convert(UK_TIME)


def uk_moment(moment) -> datetime | None:
    """One stored moment in UK clock time (None for no moment), for a day named in words."""
    if moment is None or (not isinstance(moment, str) and pd.isna(moment)):
        return None
    return uk_times([moment]).iloc[0].to_pydatetime()


def moment_text(moment) -> str:
    """'07 Dec 2026 17:30', in UK clock time ('' for no moment)."""
    shown = uk_moment(moment)
    return "" if shown is None else f"{shown:{MOMENT_FORMAT}}"


def moment_texts(moments) -> pd.Series:
    """``moment_text`` for a column."""
    return uk_times(moments).dt.strftime(MOMENT_FORMAT).fillna("")


def count_words(number: int, noun: str, plural: str = "") -> str:
    """'1 value', '2 values', '3 commentaries' (``plural`` where adding s is wrong): people notice '1 values'."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pandas' NA: values that must read as 'no data', never 0."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def round_half_up(value: float, decimals: int) -> Decimal:
    """Round as published tables do: 54.5 -> 55, 2.25 -> 2.3 (via the shortest decimal text of the float)."""
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def _number_text(value: float, decimals: int) -> str:
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    return f"{rounded:,.{decimals}f}"


def format_value(value: float | None, measure: Measure, status: str = VALUE, unit: bool = True,
                 decimals: int | None = None) -> str:
    """A value as people read it: '1,234', '54%', '66 per 10,000', '14.2'.

    A status symbol (c, x, low...) gives its label ('suppressed'); no value gives 'no data'. ``unit``
    False drops the worded unit (' per 10,000') for tables whose heading names it; the % sign stays,
    being part of the number. ``decimals`` overrides the measure's places where one more is needed to
    keep a figure honest (69.9% is not '70%' beside a target of 70% or more).
    """
    if status is not None and not is_missing(status) and status != VALUE:
        return status_label(str(status))
    if is_missing(value):
        return NO_DATA
    text = _number_text(float(value), measure.decimals if decimals is None else decimals)
    if measure.unit == "percent":
        return f"{text}%"
    if measure.unit == "rate_per_10k" and unit:
        return f"{text}{RATE_SUFFIX}"
    return text


def _as_date(period_end: object) -> date | None:
    if is_missing(period_end):
        return None
    if isinstance(period_end, datetime):
        return period_end.date()
    if isinstance(period_end, date):
        return period_end
    return pd.Timestamp(period_end).date()


def financial_year(period_end: date) -> str:
    """'2024-25' for any date from 1 April 2024 to 31 March 2025."""
    start = period_end.year if period_end.month >= 4 else period_end.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def format_period(period_type: str, period_end: object) -> str:
    """'March 2025', 'Q4 2024-25' (Q1 = April to June) or '2024-25' (the year ending 31 March).

    A yearly period ending in December is a calendar year ('2024'); one ending in another month is
    written 'year ending June 2024'. No date gives ''.
    """
    when = _as_date(period_end)
    if when is None:
        return ""
    if period_type == "month":
        return when.strftime("%B %Y")
    if period_type == "quarter":
        return f"Q{QUARTER_OF_MONTH[when.month]} {financial_year(when)}"
    if period_type == "year":
        if when.month == 3:
            return financial_year(when)
        if when.month == 12:
            return str(when.year)
        return f"year ending {when.strftime('%B %Y')}"
    raise ValueError(f"period type {period_type!r} is not one of {', '.join(PERIOD_TYPES)}")


def format_change(delta: float | None, measure: Measure) -> str:
    """A change between two values: '+3 percentage points', '-12', '+0.5', 'no change' when it rounds to 0.

    A percentage changes by percentage points, not per cent. No delta gives 'no comparison'.
    """
    if is_missing(delta):
        return NO_COMPARISON
    rounded = round_half_up(float(delta), measure.decimals)
    if rounded == 0:
        return NO_CHANGE
    sign = "+" if rounded > 0 else MINUS
    text = f"{sign}{abs(rounded):,.{measure.decimals}f}"
    if measure.unit == "percent":
        return f"{text} percentage point" + ("" if abs(rounded) == 1 else "s")
    if measure.unit == "rate_per_10k":
        return f"{text}{RATE_SUFFIX}"
    return text


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 101st, 111th."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def finite_or_none(value: object) -> float | None:
    """A plain float, or None for anything missing (for lists handed to charts and tables)."""
    if is_missing(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def year_end(year: int) -> date:
    """The last day of DfE's year ``year``: 31 March ``year``."""
    return date(year, YEAR_END_MONTH, YEAR_END_DAY)


def year_label(year: int) -> str:
    """DfE's name for the year ending 31 March ``year``: '2024-25', as every page and the pack write it."""
    return format_period("year", year_end(year))

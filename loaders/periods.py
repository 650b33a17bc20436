"""Reading the periods councils write into one form: (period_type, period_end).

Returns label periods in many ways: ``2024-01``, ``Jan-24``, ``January 2024``, an Excel date,
``2023-24 Q1``, ``Q1 2023/24``, ``2023-24``, ``202324`` or a bare ``2024``. Every one of them is put on
the dashboard's single time axis by the date the period ends. Financial quarters follow the
financial year (Q1 = April to June); a year is the year ending 31 March, as DfE publishes it.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
PERIOD_TYPES = (MONTH, QUARTER, YEAR)

ACCEPTED_PERIODS = (
    "a month (2024-01, Jan-24, January 2024, Jan 2024 or an Excel date), a financial quarter "
    "(2023-24 Q1, Q1 2023/24 or 2023/24 Q1) or a year ending 31 March (2023-24, 2023/24, 202324 or 2024)"
)

FINANCIAL_YEAR_START_MONTH = 4  # April
QUARTER_END_MONTHS = {1: 6, 2: 9, 3: 12, 4: 3}  # financial quarter -> calendar month it ends in
EARLIEST_YEAR, LATEST_YEAR = 1950, 2100  # a number outside this range is not a year
TWO_DIGIT_YEAR_PIVOT = 70  # two-digit years below this are 20xx, others 19xx

MONTH_NAMES: dict[str, int] = {}
for _number in range(1, 13):
    MONTH_NAMES[calendar.month_name[_number].lower()] = _number
    MONTH_NAMES[calendar.month_abbr[_number].lower()] = _number
MONTH_NAMES["sept"] = 9

_MONTH_WORD = "(" + "|".join(sorted(MONTH_NAMES, key=len, reverse=True)) + r")\.?"
_SEP = r"[\s\-/.']*"
_FY = r"(\d{4})\s*[-/]?\s*(\d{2}|\d{4})"  # 2023-24, 2023/24, 202324, 2023-2024
_QUARTER = r"q(?:uarter)?\s*([1-4])"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso_month", re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,2}))?(?:[t\s]\d{1,2}:\d{2}(?::\d{2})?)?")),
    ("name_year", re.compile(_MONTH_WORD + _SEP + r"(\d{4}|\d{2})")),
    ("year_name", re.compile(r"(\d{4})" + _SEP + _MONTH_WORD)),
    ("uk_date", re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")),
    ("month_slash_year", re.compile(r"(\d{1,2})\s*/\s*(\d{4})")),
    ("fy_quarter", re.compile(r"(?:fy\s*)?" + _FY + r"\s*[-,]?\s*" + _QUARTER)),
    ("quarter_fy", re.compile(_QUARTER + r"\s*[-,]?\s*(?:fy\s*)?" + _FY)),
    ("year", re.compile(r"(?:fy\s*|year ending (?:31 )?march\s*)?" + _FY)),
    ("bare_year", re.compile(r"(?:fy\s*|year ending (?:31 )?march\s*)?(\d{4})")),
]


class Period(NamedTuple):
    """A period as the dashboard stores it."""

    period_type: str
    period_end: date

    @property
    def start(self) -> date:
        """First day of the period (a year starts on 1 April, a quarter three months before its end)."""
        return period_start(self.period_type, self.period_end)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_start(period_type: str, period_end: date) -> date:
    months = {MONTH: 1, QUARTER: 3, YEAR: 12}[period_type]
    index = period_end.year * 12 + period_end.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _month(year: int, month: int) -> Period | None:
    if not (1 <= month <= 12 and EARLIEST_YEAR <= year <= LATEST_YEAR):
        return None
    return Period(MONTH, month_end(year, month))


def _financial_year_end(first: str, second: str) -> int | None:
    """Calendar year in which a financial year written ``first``-``second`` ends, or None if inconsistent."""
    start = int(first)
    end = int(second)
    if len(second) == 2:
        if end != (start + 1) % 100:
            return None
    elif end != start + 1:
        return None
    if not EARLIEST_YEAR <= start + 1 <= LATEST_YEAR:
        return None
    return start + 1


def _year(end_year: int) -> Period:
    return Period(YEAR, date(end_year, 3, 31))


def _quarter(first: str, second: str, quarter: str) -> Period | None:
    end_year = _financial_year_end(first, second)
    if end_year is None:
        return None
    q = int(quarter)
    month = QUARTER_END_MONTHS[q]
    return Period(QUARTER, month_end(end_year if q == 4 else end_year - 1, month))


def _two_digit_year(text: str) -> int:
    """``Jan-24`` is 2024; ``Jan-95`` is 1995."""
    if len(text) != 2:
        return int(text)
    return (2000 if int(text) < TWO_DIGIT_YEAR_PIVOT else 1900) + int(text)


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> tuple[Period | None, Period | None]:
    """The period a label names, and the other reading when the label is ambiguous.

    ``2010-11`` is both November 2010 and the financial year 2010-11; the second element is the
    financial-year reading in that case, so a caller can decide from the labels around it.
    """
    key = " ".join(text.strip().lower().split())
    if not key:
        return None, None
    for name, pattern in _PATTERNS:
        match = pattern.fullmatch(key)
        if match is None:
            continue
        groups = match.groups()
        if name == "iso_month":
            year, month = int(groups[0]), int(groups[1])
            as_month = _month(year, month)
            as_year = None
            if groups[2] is None and len(groups[1]) == 2:
                end_year = _financial_year_end(groups[0], groups[1])
                as_year = _year(end_year) if end_year else None
            if as_year and "/" in key:  # 2010/11 is how financial years are written, never a month
                return as_year, None
            if as_month and as_year:
                return as_month, as_year
            if as_month or as_year:
                return as_month or as_year, None
            continue
        if name == "name_year":
            return _month(_two_digit_year(groups[1]), MONTH_NAMES[groups[0]]), None
        if name == "year_name":
            return _month(int(groups[0]), MONTH_NAMES[groups[1]]), None
        if name == "uk_date":
            day, month, year = int(groups[0]), int(groups[1]), int(groups[2])
            if not 1 <= day <= 31:
                return None, None
            return _month(year, month), None
        if name == "month_slash_year":
            return _month(int(groups[1]), int(groups[0])), None
        if name == "fy_quarter":
            return _quarter(groups[0], groups[1], groups[2]), None
        if name == "quarter_fy":
            return _quarter(groups[1], groups[2], groups[0]), None
        if name == "year":
            end_year = _financial_year_end(groups[0], groups[1])
            if end_year is not None:
                return _year(end_year), None
            continue
        if name == "bare_year":
            year = int(groups[0])
            return (_year(year), None) if EARLIEST_YEAR <= year <= LATEST_YEAR else (None, None)
    return None, None


def _readings(value: object) -> tuple[Period | None, Period | None]:
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, datetime | date):  # datetime, date and pandas Timestamp
        if value != value:  # NaT
            return None, None
        return _month(value.year, value.month), None
    if isinstance(value, int | float):
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            return None, None
        number = int(value)
        if EARLIEST_YEAR <= number <= LATEST_YEAR:
            return _year(number), None
        if 100000 <= number <= 999999:  # 202324
            text = str(number)
            end_year = _financial_year_end(text[:4], text[4:])
            return (_year(end_year), None) if end_year else (None, None)
        return None, None
    return _parse_text(str(value))


def parse_period(value: object) -> Period | None:
    """The period a cell or header names, or None when it cannot be read.

    An ambiguous label such as ``2010-11`` is read as a month; use :func:`parse_periods` to read a
    whole header row or column, where the labels around it decide.
    """
    return _readings(value)[0]


def parse_periods(values: Sequence[object] | Iterable[object]) -> list[Period | None]:
    """Read labels that belong together (a header row, a period column).

    Labels like ``2010-11`` could be November 2010 or the year 2010-11. They are months when any
    other label in the group is unambiguously a month, and financial years otherwise: a column of
    ``2009-10, 2010-11, 2011-12`` is years, a row of ``2010-10, 2010-11, 2010-12`` is months.
    """
    readings = [_readings(v) for v in values]
    ambiguous = [second is not None for _, second in readings]
    if not any(ambiguous):
        return [first for first, _ in readings]
    has_month = any(first is not None and first.period_type == MONTH and not amb
                    for (first, _), amb in zip(readings, ambiguous, strict=True))
    return [second if amb and not has_month else first for (first, second), amb in zip(readings, ambiguous, strict=True)]

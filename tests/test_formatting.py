"""Figures, periods and changes as a committee member reads them; missing is never 0."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from metrics.formatting import format_change, format_period, format_value, ordinal
from reference.catalogue import Measure


def make_measure(unit: str, decimals: int = 0, polarity: str = "higher") -> Measure:
    return Measure(code=f"test_{unit}", name=f"Test {unit}", short_name=f"Test {unit}", unit=unit,
                   polarity=polarity, theme="cla", decimals=decimals, tolerance=None, source="Test",
                   description="A test measure.")


COUNT, PERCENT, RATE, SCORE = (make_measure("count"), make_measure("percent"), make_measure("rate_per_10k"),
                               make_measure("score", decimals=1))
PERCENT_1DP = make_measure("percent", decimals=1)


@pytest.mark.parametrize(("value", "measure", "status", "unit", "expected"), [
    (1234.0, COUNT, "value", True, "1,234"),
    (1234567.0, COUNT, "value", True, "1,234,567"),
    (0.0, COUNT, "value", True, "0"),  # a real zero is a zero
    (398.0, COUNT, "value", True, "398"),
    (54.0, PERCENT, "value", True, "54%"),
    (66.7, PERCENT, "value", True, "67%"),
    (54.5, PERCENT, "value", True, "55%"),  # half rounds up as in published tables, not to even
    (2.5, PERCENT, "value", True, "3%"),
    (66.67, PERCENT_1DP, "value", True, "66.7%"),
    (100.0, PERCENT, "value", True, "100%"),
    (54.0, PERCENT, "value", False, "54%"),  # the % sign is part of the number
    (66.0, RATE, "value", True, "66 per 10,000"),
    (65.6, RATE, "value", False, "66"),
    (14.25, SCORE, "value", True, "14.3"),
    (14.0, SCORE, "value", True, "14.0"),
    (-0.2, COUNT, "value", True, "0"),  # never "-0"
    (None, COUNT, "value", True, "no data"),
    (float("nan"), PERCENT, "value", True, "no data"),
    (np.nan, RATE, "value", True, "no data"),
    (pd.NA, SCORE, "value", True, "no data"),
    (None, COUNT, "c", True, "suppressed"),
    (float("nan"), PERCENT, "x", True, "not available"),
    (None, PERCENT, "z", True, "not applicable"),
    (None, PERCENT, "low", True, "below 0.5"),
    (None, PERCENT, "k", True, "below 0.5%"),
    (None, PERCENT, "u", True, "low reliability"),
    (None, PERCENT, ":", True, "not available"),
    (None, PERCENT, "..", True, "not available"),
    (5.0, COUNT, "c", True, "suppressed"),  # a symbol wins over any stray number
])
def test_format_value(value, measure, status, unit, expected):
    assert format_value(value, measure, status, unit=unit) == expected


@pytest.mark.parametrize("status", ["c", "x", "z", "low", "k", "u", ":", ".."])
@pytest.mark.parametrize("measure", [COUNT, PERCENT, RATE, SCORE])
def test_a_symbol_is_never_shown_as_zero(status, measure):
    text = format_value(None, measure, status)
    assert text and not any(ch.isdigit() for ch in text.replace("0.5", ""))


@pytest.mark.parametrize(("period_type", "period_end", "expected"), [
    ("month", date(2025, 3, 31), "March 2025"),
    ("month", pd.Timestamp("2024-02-29"), "February 2024"),
    ("month", "2017-12-31", "December 2017"),
    ("quarter", date(2024, 6, 30), "Q1 2024-25"),  # Q1 is April to June
    ("quarter", date(2024, 9, 30), "Q2 2024-25"),
    ("quarter", date(2024, 12, 31), "Q3 2024-25"),
    ("quarter", date(2025, 3, 31), "Q4 2024-25"),
    ("quarter", date(2020, 3, 31), "Q4 2019-20"),
    ("quarter", datetime(2020, 6, 30, 0, 0), "Q1 2020-21"),
    ("quarter", date(2099, 12, 31), "Q3 2099-00"),  # the century turns
    ("year", date(2025, 3, 31), "2024-25"),
    ("year", pd.Timestamp("2013-03-31"), "2012-13"),
    ("year", date(2000, 3, 31), "1999-00"),
    ("year", date(2024, 12, 31), "2024"),
    ("year", date(2024, 6, 30), "year ending June 2024"),
    ("month", None, ""),
    ("year", pd.NaT, ""),
])
def test_format_period(period_type, period_end, expected):
    assert format_period(period_type, period_end) == expected


def test_format_period_names_what_it_accepts():
    with pytest.raises(ValueError, match="month, quarter, year"):
        format_period("week", date(2025, 3, 31))


@pytest.mark.parametrize(("delta", "measure", "expected"), [
    (3.0, PERCENT, "+3 percentage points"),
    (-3.0, PERCENT, "-3 percentage points"),
    (1.0, PERCENT, "+1 percentage point"),
    (-1.2, PERCENT, "-1 percentage point"),
    (0.5, PERCENT, "+1 percentage point"),
    (0.4, PERCENT, "no change"),
    (0.25, PERCENT_1DP, "+0.3 percentage points"),
    (-12.0, COUNT, "-12"),
    (1500.0, COUNT, "+1,500"),
    (4.0, RATE, "+4 per 10,000"),
    (-0.5, SCORE, "-0.5"),
    (0.0, COUNT, "no change"),
    (None, COUNT, "no comparison"),
    (float("nan"), PERCENT, "no comparison"),
])
def test_format_change(delta, measure, expected):
    assert format_change(delta, measure) == expected


@pytest.mark.parametrize(("number", "expected"), [
    (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
    (21, "21st"), (22, "22nd"), (40, "40th"), (101, "101st"), (111, "111th"), (112, "112th"), (152, "152nd"),
])
def test_ordinal(number, expected):
    assert ordinal(number) == expected

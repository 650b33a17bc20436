"""Every way a council writes a period ends on the same time axis: (period_type, period_end)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from loaders.periods import Period, parse_period, parse_periods


@pytest.mark.parametrize(
    ("written", "period_type", "period_end"),
    [
        # months, as text
        ("2024-01", "month", date(2024, 1, 31)),
        ("2024-1", "month", date(2024, 1, 31)),
        ("Jan-24", "month", date(2024, 1, 31)),
        ("jan-24", "month", date(2024, 1, 31)),
        ("January 2024", "month", date(2024, 1, 31)),
        ("Jan 2024", "month", date(2024, 1, 31)),
        ("  JANUARY   2024 ", "month", date(2024, 1, 31)),
        ("Sept 2023", "month", date(2023, 9, 30)),
        ("Feb-24", "month", date(2024, 2, 29)),  # leap year
        ("Feb 2023", "month", date(2023, 2, 28)),
        ("Dec-99", "month", date(1999, 12, 31)),
        ("2024-01-31", "month", date(2024, 1, 31)),
        ("2024-01-01 00:00:00", "month", date(2024, 1, 31)),
        ("15/01/2024", "month", date(2024, 1, 31)),
        ("01/2024", "month", date(2024, 1, 31)),
        # months, as Excel dates and datetimes
        (date(2024, 1, 1), "month", date(2024, 1, 31)),
        (date(2024, 1, 31), "month", date(2024, 1, 31)),
        (datetime(2024, 2, 15, 13, 30), "month", date(2024, 2, 29)),
        (pd.Timestamp("2024-12-01"), "month", date(2024, 12, 31)),
        # financial quarters: Q1 = April-June
        ("2023-24 Q1", "quarter", date(2023, 6, 30)),
        ("2023-24 Q2", "quarter", date(2023, 9, 30)),
        ("2023-24 Q3", "quarter", date(2023, 12, 31)),
        ("2023-24 Q4", "quarter", date(2024, 3, 31)),
        ("Q1 2023/24", "quarter", date(2023, 6, 30)),
        ("q4 2023/24", "quarter", date(2024, 3, 31)),
        ("2023/24 Q1", "quarter", date(2023, 6, 30)),
        ("Q2 2023-24", "quarter", date(2023, 9, 30)),
        ("2023-24Q3", "quarter", date(2023, 12, 31)),
        # years ending 31 March
        ("2023-24", "year", date(2024, 3, 31)),
        ("2023/24", "year", date(2024, 3, 31)),
        ("202324", "year", date(2024, 3, 31)),
        (202324, "year", date(2024, 3, 31)),
        ("2023-2024", "year", date(2024, 3, 31)),
        ("1999-00", "year", date(2000, 3, 31)),
        ("2024", "year", date(2024, 3, 31)),
        (2024, "year", date(2024, 3, 31)),
        (2024.0, "year", date(2024, 3, 31)),
        ("2010/11", "year", date(2011, 3, 31)),  # the slash is the financial-year way of writing it
    ],
)
def test_every_written_form_is_read(written, period_type, period_end):
    assert parse_period(written) == Period(period_type, period_end)


@pytest.mark.parametrize(
    "written",
    ["", "   ", None, "abc", "2024-13", "13/2024", "Q5 2023-24", "2023-25", "2023-25 Q1", "Janu 2024",
     "32/01/2024", 45292.0, 12, 1.5, float("nan"), pd.NaT, True, "2024-01-01-01", "Q1", "2024 Q1"],
)
def test_unreadable_periods_are_none(written):
    assert parse_period(written) is None


@pytest.mark.parametrize(
    ("labels", "expected_type"),
    [
        (["2009-10", "2010-11", "2011-12"], "year"),  # a run of financial years
        (["2010-10", "2010-11", "2010-12"], "month"),  # October to December 2010
        (["2010-11", "2012-13"], "year"),  # 2012-13 cannot be a month
        (["2010-11", "Dec 2010"], "month"),
        (["2010-11"], "year"),
    ],
)
def test_ambiguous_labels_follow_their_neighbours(labels, expected_type):
    assert parse_periods(labels)[0].period_type == expected_type


def test_ambiguous_label_alone_reads_as_a_month():
    assert parse_period("2010-11") == Period("month", date(2010, 11, 30))


@pytest.mark.parametrize(
    ("period", "start"),
    [
        (Period("month", date(2024, 2, 29)), date(2024, 2, 1)),
        (Period("quarter", date(2023, 6, 30)), date(2023, 4, 1)),
        (Period("quarter", date(2024, 3, 31)), date(2024, 1, 1)),
        (Period("year", date(2024, 3, 31)), date(2023, 4, 1)),
    ],
)
def test_periods_know_where_they_start(period, start):
    assert period.start == start

"""DfE's cell text: every published symbol stays a symbol, and every year label lands on 31 March."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from loaders.published.values import LAIT_NO_FIGURE, read_cells, year_end


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025", date(2025, 3, 31)),
        (2025, date(2025, 3, 31)),
        ("2024-25", date(2025, 3, 31)),
        ("2024/25", date(2025, 3, 31)),
        ("202425", date(2025, 3, 31)),
        ("2024-2025", date(2025, 3, 31)),
        ("2025 (Rev)", date(2025, 3, 31)),
        ("2024-25 (OT)", date(2025, 3, 31)),
        ("2021 (Final)", date(2021, 3, 31)),
        ("1999-00", date(2000, 3, 31)),  # the century turns
        (" 2016 ", date(2016, 3, 31)),
        ("2014-16", None),  # a three-year average, not one year
        ("2013/14-15/16", None),
        ("2024-26", None),
        ("0", None),
        ("", None),
        ("abc", None),
        ("1899", None),
    ],
)
def test_year_labels_end_on_31_march(text, expected):
    assert year_end(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "status", "bad"),
    [
        ("66", 66.0, "value", False),
        ("0", 0.0, "value", False),
        ("14.9", 14.9, "value", False),
        (" 550 ", 550.0, "value", False),
        ("9.3699999999999992", 9.37, "value", False),
        ("c", None, "c", False),
        ("C", None, "c", False),
        ("x", None, "x", False),
        ("z", None, "z", False),
        ("low", None, "low", False),
        ("k", None, "k", False),
        ("u", None, "u", False),
        (":", None, ":", False),
        ("..", None, "..", False),
        ("-", None, "value", True),  # only LAIT's files use '-'
        ("", None, "value", True),
        ("abc", None, "value", True),
        ("nan", None, "value", True),
        ("inf", None, "value", True),
    ],
)
def test_cells_are_numbers_or_symbols_never_zero(text, value, status, bad):
    values, statuses, bads = read_cells(pd.Series([text], dtype="str"))
    if value is None:
        assert math.isnan(values.iloc[0])
    else:
        assert values.iloc[0] == pytest.approx(value)
    assert statuses.iloc[0] == status
    assert bool(bads.iloc[0]) is bad


def test_lait_dash_is_not_available_not_zero():
    values, statuses, bads = read_cells(pd.Series(["-", "12"], dtype="str"), LAIT_NO_FIGURE)
    assert math.isnan(values.iloc[0]) and statuses.iloc[0] == "x" and not bads.iloc[0]
    assert values.iloc[1] == 12 and statuses.iloc[1] == "value"


def test_reading_cells_leaves_the_input_alone():
    column = pd.Series(["1", "c", "abc"], dtype="str")
    before = column.copy()
    read_cells(column)
    pd.testing.assert_series_equal(column, before)

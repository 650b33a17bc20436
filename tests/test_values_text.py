"""Text that looks like a figure but is not one is never stored as one.

Excel error values, numbers too large to hold, ``inf`` and ``nan`` typed as text, and commas that group
no thousands are unreadable, with flags that let a message say which; a decimal-comma file's numbers
are read with the comma as the decimal mark.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from loaders.importer import import_file
from loaders.problems import Rule
from loaders.values import BAD, EMPTY, EXCEL_ERRORS, NUMBER, STATUS, read_values
from tests.csv_files import excel_csv
from tests.returns_files import dump_tables, write_xlsx


@pytest.mark.parametrize("error", sorted(EXCEL_ERRORS))
def test_every_excel_error_value_is_unreadable_and_flagged(error):
    read = read_values([error, f" {error} ", error.lower(), 5])
    assert read.kind.tolist() == [BAD, BAD, BAD, NUMBER]
    assert read.error.tolist() == [True, True, True, False]
    assert read.not_finite.tolist() == [False] * 4
    assert np.isnan(read.value[:3]).all() and read.status[:3].tolist() == [""] * 3


@pytest.mark.parametrize(
    "typed",
    ["1e400", "-1e400", "9" * 400, "1" * 100_000, "inf", "-inf", "+inf", "Infinity", "nan", "NaN", "inf%",
     float("inf"), float("-inf"), np.float64("inf"), 10**400],
    ids=lambda t: repr(t)[:20],
)
def test_a_number_that_is_not_finite_is_unreadable_and_flagged(typed):
    read = read_values([typed])
    assert read.kind[0] == BAD and read.not_finite[0] and not read.error[0]
    assert math.isnan(read.value[0])


def test_a_huge_but_finite_number_is_read_for_the_range_rules_to_judge():
    read = read_values(["1e300", 1e300])
    assert read.kind.tolist() == [NUMBER, NUMBER] and read.value.tolist() == [1e300, 1e300]


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("61,5", NUMBER, 61.5), ("0,54", NUMBER, 0.54), ("1.234,5", NUMBER, 1234.5), ("1 234,5", NUMBER, 1234.5),
        ("1\u00a0234,5", NUMBER, 1234.5), ("1\u202f234,5", NUMBER, 1234.5), ("1.234.567", NUMBER, 1234567.0),
        ("1,234", NUMBER, 1.234), ("61,5%", NUMBER, 61.5), ("-0,5", NUMBER, -0.5), ("1,5E+03", NUMBER, 1500.0),
        ("398", NUMBER, 398.0), ("c", STATUS, None), ("", EMPTY, None),
        ("12.5", BAD, None), ("1.23.4", BAD, None), ("1,234.5", BAD, None), ("1.234 567,8", BAD, None),
    ],
)
def test_decimal_comma_numbers(typed, kind, value):
    read = read_values([typed], decimal_comma=True)
    assert read.kind[0] == kind
    if value is None:
        assert math.isnan(read.value[0])
    else:
        assert read.value[0] == value


@pytest.mark.parametrize(
    ("typed", "kind", "value"),
    [
        ("1,234", NUMBER, 1234.0), ("1,234,567.25", NUMBER, 1234567.25), ("1 234 567", NUMBER, 1234567.0),
        ("12,345.5%", NUMBER, 12345.5),
        ("61,5", BAD, None), ("1,23,4", BAD, None), ("12,3456", BAD, None), ("1,234 567", BAD, None),
        ("12 34", BAD, None), (",5", BAD, None), ("1.234,5", BAD, None),
    ],
)
def test_a_comma_must_group_thousands_in_a_decimal_point_file(typed, kind, value):
    read = read_values([typed])
    assert read.kind[0] == kind
    assert (math.isnan(read.value[0]) if value is None else read.value[0] == value)
    assert not read.not_finite[0] and not read.error[0]


def test_numbers_stored_as_numbers_ignore_the_decimal_mark():
    """Only text is written with a decimal mark; a number read from a workbook is a number."""
    read = read_values([61.5, 1234, "61,5"], decimal_comma=True)
    assert read.value.tolist() == [61.5, 1234.0, 61.5]


@pytest.mark.parametrize(
    ("typed", "cell", "rule"),
    [("#DIV/0!", "C2", Rule.EXCEL_ERROR), ("#N/A", "C2", Rule.EXCEL_ERROR), ("1e400", "C2", Rule.NOT_FINITE),
     ("inf", "C2", Rule.NOT_FINITE), ("9" * 400, "C2", Rule.NOT_FINITE)],
    ids=["div0", "na", "1e400", "inf", "400 digits"],
)
def test_such_a_cell_in_a_csv_refuses_the_file_naming_it(engine, tmp_path, typed, cell, rule):
    before = dump_tables(engine)
    path = excel_csv(tmp_path / "return.csv", [["measure", "period", "value"], ["cla_count", "2024-01", typed],
                                               ["cla_starts", "2024-01", "12"]])
    report = import_file(engine, path)
    assert report.status == "rejected"
    assert [(p.rule, p.cell, p.text) for p in report.problems] == [(rule, cell, typed)]
    assert dump_tables(engine) == before


def test_an_error_typed_as_text_in_a_workbook_is_refused_too(engine, tmp_path):
    path = write_xlsx(tmp_path / "return.xlsx", {"R": [["measure", "2024-01", "2024-02"],
                                                       ["cla_count", 398, "#VALUE! "]]})
    report = import_file(engine, path)
    assert [(p.rule, p.cell) for p in report.problems] == [(Rule.EXCEL_ERROR, "C2")]

"""Decimals written with a comma are read as decimals, never with the comma dropped (61,5 is not 615).

A semicolon- or tab-separated file is a decimal-comma file when its numbers show it and nothing
contradicts it; a file that mixes the two styles, or whose numbers read two ways, is refused naming
a cell. Each test writes the file as a continental Excel saves it and loads it into a real database.
"""

from __future__ import annotations

from datetime import date

import pytest

from db import queries
from loaders.csvfile import read_csv
from loaders.importer import import_file
from loaders.problems import Rule
from loaders.returns import read_return
from tests.csv_files import csv_bytes, excel_csv
from tests.returns_files import dump_tables


def figures(engine) -> list[tuple]:
    stored = queries.observations(engine)
    return sorted(zip(stored["measure_code"], stored["period_end"].dt.date, stored["value"], strict=True))


def test_a_semicolon_file_with_decimal_commas_loads_the_decimals(engine, tmp_path):
    path = excel_csv(tmp_path / "return.csv", [
        ["measure", "2024-01", "2024-02"],
        ["cla_foster_pct", "61,5", "62"],
        ["health_sdq_avg", "14,2", "13,9"],
        ["cla_count", "1.234", "1 240"],  # a point or a space groups thousands in such a file
        ["cla_rate", "0,54", "1.234,5"],
    ], "CSV (continental)")

    report = import_file(engine, path, imported_by="tester")

    assert report.status == "loaded", [p.message() for p in report.problems]
    jan, feb = date(2024, 1, 31), date(2024, 2, 29)
    assert figures(engine) == sorted([
        ("cla_foster_pct", jan, 61.5), ("cla_foster_pct", feb, 62.0),
        ("health_sdq_avg", jan, 14.2), ("health_sdq_avg", feb, 13.9),
        ("cla_count", jan, 1234.0), ("cla_count", feb, 1240.0),
        ("cla_rate", jan, 0.54), ("cla_rate", feb, 1234.5),
    ])


def test_a_tab_file_with_decimal_commas_loads_the_decimals(engine, tmp_path):
    path = tmp_path / "return.txt"
    path.write_bytes(csv_bytes([["measure", "period", "value"], ["cla_foster_pct", "2024-01", "61,5 %"],
                                ["cla_rate", "2024-01", "1 234,5"]], "utf-16", "\t"))
    assert import_file(engine, path).status == "loaded"
    assert figures(engine) == [("cla_foster_pct", date(2024, 1, 31), 61.5), ("cla_rate", date(2024, 1, 31), 1234.5)]


def test_the_sheet_says_which_mark_the_file_uses():
    assert read_csv(b"measure;value\r\ncla_rate;61,5\r\n").decimal_comma
    assert not read_csv(b"measure;value\r\ncla_rate;61.5\r\n").decimal_comma
    assert not read_csv(b"measure;value\r\ncla_rate;61\r\n").decimal_comma  # whole numbers read the same either way
    assert not read_csv(b'measure,value\r\ncla_rate,"61,5"\r\n').decimal_comma  # never in a comma file


@pytest.mark.parametrize(
    ("rows", "cell", "words"),
    [
        ([["measure", "2024-01", "2024-02"], ["cla_rate", "61,5", "12.5"]],
         "B2", ["'61,5' with a decimal comma", "C2", "'12.5' with a decimal point"]),
        ([["measure", "2024-01"], ["cla_count", "1,234"], ["cla_starts", "12"]],
         "B2", ["'1,234'", "1234 (a thousands comma) or 1.234 (a decimal comma)"]),
        ([["measure", "2024-01"], ["cla_count", "1.234"]],
         "B2", ["'1.234'", "1.234 (a decimal point) or 1234 (a thousands point)"]),
    ],
    ids=["both marks", "only a comma that reads two ways", "only a point that reads two ways"],
)
def test_a_semicolon_file_whose_numbers_do_not_say_for_certain_is_refused(engine, tmp_path, rows, cell, words):
    before = dump_tables(engine)
    path = excel_csv(tmp_path / "return.csv", rows, "CSV (continental)")

    report = import_file(engine, path)

    assert report.status == "rejected"
    [problem] = report.problems
    assert problem.rule == Rule.NOT_A_WORKBOOK
    assert f"cell {cell}" in problem.text
    for word in words:
        assert word in problem.text
    assert dump_tables(engine) == before


def test_a_comma_that_could_be_thousands_is_read_by_the_rest_of_the_file():
    """1,234 is 1.234 beside 61,5 and 1234 beside 12.5: the file's other numbers decide, not a guess."""
    comma_file = read_csv(b"measure;a;b\r\ncla_rate;1,234;61,5\r\n")
    point_file = read_csv(b"measure;a;b\r\ncla_count;1,234;12.5\r\n")
    assert comma_file.decimal_comma and not point_file.decimal_comma


@pytest.mark.parametrize(("typed", "cell"), [("61,5", "C2"), ("1,23,4", "C2"), ("12,3456", "C2")])
def test_a_comma_that_groups_no_thousands_in_a_comma_file_is_an_unreadable_value(tmp_path, typed, cell):
    path = excel_csv(tmp_path / "return.csv", [["measure", "period", "value"], ["cla_rate", "2024-01", typed]])
    [problem] = read_return(path).problems
    assert (problem.rule, problem.cell, problem.text) == (Rule.BAD_VALUE, cell, typed)


def test_a_thousands_comma_in_a_comma_file_still_loads(engine, tmp_path):
    path = excel_csv(tmp_path / "return.csv", [["measure", "period", "value"], ["cla_count", "2024-01", "1,234"],
                                               ["cla_rate", "2024-01", "1,234.5"]])
    assert import_file(engine, path).status == "loaded"
    assert figures(engine) == [("cla_count", date(2024, 1, 31), 1234.0), ("cla_rate", date(2024, 1, 31), 1234.5)]

"""The shape of a CSV file is read as Excel shows it, and a file whose cells cannot be told apart is refused.

Delimiters, a ``sep=`` line, line endings, blank lines, trailing delimiters, stray spaces and byte order
marks in the header, quotation marks left open and cells longer than the csv module's default limit.
Each test writes a real file; most load it into a real SQLite database.
"""

from __future__ import annotations

import csv
from datetime import date

import pytest

from db import queries
from loaders.csvfile import read_csv
from loaders.importer import import_file
from loaders.problems import Rule
from loaders.returns import read_return
from loaders.sheets import NotAWorkbook
from tests.csv_files import csv_bytes
from tests.returns_files import dump_tables

TIDY = [["measure", "period", "value"], ["cla_count", "2024-01", "398"], ["cla_starts", "2024-01", "12"]]
CSV_DEFAULT_FIELD_LIMIT = 131_072
LOADED = [("cla_count", date(2024, 1, 31), 398.0), ("cla_starts", date(2024, 1, 31), 12.0)]


def loaded(engine, path) -> list[tuple]:
    report = import_file(engine, path, imported_by="tester")
    assert report.status == "loaded", [p.message() for p in report.problems]
    stored = queries.observations(engine)
    return sorted(zip(stored["measure_code"], stored["period_end"].dt.date, stored["value"], strict=True))


def refusal(engine, tmp_path, data: bytes) -> str:
    """The one NOT_A_WORKBOOK text a file gets, after checking the database did not change."""
    before = dump_tables(engine)
    path = tmp_path / "return.csv"
    path.write_bytes(data)
    report = import_file(engine, path)
    assert report.status == "rejected"
    [problem] = report.problems
    assert problem.rule == Rule.NOT_A_WORKBOOK
    assert dump_tables(engine) == before
    return problem.text


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"], ids=["comma", "semicolon", "tab", "bar"])
def test_each_delimiter_is_found(engine, tmp_path, delimiter):
    path = tmp_path / "return.csv"
    path.write_bytes(csv_bytes(TIDY, delimiter=delimiter))
    assert loaded(engine, path) == LOADED


@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"], ids=["windows", "unix", "old mac"])
def test_every_line_ending_gives_the_same_rows(line_end):
    sheet = read_csv(csv_bytes(TIDY, line_end=line_end))
    assert sheet.cells.tolist() == TIDY


def test_a_cell_with_a_line_break_stays_one_cell_in_one_row():
    sheet = read_csv(csv_bytes([["measure", "notes"], ["cla_count", "first line\r\nsecond line"]]))
    assert sheet.shape == (2, 2)
    assert sheet.cells[1, 1] == "first line\r\nsecond line"


def test_a_sep_line_decides_the_delimiter_and_is_not_a_row(engine, tmp_path):
    """Excel honours and hides ``sep=;``; row 1 is then the header, as Excel shows it."""
    rows = [["measure", "period", "value"], ["cla_count", "2024-01", "398"], ["cla_foster_pct", "2024-01", "abc"]]
    path = tmp_path / "return.csv"
    path.write_bytes(csv_bytes(rows, delimiter=";", sep_line=True))
    [problem] = read_return(path).problems
    assert (problem.rule, problem.cell, problem.text) == (Rule.BAD_VALUE, "C3", "abc")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "utf-16"], ids=["utf8 bom", "utf8", "utf16"])
@pytest.mark.parametrize("sep_line", [True, False], ids=["sep line", "no sep line"])
@pytest.mark.parametrize("line_end", ["\r\n", "\n", "\r"], ids=["windows", "unix", "old mac"])
def test_a_problem_is_named_at_the_row_excel_shows_whatever_the_line_endings(tmp_path, line_end, sep_line, encoding):
    """An old Mac's CR-only file with a ``sep=;`` line used to put every problem one row too low."""
    rows = [["measure", "period", "value"], ["cla_count", "2024-01", "398"], ["cla_foster_pct", "2024-01", "abc"]]
    path = tmp_path / "return.csv"
    path.write_bytes(csv_bytes(rows, encoding=encoding, delimiter=";", line_end=line_end, sep_line=sep_line))
    [problem] = read_return(path).problems
    assert (problem.rule, problem.cell, problem.text) == (Rule.BAD_VALUE, "C3", "abc")


def test_a_sep_line_wins_over_what_the_rows_suggest():
    """Every row splits on the comma too, but the file says its delimiter is the vertical bar."""
    data = b'sep=|\r\nmeasure|notes\r\ncla_count|a, b\r\ncla_starts|c, d\r\n'
    assert read_csv(data).cells.tolist() == [["measure", "notes"], ["cla_count", "a, b"], ["cla_starts", "c, d"]]


def test_a_sep_line_that_splits_nothing_is_refused(engine, tmp_path):
    text = refusal(engine, tmp_path, b"sep=;\r\nmeasure,period,value\r\ncla_count,2024-01,398\r\n")
    assert "sep=;" in text and "semicolon" in text


def test_a_trailing_delimiter_is_an_empty_column_and_changes_nothing(engine, tmp_path):
    path = tmp_path / "return.csv"
    path.write_bytes(b"measure,period,value,\r\ncla_count,2024-01,398,\r\ncla_starts,2024-01,12,\r\n")
    assert read_csv(path.read_bytes()).shape == (3, 4)
    assert loaded(engine, path) == LOADED


def test_blank_lines_are_empty_rows_so_cells_are_named_as_excel_shows_them(tmp_path):
    path = tmp_path / "return.csv"
    path.write_bytes(b"Northmoor monthly return\r\n\r\nmeasure,period,value\r\n\r\ncla_count,2024-01,lots\r\n\r\n")
    [problem] = read_return(path).problems
    assert (problem.rule, problem.cell, problem.text) == (Rule.BAD_VALUE, "C5", "lots")


def test_a_header_with_stray_spaces_and_byte_order_marks_is_found(engine, tmp_path):
    """Two files joined end to end leave a byte order mark at the start of a later line."""
    path = tmp_path / "return.csv"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf measure ,  Period,Value \r\ncla_count, 2024-01 , 398 \r\n"
                     + "\ufeffcla_starts,2024-01,12\r\n".encode())
    assert loaded(engine, path) == LOADED


def test_a_title_above_and_a_note_below_the_table_do_not_confuse_the_delimiter():
    sheet = read_csv(b"Monthly return; draft\r\nmeasure,period,value\r\ncla_count,2024-01,398\r\n"
                     b"cla_starts,2024-01,12\r\nSource: SSDA903; checked by Jo\r\n")
    assert sheet.cells.tolist() == [
        ["Monthly return; draft", "", ""], *TIDY, ["Source: SSDA903; checked by Jo", "", ""],
    ]


def test_commas_inside_cells_of_a_semicolon_file_do_not_make_it_a_comma_file(engine, tmp_path):
    path = tmp_path / "return.csv"
    path.write_bytes(b"measure;period;value;notes\r\ncla_count;2024-01;398;a, b\r\ncla_starts;2024-01;12;c, d\r\n")
    assert loaded(engine, path) == LOADED


def test_two_delimiters_that_both_split_every_row_are_refused_naming_those_tried(engine, tmp_path):
    text = refusal(engine, tmp_path, b"measure;period,value\r\ncla_count;2024-01,398\r\ncla_starts;2024-01,12\r\n")
    assert "cannot tell which character separates the cells" in text
    assert "comma" in text and "semicolon" in text and "tab" in text and "vertical bar" in text


def test_a_file_no_delimiter_splits_is_refused_naming_those_tried(engine, tmp_path):
    text = refusal(engine, tmp_path, b"measure period value\r\ncla_count 2024-01 398\r\n")
    assert "no row splits into columns" in text
    assert "comma, semicolon, tab, vertical bar" in text


def test_a_quotation_mark_left_open_is_refused_not_read_as_one_vast_cell(engine, tmp_path):
    """The csv module would otherwise swallow every later line into the open cell without a word."""
    text = refusal(engine, tmp_path,
                   b'measure,period,value\r\ncla_count,2024-01,"398\r\ncla_starts,2024-01,12\r\n')
    assert "quotation mark in the row starting on line 2 is never closed" in text


def test_a_cell_longer_than_the_csv_modules_limit_is_read_and_refused_by_the_value_rules(engine, tmp_path):
    csv.field_size_limit(CSV_DEFAULT_FIELD_LIMIT)  # as in a fresh process: an earlier file may have raised it
    huge = "x" * 200_000
    path = tmp_path / "return.csv"
    path.write_bytes(csv_bytes([["measure", "period", "value"], ["cla_count", "2024-01", huge]]))
    before = dump_tables(engine)

    report = import_file(engine, path)

    assert report.status == "rejected"
    [problem] = report.problems
    assert (problem.rule, problem.cell) == (Rule.BAD_VALUE, "C2")
    message = problem.message()
    assert "'" + "x" * 60 + "…' (200,000 characters)" in message
    assert len(message) < 400
    assert dump_tables(engine) == before


def test_a_long_note_beside_the_figures_does_not_stop_the_file_loading(engine, tmp_path):
    path = tmp_path / "return.csv"
    path.write_bytes(csv_bytes([["measure", "2024-01", "notes"], ["cla_count", "398", "y" * 300_000]]))
    assert loaded(engine, path) == [("cla_count", date(2024, 1, 31), 398.0)]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"PK\x03\x04 a zip file", "binary file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old workbook", "binary file"),
        (b"\x00\x01\x02binary\x00", "binary file"),
    ],
)
def test_a_binary_file_is_not_read_as_text(data, words):
    with pytest.raises(NotAWorkbook, match=words):
        read_csv(data)

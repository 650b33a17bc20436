"""The ways a real council file surprises: each is read exactly right, or refused naming the cell.

Real workbooks are written with openpyxl. Where the file reader does not yet report what a workbook
holds (Excel errors, formulas with no saved value), the return layer is also tested on the sheets a
reader hands over, built here as it would build them.
"""

from __future__ import annotations

import numpy as np
import pytest
from openpyxl import Workbook as OpenpyxlWorkbook

from loaders.importer import import_file
from loaders.problems import Rule
from loaders.returns import read_return, read_return_workbook
from loaders.sheets import Sheet, Workbook, grid
from tests.returns_files import dump_tables, write_csv, write_xlsx

HOME = "E06999901"


def found(parsed_or_report) -> list[tuple]:
    return [(p.sheet, p.cell, p.rule, p.text) for p in parsed_or_report.problems]


def sheets(*sheets: Sheet, hidden: list[str] | None = None):
    return read_return_workbook(Workbook(list(sheets), hidden or []), "return.xlsx")


def write_book(path, build) -> object:
    book = OpenpyxlWorkbook()
    build(book)
    book.save(path)
    return path


# 1. Excel error cells ---------------------------------------------------------------------------------

def test_an_error_cell_in_a_sheet_is_refused_with_its_text():
    sheet = Sheet("R", grid([["measure", "2024-01", "2024-02"], ["cla_count", "#DIV/0!", 5]]),
                  errors={(1, 1): "#DIV/0!"})
    parsed = sheets(sheet)
    assert found(parsed) == [("R", "B2", Rule.EXCEL_ERROR, "#DIV/0!")]
    message = parsed.problems[0].message()
    assert "cell B2: an Excel error '#DIV/0!'; fix the formula, or leave the cell empty or write a status symbol" \
        in message


@pytest.mark.parametrize("layout", ["wide", "tidy"])
def test_error_cells_in_every_part_of_a_table_are_named(layout):
    if layout == "wide":
        rows = [["measure", "area", "2024-01", "target"],
                ["#N/A", HOME, 5, None], ["cla_count", "#REF!", 6, None], ["cla_starts", HOME, 7, "#VALUE!"]]
        expected = [("A2", "#N/A"), ("B3", "#REF!"), ("D4", "#VALUE!")]
    else:
        rows = [["measure", "area", "period", "value", "numerator", "denominator"],
                ["cla_count", HOME, "#NAME?", 5, None, None], ["health_dental_pct", HOME, "2023-24", None, "#NUM!", 50],
                ["cla_count", HOME, "2024-02", "#N/A", None, None]]
        expected = [("C2", "#NAME?"), ("E3", "#NUM!"), ("D4", "#N/A")]
    cells = grid(rows)
    errors = {(r, c): v for (r, c), v in np.ndenumerate(cells) if isinstance(v, str) and v.startswith("#")}
    parsed = sheets(Sheet("R", cells, errors=errors))
    assert [(cell, text) for _, cell, rule, text in found(parsed) if rule == Rule.EXCEL_ERROR] == expected
    assert all(p.rule == Rule.EXCEL_ERROR for p in parsed.problems)


@pytest.mark.parametrize("layout", ["wide", "tidy"])
def test_an_error_cell_in_a_real_workbook_refuses_the_file_and_keeps_the_older_figure(engine, tmp_path, layout):
    earlier = write_xlsx(tmp_path / "january.xlsx", {"R": [["measure", "2024-01"], ["cla_count", 398]]})
    assert import_file(engine, earlier).status == "loaded"
    before = dump_tables(engine)
    rows = ([["measure", "2024-01"], ["cla_count", "#DIV/0!"]] if layout == "wide"
            else [["measure", "period", "value"], ["cla_count", "2024-01", "#DIV/0!"]])
    cell = "B2" if layout == "wide" else "C2"
    report = import_file(engine, write_xlsx(tmp_path / "revised.xlsx", {"R": rows}))  # openpyxl writes t="e"
    assert report.status == "rejected"
    assert found(report) == [("R", cell, Rule.EXCEL_ERROR, "#DIV/0!")]
    assert dump_tables(engine) == before


def test_an_excel_error_written_into_a_csv_file_is_refused(tmp_path):
    path = write_csv(tmp_path / "saved-by-excel.csv", [["measure", "period", "value"], ["cla_count", "2024-01", "#N/A"]])
    assert found(read_return(path)) == [("", "C2", Rule.EXCEL_ERROR, "#N/A")]


# 2. Formulas with no saved value ----------------------------------------------------------------------

def test_formulas_without_saved_values_are_refused_naming_cell_and_formula():
    cells = grid([["measure", "2024-01", "2024-02", "Notes"], ["cla_count", None, None, None], ["cla_starts", 4, None, None]])
    sheet = Sheet("Tracker", cells, uncached={(1, 1): "=SUM(Data!B2:B9)", (1, 2): "=B2+1", (2, 3): "=TODAY()"})
    parsed = sheets(sheet)
    assert found(parsed) == [("Tracker", "B2", Rule.UNCACHED_FORMULA, "=SUM(Data!B2:B9)"),
                             ("Tracker", "C2", Rule.UNCACHED_FORMULA, "=B2+1")]  # a notes column is not read
    assert "open the file in Excel and save it, so the figures the formulas work out are saved" in \
        parsed.problems[0].message()


def test_a_tracker_made_only_of_unsaved_formulas_is_refused_not_nothing_to_load():
    header_formulas = {(0, c): f"=EDATE($B$1,{c - 1})" for c in range(1, 4)}
    cells = grid([["measure", None, None, None], ["cla_count", 1, 2, 3]])
    parsed = sheets(Sheet("R", cells, uncached=header_formulas))
    assert [p.rule for p in parsed.problems] == [Rule.UNCACHED_FORMULA] * 3
    assert [p.cell for p in parsed.problems] == ["B1", "C1", "D1"]


def test_unsaved_formulas_with_no_header_found_anywhere_are_named_instead_of_no_return():
    parsed = sheets(Sheet("R", grid([[None, None], [None, None]]), uncached={(0, 0): "=Setup!A1", (1, 1): "=B1*2"}))
    assert [(p.cell, p.rule) for p in parsed.problems] == [("A1", Rule.UNCACHED_FORMULA), ("B2", Rule.UNCACHED_FORMULA)]


def test_a_real_workbook_of_unsaved_formulas_is_refused(engine, tmp_path):
    path = write_xlsx(tmp_path / "tracker.xlsx", {"R": [
        ["measure", "2024-01", "2024-02"], ["cla_count", "=1+1", "=SUM(B2:B2)"]]})
    report = import_file(engine, path)
    assert report.status == "rejected"
    assert found(report) == [("R", "B2", Rule.UNCACHED_FORMULA, "=1+1"), ("R", "C2", Rule.UNCACHED_FORMULA, "=SUM(B2:B2)")]


# 3. Hidden sheets ---------------------------------------------------------------------------------------

def test_hidden_sheets_are_not_read_and_the_summary_names_them(engine, tmp_path):
    def build(book):
        visible = book.active
        visible.title = "Return"
        for row in [["measure", "2024-02"], ["cla_count", 401]]:
            visible.append(row)
        old = book.create_sheet("Feb copy")
        for row in [["measure", "2024-02"], ["cla_count", 999]]:
            old.append(row)
        old.sheet_state = "hidden"

    report = import_file(engine, write_book(tmp_path / "feb.xlsx", build))
    assert report.status == "loaded", report.problems
    assert report.outcome.inserted == 1
    assert report.hidden_sheets == ["Feb copy"] and report.sheets_read == ["Return"]
    assert report.layout_by_sheet == {"Return": "wide"}
    assert report.summary().endswith("; read sheet 'Return' (wide); sheet 'Feb copy' is hidden: not read")


def test_a_file_whose_only_return_is_hidden_says_so():
    parsed = sheets(Sheet("Notes", grid([["Read me"]])), hidden=["Data"])
    assert [p.rule for p in parsed.problems] == [Rule.NO_RETURN]
    assert parsed.hidden_sheets == ["Data"]


# 4. Footnotes, gaps and stray cells ----------------------------------------------------------------------

def test_notes_below_a_tidy_table_are_skipped_and_counted(engine, tmp_path):
    path = write_xlsx(tmp_path / "tidy.xlsx", {"Data": [
        ["measure", "period", "value"],
        ["cla_count", "2024-01", 398],
        [],
        ["Source: Northmoor case management system, extracted 3 February 2024"],
        ["* provisional"],
    ]})
    report = import_file(engine, path)
    assert report.status == "loaded", [p.message() for p in report.problems]
    assert report.outcome.inserted == 1 and report.notes_skipped == 2
    assert report.summary().endswith("read sheet 'Data' (tidy); 2 notes skipped")


@pytest.mark.parametrize(("row", "cells"), [
    (["cla_count", "2024-02", 401], ["A5", "C5"]),  # a known measure and a number
    (["Total", None, 799], ["C5"]),
    (["Children in care"], ["A5"]),  # a measure's name alone is not a note
])
def test_a_figure_below_a_tidy_tables_blank_row_is_refused(engine, tmp_path, row, cells):
    path = write_xlsx(tmp_path / "gap.xlsx", {"Data": [
        ["measure", "period", "value"], ["cla_count", "2024-01", 398], ["cla_starts", "2024-01", 12], [], row]})
    report = import_file(engine, path)
    assert report.status == "rejected"
    assert [(p.cell, p.rule) for p in report.problems] == [(c, Rule.FIGURE_BELOW_TABLE) for c in cells]
    assert "move it into the table or delete the blank row" in report.problems[0].message()


def test_a_wide_table_reads_proper_rows_after_a_blank_row(engine, tmp_path):
    """Wide returns group measures in sections with blank rows between: each row names its measure and
    its periods come from the header, so a row after a gap is as certain as one before it."""
    path = write_xlsx(tmp_path / "sections.xlsx", {"R": [
        ["measure", "2024-01"], ["Children in care"], ["cla_count", 398], [], ["Care leavers"], ["cl_eet_19_21", 55],
        [], ["Source: Northmoor case management system"]]})
    report = import_file(engine, path)
    assert report.status == "loaded", [p.message() for p in report.problems]
    assert report.outcome.inserted == 2
    assert report.notes_skipped == 2  # "Care leavers" and the source; "Children in care" names a measure


@pytest.mark.parametrize("layout", ["wide", "tidy"])
def test_a_number_under_an_empty_heading_is_refused(tmp_path, layout):
    header = ["measure", "2024-01", None] if layout == "wide" else ["measure", "period", "value", None]
    body = ["cla_count", 398, 401] if layout == "wide" else ["cla_count", "2024-01", 398, 401]
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [header, body]}))
    cell = "C2" if layout == "wide" else "D2"
    assert [(p.cell, p.rule) for p in parsed.problems] == [(cell, Rule.UNKNOWN_COLUMN)]
    assert "a heading for this column" in parsed.problems[0].message()


def test_stray_cells_far_away_are_notes_when_text_and_refused_when_figures():
    cells = grid([["measure", "2024-01"], ["cla_count", 398]])
    text_only = sheets(Sheet("R", cells, outliers=[(1048575, 16383, "checked by JB")]))
    assert text_only.problems == [] and text_only.notes_skipped == 1
    figure = sheets(Sheet("R", cells, outliers=[(1048575, 16383, 412.0), (5000, 2, "cla_count")]))
    assert [(p.cell, p.rule) for p in figure.problems] == [("C5001", Rule.STRAY_FIGURE), ("XFD1048576", Rule.STRAY_FIGURE)]


# 5. Blank area cells --------------------------------------------------------------------------------------

def test_a_blank_area_cell_in_a_file_with_an_area_column_is_refused(engine, tmp_path):
    path = write_xlsx(tmp_path / "comparators.xlsx", {"R": [
        ["measure", "area", "period", "value"],
        ["cla_count", "E06999901", "2023-24", 480],
        ["cla_count", None, "2023-24", 83630],  # England's figure with its area left out
    ]})
    report = import_file(engine, path)
    assert report.status == "rejected"
    assert found(report) == [("R", "B3", Rule.EMPTY_AREA, "")]
    assert "write the area's ONS code, DfE number or name on every row, or remove the area column" in \
        report.problems[0].message()


# Other surprises ------------------------------------------------------------------------------------------

def test_measure_names_with_trailing_and_non_breaking_spaces(tmp_path):
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [
        ["Measure\u00a0", "2024-01"], ["cla_count ", 398], ["Children looked after\u00a0at the period end\u00a0", 399]]}))
    assert parsed.problems == [] or [p.rule for p in parsed.problems] == [Rule.DUPLICATE]
    assert set(parsed.observations["measure_code"]) == {"cla_count"}


def test_a_totals_row_in_a_wide_return_is_refused_with_a_hint(tmp_path):
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [
        ["measure", "2024-01"], ["cla_starts", 12], ["cla_ceased", 10], ["Total", 22]]}))
    assert [(p.cell, p.rule) for p in parsed.problems] == [("A4", Rule.UNKNOWN_MEASURE)]
    assert "a totals row is not a measure" in parsed.problems[0].message()


def test_an_england_row_under_a_measure_is_refused_with_a_hint(tmp_path):
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [
        ["measure", "2023-24"], ["cla_rate", 63.5], ["England", 70]]}))
    assert [(p.cell, p.rule) for p in parsed.problems] == [("A3", Rule.UNKNOWN_MEASURE)]
    assert "England is an area, not a measure" in parsed.problems[0].message()


def test_two_columns_for_the_same_period_with_different_figures_are_refused(tmp_path):
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [
        ["measure", "2024-01", "Jan-24"], ["cla_count", 398, 401]]}))
    assert [(p.cell, p.rule) for p in parsed.problems] == [("C2", Rule.DUPLICATE)]


def test_a_period_header_as_an_excel_date_and_as_text_read_alike(tmp_path):
    from datetime import date, datetime

    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [
        ["measure", datetime(2024, 1, 1), "Feb-24"], ["cla_count", 398, 401]]}))
    assert parsed.problems == []
    assert parsed.observations["period_end"].tolist() == [date(2024, 1, 31), date(2024, 2, 29)]


def test_a_second_value_column_in_a_tidy_return_is_refused(tmp_path):
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [
        ["measure", "period", "value", "Value"], ["cla_count", "2024-01", 398, 401]]}))
    assert [(p.cell, p.rule) for p in parsed.problems] == [("D1", Rule.DUPLICATE_COLUMN)]


@pytest.mark.parametrize("heading", ["%", "value (%)", "rate"])
def test_an_unknown_column_of_figures_in_a_tidy_return_is_refused(tmp_path, heading):
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [
        ["measure", "period", "value", heading], ["cla_foster_pct", "2024-01", 70, 288]]}))
    assert [(p.cell, p.rule) for p in parsed.problems] == [("D1", Rule.UNKNOWN_COLUMN)]


def test_area_code_and_area_name_columns_must_agree(tmp_path):
    header = ["measure", "area code", "area name", "period", "value"]
    agree = read_return(write_xlsx(tmp_path / "a.xlsx", {"R": [
        header, ["cla_count", "E06000049", "Cheshire East Council", "2024-01", 5]]}))
    assert agree.problems == [] and agree.observations["area_code"].tolist() == ["E06000049"]
    disagree = read_return(write_xlsx(tmp_path / "d.xlsx", {"R": [
        header, ["cla_count", "E06000049", "Cheshire West and Chester", "2024-01", 5]]}))
    assert [(p.cell, p.rule) for p in disagree.problems] == [("C2", Rule.UNKNOWN_AREA)]
    assert "the same area as column B gives on this row ('E06000049')" in disagree.problems[0].message()


def test_a_header_row_on_the_second_sheet_only(engine, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"Cover": [["Northmoor monthly return"], ["Prepared by the BI team"]],
                                           "Figures": [["measure", "2024-01"], ["cla_count", 398]]})
    report = import_file(engine, path)
    assert report.status == "loaded" and report.sheets_read == ["Figures"]


def test_merged_header_cells_over_period_columns_are_refused_not_misread(tmp_path):
    def build(book):
        sheet = book.active
        sheet.title = "R"
        sheet.append(["measure", "2024-01", None])
        sheet.append(["cla_count", 398, 401])
        sheet.merge_cells("B1:C1")

    parsed = read_return(write_book(tmp_path / "merged.xlsx", build))
    assert [(p.cell, p.rule) for p in parsed.problems] == [("C2", Rule.UNKNOWN_COLUMN)]


# 8. Uploads as bytes ---------------------------------------------------------------------------------------

def test_an_upload_from_bytes_takes_the_same_path_as_a_file(engine, tmp_path):
    path = write_xlsx(tmp_path / "january.xlsx", {"R": [["measure", "2024-01"], ["cla_count", 398]]})
    uploaded = import_file(engine, data=path.read_bytes(), file_name="january.xlsx", imported_by="web")
    assert uploaded.status == "loaded" and uploaded.outcome.inserted == 1
    assert uploaded.sheets_read == ["R"]
    again = import_file(engine, path)
    assert again.status == "unchanged"  # the same bytes, the same sha256, the same figures
    from db import queries

    batches = queries.batches(engine)
    assert batches["file_name"].tolist() == ["january.xlsx"]


def test_an_uploaded_csv_is_read_by_its_name(engine):
    report = import_file(engine, data=b"measure,period,value\ncla_count,2024-01,398\n", file_name="upload.csv")
    assert report.status == "loaded" and report.layout_by_sheet == {"": "tidy"}
    assert report.summary().endswith("; read as a tidy table")


def test_a_percentage_its_own_numerator_and_denominator_contradict_is_refused_naming_both(engine, tmp_path):
    """54 of 100 is 54%, so 45 beside them is a typing slip in one of the three; 54.4 rounded to 54 is not."""
    from loaders.importer import import_file
    from tests.returns_files import dump_tables, write_csv

    path = write_csv(tmp_path / "fraction.csv", [
        ["measure", "area", "period", "value", "numerator", "denominator"],
        ["cla_foster_pct", "E06000049", "2024-01", 45, 54, 100],
        ["cla_foster_pct", "E06000049", "2024-02", 54, 544, 1000],
        ["cla_foster_pct", "E06000049", "2024-03", "", 54, 100],
    ])
    before = dump_tables(engine)
    report = import_file(engine, path, imported_by="tester")
    assert report.status == "rejected" and dump_tables(engine) == before
    [problem] = report.problems
    assert problem.cell == "D2" and problem.text == "45"
    assert "numerator '54' (cell E2) and denominator '100' (cell F2) give, 54.0" in problem.expected

"""Rows Excel hides, by hand or by a filter, are loaded like the others, and every summary says how many.

Nobody looking at the sheet in Excel sees a hidden row, so a figure in one could be loaded without
anyone meaning it to be. The files are written by openpyxl, xlsxwriter (a filter, as Excel saves it:
the filtered-out rows are marked hidden) and xlwt (.xls), and loaded into a real SQLite file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
import xlwt
from openpyxl import Workbook

from db import queries
from db.engine import connect
from loaders.cli import main
from loaders.importer import import_file
from loaders.preview import preview_upload
from loaders.returns import read_return
from tests.returns_files import dump_tables
from tests.test_upload import db, imports_page, said, upload  # noqa: F401 - db is a fixture

HOME = "E06999901"
LOADED_THREE = "3 rows were hidden in Excel and were loaded too: check they are meant to be"


def wide_return(path: Path, hidden: list[int], rows: list[list[object]] | None = None) -> Path:
    """A wide return by openpyxl; ``hidden`` are the Excel row numbers hidden by hand."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in rows or [
        ["measure", "Jan-24", "Feb-24"],
        ["cla_count", 398, 401],
        ["cla_starts", 12, 15],
        ["cla_ceased", 10, 11],
        ["Source: case management system"],  # a note: hidden or not, it is not loaded
        ["cla_rate", 65, 66],
    ]:
        sheet.append(row)
    for number in hidden:
        sheet.row_dimensions[number].hidden = True
    book.save(path)
    return path


def filtered_return(path: Path) -> Path:
    """A tidy return with a filter on its measure column that shows cla_count only: Excel saves the
    three rows it filters out as hidden rows, as xlsxwriter does here."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Return")
    rows = [["measure", "period", "value"], ["cla_count", "2024-01", 398], ["cla_starts", "2024-01", 12],
            ["cla_count", "2024-02", 401], ["cla_starts", "2024-02", 15], ["cla_ceased", "2024-02", 11]]
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    sheet.autofilter(0, 0, len(rows) - 1, 2)
    sheet.filter_column(0, "x == cla_count")
    for r, row in enumerate(rows[1:], start=1):
        if row[0] != "cla_count":
            sheet.set_row(r, None, None, {"hidden": True})
    book.close()
    return path


def test_rows_hidden_by_a_filter_are_loaded_and_the_summary_counts_them(engine, tmp_path):
    report = import_file(engine, filtered_return(tmp_path / "filtered.xlsx"), default_area=HOME, imported_by="tester")
    assert report.status == "loaded"
    assert report.summary().endswith(f"read sheet 'Return' (tidy); {LOADED_THREE}")
    stored = queries.observations(engine)
    assert sorted(stored["measure_code"]) == ["cla_ceased", "cla_count", "cla_count", "cla_starts", "cla_starts"]


def test_rows_hidden_by_hand_count_only_when_they_hold_figures(engine, tmp_path):
    # row 4 (cla_ceased) and row 5 (a note) are hidden, and so is row 9, past the table and empty
    path = wide_return(tmp_path / "hidden.xlsx", hidden=[4, 5, 9])
    report = import_file(engine, path, default_area=HOME, imported_by="tester")
    assert report.status == "loaded"
    assert report.summary().endswith("; 1 note skipped; 1 row was hidden in Excel and was loaded too: "
                                     "check it is meant to be")
    stored = queries.observations(engine)
    assert set(stored["measure_code"]) == {"cla_count", "cla_starts", "cla_ceased", "cla_rate"}


def test_a_file_with_no_hidden_row_says_nothing_of_them(engine, tmp_path):
    report = import_file(engine, wide_return(tmp_path / "plain.xlsx", hidden=[]), default_area=HOME,
                         imported_by="tester")
    assert "hidden" not in report.summary()


def test_hidden_rows_of_an_xls_workbook_are_counted_too(engine, tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Return")
    for r, row in enumerate([["measure", "period", "value"], ["cla_count", "2024-01", 398],
                             ["cla_starts", "2024-01", 12], ["cla_ceased", "2024-01", 10],
                             ["cla_rate", "2024-01", 20]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    for r in (1, 2, 4):
        sheet.row(r).hidden = True
    path = tmp_path / "old.xls"
    book.save(str(path))
    report = import_file(engine, path, default_area=HOME, imported_by="tester")
    assert report.status == "loaded"
    assert report.summary().endswith(LOADED_THREE)
    assert len(queries.observations(engine)) == 4


def test_the_command_line_names_the_hidden_rows(db_url, tmp_path, capsys):
    path = filtered_return(tmp_path / "filtered.xlsx")
    assert main(["import", str(path), "--area", HOME, "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("filtered.xlsx: loaded as batch 1: 5 new, 0 replaced, 0 unchanged values, "
                                   f"0 targets; read sheet 'Return' (tidy); {LOADED_THREE}")


def test_a_refused_file_says_its_hidden_rows_were_read_not_loaded(engine, tmp_path):
    """A problem may sit in a row nobody sees: the summary says the hidden rows were read."""
    path = wide_return(tmp_path / "refused.xlsx", hidden=[3, 4], rows=[
        ["measure", "Jan-24"], ["cla_count", 398], ["cla_starts", 12], ["cla_ceased", -4]])
    before = dump_tables(engine)
    report = import_file(engine, path, default_area=HOME, imported_by="tester")
    assert report.status == "rejected"
    assert [p.cell for p in report.problems] == ["B4"]
    assert report.summary().endswith("; 2 rows are hidden in Excel and were read too: check they are meant to be")
    assert dump_tables(engine) == before


def test_the_preview_says_the_hidden_rows_would_be_loaded(db_url, tmp_path):
    path = filtered_return(tmp_path / "filtered.xlsx")
    preview = preview_upload(connect(db_url), path.read_bytes(), "filtered.xlsx", default_area=HOME)
    assert preview.can_confirm
    assert preview.what_was_read == ("read sheet 'Return' (tidy); 3 rows are hidden in Excel and would be loaded "
                                     "too: check they are meant to be")
    assert read_return(path, HOME).observations["value"].tolist() == [398.0, 12.0, 401.0, 15.0, 11.0]


@pytest.mark.usefixtures("db")  # the app's own database, with one file already loaded
def test_the_imports_page_says_how_many_rows_were_hidden_before_and_after_loading(tmp_path):
    at = upload(imports_page(), ("filtered.xlsx", filtered_return(tmp_path / "filtered.xlsx").read_bytes()))
    assert ("Read sheet 'Return' (tidy); 3 rows are hidden in Excel and would be loaded too: check they are "
            "meant to be") in said(at)
    at.button(key="confirm_0").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert ("filtered.xlsx: loaded as batch 2: 3 new, 2 replaced, 0 unchanged values, 0 targets; "
            f"read sheet 'Return' (tidy); {LOADED_THREE}") in said(at)

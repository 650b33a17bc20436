"""A percentage written as a fraction (0.715 for 71.5%) is refused naming its cell; nothing else is.

Files are written by openpyxl, xlwt and the csv module and loaded into a real SQLite file: a refused
file leaves the database exactly as it was; a percentage Excel shows as one (0.715 formatted as 71.5%,
or 0.5% typed with its sign) loads as the percentage Excel shows.
"""

from __future__ import annotations

from pathlib import Path

import xlwt

from db import queries
from loaders.importer import import_file
from loaders.problems import Rule
from tests.returns_files import dump_tables, write_csv, write_xlsx

HOME = "E06999901"
HEADER = ["measure", "Jan-24", "Feb-24", "Mar-24"]


def load(engine, path: Path):
    return import_file(engine, path, default_area=HOME, imported_by="tester")


def refused(engine, path: Path) -> list:
    """The file's problems, after checking it was refused and the database did not change."""
    before = dump_tables(engine)
    report = load(engine, path)
    assert report.status == "rejected", report.summary()
    assert dump_tables(engine) == before
    return report.problems


def stored(engine) -> dict[tuple[str, str], float]:
    frame = queries.observations(engine)
    return {(m, str(e)[:7]): v for m, e, v in zip(frame["measure_code"], frame["period_end"], frame["value"],
                                                    strict=True)}


def test_a_fraction_among_percentages_from_0_to_100_is_refused_naming_sheet_and_cell(engine, tmp_path):
    path = write_xlsx(tmp_path / "tracker.xlsx", {"Return": [
        HEADER, ["cla_foster_pct", 70.2, 0.715, 71.0], ["cla_count", 398, 401, 0.5]]})
    [problem] = refused(engine, path)
    assert (problem.sheet, problem.cell, problem.rule, problem.text) == ("Return", "C2", Rule.LIKELY_FRACTION, "0.715")
    assert problem.expected.startswith("0.715 looks like a fraction: write percentages as 71.5, as this file's "
                                       "other percentages are written (70.2 in cell B2)")
    assert "if it really is below 1%, type it with its % sign (0.715%)" in problem.expected
    assert problem.message().startswith("tracker.xlsx, sheet 'Return', cell C2: a percentage written as a fraction")


def test_a_percentage_excel_shows_as_one_loads_as_excel_shows_it(engine, tmp_path):
    """0.715 in a cell formatted 0.0% is 71.5%; 0.005 formatted so is 0.5%, a true small percentage."""
    path = write_xlsx(tmp_path / "formatted.xlsx", {"Return": [
        HEADER, ["cla_foster_pct", 70.2, 0.715, 71.0], ["cla_20miles_pct", 0.005, 12.5, 0]]},
        {"Return": {"C2": "0.0%", "B3": "0.0%"}})
    assert load(engine, path).status == "loaded"
    values = stored(engine)
    assert values[("cla_foster_pct", "2024-02")] == 71.5
    assert values[("cla_20miles_pct", "2024-01")] == 0.5
    assert values[("cla_20miles_pct", "2024-03")] == 0.0


def test_a_small_percentage_typed_with_its_sign_or_given_by_its_parts_loads(engine, tmp_path):
    path = write_csv(tmp_path / "small.csv", [
        ["measure", "period", "value", "numerator", "denominator"],
        ["cla_foster_pct", "2024-01", "70.2", None, None],
        ["cla_20miles_pct", "2024-01", "0.5%", None, None],
        ["stab_3plus_pct", "2024-01", "0.5", 1, 200],
        ["cla_rate", "2024-01", "0.5", None, None],  # a rate, not a percentage: never asked about
    ])
    report = load(engine, path)
    assert report.status == "loaded", [p.message() for p in report.problems]
    values = stored(engine)
    assert values[("cla_20miles_pct", "2024-01")] == 0.5 and values[("stab_3plus_pct", "2024-01")] == 0.5


def test_a_file_of_fractions_is_refused_once_naming_its_first_cells(engine, tmp_path):
    """Every percentage between 0 and 1: today's file of fractions, read as 0.6% and so on."""
    path = write_csv(tmp_path / "fractions.csv", [
        ["measure", "period", "value"],
        ["cla_count", "2024-01", "398"],
        *[["cla_foster_pct", f"2024-{m:02d}", f"0.{60 + m}"] for m in range(1, 5)],
        ["cla_20miles_pct", "2024-01", "0"],
        ["cla_20miles_pct", "2024-02", "0.125"],
    ], delimiter=";")
    [problem] = refused(engine, path)
    assert (problem.sheet, problem.cell, problem.rule, problem.text) == ("", "C3", Rule.LIKELY_FRACTION, "0.61")
    assert problem.expected == (
        "every percentage in this file is between 0 and 1, so they look like fractions (0.61 in cell C3, 0.62 in "
        "cell C4, 0.63 in cell C5 and 2 more): write percentages from 0 to 100 (61 for 0.61), or format the cells "
        "as percentages in Excel; if they really are all below 1%, type each with its % sign (0.61%)")


def test_one_fraction_alone_is_refused_too(engine, tmp_path):
    path = write_csv(tmp_path / "one.csv", [["measure", "period", "value"], ["cla_foster_pct", "2024-01", "0.715"]])
    [problem] = refused(engine, path)
    assert problem.expected.startswith("0.715 looks like a fraction: write percentages as 71.5, or format the cell "
                                       "as a percentage in Excel")


def test_a_target_written_as_a_fraction_is_refused(engine, tmp_path):
    path = write_xlsx(tmp_path / "target.xlsx", {"Return": [
        [*HEADER, "target"], ["cla_foster_pct", 70.2, 71.5, 71.0, 0.75]]})
    [problem] = refused(engine, path)
    assert (problem.cell, problem.text) == ("E2", "0.75")
    assert problem.expected.startswith("0.75 looks like a fraction: write percentages as 75,")


def test_an_xls_workbook_is_judged_the_same_way(engine, tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Return")
    percent = xlwt.easyxf(num_format_str="0.0%")
    for c, heading in enumerate(HEADER):
        sheet.write(0, c, heading)
    sheet.write(1, 0, "cla_foster_pct")
    sheet.write(1, 1, 70.2)
    sheet.write(1, 2, 0.715, percent)  # shown as 71.5%: loads
    sheet.write(1, 3, 0.72)  # a plain 0.72: refused
    path = tmp_path / "old.xls"
    book.save(str(path))
    [problem] = refused(engine, path)
    assert (problem.sheet, problem.cell) == ("Return", "D2")
    assert problem.expected.startswith("0.72 looks like a fraction: write percentages as 72, as this file's other "
                                       "percentages are written (70.2 in cell B2)")


def test_a_fraction_beside_percentages_formatted_as_such_names_them_as_excel_shows_them(engine, tmp_path):
    path = write_xlsx(tmp_path / "mixed.xlsx", {"Return": [HEADER, ["cla_foster_pct", 0.702, 0.715, 0.71]]},
                      {"Return": {"B2": "0.0%", "D2": "0.0%"}})
    [problem] = refused(engine, path)
    assert problem.cell == "C2"
    assert "as this file's other percentages are written (70.2 in cell B2)" in problem.expected

"""A file with any problem is refused whole, every problem is named by file, sheet, cell and text,
and the database is left exactly as it was."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from loaders.importer import import_file
from loaders.problems import Rule
from loaders.returns import read_return
from reference.areas import areas
from tests.returns_files import PERCENT_FORMAT, dump_tables, write_csv, write_xlsx

HEADER = ["measure", "area", "period", "value", "numerator", "denominator", "breakdown"]
HOME = "E06999901"


def _with_area(row: list) -> list:
    """A row written with None for its area names the home council (a blank area cell is refused)."""
    return [row[0], HOME if row[1] is None else row[1], *row[2:]]


def tidy(*rows: list) -> dict[str, list[list]]:
    return {"Return": [HEADER, *map(_with_area, rows)]}


def wide(*rows: list, header: list | None = None) -> dict[str, list[list]]:
    return {"Return": [header or ["measure", "area", "Jan-24", "Feb-24", "target"], *map(_with_area, rows)]}


# (case, sheets, number formats, rule, cell, text found, words in what is accepted)
CASES = [
    ("unknown measure", tidy(["children seen", None, "2024-01", 5]), None,
     Rule.UNKNOWN_MEASURE, "A2", "children seen", "measure code, name or alias"),
    ("unknown measure, wide", wide(["cla_cnt", None, 5]), None,
     Rule.UNKNOWN_MEASURE, "A2", "cla_cnt", "measure code"),
    ("unknown area", tidy(["cla_count", "Narnia", "2024-01", 5]), None,
     Rule.UNKNOWN_AREA, "B2", "Narnia", "ONS code"),
    ("unknown area number", wide(["cla_count", 123.0, 5]), None,
     Rule.UNKNOWN_AREA, "B2", "123", "DfE local authority number"),
    ("unreadable value", tidy(["cla_count", None, "2024-01", "about 40"]), None,
     Rule.BAD_VALUE, "D2", "about 40", "a number, or a status symbol such as c or x"),
    ("unreadable value, wide", wide(["cla_count", None, 5, "n/a"]), None,
     Rule.BAD_VALUE, "D2", "n/a", "status symbol"),
    ("empty tidy value", tidy(["cla_count", None, "2024-01", None]), None,
     Rule.BAD_VALUE, "D2", "", "a number, or a status symbol such as c or x"),
    ("percent sign on a count", tidy(["cla_count", None, "2024-01", "12%"]), None,
     Rule.BAD_VALUE, "D2", "12%", "without a % sign"),
    ("unreadable period", tidy(["cla_count", None, "Spring 2024", 5]), None,
     Rule.BAD_PERIOD, "C2", "Spring 2024", "2023-24 Q1"),
    ("unreadable period header", wide(["cla_count", None, 5, 6], header=["measure", "area", "Jan-24", "Febuary 24"]),
     None, Rule.BAD_PERIOD, "D1", "Febuary 24", "Jan-24"),
    ("percentage above 100", tidy(["cla_foster_pct", None, "2024-01", 101]), None,
     Rule.OUT_OF_RANGE, "D2", "101", "a value as a percentage from 0 to 100"),
    ("percentage below 0", wide(["stab_3plus_pct", None, -1]), None,
     Rule.OUT_OF_RANGE, "C2", "-1", "a percentage from 0 to 100"),
    ("percent-formatted 1.2 is 120%", wide(["cla_foster_pct", None, 1.2]), {"C2": PERCENT_FORMAT},
     Rule.OUT_OF_RANGE, "C2", "1.2", "a percentage from 0 to 100"),
    ("negative count", tidy(["cla_starts", None, "2024-01", -3]), None,
     Rule.OUT_OF_RANGE, "D2", "-3", "a count from 0 to 1,000,000"),
    ("negative rate", wide(["cla_rate", None, "-61.5"]), None,
     Rule.OUT_OF_RANGE, "C2", "-61.5", "a rate per 10,000 from 0 to 10,000"),
    ("negative score", wide(["health_sdq_avg", None, None, -2]), None,
     Rule.OUT_OF_RANGE, "D2", "-2", "a score from 0 to 40"),
    ("zero denominator", tidy(["health_dental_pct", None, "2023-24", None, 0, 0]), None,
     Rule.BAD_VALUE, "F2", "0", "denominator above 0"),
    ("numerator above denominator", tidy(["health_dental_pct", None, "2023-24", None, 51, 50]), None,
     Rule.NUMERATOR_ABOVE_DENOMINATOR, "E2", "51", "no larger than its denominator"),
    ("negative denominator", tidy(["health_dental_pct", None, "2023-24", 50, 5, -10]), None,
     Rule.OUT_OF_RANGE, "F2", "-10", "a denominator from 0 to 1,000,000"),
    ("unreadable numerator", tidy(["health_dental_pct", None, "2023-24", 50, "five", 10]), None,
     Rule.BAD_VALUE, "E2", "five", "numerator"),
    ("unreadable breakdown", tidy(["cla_count", None, "2024-01", 5, None, None, "10-15"]), None,
     Rule.BAD_BREAKDOWN, "G2", "10-15", "dimension: category"),
    ("unreadable target", wide(["stab_3plus_pct", None, 12, 11, "ten"]), None,
     Rule.BAD_TARGET, "E2", "ten", "a number"),
    ("target above 100%", wide(["stab_3plus_pct", None, 12, 11, 150]), None,
     Rule.OUT_OF_RANGE, "E2", "150", "a target as a percentage from 0 to 100"),
    ("same figure twice, different values",
     tidy(["cla_count", None, "2024-01", 398], ["Children looked after", "E06999901", "Jan-24", 399]), None,
     Rule.DUPLICATE, "D3", "399", "cell D2 already gives '398'"),
    ("value column missing", {"Return": [["measure", "period", "amount"], ["cla_count", "2024-01", 5]]}, None,
     Rule.MISSING_COLUMN, "A1", "", "value column"),
    ("no recognisable return", {"Notes": [["Nothing to see"], ["measure"]]}, None,
     Rule.NO_RETURN, "", "", "header row"),
]


@pytest.mark.parametrize(("case", "sheets", "formats", "rule", "cell", "text", "accepted"), CASES,
                         ids=[c[0] for c in CASES])
def test_each_problem_is_named_and_nothing_changes(engine, tmp_path, case, sheets, formats, rule, cell, text, accepted):
    good = write_xlsx(tmp_path / "earlier.xlsx", {"R": [["measure", "Jan-24", "Feb-24"], ["cla_count", 390, 395]]})
    assert import_file(engine, good).status == "loaded"
    before = dump_tables(engine)

    path = write_xlsx(tmp_path / "march return.xlsx", sheets, {"Return": formats} if formats else None)
    report = import_file(engine, path, imported_by="tester")

    assert report.status == "rejected"
    assert [(p.rule, p.cell, p.text) for p in report.problems] == [(rule, cell, text)]
    problem = report.problems[0]
    message = problem.message()
    assert message.startswith("march return.xlsx")
    if cell:
        assert f"sheet '{problem.sheet}'" in message and f"cell {cell}" in message
    if text:
        assert repr(text) in message
    assert accepted in problem.expected
    assert dump_tables(engine) == before


def test_every_problem_is_listed_not_only_the_first(engine, tmp_path):
    path = write_xlsx(tmp_path / "many.xlsx", {
        "Tidy": [HEADER,
                 ["cla_count", HOME, "2024-01", 398],
                 ["bogus", HOME, "2024-01", 5],
                 ["cla_count", "Narnia", "2024-02", 5],
                 ["cla_count", HOME, "2024-13", 5],
                 ["cla_foster_pct", HOME, "2024-01", 140]],
        "Wide": [["measure", "Jan-24", "Feb-24"],
                 ["cla_starts", -1, "lots"]],
    })
    before = dump_tables(engine)
    report = import_file(engine, path)
    found = [(p.sheet, p.cell, p.rule) for p in report.problems]
    assert found == [
        ("Tidy", "A3", Rule.UNKNOWN_MEASURE),
        ("Tidy", "B4", Rule.UNKNOWN_AREA),
        ("Tidy", "C5", Rule.BAD_PERIOD),
        ("Tidy", "D6", Rule.OUT_OF_RANGE),
        ("Wide", "B2", Rule.OUT_OF_RANGE),
        ("Wide", "C2", Rule.BAD_VALUE),
    ]
    assert dump_tables(engine) == before


def test_a_rejected_file_among_good_rows_loads_none_of_them(engine, tmp_path):
    rows = [["measure", "area", "Jan-24"]] + [["cla_count", la.code, n] for n, la in enumerate(areas().regions())]
    rows.append(["cla_count", HOME, "oops"])
    report = import_file(engine, write_xlsx(tmp_path / "mostly-fine.xlsx", {"R": rows}))
    assert report.status == "rejected" and len(report.problems) == 1
    assert all(len(rows) == 0 for name, rows in dump_tables(engine).items() if name != "alembic_version")


def test_the_same_figure_twice_with_the_same_value_is_fine(engine, tmp_path):
    path = write_xlsx(tmp_path / "repeat.xlsx", {
        "Q": [["measure", "2024-01"], ["cla_count", 398]],
        "Also": [["measure", "period", "value"], ["cla_count", "Jan 2024", "398"]],
    })
    report = import_file(engine, path)
    assert report.status == "loaded" and report.outcome.inserted == 1


def _docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document>Corporate parenting report</document>")
    return path


@pytest.mark.parametrize(
    ("name", "make", "found"),
    [
        ("return.xlsx", lambda p: p.write_text("measure,period,value\ncla_count,2024-01,5\n"), "named .xlsx"),
        ("return.xlsx", _docx, "a Word document"),
        ("report.docx", _docx, "a Word document"),
        ("return.xlsx", lambda p: p.write_bytes(b"PK\x03\x04 this is not really a zip"), "damaged"),
        ("return.csv", lambda p: p.write_bytes(b"\x00\x01\x02binary\x00"), "binary file"),
        ("return.pdf", lambda p: p.write_bytes(b"%PDF-1.4"), ".pdf"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(engine, tmp_path, name, make, found):
    path = tmp_path / name
    make(path)
    before = dump_tables(engine)
    report = import_file(engine, path)
    assert report.status == "rejected"
    [problem] = report.problems
    assert problem.rule == Rule.NOT_A_WORKBOOK and found in problem.text
    assert problem.message().startswith(f"{name}: not a workbook")
    assert "Excel workbook (.xlsx, .xlsm or the older .xls) or a CSV file" in problem.message()
    assert dump_tables(engine) == before


def test_csv_problems_name_the_cell(tmp_path):
    path = write_csv(tmp_path / "tidy.csv", [["measure", "period", "value"], ["cla_count", "2024-01", "five"]])
    [problem] = read_return(path).problems
    assert problem.message() == (
        "tidy.csv, cell C2: unreadable value 'five'; expected a number, or a status symbol such as c or x"
    )


def test_no_area_anywhere_is_a_problem(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_HOME_AREA", "Atlantis")
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [["measure", "2024-01"], ["cla_count", 5]]}))
    assert [(p.rule, p.cell) for p in parsed.problems] == [(Rule.NO_AREA, "A2")]


def test_an_unknown_default_area_is_refused_before_reading(engine, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"R": [["measure", "2024-01"], ["cla_count", 5]]})
    with pytest.raises(ValueError, match="Narnia"):
        import_file(engine, path, default_area="Narnia")

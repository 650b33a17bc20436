"""A text longer than the database holds is refused by the loader, naming sheet, cell and limit.

SQLite stores any length; PostgreSQL refuses a longer text with a driver error. Checking the limits
from the schema in the loader gives the same file the same outcome on both (tests/test_postgres.py
loads this same file on PostgreSQL).
"""

from __future__ import annotations

from pathlib import Path

from db.models import Observation
from loaders.importer import import_file
from loaders.problems import Rule
from tests.returns_files import dump_tables, write_xlsx

LONG_CATEGORY = "placed with " + "x" * 128  # 140 characters
HOME = "E06000049"


def long_breakdown_return(path: Path, category: str = LONG_CATEGORY) -> Path:
    return write_xlsx(path, {"Return": [
        ["measure", "period", "value", "breakdown"],
        ["cla_count", "2024-01", 398, None],
        ["cla_count", "2024-01", 20, f"placement: {category}"],
    ]})


def refused_for_length(engine, path: Path):
    """The one problem the file gets, after checking the database did not change."""
    before = dump_tables(engine)
    report = import_file(engine, path, default_area=HOME, imported_by="tester")
    assert report.status == "rejected"
    assert dump_tables(engine) == before
    [problem] = report.problems
    return problem


def test_a_category_longer_than_the_database_holds_is_refused_naming_sheet_cell_and_limit(engine, tmp_path):
    assert len(LONG_CATEGORY) == 140
    problem = refused_for_length(engine, long_breakdown_return(tmp_path / "long.xlsx"))
    assert (problem.sheet, problem.cell, problem.rule) == ("Return", "D3", Rule.BAD_BREAKDOWN)
    limit = Observation.__table__.c.category.type.length
    assert f"category (after it) at most {limit}" in problem.expected and "has 140" in problem.expected


def test_a_category_of_the_longest_length_held_loads(engine, tmp_path):
    limit = Observation.__table__.c.category.type.length
    path = long_breakdown_return(tmp_path / "longest.xlsx", "y" * limit)
    report = import_file(engine, path, default_area=HOME, imported_by="tester")
    assert report.status == "loaded", [p.message() for p in report.problems]


def test_a_file_name_longer_than_the_database_holds_is_refused(engine, tmp_path):
    content = b"measure,area,period,value\ncla_count,E06000049,2024-01,398\n"
    before = dump_tables(engine)
    report = import_file(engine, data=content, file_name="r" * 300 + ".csv", imported_by="tester")
    assert report.status == "rejected" and dump_tables(engine) == before
    assert "at most 255 characters" in report.problems[0].expected

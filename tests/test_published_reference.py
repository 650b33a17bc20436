"""The shipped area list and statistical neighbours match DfE's shipped files, and rebuild from them."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys

import openpyxl
import pytest

from loaders.published.reference import (
    ReferenceSourceError,
    build_reference,
    find_sources,
    reference_differences,
    write_reference,
)
from reference.areas import read_areas
from settings import DATA_DIR, PROJECT_ROOT

DFE = DATA_DIR / "dfe"
REFERENCE_FILES = ["cla_number_and_rate_per_10k_children.csv", "la_code_list.xlsx", "sn_may_2025.xlsx"]


def workbook_neighbours(number: int) -> list[int]:
    """A council's SN1..SN10 read straight from DfE's workbook."""
    rows = list(openpyxl.load_workbook(DFE / "sn_may_2025.xlsx", read_only=True).worksheets[0].iter_rows(
        values_only=True))
    header = list(rows[2])
    [row] = [r for r in rows[3:] if r[0] == number]
    return [row[header.index(f"SN{i}")] for i in range(1, 11)]


def test_the_shipped_reference_is_what_the_shipped_files_give():
    assert reference_differences(DFE) == []


@pytest.fixture
def rebuilt(tmp_path):
    source = tmp_path / "dfe"
    source.mkdir()
    for name in REFERENCE_FILES:
        shutil.copy(DFE / name, source / f"copy of {name}")  # found by columns, not names
    out = tmp_path / "reference"
    write_reference(source, out)
    return source, read_areas(out)


@pytest.mark.parametrize(("number", "code"), [(895, "E06000049"), (201, "E09000001"), (943, "E06000064"),
                                              (330, "E08000025")])
def test_each_council_has_the_ten_neighbours_the_workbook_names(rebuilt, number, code):
    _source, directory = rebuilt
    assert [int(a.dfe_number) for a in directory.neighbours(code)] == workbook_neighbours(number)


@pytest.mark.parametrize(
    ("code", "current"),
    [
        ("E06000049", True),   # Cheshire East
        ("E06000053", True),   # Isles of Scilly: no children in care in 2025, but still a council
        ("E10000006", False),  # Cumbria, abolished April 2023
        ("E10000021", False),  # Northamptonshire, abolished April 2021
        ("E06000063", True),   # Cumberland, created 2023
    ],
)
def test_councils_abolished_before_the_newest_year_are_not_current(rebuilt, code, current):
    _source, directory = rebuilt
    assert directory.get(code).current is current


def test_regions_london_halves_england_and_the_sample_council_are_listed(rebuilt):
    _source, directory = rebuilt
    assert len(directory.regions()) == 9
    assert directory.get("E13000001").kind == "subregion"
    assert directory.region_of("E09000007").code == "E12000007"  # Camden compares with London
    assert directory.get("E06999901").fictional
    assert [a.code for a in directory.neighbours("E06999901")] == [a.code for a in directory.neighbours("E06000049")]
    assert directory.get("E06000049").la_type == "UA"


def test_the_newest_neighbour_grouping_wins_when_an_older_one_is_there_too(rebuilt, tmp_path):
    source, _ = rebuilt
    # An older grouping: the same shape as a CSV, but before Cumbria was split (no 942, 943).
    rows = list(openpyxl.load_workbook(DFE / "sn_may_2025.xlsx", read_only=True).worksheets[0].iter_rows(
        values_only=True))[2:]
    with (source / "older.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(rows[0])
        writer.writerows(r for r in rows[1:] if r[0] not in (942, 943))
    assert find_sources(source).neighbours.path.name == "copy of sn_may_2025.xlsx"


def test_a_folder_without_the_neighbour_tool_is_refused_by_name(tmp_path):
    for name in REFERENCE_FILES[:2]:
        shutil.copy(DFE / name, tmp_path / name)
    with pytest.raises(ReferenceSourceError, match="sn_table"):
        build_reference(tmp_path)


def test_the_build_script_still_works(tmp_path):
    source = tmp_path / "dfe"
    source.mkdir()
    for name in REFERENCE_FILES:
        shutil.copy(DFE / name, source / name)
    project = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "*.db", "dfe", "__pycache__"))
    result = subprocess.run([sys.executable, "scripts/build_reference.py", str(source)], cwd=project,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (project / "data/reference/areas.csv").read_text() == (DATA_DIR / "reference/areas.csv").read_text()

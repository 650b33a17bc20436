"""``python -m loaders import`` with DfE's published files, as a performance officer runs it.

Each test runs the real command line (its ``main``, in this process) on a real SQLite file. Expected figures are read
from the source files themselves (csv module, pyarrow, openpyxl), never from the code under test.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from db import queries
from db.engine import connect
from db.reference_queries import latest_area_list, neighbour_releases
from reference.areas import shipped_areas
from reference.stored import stand_in_code, stored_directory
from settings import DATA_DIR
from tests.cli import Ran, run_main
from tests.returns_files import dump_tables, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
DFE = DATA_DIR / "dfe"
CHESHIRE_EAST, CHESHIRE_EAST_NUMBER = "E06000049", "895"


def run(*args: str) -> Ran:
    return run_main("loaders", *args)


def one_value(engine, measure: str, area: str, year: int) -> tuple[float | None, str]:
    frame = queries.observations(engine, measures=[measure], areas=[area], start=date(year, 3, 31),
                                 end=date(year, 3, 31))
    assert len(frame) == 1, frame
    value = frame["value"].iloc[0]
    return (None if value != value else float(value)), str(frame["status"].iloc[0])


# ---- figures -----------------------------------------------------------------------------------------

def test_an_ees_table_loads_through_the_command_line_and_reloading_changes_nothing(db_url):
    path = DFE / "la_cla_placement_stability.csv"
    first = run("import", str(path), "--db", db_url)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.startswith("la_cla_placement_stability.csv: loaded as batch 1: ")

    with path.open(encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["new_la_code"] == CHESHIRE_EAST
                   and r["time_period"] == "2025" and r["cla_group"] == "CLA on 31 March"
                   and r["placement_stability"] == "With 3 or more placements during the year")
    engine = connect(db_url)
    assert one_value(engine, "stab_3plus_pct", CHESHIRE_EAST, 2025) == (float(row["children_percent"]), "value")
    before = dump_tables(engine)

    again = run("import", str(path), "--db", db_url)
    assert again.returncode == 0
    assert again.stdout.startswith("la_cla_placement_stability.csv: unchanged, all ")
    assert dump_tables(engine) == before


def test_laits_long_data_loads_through_the_command_line_and_reloading_changes_nothing(db_url):
    path = DFE / "bds_long_0.parquet"
    first = run("import", str(path), "--db", db_url)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.startswith("bds_long_0.parquet: loaded as batch 1: ")

    table = pq.read_table(path, columns=["Short Desc", "Years", "Values", "LA Number"])
    wanted = table.filter(pc.and_(pc.equal(table["Short Desc"], "LACnum"),
                                  pc.equal(pc.cast(table["LA Number"], "string"), CHESHIRE_EAST_NUMBER)))
    by_year = {str(r["Years"]): str(r["Values"]) for r in wanted.to_pylist()}
    engine = connect(db_url)
    assert one_value(engine, "cla_count", CHESHIRE_EAST, 2019) == (float(by_year["2019"]), "value")
    before = dump_tables(engine)

    again = run("import", str(path), "--db", db_url)
    assert again.returncode == 0
    assert again.stdout.startswith("bds_long_0.parquet: unchanged, all ")
    assert dump_tables(engine) == before


# ---- statistical neighbour releases ------------------------------------------------------------------

def sn_rows(path: Path = DFE / "sn_may_2025.xlsx") -> list[list[object]]:
    return [list(r) for r in openpyxl.load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True)]


def test_a_release_is_dated_by_its_file_name_and_loading_it_twice_changes_nothing(db_url):
    first = run("import", str(DFE / "sn_may_2025.xlsx"), "--db", db_url)
    assert first.returncode == 0, first.stdout + first.stderr
    councils = [r for r in sn_rows()[3:] if isinstance(r[0], int)]
    assert first.stdout.startswith("sn_may_2025.xlsx: statistical neighbour release May 2025 loaded as batch 1: "
                                   "153 councils, 10 neighbours each, and 5 former councils (")
    assert len(councils) == 153 + 5
    engine = connect(db_url)
    [release] = neighbour_releases(engine)
    assert release.released == date(2025, 5, 1)
    header = sn_rows()[2]
    cheshire = next(r for r in councils if r[0] == 895)
    assert [n for _, n, _ in release.groups["895"]] == [str(cheshire[header.index(f"SN{i}")]) for i in range(1, 11)]
    batch = queries.batches(engine).iloc[0]
    assert (batch["file_name"], batch["source"], batch["sheets"]) == ("sn_may_2025.xlsx", "published", "LA SN Groups")
    before = dump_tables(engine)

    again = run("import", str(DFE / "sn_may_2025.xlsx"), "--db", db_url)
    assert again.returncode == 0
    assert again.stdout.splitlines()[0] == ("sn_may_2025.xlsx: unchanged, statistical neighbour release May 2025 "
                                            "already loaded from sn_may_2025.xlsx")
    assert dump_tables(engine) == before


def test_a_release_whose_name_gives_no_month_is_refused_until_the_officer_dates_it(db_url, tmp_path):
    copy = shutil.copy(DFE / "sn_april_2021.csv", tmp_path / "neighbours.csv")
    refused = run("import", str(copy), "--db", db_url)
    assert refused.returncode == 1
    assert "neighbours.csv: rejected, 1 problem; nothing was loaded" in refused.stdout
    assert "--released YYYY-MM" in refused.stdout
    assert queries.batches(connect(db_url)).empty

    loaded = run("import", str(copy), "--released", "2021-04", "--db", db_url)
    assert loaded.returncode == 0, loaded.stdout
    assert loaded.stdout.startswith("neighbours.csv: statistical neighbour release April 2021 (dated by --released) "
                                    "loaded as batch 1: ")
    assert [r.released for r in neighbour_releases(connect(db_url))] == [date(2021, 4, 1)]


def test_released_must_be_a_month_and_must_agree_with_the_file_name(db_url):
    bad = run("import", str(DFE / "sn_may_2025.xlsx"), "--released", "May 2025", "--db", db_url)
    assert bad.returncode == 2
    assert "YYYY-MM" in bad.stderr and "Traceback" not in bad.stderr
    clash = run("import", str(DFE / "sn_may_2025.xlsx"), "--released", "2024-05", "--db", db_url)
    assert clash.returncode == 1
    assert "the file name says May 2025 but --released says May 2024" in clash.stdout


def test_the_workbooks_title_can_date_a_release_but_its_saved_dates_never_do(db_url, tmp_path):
    book = openpyxl.load_workbook(DFE / "sn_may_2025.xlsx")
    assert book.properties.created.year == 2025  # a saved date is there, and must not be taken for the release
    book.save(tmp_path / "groupings.xlsx")
    refused = run("import", str(tmp_path / "groupings.xlsx"), "--db", db_url)
    assert refused.returncode == 1 and "--released" in refused.stdout

    book.properties.title = "Statistical Neighbour Groupings, March 2024"
    book.save(tmp_path / "titled.xlsx")
    loaded = run("import", str(tmp_path / "titled.xlsx"), "--db", db_url)
    assert loaded.returncode == 0, loaded.stdout
    assert loaded.stdout.startswith("titled.xlsx: statistical neighbour release March 2024 (dated by the workbook's "
                                    "title) loaded as batch 1")


def broken_release(tmp_path: Path, change) -> Path:
    """A copy of the May 2025 tool (header on the third row) with one change made to its rows."""
    rows = sn_rows()
    change(rows)
    return write_xlsx(tmp_path / "sn_may_2025.xlsx", {"LA SN Groups": rows})


def _row_of(rows: list[list[object]], number: int) -> int:
    return next(i for i, r in enumerate(rows) if r[0] == number)


@pytest.mark.parametrize(("change", "message"), [
    (lambda rows: rows.insert(10, list(rows[_row_of(rows, 895)])),
     "sheet 'LA SN Groups', cell A{below}: duplicate value '895'; expected each council listed once (it is "
     "already on row 11)"),
    (lambda rows: rows[_row_of(rows, 895)].__setitem__(5, 123),
     "cell F{row}: unknown area '123'; expected a council's 3-digit DfE number"),
    (lambda rows: rows[_row_of(rows, 895)].__setitem__(23, None),
     "cell X{row}: no area; expected 10 neighbours for every council (SN10 is empty)"),
    (lambda rows: rows[_row_of(rows, 895)].__setitem__(7, 895),
     "cell H{row}: unknown area '895'; expected a neighbour other than the council itself"),
])
def test_a_malformed_release_is_refused_whole_naming_the_cell(db_url, tmp_path, change, message):
    path = broken_release(tmp_path, change)
    row = _row_of(sn_rows(), 895) + 1
    result = run("import", str(path), "--db", db_url)
    assert result.returncode == 1
    assert "sn_may_2025.xlsx: rejected, 1 problem; nothing was loaded" in result.stdout
    assert message.format(row=row, below=row + 1) in result.stdout
    assert queries.batches(connect(db_url)).empty
    assert neighbour_releases(connect(db_url)) == []


# ---- the area list -----------------------------------------------------------------------------------

def test_the_area_list_renames_retypes_and_adds_councils_and_keeps_the_sample_council(db_url, tmp_path):
    rows = [list(r) for r in openpyxl.load_workbook(DFE / "la_code_list.xlsx").worksheets[0].iter_rows(
        values_only=True)]
    cheshire = next(r for r in rows if r[0] == 895)
    cheshire[1] = "Cheshire East Council"
    warrington = next(r for r in rows if r[0] == 877)
    warrington[3] = "MD"
    rows.append([947, "North Moorland", "North West", "UA"])
    path = write_xlsx(tmp_path / "la_code_list.xlsx", {"Sheet1": rows})

    result = run("import", str(path), "--db", db_url)
    assert result.returncode == 0, result.stdout
    summary = result.stdout.splitlines()[0]
    assert summary.startswith("la_code_list.xlsx: area list loaded as batch 1: 159 councils: 4 new (")
    assert "North Moorland" in summary and "Cheshire East -> Cheshire East Council" in summary
    assert "Warrington UA -> MD" in summary

    engine = connect(db_url)
    assert latest_area_list(engine).file_name == "la_code_list.xlsx"
    directory = stored_directory(engine)
    assert directory.get(CHESHIRE_EAST).name == "Cheshire East Council"
    assert directory.resolve("Cheshire East").code == CHESHIRE_EAST  # the old name still finds it
    assert directory.get("E06000007").la_type == "MD"  # Warrington
    new = directory.get(stand_in_code("947"))
    assert (new.name, new.region_name, new.la_type, new.current) == ("North Moorland", "North West", "UA", True)
    assert directory.resolve("947") == new
    assert not directory.get(stand_in_code("835")).current  # Dorset (Pre LG): abolished
    assert directory.get("E06999901").fictional  # the sample council stays
    assert len(directory.neighbours("E06999901")) == 10
    assert shipped_areas().get(CHESHIRE_EAST).name == "Cheshire East"  # the shipped default is untouched

    before = dump_tables(engine)
    again = run("import", str(path), "--db", db_url)
    assert again.stdout.strip() == "la_code_list.xlsx: unchanged, this area list is already the one in use"
    assert dump_tables(engine) == before


def test_a_return_may_name_a_council_the_area_list_added(db_url, tmp_path):
    rows = [list(r) for r in openpyxl.load_workbook(DFE / "la_code_list.xlsx").worksheets[0].iter_rows(
        values_only=True)] + [[947, "North Moorland", "North West", "UA"]]
    area_list = write_xlsx(tmp_path / "areas.xlsx", {"Sheet1": rows})
    a_return = write_xlsx(tmp_path / "return.xlsx", {"Return": [["measure", "area", "Mar-25"],
                                                                ["cla_count", "North Moorland", 120]]})
    refused = run("import", str(a_return), "--db", db_url)
    assert refused.returncode == 1 and "unknown area 'North Moorland'" in refused.stdout

    result = run("import", str(area_list), str(a_return), "--db", db_url)
    assert result.returncode == 0, result.stdout
    engine = connect(db_url)
    assert queries.observations(engine, areas=[stand_in_code("947")])["value"].tolist() == [120.0]


def test_a_malformed_area_list_is_refused_naming_the_cell(db_url, tmp_path):
    rows = [list(r) for r in openpyxl.load_workbook(DFE / "la_code_list.xlsx").worksheets[0].iter_rows(
        values_only=True)]
    rows.insert(5, list(rows[1]))
    rows[8][3] = "Borough"
    rows[9][2] = "Narnia"
    path = write_xlsx(tmp_path / "la_code_list.xlsx", {"Sheet1": rows})
    result = run("import", str(path), "--db", db_url)
    assert result.returncode == 1
    out = result.stdout
    assert "la_code_list.xlsx: rejected, 3 problems; nothing was loaded" in out
    assert "sheet 'Sheet1', cell A6: duplicate value '301'; expected each area listed once" in out
    assert "cell D9: unreadable value 'Borough'; expected one of DfE's council types UA, MD, OLB, ILB, SC" in out
    assert "cell C10: unknown area 'Narnia'; expected an English region" in out
    assert queries.batches(connect(db_url)).empty

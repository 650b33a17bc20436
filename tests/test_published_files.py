"""Published files are known by their columns, and a broken one is refused whole with the cell to fix.

The files here are cut from the real shipped tables (data/dfe) and changed the way a bad download or a
hand edit would change them.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from db import queries
from loaders.problems import Rule
from loaders.published import load_published_files, recognise
from settings import DATA_DIR

DFE = DATA_DIR / "dfe"
CLA = DFE / "cla_number_and_rate_per_10k_children.csv"
ACTIVITY = DFE / "la_care_leavers_activity.csv"
LOOKED_AFTER = "Children looked after on 31 March each year"


def source_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def cheshire_east_rows(path: Path, year: str = "2025") -> tuple[list[str], list[list[str]]]:
    header, rows = source_rows(path)
    code = header.index("new_la_code")
    return header, [r for r in rows if r[code] == "E06000049" and r[0] == year]


@pytest.mark.parametrize(
    ("name", "kind", "header_row"),
    [
        ("cla_number_and_rate_per_10k_children.csv", "ees_cla_numbers", 0),
        ("la_cla_placement_stability.csv", "ees_placement_stability", 0),
        ("la_care_leavers_activity.csv", "ees_care_leavers", 0),
        ("la_care_leavers_accommodation_suitability.csv", "ees_care_leavers", 0),
        ("la_conviction_health_outcome_cla.csv", "ees_health_outcomes", 0),
        ("bds_long_0.parquet", "lait_long", 0),
        ("sn_may_2025.xlsx", "sn_table", 2),  # under two rows of column letters and numbers
        ("la_code_list.xlsx", "area_list", 0),
    ],
)
def test_every_shipped_file_is_recognised_by_its_columns_under_any_name(tmp_path, name, kind, header_row):
    renamed = tmp_path / f"download (3){Path(name).suffix}"
    shutil.copy(DFE / name, renamed)
    found = recognise(renamed)
    assert found is not None and found.kind.kind == kind and found.header_row == header_row


@pytest.mark.parametrize(
    ("file_name", "write"),
    [
        ("notes.csv", lambda p: p.write_text("a,b,c\n1,2,3\n", encoding="utf-8")),
        ("empty.csv", lambda p: p.write_text("", encoding="utf-8")),
        ("broken.xlsx", lambda p: p.write_bytes(b"not a workbook")),
        ("broken.parquet", lambda p: p.write_bytes(b"PAR1 not really")),
        ("readme.txt", lambda p: p.write_text("time_period,geographic_level", encoding="utf-8")),
    ],
)
def test_files_with_other_columns_are_refused_saying_what_is_accepted(engine, tmp_path, file_name, write):
    path = tmp_path / file_name
    write(path)
    assert recognise(path) is None
    [report] = load_published_files(engine, [path])
    assert report.status == "rejected"
    [problem] = report.problems
    assert problem.rule == Rule.NO_RETURN and problem.file == file_name
    assert "population_type" in problem.expected and "Short Desc" in problem.expected
    assert queries.is_empty(engine)


def test_an_unreadable_value_is_refused_with_its_cell_and_nothing_is_written(engine, tmp_path):
    header, rows = cheshire_east_rows(CLA)
    line = next(i for i, r in enumerate(rows) if LOOKED_AFTER in r)
    rows[line][header.index("children_count")] = "5 50"
    path = write_csv(tmp_path / "cla.csv", header, rows)
    [report] = load_published_files(engine, [path])
    assert report.status == "rejected"
    [problem] = report.problems
    column_letter = chr(ord("A") + header.index("children_count"))
    assert (problem.file, problem.sheet, problem.cell) == ("cla.csv", "", f"{column_letter}{line + 2}")
    assert problem.rule == Rule.BAD_VALUE and problem.text == "5 50"
    assert "c" in problem.expected and "number" in problem.expected
    assert "cla.csv" in problem.message() and f"{column_letter}{line + 2}" in problem.message()
    assert queries.is_empty(engine) and queries.batches(engine).empty


@pytest.mark.parametrize(
    ("column", "text", "rule"),
    [
        ("care_leaver_percent", "150", Rule.OUT_OF_RANGE),
        ("care_leaver_percent", "-3", Rule.OUT_OF_RANGE),
        ("care_leaver_percent", "sixty", Rule.BAD_VALUE),
        ("care_leaver_count", "400", Rule.NUMERATOR_ABOVE_DENOMINATOR),  # more in EET than care leavers
        ("time_period", "20X5", Rule.BAD_PERIOD),
        ("new_la_code", "", Rule.NO_AREA),
    ],
)
def test_each_kind_of_bad_cell_is_named(engine, tmp_path, column, text, rule):
    header, rows = cheshire_east_rows(ACTIVITY)
    target = next(i for i, r in enumerate(rows) if r[header.index("breakdown")] ==
                  "Total in education, employment or training" and r[header.index("care_leaver_age")] == "19 to 21 years")
    rows[target][header.index(column)] = text
    path = write_csv(tmp_path / "activity.csv", header, rows)
    [report] = load_published_files(engine, [path])
    assert report.status == "rejected"
    assert [p.rule for p in report.problems] == [rule]
    assert report.problems[0].cell.endswith(str(target + 2))
    assert queries.is_empty(engine)


def test_a_row_given_twice_is_a_duplicate(engine, tmp_path):
    header, rows = cheshire_east_rows(CLA)
    path = write_csv(tmp_path / "cla.csv", header, rows + [rows[0]])
    [report] = load_published_files(engine, [path])
    assert report.status == "rejected"
    assert {p.rule for p in report.problems} == {Rule.DUPLICATE}


def test_a_table_of_the_right_shape_without_any_mapped_rows_is_refused(engine, tmp_path):
    header, rows = cheshire_east_rows(ACTIVITY)
    breakdown = header.index("breakdown")
    kept = [r for r in rows if r[breakdown].startswith("Not in education")]
    path = write_csv(tmp_path / "activity.csv", header, kept)
    [report] = load_published_files(engine, [path])
    assert report.status == "rejected"
    assert report.problems[0].rule == Rule.NO_RETURN
    assert "cl_eet_17_18" in report.problems[0].expected


def test_areas_the_dashboard_does_not_list_are_left_out_and_noted_not_refused(engine, tmp_path):
    header, rows = cheshire_east_rows(CLA)
    stranger = [list(r) for r in rows]
    for r in stranger:
        r[header.index("new_la_code")], r[header.index("la_name")] = "E06000999", "Atlantis"
    path = write_csv(tmp_path / "cla.csv", header, rows + stranger)
    [report] = load_published_files(engine, [path])
    assert report.status == "loaded"
    stored = queries.observations(engine)
    assert set(stored["area_code"]) == {"E06000049"}
    note = queries.batches(engine)["note"].iloc[0]
    assert "3 rows left out" in note and "Atlantis" in note


def test_reference_files_load_as_reference_data_not_as_figures(engine):
    reports = load_published_files(engine, [DFE / "sn_may_2025.xlsx", DFE / "la_code_list.xlsx"])
    summaries = {r.file_name: r.summary() for r in reports}
    assert [r.status for r in reports] == ["loaded", "loaded"], summaries
    assert summaries["sn_may_2025.xlsx"].startswith("sn_may_2025.xlsx: statistical neighbour release May 2025 loaded")
    assert summaries["la_code_list.xlsx"].startswith("la_code_list.xlsx: area list loaded as batch")
    assert queries.is_empty(engine)


def test_a_lait_file_with_a_bad_value_is_refused_naming_the_row_and_series(engine, tmp_path):
    table = pq.read_table(DFE / "bds_long_0.parquet")
    keep = [i for i, s in enumerate(table["Short Desc"].to_pylist()) if s == "LACnum"][:40]
    small = table.take(pa.array(keep))
    values = small["Values"].to_pylist()
    values[5] = "lots"
    small = small.set_column(small.schema.get_field_index("Values"), "Values", pa.array(values, pa.string()))
    path = tmp_path / "lait.parquet"
    pq.write_table(small, path)
    [report] = load_published_files(engine, [path])
    assert report.status == "rejected"
    [problem] = report.problems
    assert problem.rule == Rule.BAD_VALUE and problem.text == "lots"
    assert problem.cell.startswith("row 6 (LACnum, ")
    assert queries.is_empty(engine)


def test_the_neighbour_workbook_header_is_found_wherever_it_sits(tmp_path):
    book = openpyxl.load_workbook(DFE / "sn_may_2025.xlsx")
    sheet = book.worksheets[0]
    sheet.delete_rows(1, 2)  # a tidier copy with the header on the first row
    path = tmp_path / "neighbours.xlsx"
    book.save(path)
    found = recognise(path)
    assert found.kind.kind == "sn_table" and found.header_row == 0

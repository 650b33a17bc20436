"""Reading a council's 903 files: tables told apart by their columns, years from names, the XML form, and every
reason a set is refused whole naming file, row, column and value."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from loaders.members import set_members
from loaders.ssda903.model import Return903
from loaders.ssda903.read import read_903
from loaders.ssda903.rules import check
from loaders.ssda903.years import year_of
from tests.ssda903_files import CHILDREN, EPISODES, HEADER, REVIEWS, write_set, write_table, write_xml


def read(paths: list[Path], year: int | None = None):
    with set_members(paths) as members:
        return read_903(members, year, "E08000030", paths[0].name if len(paths) == 1 else "")


def messages(result) -> list[str]:
    assert isinstance(result, list), "the set was read, not refused"
    return [p.message() for p in result]


def test_a_set_is_read_into_one_frame_per_table_with_file_row_and_year(tmp_path):
    ret = read([write_set(tmp_path / "903")])
    assert isinstance(ret, Return903)
    assert ret.years == (2025,)
    episodes = ret.table("episodes")
    assert list(episodes["CHILD"]) == [e[0] for e in EPISODES]
    assert list(episodes["_row"]) == [2, 3, 4, 5]
    assert set(episodes["_file"]) == {"2024-25/episodes.csv"}
    assert str(episodes["DECOM"].dtype).startswith("datetime64")
    assert episodes["DEC"].isna().sum() == 2
    assert ret.table("reviews")["REVIEW_CODE"].tolist() == ["PN1", "PN3"]
    assert ret.table("oc3").empty and "ACCOM" in ret.table("oc3")  # a table no file gave: its columns, no rows
    assert {(f.name, f.table, f.rows) for f in ret.files} >= {("2024-25/episodes.csv", "episodes", 4)}


def test_columns_are_recognised_in_any_case_and_order_and_an_extra_one_is_left_out_with_a_note(tmp_path):
    columns = ["ethnic", "Dob", "child", "SEX", "upn", "MC_DOB", "Mother", "Social worker"]
    order = [3, 2, 0, 1, 4, 6, 5]
    rows = [[h[i] for i in order] + ["Ann"] for h in HEADER]
    write_table(tmp_path / "2024_25" / "Header export.csv", "header", rows, columns)
    ret = read([tmp_path / "2024_25"])
    assert isinstance(ret, Return903)
    assert ret.table("header")["CHILD"].tolist() == list(CHILDREN)
    assert ret.notes == ("Header export.csv: column SOCIAL WORKER is not one of DfE's Header columns: not read",)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-16"])
def test_csv_in_each_encoding_excel_writes(tmp_path, encoding):
    delimiter = "\t" if encoding == "utf-16" else ","
    write_table(tmp_path / "202425" / "episodes.csv", "episodes", EPISODES, encoding=encoding, delimiter=delimiter)
    ret = read([tmp_path / "202425"])
    assert isinstance(ret, Return903)
    assert ret.table("episodes")["PLACE"].tolist() == ["U4", "K2", "U6", "A6"]


@pytest.mark.parametrize(("name", "years"), [
    ("2024-25/episodes.csv", {2025}), ("903_2024_25/header.csv", {2025}), ("episodes 202425.csv", {2025}),
    ("ssda903 2023-2024/header.csv", {2024}), ("episodes_20240501.csv", set()), ("episodes.csv", set()),
])
def test_the_collection_year_of_a_name(name, years):
    assert year_of(name) == years


def test_several_years_load_together_and_a_given_year_serves_files_whose_names_give_none(tmp_path):
    write_set(tmp_path / "set", "2023-24")
    write_set(tmp_path / "set", "2024-25")
    ret = read([tmp_path / "set"])
    assert ret.years == (2024, 2025)
    assert sorted(set(ret.table("episodes")["_year"])) == [2024, 2025]
    write_set(tmp_path / "plain", "")
    assert read([tmp_path / "plain"], 2025).years == (2025,)


def test_a_zip_whose_own_name_gives_the_year(tmp_path):
    write_set(tmp_path / "files", "")
    archive = tmp_path / "ssda903_2024-25.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in (tmp_path / "files").iterdir():
            out.write(path, path.name)
    ret = read([archive])
    assert isinstance(ret, Return903) and ret.years == (2025,)


def test_the_xml_form_is_read_as_the_same_tables(tmp_path):
    ret = read([write_xml(tmp_path / "ssda903_2024-25.xml")])
    assert isinstance(ret, Return903)
    assert ret.table("header")["CHILD"].tolist() == list(CHILDREN)
    assert ret.table("episodes")["PLACE"].tolist() == ["U4", "K2", "U6", "A6"]
    assert ret.table("reviews")["REVIEW_CODE"].tolist() == ["PN1", "PN3"]
    assert ret.table("episodes")["_row"].tolist() == [1, 2, 2, 3]  # the <CHILD> element each came from


def test_a_missing_column_is_refused_naming_file_and_column(tmp_path):
    columns = [c for c in ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                           "REASON_PLACE_CHANGE", "HOME_POST", "URN")]  # no PL_POST
    write_table(tmp_path / "2024-25" / "episodes.csv", "episodes", [e[:11] + e[12:] for e in EPISODES], columns)
    assert messages(read([tmp_path])) == [
        "2024-25/episodes.csv, cell row 1: missing column 'PL_POST'; expected every column of DfE's Episodes table: "
        "CHILD, DECOM, RNE, LS, CIN, PLACE, PLACE_PROVIDER, DEC, REC, REASON_PLACE_CHANGE, HOME_POST, PL_POST, URN"]


@pytest.mark.parametrize(("column", "index", "value", "cell"), [
    ("DECOM", 1, "2024-05-01", "B3"), ("DEC", 7, "31/02/2025", "H3"), ("DECOM", 1, "1 May 2024", "B3"),
])
def test_a_date_that_is_not_dd_mm_yyyy_in_an_episode_is_refused(tmp_path, column, index, value, cell):
    episodes = [list(e) for e in EPISODES]
    episodes[1][index] = value
    write_set(tmp_path, episodes=episodes)
    assert messages(read([tmp_path])) == [
        f"2024-25/episodes.csv, cell {cell} ({column}): not a date {value!r}; expected a date written dd/mm/YYYY, "
        "such as 31/03/2025"]


def test_a_date_of_birth_that_is_not_a_date_is_refused(tmp_path):
    header = [list(h) for h in HEADER]
    header[2][2] = "30.06.2009"
    write_set(tmp_path, header=header)
    assert messages(read([tmp_path])) == [
        "2024-25/header.csv, cell C4 (DOB): not a date '30.06.2009'; expected a date written dd/mm/YYYY, "
        "such as 31/03/2025"]


def test_one_child_twice_in_a_years_header_is_refused_naming_both_rows(tmp_path):
    write_set(tmp_path, header=[*HEADER, HEADER[0]])
    assert messages(read([tmp_path])) == [
        f"2024-25/header.csv, cell A5 (CHILD): one child twice in the header {CHILDREN[0]!r}; expected each child "
        "once in the header of a collection year; row 2 already has this CHILD"]


def test_the_same_child_in_two_years_headers_is_read(tmp_path):
    write_set(tmp_path, "2023-24")
    write_set(tmp_path, "2024-25")
    assert isinstance(read([tmp_path]), Return903)


@pytest.mark.parametrize(("column", "index", "value"), [("RNE", 2, "X"), ("LS", 3, "C9"), ("REC", 8, "E99"),
                                                       ("PLACE", 5, "Q1")])
def test_an_unknown_code_is_refused_with_the_codes_accepted(tmp_path, column, index, value):
    episodes = [list(e) for e in EPISODES]
    episodes[1][index] = value
    write_set(tmp_path, episodes=episodes)
    [message] = messages(read([tmp_path]))
    assert message.startswith("2024-25/episodes.csv, cell ") and f"({column}): unknown code {value!r}; expected one of " in message
    assert message.endswith("(or blank)")


def test_a_placement_code_of_another_year_is_read_and_reported_by_rule_146_for_its_year(tmp_path):
    """K3 (registered supported accommodation) is new in 2024-25 and H5 last valid then: a code DfE has had is
    not unknown, so the set is read, and DfE's rule 146 reports it for the year it is not valid in."""
    episodes = [list(e) for e in EPISODES]
    episodes[0][5] = "K3"
    write_set(tmp_path / "new", "2024-25", episodes=episodes)
    assert not [p for p in check(read([tmp_path / "new"])) if p.rule == "146"]
    write_set(tmp_path / "old", "2023-24", episodes=episodes)
    [flagged] = [p for p in check(read([tmp_path / "old"])) if p.rule == "146"]
    assert (flagged.table, flagged.row, flagged.collection_year) == ("episodes", 2, 2024)
    episodes[0][5] = "H5"
    write_set(tmp_path / "later", "2025-26", episodes=episodes)
    [flagged] = [p for p in check(read([tmp_path / "later"])) if p.rule == "146"]
    assert flagged.collection_year == 2026


def test_lower_case_codes_are_read_in_capitals_as_dfes_validator_reads_them(tmp_path):
    episodes = [list(e) for e in EPISODES]
    episodes[0][5] = " u4 "
    write_set(tmp_path, episodes=episodes)
    assert read([tmp_path]).table("episodes")["PLACE"].iloc[0] == "U4"


def test_a_file_without_a_year_is_refused_saying_how_to_give_one(tmp_path):
    write_set(tmp_path / "plain", "")
    assert messages(read([tmp_path / "plain" / "header.csv"]))[0] == (
        "header.csv: no collection year; expected the collection year in the file's or its folder's name, such as "
        "2024-25, 2024_25 or 202425, or given with --collection-year 2025")


def test_two_files_for_one_table_and_year_are_refused(tmp_path):
    write_set(tmp_path, "2024-25")
    write_table(tmp_path / "2024-25" / "episodes copy.csv", "episodes", EPISODES)
    assert messages(read([tmp_path])) == [
        "2024-25/episodes.csv: two files for one table and year 'Episodes 2024-25'; expected one file for each table "
        "and collection year; 2024-25/episodes copy.csv is already the Episodes table for 2024-25"]


def test_a_file_that_is_no_903_table_is_refused_naming_its_columns(tmp_path):
    write_set(tmp_path)
    (tmp_path / "2024-25" / "notes.csv").write_text("Measure,Value\ncla_count,3\n")
    [message] = messages(read([tmp_path]))
    assert message.startswith("2024-25/notes.csv, cell row 1: no recognisable return 'MEASURE, VALUE'; expected the "
                              "columns of one of the 903's tables")


def test_reviews_keep_their_rows(tmp_path):
    ret = read([write_set(tmp_path)])
    assert len(ret.table("reviews")) == len(REVIEWS)

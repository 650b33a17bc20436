"""The generated 903 (scripts/make_903.py) is what it says: the 903 benchmark and tests rely on it.

Read back with the csv module only (not our 903 reader, which is what the set is made to exercise).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import date, datetime

import pytest

from loaders.ssda903.model import TABLE
from scripts import make_903

CHILDREN, YEARS, SEED = 300, 3, 7
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
YEAR_FOLDERS = ("2022-23", "2023-24", "2024-25")


@pytest.fixture(scope="module")
def made() -> make_903.Generated903:
    return make_903.generate(children=CHILDREN, years=YEARS, seed=SEED, last_year=2025)


def _rows(made: make_903.Generated903, year: str, table: str) -> list[dict[str, str]]:
    text = made.files[f"{year}/{make_903.FILE_NAMES[table]}"].decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _day(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def test_every_year_has_every_table_in_dfes_columns(made):
    assert made.years == (2023, 2024, 2025)
    for year in YEAR_FOLDERS:
        for table in make_903.TABLES_WRITTEN:
            text = made.files[f"{year}/{make_903.FILE_NAMES[table]}"].decode("utf-8")
            assert next(csv.reader(io.StringIO(text))) == list(TABLE[table].columns), (year, table)


def test_counts_are_those_reported_and_every_child_is_in_a_header(made):
    children = set()
    for table in make_903.TABLES_WRITTEN:
        assert sum(len(_rows(made, year, table)) for year in YEAR_FOLDERS) == made.rows[table], table
    for year in YEAR_FOLDERS:
        header = [row["CHILD"] for row in _rows(made, year, "header")]
        assert len(header) == len(set(header)), f"a child twice in {year}'s header"
        children.update(header)
        for table in ("episodes", "reviews", "uasc", "missing", "oc2", "oc3"):
            assert {row["CHILD"] for row in _rows(made, year, table)} <= set(header), (year, table)
    assert len(children) == made.children == CHILDREN
    for table in make_903.TABLES_WRITTEN:
        assert made.rows[table] > 0, f"no {table} rows: a measure would have nothing to count"


def test_dates_are_dd_mm_yyyy_and_within_their_year(made):
    for year in YEAR_FOLDERS:
        end = date(int(year[:4]) + 1, 3, 31)
        for table in make_903.TABLES_WRITTEN:
            for row in _rows(made, year, table):
                for column in TABLE[table].dates:
                    if row[column]:
                        assert DATE.match(row[column]), (year, table, column, row[column])
                        assert _day(row[column]) <= date(end.year + 20, 3, 31)  # a real date (UASC's DUC is ahead)
        for row in _rows(made, year, "episodes"):
            assert _day(row["DECOM"]) <= end
            assert not row["DEC"] or _day(row["DEC"]) <= end, "an episode ends after its year's 31 March"
            assert bool(row["DEC"]) == bool(row["REC"]), "DEC and REC go together"


def _latest_episodes(made) -> dict[str, list[dict[str, str]]]:
    """Each child's episodes, a later year's record of an episode replacing an earlier year's."""
    by_key: dict[tuple[str, str], dict[str, str]] = {}
    for year in YEAR_FOLDERS:
        for row in _rows(made, year, "episodes"):
            by_key[(row["CHILD"], row["DECOM"])] = row
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for (child, _), row in by_key.items():
        out[child].append(row)
    for rows in out.values():
        rows.sort(key=lambda r: _day(r["DECOM"]))
    return out


def test_episodes_are_chained_into_periods_of_care(made):
    kinds = defaultdict(int)
    for child, episodes in _latest_episodes(made).items():
        for before, after in zip(episodes, episodes[1:], strict=False):
            assert before["DEC"], f"{child}: an episode open while a later one starts"
            assert _day(before["DEC"]) <= _day(after["DECOM"]), f"{child}: episodes overlap"
            if before["REC"] == "X1":
                assert after["DECOM"] == before["DEC"], f"{child}: X1 not followed by an episode the same day"
                assert after["RNE"] != "S"
            else:
                assert after["RNE"] == "S", f"{child}: a new period of care not starting with RNE S"
        for episode in episodes:
            kinds[episode["RNE"]] += 1
            kinds[episode["PLACE"][:1] if episode["PLACE"][:1] in "TA" else episode["LS"]] += 1
            kinds[episode["REC"] or "open"] += 1
    for kind in ("S", "P", "L", "T", "B", "U", "V3", "X1", "open", "E17"):
        assert kinds[kind], f"no episode of kind {kind}: {dict(kinds)}"
    assert kinds["T"] and kinds["A"], "no temporary placements, or none placed for adoption"


def test_a_temporary_placement_is_followed_by_a_return_to_the_same_placement(made):
    seen = 0
    for child, episodes in _latest_episodes(made).items():
        for before, temporary, after in zip(episodes, episodes[1:], episodes[2:], strict=False):
            if temporary["PLACE"] in ("T0", "T1", "T2", "T3", "T4") and before["PLACE"][:1] != "T":
                seen += 1
                assert (after["PLACE"], after["PL_POST"]) == (before["PLACE"], before["PL_POST"]), child
    assert seen


def test_codes_and_cohorts(made):
    for year in YEAR_FOLDERS:
        end = date(int(year[:4]) + 1, 3, 31)
        dob = {row["CHILD"]: _day(row["DOB"]) for row in _rows(made, year, "header")}
        for row in _rows(made, year, "reviews"):
            age = (_day(row["REVIEW"]) - dob[row["CHILD"]]).days / 365.25
            assert row["REVIEW_CODE"] == "PN0" if age < 3.99 else row["REVIEW_CODE"] in {f"PN{i}" for i in range(1, 8)}
        for row in _rows(made, year, "oc3"):
            age = end.year - dob[row["CHILD"]].year - ((end.month, end.day) < (dob[row["CHILD"]].month,
                                                                                dob[row["CHILD"]].day))
            assert 17 <= age <= 21, (year, row)
            if row["IN_TOUCH"] in ("DIED", "RHOM"):
                assert (row["ACTIV"], row["ACCOM"]) == ("0", "0")
        episodes = _rows(made, year, "episodes")
        for row in _rows(made, year, "oc2"):  # looked after on 1 April and still on 31 March
            own = [e for e in episodes if e["CHILD"] == row["CHILD"]]
            assert min(_day(e["DECOM"]) for e in own) <= date(end.year - 1, 4, 1)
            assert any(not e["DEC"] for e in own)
        posts = {e[column] for e in episodes for column in ("HOME_POST", "PL_POST") if e[column]}
        assert posts <= set(make_903.POSTCODES_HOME + make_903.POSTCODES_NEAR + make_903.POSTCODES_FAR)
        short_breaks = [e for e in episodes if e["LS"] in ("V3", "V4")]
        assert short_breaks and all(not e["HOME_POST"] and not e["PL_POST"] for e in short_breaks)
        sexes = {row["SEX"] for row in _rows(made, year, "header")}
        assert sexes == ({"M", "F"} if year == "2024-25" else {"1", "2"}), (year, sexes)


def test_the_same_seed_gives_the_same_files_and_the_folder_written_is_the_files(made, tmp_path):
    again = make_903.generate(children=CHILDREN, years=YEARS, seed=SEED, last_year=2025)
    assert again.files == made.files
    assert make_903.generate(children=CHILDREN, years=YEARS, seed=SEED + 1).files != made.files
    make_903.main([str(tmp_path), "--children", str(CHILDREN), "--years", "3", "--seed", str(SEED)])
    written = {str(p.relative_to(tmp_path)): p.read_bytes() for p in tmp_path.rglob("*.csv")}
    assert written == made.files

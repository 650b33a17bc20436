"""``python -m loaders check``: a council's 903 files checked with DfE's rules, as an editor runs it.

Needs the 903 reader (``loaders.ssda903.read``) that the import uses: the files here are real CSV files
written as a council's system writes them, in a folder named by the collection year.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.cli import Ran, run_main

HEADER = ["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"]
EPISODES = ["CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
            "HOME_POST", "PL_POST", "URN"]
MESSAGE_388 = "Reason episode ceased is coded new episode begins, but there is no continuation episode."


def write_csv(path: Path, columns: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([columns, *rows])
    return path


def write_set(folder: Path, last_reason: str = "", first_start: str = "01/05/2024") -> Path:
    """One child who came into care in May 2024 and moved in June, in a folder for 2024-25."""
    year = folder / "2024-25"
    write_csv(year / "header.csv", HEADER, [["C1001", "M", "14/02/2012", "WBRI", "", "", ""]])
    write_csv(year / "episodes.csv", EPISODES, [
        ["C1001", first_start, "S", "C2", "N1", "U4", "PR1", "01/06/2024", "X1", "", "AB1 2CD", "AB1 3CD", "SC0001"],
        ["C1001", "01/06/2024", "P", "C2", "N1", "U4", "PR1", "01/09/2024" if last_reason else "", last_reason,
         "CARPL", "AB1 2CD", "AB2 3CD", "SC0002"],
    ])
    return folder


def run(*args: str | Path) -> Ran:
    return run_main("loaders", "check", *map(str, args))


def test_a_set_with_no_problem_exits_0(tmp_path: Path):
    ran = run(write_set(tmp_path / "903"))
    assert ran.returncode == 0, ran.stderr
    assert list(csv.reader(io.StringIO(ran.stdout))) == [
        ["rule", "table", "row", "child", "message", "file", "collection_year"]]
    assert "No problems by DfE's rules in 2 files (2024-25)." in ran.stderr


def test_each_problem_is_listed_with_dfe_code_table_row_and_child_and_exits_1(tmp_path: Path):
    """The last episode ends with X1 (a new episode begins) but none does: DfE's rule 388, on row 3."""
    ran = run(write_set(tmp_path / "903", last_reason="X1"))
    assert ran.returncode == 1, ran.stderr
    rows = list(csv.DictReader(io.StringIO(ran.stdout)))
    assert [(r["rule"], r["table"], r["row"], r["child"], r["message"], r["collection_year"]) for r in rows] == [
        ("388", "episodes", "3", "C1001", MESSAGE_388, "2025")]
    assert rows[0]["file"].endswith("episodes.csv")
    assert "1 problem by DfE's rules" in ran.stderr and "388 ×1" in ran.stderr


def test_problems_csv_holds_the_list_and_the_screen_the_summary(tmp_path: Path):
    out = tmp_path / "problems.csv"
    ran = run(write_set(tmp_path / "903", last_reason="X1"), "--problems-csv", out)
    assert ran.returncode == 1, ran.stderr
    assert "388 ×1" in ran.stdout and "C1001" not in ran.stdout  # the child is named only in the file
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [(r["rule"], r["row"], r["child"]) for r in rows] == [("388", "3", "C1001")]


def test_a_set_that_cannot_be_read_exits_2_saying_where(tmp_path: Path):
    ran = run(write_set(tmp_path / "903", first_start="31/02/2024"))
    assert ran.returncode == 2
    assert "cannot be read with certainty" in ran.stderr
    assert "31/02/2024" in ran.stderr and "DECOM" in ran.stderr and "Traceback" not in ran.stderr
    assert ran.stdout == ""


def test_no_such_file_exits_2_with_a_sentence(tmp_path: Path):
    ran = run(tmp_path / "nowhere.csv")
    assert ran.returncode == 2
    assert "nowhere.csv" in ran.stderr and "Traceback" not in ran.stderr

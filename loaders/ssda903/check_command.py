"""``python -m loaders check``: a council's 903 files checked with DfE's validation rules, nothing stored.

The set is read as an import reads it (``loaders.ssda903.read``): a set that cannot be read with certainty is
refused whole, naming file, row, column and value. Otherwise every breach of DfE's rules is listed with DfE's
code and message, the table, the row as a spreadsheet shows it and the child, on standard output as CSV or
into the file ``--problems-csv`` names. A breach never stops an import: this says what to fix before one.

The list names children, so it is written only where the editor asks and never stored or logged.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from loaders.members import NotASet, set_members
from loaders.problems import Problem
from loaders.ssda903.model import Problem903, Return903, collection_year_label
from loaders.ssda903.read import read_903
from loaders.ssda903.rules import check
from metrics.safe_text import spreadsheet_cell

EXIT_NONE, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2
# The columns DfE's validator reports, then where the row is: its file and collection year (ending 31 March).
COLUMNS = ("rule", "table", "row", "child", "message", "file", "collection_year")


def write_problems(problems: Iterable[Problem903], out: TextIO) -> None:
    """The problems as CSV, one a row; text a spreadsheet would take for a formula is guarded."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows((p.rule, p.table, p.row, spreadsheet_cell(p.child), p.message, spreadsheet_cell(p.file),
                      p.collection_year) for p in problems)


def summary(ret: Return903, problems: list[Problem903]) -> str:
    """'3 problems by DfE's rules in 4 files (2023-24 to 2024-25): 142 ×2, 388 ×1.'"""
    years = [collection_year_label(y) for y in ret.years]
    span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}" if years else "no collection year"
    where = f"{len(ret.files)} file{'s' if len(ret.files) != 1 else ''} ({span})"
    if not problems:
        return f"No problems by DfE's rules in {where}."
    counts = Counter(p.rule for p in problems)
    by_rule = ", ".join(f"{rule} ×{count:,}" for rule, count in counts.items())
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{len(problems):,} {noun} by DfE's rules in {where}: {by_rule}. None of them stops an import."


def _refused(problems: list[Problem]) -> int:
    print("The files cannot be checked: the set cannot be read with certainty, and an import would refuse it "
          "whole. Fix these and check again:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem.message()}", file=sys.stderr)
    return EXIT_UNREADABLE


def run_check(files: list[Path], collection_year: int | None, problems_csv: Path | None) -> int:
    """Exit 0 with no problem, 1 with any (listed), 2 for a set that cannot be read (each reason said)."""
    given_as_one = len(files) == 1 and (files[0].is_dir() or files[0].suffix.lower() == ".zip")
    container = files[0].name if given_as_one else ""  # a folder's or zip's name can give the year
    try:
        with set_members(files) as members:
            read = read_903(members, collection_year=collection_year, container=container)
    except NotASet as error:
        return _refused([error.problem])
    if not isinstance(read, Return903):
        return _refused(read)
    problems = check(read)
    if problems_csv is None:
        write_problems(problems, sys.stdout)
        print(summary(read, problems), file=sys.stderr)
    else:
        try:
            with problems_csv.open("w", encoding="utf-8-sig", newline="") as out:
                write_problems(problems, out)
        except OSError as error:
            print(f"Cannot write {problems_csv}: {error.strerror or error}. Give another --problems-csv path.",
                  file=sys.stderr)
            return EXIT_UNREADABLE
        print(summary(read, problems))
        if problems:
            print(f"Every problem, with its file, row and child, is in {problems_csv}.")
    return EXIT_PROBLEMS if problems else EXIT_NONE

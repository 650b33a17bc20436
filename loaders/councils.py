"""Whose figures a return holds, checked against who is loading it, before anything is written.

A return, a set of files or a return's targets and commentary belong to one council. Once grants exist
(access.grants), an editor loads only the councils they hold an editor grant for: a file with any row for
another council is refused whole, naming the first cell of each council they may not edit; and a file with
rows for two councils is refused, naming the first cell of the second, as each council's return is its
own batch (its own undo, its own history, its own readers).
"""

from __future__ import annotations

import pandas as pd

from access.users import User, council_words
from loaders.problems import Problem, Rule
from loaders.report import ParsedFile

EXPECTED_OWN = "figures only for {councils}, the councils you may change; ask for an editor grant for another"
EXPECTED_ONE = "one council's figures per return: load each council's return on its own"
EXPECTED_ADMINISTRATOR = ("once anyone holds a grant, DfE's tables are loaded by the database's administrator, not by "
                          "one council's editor: python -m loaders import FILE, run with DASHBOARD_OWNER_DB_URL set")


def shared_figures_problem(file_name: str, user: User | None) -> Problem | None:
    """Why ``user`` may not load one of DfE's tables, or None. DfE's figures and lists are every council's: once
    grants keep councils apart, one council's editor changing them would change what every other is compared
    with, so only the database's owner writes them (on PostgreSQL the database refuses anyone else too)."""
    if user is None or user.edits is None:
        return None
    return Problem(file_name, "", "", Rule.SHARED_FIGURES, "", EXPECTED_ADMINISTRATOR)


def _rows(parsed: ParsedFile) -> pd.DataFrame:
    """Every row's area with where it came from (sheet and cell, '' where a reader gives none)."""
    frames = []
    for frame in (parsed.observations, parsed.targets, parsed.commentary):
        if frame is not None and not frame.empty and "area_code" in frame:
            frames.append(pd.DataFrame({"area_code": frame["area_code"],
                                        "sheet": frame.get("sheet", ""),
                                        "cell": frame.get("cell", "")}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["area_code", "sheet", "cell"])


def council_problems(parsed: ParsedFile, user: User | None) -> list[Problem]:
    """What stops ``user`` loading ``parsed`` for its councils; [] without grants or without a user."""
    if user is None or user.edits is None:
        return []
    rows = _rows(parsed)
    if rows.empty:
        return []
    firsts = rows.drop_duplicates("area_code")
    mine = ", ".join(council_words(c) for c in sorted(user.edits)) or "none"
    problems = [Problem(parsed.file_name, str(r.sheet), str(r.cell), Rule.NOT_YOUR_COUNCIL, council_words(r.area_code),
                        EXPECTED_OWN.format(councils=mine))
                for r in firsts.itertuples() if r.area_code not in user.edits]
    if not problems and len(firsts) > 1:
        second = firsts.iloc[1]
        problems.append(Problem(parsed.file_name, str(second.sheet), str(second.cell), Rule.TWO_COUNCILS,
                                council_words(second.area_code), EXPECTED_ONE))
    return problems


def with_council_check(parsed: ParsedFile, user: User | None) -> ParsedFile:
    """The parsed file with any council problems added (so it is refused whole), else as it was."""
    found = council_problems(parsed, user)
    if found:
        parsed.problems = [*parsed.problems, *found]
    return parsed

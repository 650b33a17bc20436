"""Reading a set of files that belong together as one: every file read and checked, then the set checked
as a whole, so that it loads as one batch or not at all.

Today a set is of returns (say a monthly tracker per measure): each file is read exactly as it would be
on its own, and then the files must not contradict each other: one figure, one target for any period
and one commentary per figure across the whole set. A DfE published table is not part of a set (it is
its own release, with its own batch and history). The SSDA903 return's tables will be a second kind of
set, recognised here by their columns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd

from db.commentary_writes import COMMENTARY_COLUMNS
from db.writes import KEY, TARGET_COLUMNS, FileInBatch
from loaders.commentary_column import empty_commentary
from loaders.members import SetMember
from loaders.problems import Problem, Rule, quote
from loaders.published.recognise import recognise
from loaders.report import FileInSet, ParsedFile, unreadable
from loaders.returns import read_return_from
from loaders.workbook import workbook_or_none

NAME_LENGTH = 255  # import_batch.file_name
PUBLISHED_IN_SET = ("a return: this is one of DfE's published tables, which load on their own "
                    "(python -m loaders import FILE), not as part of a set of files")
TARGET_KEY = ["measure_code", "area_code"]
COMMENTARY_KEY = ["measure_code", "area_code", "period_end"]


@dataclass
class ParsedSet:
    """A set read in full: each file as read, the files' figures as one ParsedFile, every problem."""

    name: str
    files: list[FileInSet]
    combined: ParsedFile | None
    problems: list[Problem] = field(default_factory=list)

    def batch_files(self) -> tuple[FileInBatch, ...]:
        return tuple(FileInBatch(f.name, f.size_bytes, f.sha256) for f in self.files)


def fingerprint(members: list[SetMember]) -> str:
    """The set's sha256: its files' names and contents, whatever order they were given in."""
    digest = hashlib.sha256()
    for member in sorted(members, key=lambda m: m.name):
        digest.update(f"{member.name}\0{member.sha256}\n".encode())
    return digest.hexdigest()


def set_name(given: list[str], members: list[SetMember]) -> str:
    """``set of 3 files: a.xlsx, b.xlsx, c.xlsx``, or ``set of 3 files in trackers.zip``, within 255 characters."""
    head = f"set of {len(members):,} file{'s' if len(members) != 1 else ''}"
    if len(given) == 1 and (len(members) > 1 or members[0].name != given[0]):
        return f"{head} in {given[0]}"[:NAME_LENGTH]
    names = [m.name for m in members]
    for shown in range(len(names), 0, -1):
        rest = len(names) - shown
        text = f"{head}: {', '.join(names[:shown])}" + (f" and {rest:,} more" if rest else "")
        if len(text) <= NAME_LENGTH:
            return text
    return head


def _read_member(member: SetMember, default_area: str | None) -> ParsedFile | list[Problem]:
    """One file read as a return, exactly as it is read on its own; its problems when it cannot be."""
    try:
        workbook = workbook_or_none(member.path, None, member.name)
        if recognise(member.path, workbook=workbook) is not None:
            return [Problem(member.name, "", "", Rule.NO_RETURN, "", PUBLISHED_IN_SET)]
        return read_return_from(workbook, member.path, None, member.name, default_area, member.sha256)
    except Exception as error:  # noqa: BLE001 - one unreadable file refuses the set with a sentence
        return unreadable(member.name, error).problems


def read_set(name: str, members: list[SetMember], default_area: str | None) -> ParsedSet:
    """Every file of the set read and checked, then the set checked as a whole; writes nothing."""
    files, parsed_files, problems = [], [], []
    for member in members:
        read = _read_member(member, default_area)
        entry = FileInSet(member.name, member.size_bytes, member.sha256)
        if isinstance(read, ParsedFile):
            entry.values, entry.problems, entry.layout_by_sheet = (
                len(read.observations), list(read.problems), dict(read.layout_by_sheet))
            entry.hidden_sheets, entry.notes_skipped, entry.hidden_rows = (
                list(read.hidden_sheets), read.notes_skipped, read.hidden_rows)
            parsed_files.append(read)
        else:
            entry.problems = read
        files.append(entry)
        problems += entry.problems
    if problems:
        return ParsedSet(name, files, None, problems)
    combined, between = combine(name, fingerprint(members), parsed_files)
    return ParsedSet(name, files, combined, between)


def _with_file(frame: pd.DataFrame, file_name: str) -> pd.DataFrame:
    return frame.assign(file=file_name)


def _where(row) -> str:
    sheet = f"sheet {row.sheet!r} " if row.sheet else ""
    return f"{row.file}, {sheet}cell {row.cell}"


def _shown(row) -> str:
    return row.status if pd.isna(row.value) else f"{row.value:g}"


def combine(name: str, sha256: str, parsed: list[ParsedFile]) -> tuple[ParsedFile, list[Problem]]:
    """The files' figures, targets and commentaries as one ParsedFile, and every place two files contradict
    each other. The same figure given by two files is kept once, as one file gives a figure twice."""
    observations = pd.concat([_with_file(p.observations, p.file_name) for p in parsed], ignore_index=True)
    targets = pd.concat([_with_file(p.targets, p.file_name) for p in parsed], ignore_index=True)
    notes = [_with_file(p.commentary, p.file_name) for p in parsed if len(p.commentary)]
    commentary = pd.concat(notes, ignore_index=True) if notes else empty_commentary().assign(file="")
    problems: list[Problem] = []
    observations, found = _one_figure_each(observations)
    problems += found
    problems += _one_target_each(targets)
    commentary, found = _one_commentary_each(commentary)
    problems += found
    combined = ParsedFile(
        file_name=name, sha256=sha256, sheets=[],
        observations=observations.drop(columns="file").reset_index(drop=True),
        targets=targets[TARGET_COLUMNS + ["sheet", "cell"]].reset_index(drop=True),
        commentary=commentary[COMMENTARY_COLUMNS + ["sheet", "cell"]].reset_index(drop=True),
        hidden_rows=sum(p.hidden_rows for p in parsed),
    )
    return combined, problems


def _one_figure_each(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    repeated = frame.duplicated(KEY, keep=False)
    if not repeated.any():
        return frame, []
    problems, drop = [], []
    for _, group in frame[repeated].groupby(KEY, sort=False, dropna=False):
        first = next(group.itertuples())
        for row in list(group.itertuples())[1:]:
            drop.append(row.Index)
            same = (first.status == row.status and
                    all((pd.isna(a) and pd.isna(b)) or a == b for a, b in (
                        (first.value, row.value), (first.numerator, row.numerator),
                        (first.denominator, row.denominator))))
            if not same:
                problems.append(Problem(
                    row.file, row.sheet, row.cell, Rule.DUPLICATE, _shown(row),
                    f"one figure for {row.measure_code} for {row.area_code}, {row.period_type} ending "
                    f"{pd.Timestamp(row.period_end).date().isoformat()} in the whole set; {_where(first)} already "
                    f"gives {quote(_shown(first))}"))
    return frame.drop(index=drop), problems


def _one_target_each(frame: pd.DataFrame) -> list[Problem]:
    """Targets of two files whose periods overlap: a figure can be judged against one target only."""
    problems: list[Problem] = []
    if frame.empty:
        return problems
    frame = frame.assign(begins=pd.to_datetime(frame["period_start"]), ends=pd.to_datetime(frame["period_end"]))
    for _, rows in frame.groupby(TARGET_KEY, sort=False):
        if rows["file"].nunique() < 2:
            continue
        ordered = list(rows.sort_values(["begins", "ends"]).itertuples())
        for i, row in enumerate(ordered):
            for earlier in ordered[:i]:
                if earlier.file != row.file and row.begins <= earlier.ends and earlier.begins <= row.ends:
                    problems.append(Problem(
                        row.file, row.sheet, row.cell, Rule.BAD_TARGET, f"{row.value:g}",
                        f"one target for any period in the whole set: the target in {_where(earlier)} already "
                        "covers this one's period; remove one of them or make their periods follow each other"))
                    break
    return problems


def _one_commentary_each(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    if frame.empty:
        return frame, []
    repeated = frame.duplicated(COMMENTARY_KEY, keep=False)
    if not repeated.any():
        return frame, []
    problems, drop = [], []
    for _, group in frame[repeated].groupby(COMMENTARY_KEY, sort=False):
        first = next(group.itertuples())
        for row in list(group.itertuples())[1:]:
            drop.append(row.Index)
            if row.text != first.text:
                problems.append(Problem(
                    row.file, row.sheet, row.cell, Rule.COMMENTARY_CONFLICT, str(row.text),
                    f"one commentary for each figure in the whole set; {_where(first)} already gives one"))
    return frame.drop(index=drop), problems

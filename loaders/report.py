"""What every loader hands on and hands back: a file read into tidy frames (``ParsedFile``), what became
of one file (``ImportReport``) or of a set of files loaded as one batch (``SetReport``), and the words
for them.

A leaf module: the readers (returns, DfE's tables, sets) build these and the dispatcher
(loaders.importer) returns them, so it imports nothing from ``loaders`` but other leaves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from db.writes import TARGET_COLUMNS, BatchOutcome
from loaders.commentary_column import empty_commentary
from loaders.problems import Problem, Rule
from metrics.formatting import count_words

PROVENANCE_COLUMNS = ["sheet", "cell"]  # where each value came from, for messages; not stored
# Raised by the writer when another import holds the database's write lock; older writers have none.
BUSY_TEXT = "another import is in progress; try again"
UNREADABLE_ADVICE = "nothing was loaded; give a return file (.xlsx or .csv) that opens in Excel, or save it again from Excel"
# Rows Excel hides (by hand or by a filter) are read like the others, but nobody looking at the sheet sees
# them: what became of them, by what became of the file, for one row and for several.
HIDDEN_ROWS_WORDS = {
    "loaded": ("1 row was hidden in Excel and was loaded too: check it is meant to be",
               "{count:,} rows were hidden in Excel and were loaded too: check they are meant to be"),
    "preview": ("1 row is hidden in Excel and would be loaded too: check it is meant to be",
                "{count:,} rows are hidden in Excel and would be loaded too: check they are meant to be"),
    "read": ("1 row is hidden in Excel and was read too: check it is meant to be",
             "{count:,} rows are hidden in Excel and were read too: check they are meant to be"),
}


@dataclass
class ParsedFile:
    """A file read into tidy frames, with every problem found while reading it.

    ``observations`` has OBSERVATION_COLUMNS plus ``sheet`` and ``cell``; ``targets`` has TARGET_COLUMNS;
    ``commentary`` has COMMENTARY_COLUMNS plus ``sheet`` and ``cell`` (a return's commentary column).
    """

    file_name: str
    sha256: str
    sheets: list[str]
    observations: pd.DataFrame
    targets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TARGET_COLUMNS))
    commentary: pd.DataFrame = field(default_factory=empty_commentary)
    problems: list[Problem] = field(default_factory=list)
    hidden_sheets: list[str] = field(default_factory=list)  # not read: a hidden sheet is often an old copy
    notes_skipped: int = 0  # text rows and stray text cells beside or below the tables, not read
    layout_by_sheet: dict[str, str] = field(default_factory=dict)  # sheet read -> "tidy" or "wide" ("" for a CSV)
    hidden_rows: int = 0  # rows Excel hides that gave figures, targets or commentary: read like the others

    @property
    def sheets_read(self) -> list[str]:
        """The named sheets figures were read from (a CSV file has none), in workbook order."""
        return self.sheets

    def what_was_read(self) -> str:
        """Which sheets were read, in which layout, and what was left out, for a summary line before loading."""
        return describe_reading(self.layout_by_sheet, self.hidden_sheets, self.notes_skipped, self.hidden_rows,
                                "preview")


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe_reading(layout_by_sheet: dict[str, str], hidden: list[str], notes: int, hidden_rows: int = 0,
                     stage: str = "read") -> str:
    """``read sheet 'Return' (wide); sheet 'Feb copy' is hidden: not read; 2 notes skipped; 3 rows were
    hidden in Excel and were loaded too: check they are meant to be``, with ``stage`` (a key of
    HIDDEN_ROWS_WORDS) saying what became of the file."""
    parts = []
    named = [f"'{name}' ({layout})" for name, layout in layout_by_sheet.items() if name]
    if named:
        parts.append(f"read sheet{'s' if len(named) > 1 else ''} {_list(named)}")
    elif layout_by_sheet:
        parts.append(f"read as a {next(iter(layout_by_sheet.values()))} table")
    if hidden:
        quoted_names = [f"'{name}'" for name in hidden]
        parts.append(f"sheet{'s' if len(hidden) > 1 else ''} {_list(quoted_names)} "
                     f"{'are' if len(hidden) > 1 else 'is'} hidden: not read")
    if notes:
        parts.append(f"{notes:,} note{'s' if notes != 1 else ''} skipped")
    if hidden_rows:
        one, several = HIDDEN_ROWS_WORDS[stage]
        parts.append(one if hidden_rows == 1 else several.format(count=hidden_rows))
    return "; ".join(parts)


@dataclass
class ImportReport:
    """What happened to one file. ``problems`` holds every problem found (the command line shows the
    first few and counts the rest; a preview can list them all); ``parsed`` the figures read."""

    file_name: str
    status: str  # loaded, unchanged, rejected or busy (another import held the database)
    problems: list[Problem] = field(default_factory=list)
    outcome: BatchOutcome | None = None
    sheets_read: list[str] = field(default_factory=list)
    hidden_sheets: list[str] = field(default_factory=list)
    notes_skipped: int = 0
    layout_by_sheet: dict[str, str] = field(default_factory=dict)
    parsed: ParsedFile | None = field(default=None, repr=False)
    same_as_batch: int | None = None  # an unchanged file recognised without reading it: the batch that loaded it
    hidden_rows: int = 0  # rows Excel hides that gave figures, targets or commentary

    @property
    def stage(self) -> str:
        """What became of the file's figures, for HIDDEN_ROWS_WORDS."""
        return "loaded" if self.status in ("loaded", "unchanged") else "read"

    @property
    def ok(self) -> bool:
        return self.status not in ("rejected", "busy")

    def summary(self) -> str:
        detail = describe_reading(self.layout_by_sheet, self.hidden_sheets, self.notes_skipped, self.hidden_rows,
                                  self.stage)
        tail = f"; {detail}" if detail else ""
        if self.status == "busy":
            return f"{self.file_name}: not loaded: {BUSY_TEXT}"
        if self.status == "rejected":
            count = len(self.problems)
            return f"{self.file_name}: rejected, {count:,} problem{'s' if count != 1 else ''}; nothing was loaded{tail}"
        o = self.outcome
        assert o is not None
        if self.status == "unchanged" and o.rows == 0:
            return f"{self.file_name}: no figures in the file; nothing to load{tail}"
        if self.status == "unchanged" and self.same_as_batch is not None:
            return (f"{self.file_name}: unchanged, all {o.unchanged} values already loaded (the same file as "
                    f"batch {self.same_as_batch}, with nothing it loaded changed since: not read again)")
        if self.status == "unchanged":
            return f"{self.file_name}: unchanged, all {o.unchanged} values already loaded{tail}"
        notes = f", {count_words(o.commentary_set, 'commentary', 'commentaries')}" if o.commentary_set else ""
        return (
            f"{self.file_name}: loaded as batch {o.batch_id}: {o.inserted} new, {o.replaced} replaced, "
            f"{o.unchanged} unchanged values, {o.targets_set} targets{notes}{tail}"
        )


def report_for(parsed: ParsedFile, status: str, problems: list[Problem] | None = None,
               outcome: BatchOutcome | None = None) -> ImportReport:
    return ImportReport(parsed.file_name, status, parsed.problems if problems is None else problems, outcome,
                        list(parsed.sheets), list(parsed.hidden_sheets), parsed.notes_skipped,
                        dict(parsed.layout_by_sheet), parsed, hidden_rows=parsed.hidden_rows)


def unreadable(file_name: str, error: BaseException, rule: Rule = Rule.UNREADABLE_FILE) -> ImportReport:
    """A file the reader (or, with Rule.NOT_LOADED, the database) failed on in a way nobody foresaw:
    refused with a sentence, never a traceback."""
    what = str(error).splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, IsADirectoryError):
        what = "it is a folder, not a file"
    elif isinstance(error, PermissionError) and error.errno is not None:  # the file system's, not a grant's
        what = "permission to read it was refused"
    advice = UNREADABLE_ADVICE if rule is Rule.UNREADABLE_FILE else "nothing was loaded; the database is as it was"
    problem = Problem(file_name, "", "", rule, what, advice)
    return ImportReport(file_name, "rejected", [problem])


def sha256_of(path: Path | bytes) -> str:
    if isinstance(path, bytes):
        return hashlib.sha256(path).hexdigest()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def plural(count: int, one: str, several: str | None = None) -> str:
    """'1 problem', '3 problems'."""
    return f"{count:,} {one if count == 1 else (several or one + 's')}"


@dataclass
class FileInSet:
    """One file of a set as it was read: its figures, what was read of it and its own problems."""

    name: str
    size_bytes: int
    sha256: str
    values: int = 0
    problems: list[Problem] = field(default_factory=list)
    layout_by_sheet: dict[str, str] = field(default_factory=dict)
    hidden_sheets: list[str] = field(default_factory=list)
    notes_skipped: int = 0
    hidden_rows: int = 0
    described: str = ""  # what was read of a file that gives no figures itself (a 903 table: its rows)

    def line(self, stage: str = "read") -> str:
        """``a.xlsx: 12 values; read sheet 'Return' (wide)`` or ``b.csv: rejected, 2 problems``, with ``stage``
        (a key of HIDDEN_ROWS_WORDS) saying what became of the set."""
        if self.problems:
            return f"{self.name}: rejected, {plural(len(self.problems), 'problem')}"
        if self.described:
            return self.described
        detail = describe_reading(self.layout_by_sheet, self.hidden_sheets, self.notes_skipped, self.hidden_rows,
                                  stage)
        return f"{self.name}: {plural(self.values, 'value')}" + (f"; {detail}" if detail else "")


@dataclass
class SetReport:
    """What happened to a set of files loaded as one batch: loaded, unchanged, rejected or busy, for all of
    its files together. ``problems`` holds every problem of every file and between files."""

    name: str  # the set's name as the history shows it
    status: str
    files: list[FileInSet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    outcome: BatchOutcome | None = None
    same_as_batch: int | None = None  # an unchanged set recognised without reading it: the batch that loaded it
    # A 903 set: DfE's rule problems (loaders.ssda903.model.Problem903, naming children: shown, never stored),
    # which do not refuse it, and what its reading left out.
    findings: list = field(default_factory=list, repr=False)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status not in ("rejected", "busy")

    def file_lines(self) -> list[str]:
        """One line per file of the set, in its order."""
        stage = "loaded" if self.status in ("loaded", "unchanged") else "read"
        return [entry.line(stage) for entry in self.files]

    def refused_files(self) -> list[str]:
        """The files with a problem, in the set's order (a problem between files names the later file)."""
        named = {p.file for p in self.problems}
        return [f.name for f in self.files if f.name in named] or sorted(named)

    def summary(self) -> str:
        if self.status == "busy":
            return f"{self.name}: not loaded: {BUSY_TEXT}"
        if self.status == "rejected":
            files = self.refused_files()
            where = f" in {', '.join(files)}" if files else ""
            return (f"{self.name}: rejected, {plural(len(self.problems), 'problem')}{where}; nothing was loaded "
                    "from any file of the set")
        o = self.outcome
        assert o is not None
        if self.status == "unchanged" and o.rows == 0:
            return f"{self.name}: no figures in its files; nothing to load"
        if self.status == "unchanged" and self.same_as_batch is not None:
            return (f"{self.name}: unchanged, all {o.unchanged} values already loaded (the same files as batch "
                    f"{self.same_as_batch}, with nothing it loaded changed since: not read again)")
        if self.status == "unchanged":
            return f"{self.name}: unchanged, all {o.unchanged} values already loaded"
        notes = f", {count_words(o.commentary_set, 'commentary', 'commentaries')}" if o.commentary_set else ""
        return (f"{self.name}: loaded as batch {o.batch_id}: {o.inserted} new, {o.replaced} replaced, "
                f"{o.unchanged} unchanged values, {o.targets_set} targets{notes}")

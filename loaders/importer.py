"""The one path every file takes into the database: parse, check everything, then write or refuse.

Returns, the sample council's files and DfE's published tables all end here, so batch history,
validation and atomicity are the same for each.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

import settings
from access import User, require_editor
from db.commentary_writes import COMMENTARY_COLUMNS
from db.writes import OBSERVATION_COLUMNS, TARGET_COLUMNS, BatchInfo, BatchOutcome, ImportBusy, apply_batch
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
    elif isinstance(error, PermissionError):
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


def load_parsed(
    engine: Engine, parsed: ParsedFile, source: str, imported_by: str, note: str = "",
    reader_version: str = "", default_area: str = "",
) -> ImportReport:
    """Write a parsed file if it has no problems; otherwise refuse it whole and touch nothing.

    ``reader_version`` and ``default_area`` are recorded with the batch so that importing the same
    file again can be recognised without reading it (loaders.unchanged); "" records no shortcut.
    """
    if parsed.problems:
        return report_for(parsed, "rejected")
    info = BatchInfo(parsed.file_name, parsed.sha256, source, parsed.sheets, imported_by, note,
                     reader_version=reader_version, default_area=default_area)
    try:
        outcome = apply_batch(engine, info, parsed.observations[OBSERVATION_COLUMNS], parsed.targets[TARGET_COLUMNS],
                              parsed.commentary[COMMENTARY_COLUMNS])
    except ImportBusy:
        return report_for(parsed, "busy", [])
    except OperationalError as error:  # SQLite's own word for a write lock held too long by another import
        if "locked" not in str(error).lower():
            raise
        return report_for(parsed, "busy", [])
    return report_for(parsed, "loaded" if outcome.changed else "unchanged", [], outcome)


def import_file(
    engine: Engine,
    path: Path | str | None = None,
    default_area: str | None = None,
    source: str = "return",
    imported_by: str | None = None,
    released: str | None = None,
    *,
    data: bytes | None = None,
    file_name: str | None = None,
    user: User | None = None,
) -> ImportReport:
    """Read, check and load one return file as one batch in one transaction.

    ``user`` is who loads it: a viewer is refused (access.NotAnEditor) before anything is read, and
    the batch records ``user.login``. Without a user, ``imported_by`` (else the operating-system login)
    is recorded, for first-start loads and scripts that run as the computer's account.

    The file is a path, or for an upload its bytes in ``data`` with its ``file_name`` (the name decides
    the CSV rules and is what the batch history shows); both take the same path from here on.
    DfE's published tables (recognised by their columns) load as published batches instead;
    ``released`` ('YYYY-MM') dates a statistical neighbour release whose name gives no month.

    ``default_area`` (ONS code, DfE number or name) files rows that name no area; without it the
    configured home area is used. Raises ValueError for an unknown ``default_area`` and
    FileNotFoundError for a missing path; every problem inside the file is reported, not raised, and
    a file the reader fails on unexpectedly is rejected with a sentence saying so. Another import
    holding the database for longer than the lock timeout gives a report with status "busy".

    The same bytes loaded before, read by the same reader version with the same default area and
    source, and untouched since by any later batch or undo, are reported unchanged without being
    read (loaders.unchanged): reading a big return costs seconds, the check a few queries.
    """
    from loaders.returns import resolve_default_area  # returns imports this module
    from loaders.unchanged import already_loaded, reader_version

    if user is not None:
        require_editor(user, "load a return")
        imported_by = user.login
    area_code = resolve_default_area(default_area)
    if default_area is not None and area_code is None:
        raise ValueError(f"Unknown area {default_area!r}: give an ONS code, a DfE local authority number or a name")
    if data is None:
        if path is None:
            raise ValueError("import_file needs a path or the file's bytes (data=...)")
        path = Path(path)
        if path.is_dir():
            return unreadable(path.name, IsADirectoryError(str(path)))
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
    name = file_name or (Path(path).name if path is not None else "upload")
    who = imported_by or settings.current_user()
    try:  # first, before reading anything: the same file loaded before, with nothing changed since
        sha = sha256_of(data if data is not None else path)
        before = already_loaded(engine, sha, source, area_code or "")
    except ImportBusy:
        return ImportReport(name, "busy")
    except OSError as error:
        return unreadable(name, error)
    if before is not None:
        outcome, earlier = before
        return ImportReport(name, "unchanged", [], outcome, same_as_batch=earlier)
    try:
        workbook = _workbook_or_none(path, data, name)
        if data is None:
            from loaders.published.load import import_published  # DfE's tables, told apart by their columns

            published = import_published(engine, path, who, released, workbook=workbook)
            if published is not None:
                return published
        parsed = _parse(workbook, path, data, name, default_area, sha)
    except ImportBusy:
        return ImportReport(name, "busy")
    except Exception as error:  # noqa: BLE001 - one unreadable file must not stop the others
        return unreadable(name, error)
    return load_parsed(engine, parsed, source, who, reader_version=reader_version(), default_area=area_code or "")


def _parse(workbook, path: Path | None, data: bytes | None, name: str, default_area: str | None,
           sha: str) -> ParsedFile:
    """A return read and checked in full, from the workbook already opened or as text."""
    from loaders.returns import read_return, read_return_workbook

    if workbook is not None:
        return read_return_workbook(workbook, name, default_area, sha)
    return read_return(path, default_area, data=data, file_name=name)


def parse_return(data: bytes, file_name: str, default_area: str | None = None) -> ParsedFile | ImportReport:
    """An uploaded return read and checked exactly as ``import_file`` reads it, writing nothing: for a
    preview. A file the reader fails on gives a rejected report with a sentence, never a traceback."""
    try:
        return _parse(_workbook_or_none(None, data, file_name), None, data, file_name, default_area,
                      sha256_of(data))
    except Exception as error:  # noqa: BLE001 - an unreadable upload is a sentence on the page
        return unreadable(file_name, error)


def _workbook_or_none(path: Path | None, data: bytes | None, name: str):
    """The file read once as a workbook, when it is one, so recognising DfE's tables and reading a
    return share one (capped, hardened) read; None for text and parquet files, or a file that cannot
    be read (the return reader then says why, naming the file)."""
    from loaders.workbook import NotAWorkbook, read_workbook

    head = data[:8] if data is not None else path.open("rb").read(8)  # type: ignore[union-attr]
    if not (head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0")):
        return None
    try:
        return read_workbook(data if data is not None else path, file_name=name)
    except NotAWorkbook:
        return None


def import_files(
    engine: Engine,
    paths: list[Path | str],
    default_area: str | None = None,
    source: str = "return",
    imported_by: str | None = None,
) -> list[ImportReport]:
    """Each file on its own: a rejected file does not stop the others, and each is its own batch."""
    return [import_file(engine, path, default_area, source, imported_by) for path in paths]

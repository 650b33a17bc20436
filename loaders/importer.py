"""The one way into the database: what it is given decides how it is read, then everything is checked,
then written as one batch or refused whole.

One return (``import_file``), one of DfE's published tables (recognised by its columns, inside
``import_file``) or a set of files that belong together (``import_set``: several files, a folder or a
zip, read and checked together and written as one batch). Returns, the sample council's files, DfE's
tables and sets all end in loaders.batch, so batch history, validation and atomicity are the same for
each. The types they hand back live in loaders.report, which the readers share without importing this
module; they are named here too, as they always were.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select

import settings
from access import NotAnEditor, User, require_editor
from access.users import council_words
from db.models import SSDA903, ImportBatch
from db.writes import BatchInfo, ImportBusy
from loaders.batch import load_parsed, write_batch
from loaders.councils import EXPECTED_OWN, council_problems, shared_figures_problem, with_council_check
from loaders.members import NotASet, set_members
from loaders.problems import Problem, Rule
from loaders.published.load import import_published
from loaders.report import (
    BUSY_TEXT,
    HIDDEN_ROWS_WORDS,
    PROVENANCE_COLUMNS,
    UNREADABLE_ADVICE,
    FileInSet,
    ImportReport,
    ParsedFile,
    SetReport,
    describe_reading,
    report_for,
    sha256_of,
    unreadable,
)
from loaders.returns import read_return_from, resolve_default_area
from loaders.sets import fingerprint, read_set, set_name
from loaders.ssda903.load import import_903, set_fingerprint
from loaders.ssda903.read import is_903_member
from loaders.unchanged import already_loaded, reader_version
from loaders.workbook import workbook_or_none

__all__ = [  # the shared types, named here as they always were (they live in loaders.report)
    "BUSY_TEXT", "HIDDEN_ROWS_WORDS", "PROVENANCE_COLUMNS", "UNREADABLE_ADVICE", "ImportReport", "ParsedFile",
    "SetReport", "describe_reading", "import_file", "import_files", "import_set", "load_parsed", "parse_return",
    "report_for", "sha256_of", "unreadable",
]


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
    shared: Engine | None = None,
) -> ImportReport:
    """Read, check and load one return file as one batch in one transaction.

    ``user`` is who loads it: a viewer is refused (access.NotAnEditor) before anything is read, and
    the batch records ``user.login``. Without a user, ``imported_by`` (else the operating-system login)
    is recorded, for first-start loads and scripts that run as the computer's account.

    The file is a path, or for an upload its bytes in ``data`` with its ``file_name`` (the name decides
    the CSV rules and is what the batch history shows); both take the same path from here on.
    DfE's published tables (recognised by their columns) load as published batches instead;
    ``released`` ('YYYY-MM') dates a statistical neighbour release whose name gives no month. They are
    every council's: written with ``shared`` (the database owner's engine, for its administrator) when
    given; else, once anyone holds a grant, refused (loaders.councils.shared_figures_problem).

    ``default_area`` (ONS code, DfE number or name) files rows that name no area; without it the
    configured home area is used. Raises ValueError for an unknown ``default_area`` and
    FileNotFoundError for a missing path; every problem inside the file is reported, not raised, and
    a file the reader fails on unexpectedly is rejected with a sentence saying so. Another import
    holding the database for longer than the lock timeout gives a report with status "busy".

    The same bytes loaded before, read by the same reader version with the same default area and
    source, and untouched since by any later batch or undo, are reported unchanged without being
    read (loaders.unchanged): reading a big return costs seconds, the check a few queries.
    """
    # With ``shared`` the person holds the database owner's credentials: DfE's tables need no editor's grant
    # then (they are the administrator's to load), a council's return still does (checked once it is known).
    area_code, who = _area_and_who(default_area, imported_by or (user.login if user else None),
                                   user if shared is None else None, "load a return")
    if data is None:
        if path is None:
            raise ValueError("import_file needs a path or the file's bytes (data=...)")
        path = Path(path)
        if path.is_dir():
            return unreadable(path.name, IsADirectoryError(str(path)))
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
    name = file_name or (Path(path).name if path is not None else "upload")
    try:  # first, before reading anything: the same file loaded before, with nothing changed since
        sha = sha256_of(data if data is not None else path)
        before = already_loaded(engine, sha, source, area_code)
    except ImportBusy:
        return ImportReport(name, "busy")
    except OSError as error:
        return unreadable(name, error)
    if before is not None and _may_reuse(engine, before[1], user):
        outcome, earlier = before
        return ImportReport(name, "unchanged", [], outcome, same_as_batch=earlier)
    try:
        workbook = workbook_or_none(path, data, name)
        if data is None:  # DfE's tables, told apart by their columns
            refused = None if shared is not None else shared_figures_problem(name, user)
            published = import_published(shared or engine, path, who, released, workbook=workbook, refused=refused)
            if published is not None:
                return published
        if shared is not None and user is not None:
            require_editor(user, "load a return")
        parsed = with_council_check(read_return_from(workbook, path, data, name, default_area, sha), user)
    except ImportBusy:
        return ImportReport(name, "busy")
    except NotAnEditor:  # said by whoever called, as when it is raised before the file is read
        raise
    except Exception as error:  # noqa: BLE001 - one unreadable file must not stop the others
        return unreadable(name, error)
    return load_parsed(engine, parsed, source, who, reader_version=reader_version(), default_area=area_code)


def parse_return(data: bytes, file_name: str, default_area: str | None = None) -> ParsedFile | ImportReport:
    """An uploaded return read and checked exactly as ``import_file`` reads it, writing nothing: for a
    preview. A file the reader fails on gives a rejected report with a sentence, never a traceback."""
    try:
        return read_return_from(workbook_or_none(None, data, file_name), None, data, file_name, default_area,
                                sha256_of(data))
    except Exception as error:  # noqa: BLE001 - an unreadable upload is a sentence on the page
        return unreadable(file_name, error)


def import_files(
    engine: Engine,
    paths: list[Path | str],
    default_area: str | None = None,
    source: str = "return",
    imported_by: str | None = None,
) -> list[ImportReport]:
    """Each file on its own: a rejected file does not stop the others, and each is its own batch."""
    return [import_file(engine, path, default_area, source, imported_by) for path in paths]


def _import_903_set(engine: Engine, given: list[Path], members: list, name: str, sha: str,
                    collection_year: int | None, area_code: str, who: str, user: User | None) -> SetReport:
    """A 903 set, recognised without reading it when the same files for the same year loaded before.

    A 903 is one council's (the home council's, or the one named): once grants exist, only an editor of that
    council may load it."""
    if user is not None and user.edits is not None and area_code not in user.edits:
        mine = ", ".join(council_words(c) for c in sorted(user.edits)) or "none"
        problem = Problem(name, "", "", Rule.NOT_YOUR_COUNCIL, council_words(area_code), EXPECTED_OWN.format(councils=mine))
        return SetReport(name, "rejected", [FileInSet(m.name, m.size_bytes, m.sha256) for m in members], [problem])
    sha = set_fingerprint(members, collection_year, sha)
    before = already_loaded(engine, sha, SSDA903, area_code)
    if before is not None and _may_reuse(engine, before[1], user):
        outcome, earlier = before
        listed = [FileInSet(m.name, m.size_bytes, m.sha256) for m in members]
        return SetReport(name, "unchanged", listed, [], outcome, same_as_batch=earlier)
    return import_903(engine, members, name, sha, collection_year, area_code, who, reader_version(),
                      given_in(given, members))


def given_in(given: list[Path], members: list) -> dict[str, str]:
    """The name of the folder or zip each member was given in (a file given on its own: its folder), where a
    903 file's collection year may be written when its own name gives none."""
    out = {}
    for member in members:
        for path in given:
            if member.path == path:
                out[member.name] = path.resolve().parent.name
            elif path.is_dir() and path in member.path.parents or (
                    path.suffix.lower() == ".zip" and any(p.name.endswith(f"-{path.stem}") for p in member.path.parents)):
                out[member.name] = path.name
    return out
def _may_reuse(engine: Engine, earlier: int, user: User | None) -> bool:
    """Whether the same file's earlier load may answer for this one: always without grants; with grants only
    when the earlier batch is a council the person may change (else the file is read, and refused for
    naming a council they may not change, never told apart as 'loaded before' by someone else)."""
    if user is None or user.edits is None:
        return True
    with engine.connect() as connection:
        council = connection.execute(select(ImportBatch.council_code).where(ImportBatch.id == earlier)).scalar()
    return council is not None and (council == "" or council in user.edits)


def _area_and_who(default_area: str | None, imported_by: str | None, user: User | None,
                  doing: str) -> tuple[str, str]:
    """The area rows without one go to (ValueError when unknown) and who the batch records."""
    if user is not None:
        require_editor(user, doing)
        imported_by = user.login
    area_code = resolve_default_area(default_area)
    if default_area is not None and area_code is None:
        raise ValueError(f"Unknown area {default_area!r}: give an ONS code, a DfE local authority number or a name")
    return area_code or "", imported_by or settings.current_user()


def import_set(
    engine: Engine,
    paths: list[Path | str],
    default_area: str | None = None,
    source: str = "return",
    imported_by: str | None = None,
    *,
    user: User | None = None,
    collection_year: int | None = None,
) -> SetReport:
    """Read, check and load a set of files that belong together as ONE batch in one transaction.

    A set holding the SSDA903 return's tables (or its XML form) is read as a 903 set
    (loaders.ssda903.load): its measures computed and stored as figures of origin ``ssda903``, with
    ``collection_year`` (the year ending 31 March) for files whose names give none.

    ``paths`` are the set's files, or one folder, or one zip (loaders.members). Every file is read as
    it would be on its own, then the set as a whole (loaders.sets: one figure, one target for any period
    and one commentary per figure across its files). Any problem in any file refuses the whole set and
    the database is left as it was; otherwise its figures are one batch, with each file's name, size
    and sha256 in the history, and one undo takes them all back. The same files loaded before, with
    nothing changed since, are recognised without being read, as ``import_file`` recognises one file.
    ``user``, ``imported_by``, ``default_area`` and ``source`` are as for ``import_file``.
    """
    area_code, who = _area_and_who(default_area, imported_by, user, "load a set of files")
    given = [Path(p) for p in paths]
    try:
        with set_members(given) as members:
            name = set_name([p.name for p in given], members)
            listed = [FileInSet(m.name, m.size_bytes, m.sha256) for m in members]
            sha = fingerprint(members)
            if any(is_903_member(m) for m in members):
                return _import_903_set(engine, given, members, name, sha, collection_year, area_code, who, user)
            before = already_loaded(engine, sha, source, area_code)
            if before is not None and _may_reuse(engine, before[1], user):
                outcome, earlier = before
                return SetReport(name, "unchanged", listed, [], outcome, same_as_batch=earlier)
            parsed = read_set(name, members, default_area)
            if parsed.combined is not None:
                parsed.problems = [*parsed.problems, *council_problems(parsed.combined, user)]
    except NotASet as refused:
        return SetReport(refused.problem.file, "rejected", [], [refused.problem])
    except ImportBusy:
        return SetReport(", ".join(p.name for p in given), "busy")
    if parsed.problems or parsed.combined is None:
        return SetReport(name, "rejected", parsed.files, parsed.problems)
    info = BatchInfo(name, sha, source, [], who, reader_version=reader_version(), default_area=area_code,
                     files=parsed.batch_files())
    try:
        outcome = write_batch(engine, info, parsed.combined)
    except Exception as error:  # noqa: BLE001 - the database refused in a way nobody foresaw: a sentence, not a traceback
        return SetReport(name, "rejected", parsed.files, unreadable(name, error, Rule.NOT_LOADED).problems)
    if outcome is None:
        return SetReport(name, "busy", parsed.files)
    return SetReport(name, "loaded" if outcome.changed else "unchanged", parsed.files, [], outcome)

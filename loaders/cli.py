"""The command line for performance officers: load returns, export every stored value, get a template.

    python -m loaders import FILE... [--area CODE] [--db URL]
    python -m loaders import --set FILE... | FOLDER | ZIP [--area CODE] [--db URL]
    python -m loaders export [--measure CODE] [--area CODE] [--public] [--db URL] > values.csv
    python -m loaders template [--output FILE]
    python -m loaders history [--db URL]
    python -m loaders undo BATCH [--yes] [--db URL]
    python -m loaders check FILE... | FOLDER | ZIP [--collection-year YEAR] [--problems-csv OUT]
    python -m loaders backup FILE [--db URL]
    python -m loaders restore FILE [--force] [--db URL]

Each file is loaded as its own batch in its own transaction: a rejected file changes nothing and
does not stop the files after it, whatever went wrong with it. With --set the files (or every file of
one folder or zip) are one set: read and checked together and loaded as one batch, or refused whole. The exit status is 1 when any file was
rejected, 2 for a mistake on the command line (an unknown area or measure, a database that cannot be
opened), and 3 when no file was rejected but one could not be loaded because another import held the
database (run it again), so scripts can tell them apart.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

import settings
from access import NotAnEditor
from access.grants import access_for, command_line_user
from access.users import os_login
from db.backup import BackupError, RestoreRefused, backup, restore
from db.batch_files import files_by_batch
from db.engine import connect, database_url, owner_engine_for
from db.queries import batches
from db.scope import set_scope
from db.undo import UndoRefused, undo_batch, undone_batches
from db.writes import ImportBusy
from loaders.export import write_export
from loaders.importer import import_file, import_set, unreadable
from loaders.problems import Rule
from loaders.published.release_date import ReleaseDateError, parse_released
from loaders.report import plural
from loaders.returns import resolve_default_area
from loaders.ssda903.check_command import run_check
from loaders.ssda903.detect import holds_903
from loaders.ssda903.years import years_in
from loaders.template import write_template
from metrics.formatting import count_words, moment_text
from reference.stored import use_stored_reference

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
PROBLEMS_LISTED = 50  # per file on the command line; the report keeps every one
# Database drivers by the module SQLAlchemy imports -> the package that provides it.
DRIVER_PACKAGES = {"psycopg": "psycopg", "psycopg2": "psycopg2-binary", "pymysql": "pymysql",
                   "MySQLdb": "mysqlclient", "pyodbc": "pyodbc", "oracledb": "oracledb"}
DEFAULT_TEMPLATE = Path("return_template.xlsx")
STDOUT = "-"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders",
        description="Load council returns into the dashboard's database, export what it holds, "
        "or write a blank return template.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    db_help = f"database URL (default: ${settings.DB_URL.env}, else {settings.DB_URL.default})"

    load = commands.add_parser(
        "import",
        help="load return files (.xlsx or .csv) or DfE's published tables",
        description="Load return files (.xlsx or .csv, tidy or wide layout) or DfE's published tables "
        "(Explore Education Statistics CSVs, LAIT's data, statistical neighbour releases, the area list), "
        "each told apart by its columns. Each file is checked in full "
        "first: a file with any problem is refused whole and every problem is listed with its sheet and "
        "cell. Loading the same file twice changes nothing; a later figure for the same measure, area "
        "and period replaces the earlier one, which stays in the history.",
    )
    load.add_argument("files", nargs="+", metavar="FILE", type=Path, help="return workbooks or CSV files")
    load.add_argument(
        "--area",
        help="area for rows that name none, by ONS code, DfE number or name "
        f"(default: ${settings.HOME_AREA.env}, else {settings.HOME_AREA.default})",
    )
    load.add_argument("--db", metavar="URL", help=db_help)
    load.add_argument(
        "--set", action="store_true", dest="as_set",
        help="load the files, or every file of one folder or zip, as one set: one batch, one undo, refused "
        "whole if any file has a problem",
    )
    load.add_argument(
        "--collection-year", metavar="YEAR", type=_collection_year, dest="collection_year",
        help="for the SSDA903 return's files whose names (and folders' names) give no collection year: the year "
        "ending 31 March it is for (e.g. 2025 for 2024-25)",
    )
    load.add_argument(
        "--released", metavar="YYYY-MM", type=_released,
        help="the month DfE released a statistical neighbour file, when its name does not say (e.g. 2025-05)",
    )

    export = commands.add_parser(
        "export",
        help="write stored values as CSV on standard output",
        description="Write every stored value as CSV on standard output. A suppressed or unavailable "
        "figure has an empty value and its symbol in the status column, never a zero.",
    )
    export.add_argument("--measure", help="only this measure (code, name or alias)")
    export.add_argument("--area", help="only this area (ONS code, DfE number or name)")
    export.add_argument(
        "--public", action="store_true",
        help="for a Part 1 public paper: counts below DASHBOARD_PUBLIC_THRESHOLD (5), and percentages whose "
        "numerator or denominator is below it, are written as status c with empty numbers",
    )
    export.add_argument(
        "--as", dest="as_login", metavar="LOGIN",
        help="what this person (login or e-mail address) may see: with grants, their councils' own figures and "
        "DfE's published ones (published ones only for someone with no grant); default DASHBOARD_USER, else "
        "the operating-system login",
    )
    export.add_argument("--db", metavar="URL", help=db_help)

    template = commands.add_parser(
        "template",
        help="write a blank return workbook",
        description="Write the blank return workbook that loads with 'import' once filled in.",
    )
    template.add_argument(
        "--output", "-o", default=str(DEFAULT_TEMPLATE), metavar="FILE",
        help=f"where to write it (default: {DEFAULT_TEMPLATE} in the current folder; '-' for standard output)",
    )

    history = commands.add_parser(
        "history", help="list every batch, newest first",
        description="List every batch that changed the database, newest first: its id, file, who loaded it "
        "and when, and how many values were new, replaced or unchanged.",
    )
    history.add_argument("--db", metavar="URL", help=db_help)

    undo = commands.add_parser(
        "undo", help="undo one batch",
        description="Undo one batch: the values it replaced come back exactly as they were and the values it "
        "added go. The undo is itself recorded as a batch. Refused when a later batch changed the same figures.",
    )
    undo.add_argument("batch", type=int, metavar="BATCH", help="the batch id, as 'history' lists it")
    undo.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    undo.add_argument("--db", metavar="URL", help=db_help)

    check903 = commands.add_parser(
        "check", help="check a council's SSDA903 files with DfE's validation rules",
        description="Check a council's SSDA903 files (several files, one folder or one zip, one or more collection "
        "years) with DfE's validation rules, storing nothing. Each problem is listed with DfE's rule code and "
        "message, the table, the row as a spreadsheet shows it and the child (columns rule, table, row, child, "
        "message, then file and collection_year). Exit status 0 with no problem, 1 with any, 2 when the set "
        "cannot be read with certainty.",
    )
    check903.add_argument("files", nargs="+", metavar="FILE", type=Path, help="the 903 files, one folder or one zip")
    check903.add_argument("--collection-year", type=int, metavar="YEAR",
                          help="the year ending 31 March (2025 for 2024-25) of files whose names give none")
    check903.add_argument("--problems-csv", type=Path, metavar="OUT",
                          help="write the problems to this CSV file instead of standard output")
    owner_help = (f"database URL (default: ${settings.OWNER_DB_URL.env}, the schema's owner, else "
                  f"${settings.DB_URL.env}, else {settings.DB_URL.default})")
    save = commands.add_parser(
        "backup", help="back up the whole database to one file",
        description="Write the whole database to FILE while the dashboard goes on being used: a SQLite file "
        "(SQLite's online backup), or on PostgreSQL pg_dump's custom format, made as the schema's owner.",
    )
    save.add_argument("file", type=Path, metavar="FILE", help="the backup file to write (replaced if it exists)")
    save.add_argument("--db", metavar="URL", help=owner_help)

    back = commands.add_parser(
        "restore", help="replace the database with a backup",
        description="Replace everything the database holds with a backup 'backup' wrote. Refused when the "
        "database holds batches loaded after the backup's newest, unless --force.",
    )
    back.add_argument("file", type=Path, metavar="FILE", help="the backup file")
    back.add_argument("--force", action="store_true",
                      help="restore even over batches loaded after the backup was made (they are lost)")
    back.add_argument("--db", metavar="URL", help=owner_help)
    return parser


def _collection_year(text: str) -> int:
    """2025, or 2024-25, as the year ending 31 March."""
    found = years_in(text.strip())
    if text.strip().isdigit() and len(text.strip()) == 4:
        return int(text.strip())
    if len(found) == 1:
        return found.pop()
    raise argparse.ArgumentTypeError(f"{text!r} is not a collection year: give the year it ends, such as 2025 for 2024-25")


def _released(text: str) -> str:
    try:
        parse_released(text)
    except ReleaseDateError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
    return text.strip()


class DatabaseUnavailable(Exception):
    """The database URL cannot be opened; the message says which and why."""


def _shown_url(url: str) -> str:
    """The URL as it may be printed: a password in it is masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a URL at all: nothing in it to hide
        return url


def _engine(url: str | None):
    full = database_url(url)
    shown = _shown_url(full)
    try:
        return connect(full)
    except ImportError as error:  # the driver the URL names is not installed
        module = (getattr(error, "name", None) or "").split(".")[0]
        package = DRIVER_PACKAGES.get(module, module or "its database driver")
        raise DatabaseUnavailable(
            f"Cannot open the database {shown!r}: the Python package {package!r} that talks to it is not "
            f"installed; install it (pip install {package}) or give another --db URL"
        ) from error
    except (SQLAlchemyError, OSError) as error:
        raise DatabaseUnavailable(
            f"Cannot open the database {shown!r}: {error.__class__.__name__}: {error}".splitlines()[0]
        ) from error
    except Exception as error:  # noqa: BLE001 - any other driver trouble is still one sentence, not a traceback
        raise DatabaseUnavailable(
            f"Cannot open the database {shown!r}: {error.__class__.__name__}: {error}".splitlines()[0]
        ) from error


def print_report(report) -> None:
    """The summary line, then the first problems with a count of the rest (the report keeps them all)."""
    print(report.summary())
    for problem in report.problems[:PROBLEMS_LISTED]:
        print(f"  - {problem.message()}")
    rest = len(report.problems) - PROBLEMS_LISTED
    if rest > 0:
        print(f"  ... and {rest:,} more problem{'s' if rest != 1 else ''}")


def findings_lines(findings: list) -> list[str]:
    """DfE's rule problems in a 903 set, counted by rule, then the first few (rule, table, row, child, message)."""
    if not findings:
        return []
    counts = Counter(p.rule for p in findings)
    lines = [f"{plural(len(findings), 'problem')} by DfE's 903 rules (loaded all the same, as DfE computes its "
             "figures from what councils send): " + ", ".join(f"rule {r}: {n:,}" for r, n in sorted(counts.items()))]
    lines += [f"- rule {p.rule}, {p.where}, child {p.child}: {p.message}" for p in findings[:PROBLEMS_LISTED]]
    rest = len(findings) - PROBLEMS_LISTED
    if rest > 0:
        lines.append(f"... and {rest:,} more")
    return lines


def _unknown_area(area: str | None) -> bool:
    """True, having said so, when ``--area`` names no area."""
    if area is not None and resolve_default_area(area) is None:
        print(
            f"Unknown area {area!r}: give an ONS code (such as E06000049), a DfE local authority number "
            "(such as 895) or an area name (such as Cheshire East).",
            file=sys.stderr,
        )
        return True
    return False


def run_import_set(files: list[Path], area: str | None, db: str | None, collection_year: int | None = None) -> int:
    """The files, or one folder or zip, loaded as one set: one batch, or refused whole."""
    if _unknown_area(area):
        return EXIT_USAGE
    engine = _engine(db)
    use_stored_reference(engine)
    report = import_set(engine, files, default_area=area, user=command_line_user(engine), collection_year=collection_year)
    print(report.summary())
    for line in report.file_lines():
        print(f"  {line}")
    for line in [*report.notes, *findings_lines(report.findings)]:
        print(f"  {line}")
    for problem in report.problems[:PROBLEMS_LISTED]:
        print(f"  - {problem.message()}")
    rest = len(report.problems) - PROBLEMS_LISTED
    if rest > 0:
        print(f"  ... and {rest:,} more problem{'s' if rest != 1 else ''}")
    if report.status == "rejected":
        return EXIT_REJECTED
    return EXIT_BUSY if report.status == "busy" else EXIT_OK


def run_import(files: list[Path], area: str | None, db: str | None, released: str | None = None) -> int:
    if _unknown_area(area):
        return EXIT_USAGE
    engine = _engine(db)

    use_stored_reference(engine)
    results: Counter[str] = Counter()
    for path in files:
        if not path.exists():
            print(f"{path}: rejected, no such file")
            results["rejected"] += 1
            continue
        try:
            report = import_file(engine, path, default_area=area, released=released, user=command_line_user(engine),
                                 shared=owner_engine_for(engine))
        except NotAnEditor:  # a viewer, or someone without an editor's grant: main says so, nothing changed
            raise
        except Exception as error:  # noqa: BLE001 - one bad file never stops the files after it
            report = unreadable(path.name, error, Rule.NOT_LOADED)
        results[report.status] += 1
        if report.status == "loaded":
            use_stored_reference(engine)  # a new area list or release applies to the files after it
        print_report(report)
    if len(files) > 1:
        busy = f", {results['busy']} not loaded (database busy)" if results["busy"] else ""
        print(f"{len(files)} files: {results['loaded']} loaded, {results['unchanged']} unchanged, "
              f"{results['rejected']} rejected{busy}")
    if results["rejected"]:
        return EXIT_REJECTED
    return EXIT_BUSY if results["busy"] else EXIT_OK


def run_export(measure: str | None, area: str | None, db: str | None, public: bool = False,
               as_login: str | None = None) -> int:
    """The export as ``as_login`` (the operator's check of what someone can see), else as DASHBOARD_USER or
    the operating-system login: with grants, another council's own figures are left out."""
    engine = _engine(db)
    access = access_for(engine, as_login or os_login())
    set_scope(access.database_scope)
    try:
        written = write_export(engine, sys.stdout, measure, area, public=public, own_areas=access.sees)
        sys.stdout.flush()
    except ValueError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader (head, a closed spreadsheet import) stopped early: that is its choice, not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    print(f"{written} values written", file=sys.stderr)
    return EXIT_OK


def run_template(output: str) -> int:
    if output == STDOUT:
        write_template(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return EXIT_OK
    path = Path(output)
    write_template(path)
    print(f"Template written to {path.resolve()}")
    return EXIT_OK


def history_lines(engine) -> list[str]:
    """'12 return.xlsx · loaded 03 Dec 2026 08:40 by jsmith · 3 new, 1 replaced, 0 unchanged · sha256 ...'

    With grants, the batches of the councils DASHBOARD_USER (else the operating-system login) may see, and DfE's."""
    access = access_for(engine, os_login())
    set_scope(access.database_scope)
    frame, undone_by, files = batches(engine, access.sees), undone_batches(engine), files_by_batch(engine)
    lines = []
    for row in frame.itertuples(index=False):
        when = moment_text(row.imported_at) or str(row.imported_at)
        what = (row.note if row.source == "undo" else
                f"{row.inserted} new, {row.replaced} replaced, {row.unchanged} unchanged")
        if row.commentary:
            what += f", {count_words(row.commentary, 'commentary', 'commentaries')}"
        undone = f" · undone by batch {undone_by[int(row.id)]}" if int(row.id) in undone_by else ""
        sheets = f" · sheets: {row.sheets}" if row.sheets else ""
        if int(row.id) in files:  # a set loaded as one batch: each of its files
            sheets += " · files: " + ", ".join(f"{f.file_name} ({f.size_bytes:,} bytes, sha256 {f.sha256[:12]})"
                                                for f in files[int(row.id)])
        lines.append(f"{int(row.id)} {row.file_name} · {row.source} · {when} by {row.imported_by} · {what}"
                     f"{sheets}{undone} · sha256 {row.sha256}")
    return lines


def run_history(db: str | None) -> int:
    lines = history_lines(_engine(db))
    print("\n".join(lines) if lines else "No batches: nothing has been loaded yet.")
    return EXIT_OK


def run_undo(batch: int, yes: bool, db: str | None) -> int:
    engine = _engine(db)
    if not yes:
        chosen = [line for line in history_lines(engine) if line.split(" ", 1)[0] == str(batch)]
        if not chosen:
            print(f"There is no batch {batch}; 'python -m loaders history' lists them.", file=sys.stderr)
            return EXIT_USAGE
        print(f"Undo {chosen[0]}?")
        try:
            answer = input("Type yes to undo it: ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was undone.")
            return EXIT_OK
    try:
        outcome = undo_batch(engine, batch, command_line_user(engine))
    except UndoRefused as error:  # (a viewer, or another council's batch: a PermissionError, said by main)
        print(error, file=sys.stderr)
        return EXIT_REJECTED
    print(outcome.summary())
    return EXIT_OK


def _owner_url(db: str | None) -> str:
    """Backups are made and restored as the schema's owner: the only role that may read every row."""
    return db or settings.OWNER_DB_URL.value() or database_url()


def run_backup(file: Path, db: str | None) -> int:
    url = _owner_url(db)
    try:
        newest = backup(url, file)
    except BackupError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    held = f"newest {newest.words()}" if newest else "no batches yet"
    print(f"Backed up {_shown_url(url)} to {file} ({file.stat().st_size:,} bytes; {held}).")
    return EXIT_OK


def run_restore(file: Path, force: bool, db: str | None) -> int:
    try:
        restored = restore(_owner_url(db), file, force)
    except RestoreRefused as error:
        print(error, file=sys.stderr)
        return EXIT_REJECTED
    except BackupError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except SQLAlchemyError as error:
        shown = _shown_url(_owner_url(db))
        print(f"Cannot open the database {shown!r}: {error.__class__.__name__}: {error}".splitlines()[0],
              file=sys.stderr)
        return EXIT_USAGE
    print(restored.summary(file))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "import" and (args.as_set or holds_903(args.files)):
            return run_import_set(args.files, args.area, args.db, args.collection_year)
        if args.command == "import":
            return run_import(args.files, args.area, args.db, args.released)
        if args.command == "export":
            return run_export(args.measure, args.area, args.db, args.public, args.as_login)
        if args.command == "history":
            return run_history(args.db)
        if args.command == "undo":
            return run_undo(args.batch, args.yes, args.db)
        if args.command == "check":
            return run_check(args.files, args.collection_year, args.problems_csv)
        if args.command == "backup":
            return run_backup(args.file, args.db)
        if args.command == "restore":
            return run_restore(args.file, args.force, args.db)
        return run_template(args.output)
    except DatabaseUnavailable as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except ImportBusy as error:
        print(f"{str(error)[:1].upper()}{str(error)[1:]}.", file=sys.stderr)
        return EXIT_BUSY
    except PermissionError as error:  # a viewer, or someone without an editor's grant: a sentence, nothing changed
        print(error, file=sys.stderr)
        return EXIT_REJECTED

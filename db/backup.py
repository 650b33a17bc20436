"""Backing up the whole database to one file, and restoring it.

A backup must be consistent while the app and imports go on using the database: SQLite's online backup API
copies the file as one committed state (the write-ahead log's pages included), and ``pg_dump`` reads one
snapshot. PostgreSQL backups are ``pg_dump``'s custom format, made and restored as the owner of the schema
(the only role the policies let read every council's rows).

A restore replaces everything the database holds. Into an empty database it needs no confirmation; over a
database holding a batch loaded after the backup's newest one it is refused, naming both, unless forced,
so a backup from last month never silently wipes out this week's imports. A backup made by a newer version
of the dashboard (a schema this code does not know) is refused; an older one is brought up to date.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL, make_url

from db.engine import MIGRATIONS_DIR, create, migrate
from db.locks import write_transaction

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
BATCH_TABLE, VERSION_TABLE = "import_batch", "alembic_version"
NEWEST_BATCH_SQL = text(f"SELECT id, file_name, imported_at FROM {BATCH_TABLE} ORDER BY imported_at DESC, id DESC "
                        "LIMIT 1")
POSTGRES_TOOLS_PACKAGE = "postgresql-client"  # Debian's package with pg_dump, pg_restore and psql


class BackupError(Exception):
    """A backup or restore that could not be made; the message says what to do."""


class RestoreRefused(BackupError):
    """The database holds batches newer than the backup's newest: restoring would lose them."""


@dataclass(frozen=True)
class Batch:
    """A batch as a restore names it: its number, file and when it was loaded."""

    id: int
    file_name: str
    imported_at: datetime

    def words(self) -> str:
        return f"batch {self.id} ({self.file_name}, loaded {self.imported_at:%d %b %Y %H:%M} UTC)"


@dataclass(frozen=True)
class Restored:
    """What a restore did: the backup's newest batch, and the database's newest it replaced."""

    backup_newest: Batch | None
    replaced_newest: Batch | None

    def summary(self, path: Path) -> str:
        newest = self.backup_newest.words() if self.backup_newest else "no batches"
        return f"Restored {path.name}: the database now holds the backup, newest {newest}."


def _utc(value: datetime | str) -> datetime:
    """A stored time as UTC: SQLite keeps it without its zone (written in UTC), PostgreSQL with it."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _batch(row) -> Batch | None:
    return None if row is None else Batch(int(row[0]), str(row[1]), _utc(row[2]))


def _kind(url: str) -> str:
    return make_url(url).get_backend_name()


def _sqlite_path(url: str) -> Path:
    return Path(make_url(url).database or "")


# ---- the database's own newest batch ----------------------------------------------------------------------

def newest_batch(engine: Engine) -> Batch | None:
    """The most recently loaded batch in the database; None when it has none (or no schema yet)."""
    if not inspect(engine).has_table(BATCH_TABLE):
        return None
    with engine.connect() as connection:
        return _batch(connection.execute(NEWEST_BATCH_SQL).first())


# ---- PostgreSQL's tools -----------------------------------------------------------------------------------

def _tool(name: str) -> str:
    """The newest installed ``pg_dump``, ``pg_restore`` or ``psql`` (one at least as new as the server)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    path = found[-1] if found else shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client tools "
                          f"(apt-get install {POSTGRES_TOOLS_PACKAGE}) and run the command again")
    return path


def _libpq(url: str) -> tuple[list[str], dict[str, str]]:
    """``--dbname`` for PostgreSQL's tools, and the environment that carries the password (never the
    command line, which other users of the server can read)."""
    parsed: URL = make_url(url)
    parts = {"host": parsed.host, "port": parsed.port, "user": parsed.username, "dbname": parsed.database,
             **{k: v for k, v in parsed.query.items() if isinstance(v, str)}}
    conninfo = " ".join(f"{k}='{str(v)}'" for k, v in parts.items() if v not in (None, ""))
    environment = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if parsed.password:
        environment["PGPASSWORD"] = str(parsed.password)
    return [f"--dbname={conninfo}", "--no-password"], environment


def _run(arguments: list[str], environment: dict[str, str], what: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(arguments, input=stdin, capture_output=True, env=environment, check=False)
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BackupError(f"{what} failed: {said[0] if said else 'exit status ' + str(done.returncode)}")
    return done.stdout


def _copy_rows(dump: Path, table: str) -> list[dict[str, str | None]]:
    """A table's rows in a custom-format dump, read with ``pg_restore`` (COPY's text format)."""
    script = _run([_tool("pg_restore"), "--data-only", f"--table={table}", "--file=-", str(dump)],
                  dict(os.environ), f"Reading {dump.name}").decode("utf-8")
    rows, columns = [], None
    for line in script.splitlines():
        if columns is None:
            if line.startswith("COPY ") and "FROM stdin" in line:
                columns = [c.strip().strip('"') for c in line.split("(", 1)[1].split(")", 1)[0].split(",")]
            continue
        if line == "\\.":
            break
        values = [None if v == "\\N" else v.replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\")
                  for v in line.split("\t")]
        rows.append(dict(zip(columns, values, strict=True)))
    return rows


# ---- what a backup file holds ------------------------------------------------------------------------------

@dataclass(frozen=True)
class BackupContents:
    revision: str | None
    newest: Batch | None


def _read_backup(path: Path, kind: str) -> BackupContents:
    if kind == "sqlite":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = (connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone() or [None])[0] \
                if VERSION_TABLE in tables else None
            newest = _batch(connection.execute(str(NEWEST_BATCH_SQL)).fetchone()) if BATCH_TABLE in tables else None
        connection.close()
        return BackupContents(revision, newest)
    versions = _copy_rows(path, VERSION_TABLE)
    batches = [Batch(int(r["id"] or 0), r["file_name"] or "", _utc(r["imported_at"] or ""))
               for r in _copy_rows(path, BATCH_TABLE)]
    return BackupContents(versions[0]["version_num"] if versions else None,
                          max(batches, key=lambda b: (b.imported_at, b.id), default=None))


def _backup_kind(path: Path) -> str:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_HEADER))
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PG_DUMP_HEADER):
        return "postgresql"
    raise BackupError(f"{path.name} is not a dashboard backup (neither a SQLite database nor a PostgreSQL "
                      "custom-format dump): give the file 'python -m loaders backup' wrote")


# ---- backup -----------------------------------------------------------------------------------------------

def backup(url: str, path: Path) -> Batch | None:
    """Write the whole database to ``path`` (replacing it only once the backup is complete); returns the
    newest batch it holds."""
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give a file name for the backup")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist: make it, or give another file name")
    handle, partial_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        if _kind(url) == "sqlite":
            _sqlite_backup(url, partial)
        elif _kind(url) == "postgresql":
            arguments, environment = _libpq(url)
            _run([_tool("pg_dump"), *arguments, "--format=custom", "--enable-row-security",
                  f"--file={partial}"], environment, "pg_dump")
        else:
            raise BackupError(f"Backups are made of SQLite and PostgreSQL databases, not {_kind(url)}")
        newest = _read_backup(partial, _kind(url)).newest
        os.replace(partial, path)
        return newest
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_backup(url: str, destination: Path) -> None:
    source_path = _sqlite_path(url)
    if not source_path.is_file():
        raise BackupError(f"There is no database at {source_path}: nothing to back up")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(destination)
    try:
        source.backup(target)  # one step: the copy is one committed state, whatever writes meanwhile
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()
        source.close()


# ---- restore ----------------------------------------------------------------------------------------------

def restore(url: str, path: Path, force: bool = False) -> Restored:
    """Replace the database's contents with the backup at ``path``.

    Refused (RestoreRefused) when the database holds a batch loaded after the backup's newest, unless
    ``force``; refused (BackupError) for a file that is not a backup of this kind of database, or one
    made by a newer version of the dashboard. The schema is brought up to date afterwards.
    """
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}")
    kind = _backup_kind(path)
    if kind != _kind(url):
        raise BackupError(f"{path.name} is a {_label(kind)} backup and this database is {_label(_kind(url))}: "
                          "restore it into a database of the same kind")
    engine = create(url)
    try:
        current = newest_batch(engine)  # the database can be opened, before the backup is read
        contents = _read_backup(path, kind)
        known = {revision.revision for revision in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
        if contents.revision is not None and contents.revision not in known:
            raise BackupError(f"{path.name} was made by a newer version of the dashboard (schema "
                              f"{contents.revision}): update the dashboard, then restore it")
        if current is not None and not force and (
                contents.newest is None or current.imported_at > contents.newest.imported_at):
            backup_newest = contents.newest.words() if contents.newest else "no batches at all"
            raise RestoreRefused(
                f"Not restored: this database holds batches loaded after the backup was made, and restoring "
                f"would lose them. The database's newest is {current.words()}; the backup's newest is "
                f"{backup_newest}. Back up this database first if it may be needed, then add --force to "
                "restore anyway.")
        if kind == "sqlite":
            _sqlite_restore(path, _sqlite_path(url))
        else:
            _postgres_restore(engine, url, path)
    finally:
        engine.dispose()
    upgraded = create(url)
    try:
        migrate(upgraded)  # an older backup's schema brought up to date
    finally:
        upgraded.dispose()
    return Restored(contents.newest, current)


def _label(kind: str) -> str:
    return {"sqlite": "a SQLite", "postgresql": "a PostgreSQL"}.get(kind, kind)


def _sqlite_restore(backup_file: Path, database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    target = sqlite3.connect(database, timeout=30)
    try:
        source.backup(target)  # in one step, under the database's own lock: readers see before or after
        target.execute("PRAGMA journal_mode=WAL")  # as the app keeps it
    finally:
        target.close()
        source.close()


def _postgres_restore(engine: Engine, url: str, dump: Path) -> None:
    """Everything in the schema dropped and the dump loaded, in one transaction (psql's), while this
    process holds the write lock so no import starts meanwhile."""
    arguments, environment = _libpq(url)
    script = _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--file=-", str(dump)],
                  environment, f"Reading {dump.name}")
    with engine.connect() as connection:
        relations = connection.execute(text(
            "SELECT c.relkind, quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')")).all()
    drops = "".join(
        f"DROP {'VIEW' if kind == 'v' else 'MATERIALIZED VIEW' if kind == 'm' else 'TABLE'} IF EXISTS {name} CASCADE;\n"
        for kind, name in sorted(relations, key=lambda r: r[0] != "v"))
    with write_transaction(engine):
        _run([_tool("psql"), *arguments, "--single-transaction", "--quiet", "--set=ON_ERROR_STOP=1",
              "--file=-"], environment, "Restoring", stdin=drops.encode() + script)

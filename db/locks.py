"""One writer at a time: every change to the database happens inside a transaction that holds its write lock.

Two imports that each read the current values, work out the difference and then write it would both
record that they replaced the same earlier value, and one batch's figures would vanish (or both would
try to insert the same new key). So the difference is worked out *inside* a transaction that already
holds the database's write lock: SQLite's ``BEGIN IMMEDIATE`` (the reserved lock, taken before the
first read), PostgreSQL's transaction-level advisory lock. Readers are never blocked: SQLite runs in
write-ahead-log mode, where pages read the last committed state while an import writes.

A process that cannot get the lock within ``settings.LOCK_TIMEOUT`` gets :class:`ImportBusy`, a
sentence to show, never a "database is locked" or IntegrityError traceback.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import DBAPIError, OperationalError

import settings

BUSY_MESSAGE = "another import is in progress; try again"
WRITE_LOCK_OPTION = "dashboard_write_lock"  # execution option: this connection's transaction writes
ADVISORY_LOCK_KEY = 7_403_918_265  # PostgreSQL advisory lock number: any fixed number, the same for every process
SQLITE_LOCKED_TEXTS = ("database is locked", "database table is locked")
POSTGRES_LOCK_TIMEOUT_STATE = "55P03"  # lock_not_available: lock_timeout expired


class ImportBusy(Exception):
    """Another import (or schema upgrade) held the write lock for longer than the lock timeout."""

    def __init__(self, message: str = BUSY_MESSAGE) -> None:
        super().__init__(message)


def _is_sqlite_locked(error: BaseException) -> bool:
    return isinstance(error, OperationalError) and any(t in str(error.orig).lower() for t in SQLITE_LOCKED_TEXTS)


def _is_postgres_lock_timeout(error: BaseException) -> bool:
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) == POSTGRES_LOCK_TIMEOUT_STATE


def is_lock_timeout(error: BaseException) -> bool:
    """True for the error a database gives when the write lock could not be had in time."""
    return _is_sqlite_locked(error) or _is_postgres_lock_timeout(error)


# ---- SQLite: we emit BEGIN ourselves, so a writer can ask for BEGIN IMMEDIATE -------------------------

def _sqlite_journal_mode(cursor, timeout: float) -> None:
    """Switch the file to write-ahead logging once (the mode is stored in the file and stays).

    Changing the mode needs a moment's exclusive access; several processes opening a new file at once
    can meet here, so retry until the lock timeout instead of failing on the first "locked".
    """
    if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() in ("wal", "memory"):
        return
    deadline = time.monotonic() + timeout
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as error:  # sqlite3.OperationalError: locked by another process switching it
            if "locked" not in str(error).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def sqlite_on_connect(dbapi_connection, _record) -> None:
    """Every new SQLite connection: we control BEGIN, foreign keys on, WAL, the lock timeout as busy timeout."""
    timeout = settings.lock_timeout_seconds()
    dbapi_connection.isolation_level = None  # sqlite3 emits no BEGIN of its own; sqlite_on_begin does
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    _sqlite_journal_mode(cursor, timeout)
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a power cut loses at most the last commit
    cursor.close()


def sqlite_on_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE (take the write lock now) for a writing transaction, a plain BEGIN for a read."""
    immediate = connection.get_execution_options().get(WRITE_LOCK_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def install_sqlite_hooks(engine: Engine) -> None:
    event.listen(engine, "connect", sqlite_on_connect)
    event.listen(engine, "begin", sqlite_on_begin)


# ---- both databases -----------------------------------------------------------------------------------

def _postgres_lock(connection: Connection, timeout: float) -> None:
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(timeout * 1000)}ms'")
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})")
    connection.exec_driver_sql("SET LOCAL lock_timeout = 0")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the database's write lock until it commits or rolls back.

    Commits when the block ends normally, rolls back on any error. Raises ImportBusy when the lock
    cannot be had within the lock timeout. Everything read inside the block is the committed state no
    other writer can change before this transaction ends.
    """
    timeout = settings.lock_timeout_seconds()
    with engine.connect() as connection:
        connection.execution_options(**{WRITE_LOCK_OPTION: True})
        try:
            transaction = connection.begin()
            if engine.dialect.name == "postgresql":
                _postgres_lock(connection, timeout)
        except DBAPIError as error:
            if is_lock_timeout(error):
                raise ImportBusy() from None
            raise
        with transaction:
            try:
                yield connection
            except DBAPIError as error:
                if is_lock_timeout(error):  # e.g. a checkpoint by another process that outlasted the timeout
                    raise ImportBusy() from None
                raise

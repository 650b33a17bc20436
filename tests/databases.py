"""Every test database comes from here: a SQLite file, or a fresh PostgreSQL database.

With ``DASHBOARD_TEST_DATABASE=postgresql`` each database a test asks for is a new database on this test
process's throwaway PostgreSQL server (tests/postgres_server.py); otherwise it is a SQLite file at the path
given, as the embedded install keeps it. The whole suite runs on either, so a difference between the two
databases shows up as a failing test. Copying a built database (DfE's published figures loaded once per
process) is ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL and SQLite's online backup on SQLite.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from db.engine import connect

BACKEND_VARIABLE = "DASHBOARD_TEST_DATABASE"
BACKENDS = ("sqlite", "postgresql")


def backend() -> str:
    """The database the suite runs on: "sqlite" (the default) or "postgresql"."""
    chosen = os.environ.get(BACKEND_VARIABLE, "").strip().lower() or "sqlite"
    if chosen not in BACKENDS:
        raise ValueError(f"{BACKEND_VARIABLE}={chosen!r}: use one of {', '.join(BACKENDS)}")
    return chosen


ON_POSTGRES = backend() == "postgresql"


def sqlite_only(why: str) -> pytest.MarkDecorator:
    """Skip on the PostgreSQL run a test about SQLite itself (its file, locking, backup), saying why."""
    return pytest.mark.skipif(ON_POSTGRES, reason=f"about SQLite itself: {why}")


def new_database(path: Path) -> str:
    """The URL of a new, empty database: the SQLite file ``path``, or on PostgreSQL a fresh database named
    after it (the file is then never made)."""
    if not ON_POSTGRES:
        return f"sqlite:///{path}"
    from tests.postgres_server import process_server

    server = process_server()
    name = server.unique_name(path.stem)
    with server.admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return server.url(name)


def copy_database(url: str, path: Path) -> str:
    """A copy of the database at ``url`` (SQLite: the file ``path``), so a test may change it without
    touching the original; returns the copy's URL."""
    if make_url(url).get_backend_name() == "sqlite":
        source, copy = sqlite3.connect(make_url(url).database), sqlite3.connect(path)
        source.backup(copy)  # the write-ahead log's pages too
        source.close()
        copy.close()
        return f"sqlite:///{path}"
    from tests.postgres_server import process_server

    original = make_url(url).database
    connect(url).dispose()  # a template must have no open connection: close this process's idle ones
    server = process_server()
    name = server.unique_name(path.stem)
    with server.admin() as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                      "AND pid <> pg_backend_pid()", (original,))
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{original}" STRATEGY FILE_COPY')
    return server.url(name)

"""A throwaway PostgreSQL server for tests: started as the postgres user in a temporary folder.

``throwaway_postgres()`` is a server of its own for one test module. ``process_server()`` is the one
server of this test process (each xdist worker has its own), started the first time a test asks for a
database and stopped when the process ends; tests/databases.py makes a fresh database on it per test.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

import psycopg

MAX_CONNECTIONS = 400  # engines left in caches keep a few idle connections each; a test run never gets near this
NAME_LENGTH = 63  # PostgreSQL's identifier limit


def server_binaries() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def unavailable_reason() -> str | None:
    if server_binaries() is None:
        return "PostgreSQL server binaries are not installed (apt-get install postgresql)"
    if os.geteuid() != 0:
        return "starting a throwaway PostgreSQL needs root (to run it as the postgres user)"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "there is no postgres user"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)


@dataclass
class Server:
    """A running server: its folder (data directory and socket), port and binaries."""

    folder: str
    port: int
    bin_dir: str
    _names: Iterator[int] = field(default_factory=itertools.count)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                               autocommit=True)

    def unique_name(self, hint: str) -> str:
        stem = re.sub(r"[^a-z0-9_]+", "_", hint.lower()).strip("_") or "db"
        return f"{stem[:NAME_LENGTH - 8]}_{next(self._names)}"

    def stop(self) -> None:
        _run(f"{self.bin_dir}/pg_ctl", "-D", os.path.join(self.folder, "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_server() -> Server:
    bin_dir = server_binaries()
    assert bin_dir is not None, unavailable_reason()
    user = pwd.getpwnam("postgres")
    folder = tempfile.mkdtemp(prefix="dashboard-pg-")
    os.chown(folder, user.pw_uid, user.pw_gid)
    port = _free_port()
    data = os.path.join(folder, "data")
    _run(f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
    # A test server: nothing written here needs to survive a crash, so nothing waits for the disk.
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               f"-c full_page_writes=off -c max_connections={MAX_CONNECTIONS}")
    _run(f"{bin_dir}/pg_ctl", "-D", data, "-l", os.path.join(folder, "log"), "-w", "-o", options, "start")
    return Server(folder, port, bin_dir)


@contextmanager
def throwaway_postgres(database: str = "dashboard") -> Iterator[str]:
    """Yield a SQLAlchemy URL of a fresh database; the server and its files are gone afterwards."""
    server = start_server()
    try:
        _run(f"{server.bin_dir}/createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres", database)
        yield server.url(database)
    finally:
        server.stop()


@cache
def process_server() -> Server:
    """This process's server, started on first use and stopped when the process exits."""
    server = start_server()
    atexit.register(server.stop)
    _stop_when_gone(os.getpid(), server)
    return server


def _stop_when_gone(pid: int, server: Server) -> None:
    """A watcher that stops the server once this process has gone, even killed (atexit never runs then)."""
    data = os.path.join(server.folder, "data")
    script = (f"while kill -0 {pid} 2>/dev/null; do sleep 2; done; "
              f"runuser -u postgres -- {server.bin_dir}/pg_ctl -D {data} -m immediate -w stop >/dev/null 2>&1; "
              f"rm -rf {server.folder}")
    subprocess.Popen(["sh", "-c", script], start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

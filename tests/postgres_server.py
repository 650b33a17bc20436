"""A throwaway PostgreSQL server for tests: started as the postgres user in a temporary folder."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


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


@contextmanager
def throwaway_postgres(database: str = "dashboard") -> Iterator[str]:
    """Yield a SQLAlchemy URL of a fresh database; the server and its files are gone afterwards."""
    bin_dir = server_binaries()
    user = pwd.getpwnam("postgres")
    folder = tempfile.mkdtemp(prefix="dashboard-pg-")
    os.chown(folder, user.pw_uid, user.pw_gid)
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True)

    data = os.path.join(folder, "data")
    run(f"{bin_dir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(f"{bin_dir}/pg_ctl", "-D", data, "-l", os.path.join(folder, "log"), "-w", "-o", options, "start")
    try:
        run(f"{bin_dir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", database)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"
    finally:
        run(f"{bin_dir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)

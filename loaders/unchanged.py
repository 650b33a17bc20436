"""Recognising a file that was loaded before and that nothing has changed since, without reading it.

Reading and checking a big return takes far longer than the few queries that can prove importing it
again would change nothing. The proof (``db.writes.unchanged_since``) needs the same bytes (sha256),
the same default area and source, and the same *reader version*: a fingerprint of everything that
decides what a file's figures are and whether it is accepted (the reading and checking code, the
catalogue, area and status lists, the versions of the libraries that read workbooks). Any change to
those gives a new fingerprint, so a file is then read again in full, as the new code reads it: a file
the old code accepted is never waved through by a shortcut the new code would refuse.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from sqlalchemy import Engine

from db.writes import BatchOutcome, unchanged_since

ROOT = Path(__file__).resolve().parents[1]
# what decides how a file is read and checked; the command line, export and template do not
READER_SOURCES = ("loaders/**/*.py", "reference/**/*.py", "data/*.csv", "data/reference/*", "data/published/*.csv")
NOT_READER_SOURCES = frozenset({"loaders/cli.py", "loaders/export.py", "loaders/template.py", "loaders/__main__.py"})
READER_LIBRARIES = ("python-calamine", "openpyxl", "xlrd", "defusedxml", "msoffcrypto-tool", "pandas", "numpy")


@lru_cache(maxsize=1)
def reader_version() -> str:
    """A fingerprint (64 hex digits) of the code, reference data and libraries that read and check files."""
    digest = hashlib.sha256()
    files = sorted({p for pattern in READER_SOURCES for p in ROOT.glob(pattern) if p.is_file()})
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        if name in NOT_READER_SOURCES:
            continue
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    for library in READER_LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{library}={version}\0".encode())
    return digest.hexdigest()


def already_loaded(engine: Engine, sha256: str, source: str, default_area: str) -> tuple[BatchOutcome, int] | None:
    """What importing the file again would do if it would change nothing (an outcome with no batch) and
    the batch that loaded the same file before, else None."""
    found = unchanged_since(engine, sha256, source, reader_version(), default_area)
    if found is None:
        return None
    return BatchOutcome(batch_id=None, rows=found.rows, unchanged=found.rows), found.batch_id

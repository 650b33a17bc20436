"""Whether the files given to ``python -m loaders import`` are the SSDA903 return's, so that they load as one set.

A 903 return is several files (a table each) that only mean something together; given on the command line
or as a folder or zip, they are taken as one set without ``--set``. Only the first bytes of each file are
read, so telling costs nothing for a council's ordinary returns.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from loaders.ssda903.read import SNIFF_BYTES, is_903_bytes

MOST_FILES_LOOKED_AT = 200  # a folder or zip of more files than this is not looked through


def _file_is_903(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return is_903_bytes(path.name, handle.read(SNIFF_BYTES))
    except OSError:
        return False


def _zip_holds_903(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist()[:MOST_FILES_LOOKED_AT]:
                if info.is_dir() or info.flag_bits & 0x1:
                    continue
                with archive.open(info) as handle:
                    if is_903_bytes(info.filename, handle.read(SNIFF_BYTES)):
                        return True
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return False  # the import itself says what is wrong with the zip
    return False


def holds_903(paths: list[Path]) -> bool:
    """True when any file given, or any file of a folder or zip given, is a 903 table or the 903's XML form."""
    for path in paths:
        if path.is_dir():
            files = [p for p in sorted(path.rglob("*")) if p.is_file()][:MOST_FILES_LOOKED_AT]
            if any(_file_is_903(p) for p in files):
                return True
        elif path.suffix.lower() == ".zip" and zipfile.is_zipfile(path):
            if _zip_holds_903(path):
                return True
        elif path.is_file() and _file_is_903(path):
            return True
    return False


def uploaded_903_files(uploads: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
    """The 903 files among browser uploads, read in memory (nothing written): each as (its name in the set,
    the zip it came in or ""), so the page can tell a 903 set and which files' names give no year."""
    found = []
    for name, content in uploads:
        if name.lower().endswith(".zip") and zipfile.is_zipfile(io.BytesIO(content)):
            try:
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    for info in archive.infolist()[:MOST_FILES_LOOKED_AT]:
                        if info.is_dir() or info.flag_bits & 0x1:
                            continue
                        with archive.open(info) as handle:
                            if is_903_bytes(info.filename, handle.read(SNIFF_BYTES)):
                                found.append((info.filename, name))
            except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
                continue  # the import itself says what is wrong with the zip
        elif is_903_bytes(name, content[:SNIFF_BYTES]):
            found.append((name, ""))
    return found

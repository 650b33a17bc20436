"""Opening a workbook's zip package without letting it unpack into more than the dashboard can hold.

An .xlsx file is a zip of XML parts. A 1 MB file can unpack to gigabytes (a "zip bomb", or just a sheet
bloated by years of copy and paste), so the total uncompressed size is checked twice against one cap:
first the sizes the zip declares, before anything is unpacked, then a running count of the bytes
actually unpacked, in case the declared sizes lie. Parts are handed out in chunks so a big sheet is
never held in memory whole.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from loaders.sheets import NotAWorkbook

CHUNK_BYTES = 1 << 20
MEGABYTE = 1_000_000
CAP_SETTING = "DASHBOARD_MAX_UNCOMPRESSED_MB"

# What unpacking a damaged zip can raise, all meaning "this zip cannot be read".
ZIP_FAILURES = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError,
                ValueError, struct.error, zipfile.LargeZipFile)


def too_big(size_text: str, cap: int) -> NotAWorkbook:
    return NotAWorkbook(
        f"the workbook unpacks to {size_text}, more than the {cap / MEGABYTE:,.0f} MB this dashboard reads; "
        f"delete unused sheets and rows and save it again, or raise the limit with the setting {CAP_SETTING}"
    )


class Package:
    """A zip package whose parts can be read within one shared budget of uncompressed bytes."""

    def __init__(self, source: Path | bytes, cap: int):
        try:
            self.zip = zipfile.ZipFile(source if isinstance(source, Path) else io.BytesIO(source))
            infos = self.zip.infolist()
        except ZIP_FAILURES as error:
            raise NotAWorkbook("a damaged zip file") from error
        declared = sum(info.file_size for info in infos)
        if declared > cap:
            raise too_big(f"{declared / MEGABYTE:,.0f} MB", cap)
        self.cap = cap
        self.unpacked = 0
        self.names = {info.filename: info for info in infos}
        self._folded = {name.lower(): name for name in self.names}

    def find(self, name: str) -> str | None:
        """The member's exact name; tools disagree on case (xl/Worksheets/Sheet1.xml), the zip does not care."""
        if name in self.names:
            return name
        return self._folded.get(name.lower())

    def chunks(self, name: str) -> Iterator[bytes]:
        """The member's bytes in chunks, counted against the cap as they are unpacked."""
        try:
            with self.zip.open(self.names[name]) as member:
                while chunk := member.read(CHUNK_BYTES):
                    self.unpacked += len(chunk)
                    if self.unpacked > self.cap:
                        raise too_big(f"more than {self.cap / MEGABYTE:,.0f} MB", self.cap)
                    yield chunk
        except ZIP_FAILURES as error:
            raise NotAWorkbook(f"a damaged workbook: the part {name} cannot be unpacked") from error

    def read(self, name: str) -> bytes:
        """A small part whole (workbook.xml, relationships): still counted against the cap."""
        return b"".join(self.chunks(name))

    def close(self) -> None:
        self.zip.close()


def resolve(base_part: str, target: str) -> str:
    """A relationship target as a member name: relative to the part's folder unless it starts with '/'."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (PurePosixPath(base_part).parent / target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in (".", ""):
            parts.append(piece)
    return "/".join(parts)


def rels_of(part: str) -> str:
    """Where a part's relationships live: xl/workbook.xml -> xl/_rels/workbook.xml.rels."""
    path = PurePosixPath(part)
    folder = "" if str(path.parent) == "." else f"{path.parent}/"
    return f"{folder}_rels/{path.name}.rels"

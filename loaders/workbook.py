"""Reading a return file, whatever it is, into its visible sheets as grids of cells addressed like Excel.

The format is judged by the file's contents, not its name: a zip holding a workbook is read as .xlsx
(``loaders.xlsx``), an OLE2 file holding a workbook stream as legacy .xls (``loaders.xls``), text named
.csv or .txt as CSV. Everything else, and anything that cannot be read with certainty, raises
NotAWorkbook with a sentence saying what the file is or what is wrong; no other exception escapes.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import msoffcrypto
import olefile

import settings
from loaders.csvfile import read_csv
from loaders.package import MEGABYTE, Package, too_big
from loaders.sheets import NotAWorkbook, Sheet, Workbook
from loaders.xls import PASSWORD_PROTECTED, read_xls
from loaders.xlsx import is_xlsx_package, read_xlsx

__all__ = ["ACCEPTED_FILES", "NotAWorkbook", "Sheet", "Workbook", "read_workbook"]

CSV_SUFFIXES = {".csv", ".txt"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ACCEPTED_FILES = "an Excel workbook (.xlsx, .xlsm or the older .xls) or a CSV file"

# Members that say what a zip package that is not a workbook is.
_OTHER_PACKAGES = {
    "xl/workbook.bin": "an Excel binary workbook (.xlsb): save it as an Excel workbook (.xlsx)",
    "word/document.xml": "a Word document",
    "ppt/presentation.xml": "a PowerPoint presentation",
}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Streams that say what an OLE2 (Office 97-2003) file that is not a workbook is.
_OTHER_OLE2 = {"WordDocument": "a Word 97-2003 document", "PowerPoint Document": "a PowerPoint 97-2003 presentation"}


def default_cap() -> int:
    """The cap on a workbook's uncompressed size, in bytes, from settings."""
    try:
        megabytes = float(settings.MAX_UNCOMPRESSED_MB.value())
    except ValueError:
        megabytes = float(settings.MAX_UNCOMPRESSED_MB.default)
    return int(megabytes * MEGABYTE)


def read_workbook(source: Path | bytes, file_name: str | None = None,
                  max_uncompressed_bytes: int | None = None) -> Workbook:
    """Every visible worksheet of an .xlsx, .xlsm or .xls file, or the one grid of a CSV file.

    ``source`` is a path or the file's bytes (an upload); ``file_name`` names bytes (its suffix decides
    whether text is read as CSV). Raises NotAWorkbook, and only NotAWorkbook, for anything that cannot
    be read with certainty.
    """
    cap = default_cap() if max_uncompressed_bytes is None else max_uncompressed_bytes
    name = file_name or (source.name if isinstance(source, Path) else "")
    suffix = os.path.splitext(name)[1].lower()
    try:
        return _read(source, suffix, cap)
    except NotAWorkbook:
        raise
    except MemoryError as error:
        raise NotAWorkbook("too big to read in this computer's memory; delete unused sheets and rows and "
                           "save it again") from error
    except Exception as error:  # a last net: whatever a damaged file trips, the user gets a sentence
        raise NotAWorkbook(f"a damaged file that could not be read ({type(error).__name__}); open it in "
                           "Excel and save it again") from error


def _read(source: Path | bytes, suffix: str, cap: int) -> Workbook:
    if isinstance(source, Path):
        try:
            with source.open("rb") as handle:
                head = handle.read(8)
        except OSError as error:
            raise NotAWorkbook(f"a file that cannot be opened ({error.strerror})") from error
    else:
        head = bytes(source[:8])
    if head.startswith(ZIP_MAGIC):
        return _read_zip(source, cap)
    if head.startswith(OLE2_MAGIC):
        return _read_ole2(source if isinstance(source, bytes) else source.read_bytes(), cap)
    if suffix in CSV_SUFFIXES:
        return Workbook([_read_csv(source if isinstance(source, bytes) else source.read_bytes())])
    if suffix in WORKBOOK_SUFFIXES:
        return _raise(f"a text or other file named {suffix}, not a real workbook")
    return _raise(f"a {suffix or 'extensionless'} file")


def _raise(text: str) -> Workbook:
    raise NotAWorkbook(text)


def _read_zip(source: Path | bytes, cap: int) -> Workbook:
    package = Package(source, cap)
    try:
        if is_xlsx_package(package):
            return read_xlsx(package)
        for member, kind in _OTHER_PACKAGES.items():
            if package.find(member):
                raise NotAWorkbook(kind)
        mimetype = package.find("mimetype")
        if mimetype and package.names[mimetype].file_size < 200 and package.read(mimetype).strip() == ODS_MIMETYPE:
            raise NotAWorkbook("an OpenDocument spreadsheet (.ods): save it as an Excel workbook (.xlsx)")
        if package.find("content.xml"):
            raise NotAWorkbook("an OpenDocument file")
        raise NotAWorkbook("a zip archive")
    finally:
        package.close()


def _read_ole2(data: bytes, cap: int) -> Workbook:
    """An Office 97-2003 file: an .xls workbook, an encrypted workbook of any kind, or something else."""
    if len(data) > cap:
        raise too_big(f"{len(data) / MEGABYTE:,.0f} MB", cap)
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except (OSError, ValueError, IndexError, TypeError) as error:
        raise NotAWorkbook("a damaged Office 97-2003 file") from error
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise NotAWorkbook(PASSWORD_PROTECTED)
    if "Workbook" in streams or "Book" in streams:
        try:
            encrypted = msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
        except Exception:  # noqa: BLE001 - msoffcrypto raises many kinds on damaged files; xlrd will judge
            encrypted = False
        if encrypted:
            raise NotAWorkbook(PASSWORD_PROTECTED)
        return read_xls(data)
    kind = next((label for stream, label in _OTHER_OLE2.items() if stream in streams), None)
    raise NotAWorkbook(kind or "an Office 97-2003 file that is not a workbook")


def _read_csv(data: bytes) -> Sheet:
    return read_csv(data)


def workbook_or_none(path: Path | None, data: bytes | None, name: str) -> Workbook | None:
    """The file read once as a workbook, when it is one, so recognising DfE's tables and reading a
    return share one (capped, hardened) read; None for text and parquet files, or a file that cannot
    be read (the return reader then says why, naming the file)."""
    if data is not None:
        head = data[:8]
    else:
        with path.open("rb") as handle:  # type: ignore[union-attr]
            head = handle.read(8)
    if not (head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0")):
        return None
    try:
        return read_workbook(data if data is not None else path, file_name=name)
    except NotAWorkbook:
        return None

"""Reading a workbook or CSV file into plain grids of cells, one per sheet, addressed like Excel.

Values come from python-calamine, which is fast but does not report number formats. Whether a
number was formatted as a percentage (0.54 shown as 54%) matters for a return, so the percent
formats are found by reading the .xlsx package directly: ``styles.xml`` says which cell styles use a
percent format, and a scan of each sheet's XML says which cells carry those styles. The scan only
runs when the workbook has a percent style at all.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import numpy as np
import python_calamine

from loaders.csvfile import read_csv
from loaders.sheets import NotAWorkbook, Sheet, Workbook

__all__ = ["ACCEPTED_FILES", "NotAWorkbook", "Sheet", "Workbook", "read_workbook"]

CSV_SUFFIXES = {".csv", ".txt"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
ZIP_MAGIC = b"PK\x03\x04"
BUILTIN_PERCENT_FORMATS = {9, 10}  # 0% and 0.00%
ACCEPTED_FILES = "an Excel workbook (.xlsx) or a CSV file"

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_QUOTED = re.compile(r'"[^"]*"|\\.')
_KNOWN_PACKAGES = {
    "word/document.xml": "a Word document",
    "ppt/presentation.xml": "a PowerPoint presentation",
    "content.xml": "an OpenDocument file",
}


def column_index(letters: str) -> int:
    """'A' -> 0, 'AA' -> 26."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def _grid(rows: list[list[object]]) -> np.ndarray:
    width = max((len(r) for r in rows), default=0)
    grid = np.empty((len(rows), width), dtype=object)
    grid.fill("")
    for i, row in enumerate(rows):
        grid[i, : len(row)] = row
    return grid


def _percent_styles(package: zipfile.ZipFile) -> set[int]:
    """Indexes into cellXfs whose number format shows a percentage."""
    try:
        root = ElementTree.fromstring(package.read("xl/styles.xml"))
    except KeyError:
        return set()
    percent_formats = set(BUILTIN_PERCENT_FORMATS)
    for fmt in root.iter(f"{_MAIN_NS}numFmt"):
        code = _QUOTED.sub("", fmt.get("formatCode", ""))
        if "%" in code:
            percent_formats.add(int(fmt.get("numFmtId", "-1")))
    cell_xfs = root.find(f"{_MAIN_NS}cellXfs")
    if cell_xfs is None:
        return set()
    return {
        index for index, xf in enumerate(cell_xfs.findall(f"{_MAIN_NS}xf"))
        if int(xf.get("numFmtId", "0")) in percent_formats
    }


def _sheet_paths(package: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML inside the package."""
    workbook = ElementTree.fromstring(package.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(package.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    out = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[sheet.get("name", "")] = path
    return out


def _percent_cells(xml: bytes, styles: set[int], shape: tuple[int, int]) -> np.ndarray | None:
    """Boolean grid of the cells whose style is a percent style, or None if there are none.

    Two regular expressions cover both attribute orders (``r`` before ``s``, as Excel, LibreOffice and
    openpyxl write it, and the reverse); the scan runs in C, far faster than parsing the XML.
    """
    ids = "|".join(str(s) for s in sorted(styles)).encode()
    other = rb'(?:\s+[\w:]+="[^"]*")*?'
    ref_first = re.compile(rb'<c\s+r="([A-Z]{1,3})(\d+)"' + other + rb'\s+s="(?:' + ids + rb')"')
    style_first = re.compile(rb'<c\s+s="(?:' + ids + rb')"' + other + rb'\s+r="([A-Z]{1,3})(\d+)"')
    found = ref_first.findall(xml) + style_first.findall(xml)
    if not found:
        return None
    letters = {name: column_index(name.decode()) for name in {name for name, _ in found}}
    rows = np.array([int(number) for _, number in found], dtype=np.int64) - 1
    cols = np.array([letters[name] for name, _ in found], dtype=np.int64)
    inside = (rows < shape[0]) & (cols < shape[1])
    mask = np.zeros(shape, dtype=bool)
    mask[rows[inside], cols[inside]] = True
    return mask


def _read_excel(path: Path, is_xlsx: bool) -> Workbook:
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        worksheets = [
            m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet
            and m.visible == python_calamine.SheetVisibleEnum.Visible
        ]
        hidden = [m.name for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet
                  and m.visible != python_calamine.SheetVisibleEnum.Visible]
        sheets = [Sheet(name, _grid(book.get_sheet_by_name(name).to_python(skip_empty_area=False)))
                  for name in worksheets]
    except Exception as error:  # calamine raises several kinds for a damaged or foreign file
        raise NotAWorkbook(f"the file could not be read as a workbook ({type(error).__name__})") from error
    if not is_xlsx:
        return Workbook(sheets, hidden)
    with zipfile.ZipFile(path) as package:
        styles = _percent_styles(package)
        if styles:
            paths = _sheet_paths(package)
            for sheet in sheets:
                if sheet.name in paths and sheet.cells.size:
                    sheet.percent = _percent_cells(package.read(paths[sheet.name]), styles, sheet.shape)
    return Workbook(sheets, hidden)


def _read_csv(path: Path) -> Workbook:
    return Workbook([read_csv(path.read_bytes())])


def read_workbook(source: Path | bytes, file_name: str | None = None) -> Workbook:
    """Every visible worksheet of an .xlsx (or legacy .xls) file, or the one grid of a CSV file.

    ``source`` is a path or the file's bytes (an upload), with ``file_name`` for the suffix rules.

    Raises NotAWorkbook for anything else (text named .xlsx, a Word document, a damaged file).
    The format is judged by the file's contents, not only its name.
    """
    if isinstance(source, bytes):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(file_name or "upload").name
            path.write_bytes(source)
            return read_workbook(path)
    path = Path(source)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile as error:
            raise NotAWorkbook("a damaged zip file") from error
        if "xl/workbook.xml" in names:
            return _read_excel(path, is_xlsx=True)
        kind = next((label for member, label in _KNOWN_PACKAGES.items() if member in names), "a zip archive")
        raise NotAWorkbook(kind)
    if head.startswith(OLE2_MAGIC):
        return _read_excel(path, is_xlsx=False)
    if path.suffix.lower() in CSV_SUFFIXES:
        return _read_csv(path)
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
        raise NotAWorkbook(f"a text or other file named {path.suffix}, not a real workbook")
    raise NotAWorkbook(f"a {path.suffix or 'extensionless'} file")

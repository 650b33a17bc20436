"""Workbooks as real tools write them, for the reader tests: an openpyxl workbook whose parts are then
rewritten with zipfile, the way .NET tools, older writers or a damaged copy would have left them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_PART = "xl/worksheets/sheet1.xml"
WORKBOOK_PART = "xl/workbook.xml"


def base_workbook(path: Path, formats: tuple[str, ...] = ("0%",), strings: bool = True) -> Path:
    """A one-sheet workbook whose cell styles 1, 2... use ``formats`` in order (style 0 is General)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    for column, number_format in enumerate(formats, start=1):
        sheet.cell(row=1, column=column, value=1).number_format = number_format
    if strings:
        sheet.cell(row=2, column=1, value="text")
    book.save(path)
    return path


def replace_parts(path: Path, parts: dict[str, bytes | str | None]) -> Path:
    """Rewrite members of the zip in place; None deletes a member."""
    with zipfile.ZipFile(path) as package:
        members = [(info, package.read(info.filename)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in members:
            if info.filename in parts:
                data = parts[info.filename]  # type: ignore[assignment]
                if data is None:
                    continue
            package.writestr(info.filename, data.encode() if isinstance(data, str) else data)
        for name, data in parts.items():
            if name not in {info.filename for info, _ in members} and data is not None:
                package.writestr(name, data.encode() if isinstance(data, str) else data)
    return path


def sheet_xml(rows: str, prefix: str = "", dimension: str = "") -> str:
    """Sheet XML around ``rows`` (already written with ``prefix``), declaring the main namespace."""
    lead = f"{prefix}:" if prefix else ""
    declare = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    dim = f'<{lead}dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{lead}worksheet {declare}>{dim}'
            f"<{lead}sheetData>{rows}</{lead}sheetData></{lead}worksheet>")


def workbook_with_sheet(path: Path, rows: str, formats: tuple[str, ...] = ("0%",), recalculate_on_open: bool = False,
                        **xml) -> Path:
    """``base_workbook`` with its sheet XML replaced by ``rows``, as Excel saves it: without the request to
    work every formula out again on opening that openpyxl writes (``recalculate_on_open`` keeps it)."""
    base_workbook(path, formats)
    parts = {SHEET_PART: sheet_xml(rows, **xml)}
    if not recalculate_on_open:
        with zipfile.ZipFile(path) as package:
            parts[WORKBOOK_PART] = package.read(WORKBOOK_PART).decode().replace(' fullCalcOnLoad="1"', "")
    return replace_parts(path, parts)


def add_shared_strings(path: Path, items: list[str]) -> Path:
    """Give the workbook a shared strings part holding the ``<si>`` bodies given, and its relationship."""
    with zipfile.ZipFile(path) as package:
        rels = package.read("xl/_rels/workbook.xml.rels").decode()
    rel = ('<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
           'Target="sharedStrings.xml" Id="rIdStrings" />')
    table = f'<sst xmlns="{MAIN}">' + "".join(f"<si>{item}</si>" for item in items) + "</sst>"
    return replace_parts(path, {
        "xl/_rels/workbook.xml.rels": rels.replace("</Relationships>", rel + "</Relationships>"),
        "xl/sharedStrings.xml": table,
    })


def write_distinct_rows(path: Path, rows: int, columns: int = 20) -> Path:
    """A workbook whose one sheet holds a different number in every cell, streamed into the zip.

    The worst case for the reader's memory: no two values can share one Python object.
    """
    base_workbook(path)
    with zipfile.ZipFile(path) as package:
        members = [(info.filename, package.read(info.filename)) for info in package.infolist()
                   if info.filename != SHEET_PART]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in members:
            package.writestr(name, data)
        with package.open(SHEET_PART, "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            number = 0
            for start in range(0, rows, 1000):
                chunk = []
                for _ in range(min(1000, rows - start)):
                    chunk.append("<row>" + "".join(f"<c><v>{number + c}.5</v></c>" for c in range(columns)) + "</row>")
                    number += columns
                sheet.write("".join(chunk).encode())
            sheet.write(b"</sheetData></worksheet>")
    return path


def write_repeated_rows(path: Path, rows: int, columns: int = 20, padding: int = 0) -> Path:
    """A workbook whose one sheet repeats the same row ``rows`` times, streamed into the zip.

    Identical rows compress about a thousandfold, so a file of a megabyte can unpack to a gigabyte:
    the shape of a zip bomb, and of a sheet bloated by copying a row down to the bottom of the grid.
    ``padding`` spaces after each row (XML allows any) make it compress better still.
    """
    base_workbook(path)
    with zipfile.ZipFile(path) as package:
        members = [(info.filename, package.read(info.filename)) for info in package.infolist()
                   if info.filename != SHEET_PART]
    cells = "".join('<c s="1"><v>0.5</v></c>' for _ in range(columns))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        for name, data in members:
            package.writestr(name, data)
        with package.open(SHEET_PART, "w", force_zip64=True) as sheet:
            sheet.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
            block = (f"<row>{cells}</row>{' ' * padding}" * 1000).encode()
            for _ in range(rows // 1000):
                sheet.write(block)
            sheet.write(f"<row>{cells}</row>{' ' * padding}".encode() * (rows % 1000))
            sheet.write(b"</sheetData></worksheet>")
    return path

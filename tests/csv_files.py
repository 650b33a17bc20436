"""CSV files written byte for byte as Excel saves them, for the CSV reader's tests.

Excel's "Save as" offers several kinds of CSV that differ in encoding and delimiter; every one
ends lines with CR LF and quotes a cell only when it holds the delimiter, a quotation mark or a
line break (what the csv module's writer does too).
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

# Excel's name for the file type -> (encoding, delimiter). A continental Excel writes "CSV" with
# semicolons because its decimal mark is the comma.
EXCEL_CSV_TYPES = {
    "CSV UTF-8": ("utf-8-sig", ","),
    "CSV": ("cp1252", ","),
    "Unicode Text": ("utf-16", "\t"),
    "CSV (continental)": ("cp1252", ";"),
}


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8-sig", delimiter: str = ",",
              line_end: str = "\r\n", sep_line: bool = False) -> bytes:
    """The bytes of a CSV file; ``None`` is an empty cell, ``sep_line`` adds Excel's ``sep=;`` line."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=line_end).writerows(
        [["" if v is None else v for v in row] for row in rows])
    text = (f"sep={delimiter}{line_end}" if sep_line else "") + buffer.getvalue()
    if encoding == "utf-16":  # Excel's Unicode Text: little-endian with a byte order mark
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


def excel_csv(path: Path, rows: list[list[object]], excel_type: str = "CSV UTF-8", **options) -> Path:
    encoding, delimiter = EXCEL_CSV_TYPES[excel_type]
    path.write_bytes(csv_bytes(rows, encoding, delimiter, **options))
    return path

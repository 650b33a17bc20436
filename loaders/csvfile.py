"""Reading a CSV file into one grid of text cells, or refusing it when it cannot be read with certainty.

Excel writes CSV in several ways and names them all "CSV": "CSV UTF-8" (UTF-8 with a byte order
mark), plain "CSV" (Windows-1252 on an English Windows PC, so ``£``, ``–`` and ``’`` are single bytes),
"Unicode Text" (UTF-16 with a byte order mark, tab separated), and, in a continental locale, semicolons
between cells and a comma as the decimal mark (``61,5``). Each is recognised by what the bytes
certainly are, never by a guess:

- encoding: UTF-16 or UTF-32 by its byte order mark; else UTF-8 if every byte is valid UTF-8; else
  Windows-1252, which leaves five byte values undefined, so a file holding one of them is refused;
- delimiter: a ``sep=;`` first line (which Excel writes and honours) decides it; otherwise the comma,
  semicolon, tab and vertical bar are each tried, and the one that splits every row of the table
  into columns is used. When none does, or two do equally well, the file is refused naming the
  delimiters tried;
- decimal mark: a semicolon- or tab-separated file whose numbers use a comma as the decimal mark
  (``61,5``) and never a point (``12.5``) is a decimal-comma file (``Sheet.decimal_comma``). A file
  showing both, or only numbers such as ``1,234`` that read two ways (1.234 or 1234), is refused
  naming a cell, because reading it either way could be wrong without anyone noticing.

Rows and columns are kept exactly as Excel shows them: a blank line is an empty row, a trailing
delimiter an empty column, and a ``sep=`` line (hidden by Excel) is not a row, so cell references in
messages match what a performance officer sees when opening the file in Excel.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from loaders.problems import cell_ref, quote
from loaders.sheets import NotAWorkbook, Sheet, grid
from loaders.values import COMMA_EITHER_WAY, DECIMAL_COMMA, DECIMAL_POINT, POINT_EITHER_WAY, number_style

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
DECIMAL_COMMA_DELIMITERS = {";", "\t"}  # where a comma cannot be the delimiter, so may be the decimal mark
SNIFF_ROWS = 500  # rows read with each candidate delimiter to choose one
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
ZIP_MAGIC = b"PK\x03\x04"
BYTE_ORDER_MARKS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)
SAVE_AS = "save it from Excel as CSV UTF-8 (Comma delimited)"
_SEP_LINE = re.compile(r'"?sep=(.)"?[,;\t|]*', re.IGNORECASE)
_FIRST_LINE = re.compile(r"([^\r\n]*)(?:\r\n|\r|\n|\Z)")  # old Macs end lines with CR alone
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in text a spreadsheet writes
_NUMBER_LIKE = re.compile(r"\s*[+-]?[\d.,][\d.,\s\u00a0\u202f]*(?:[eE][+-]?\d+)?\s*%?\s*")


@dataclass(frozen=True)
class _Split:
    """What one candidate delimiter makes of the first rows."""

    delimiter: str
    rows_split: int  # rows that split into two or more cells
    fits: bool  # every row of the table splits (rows above it are titles, rows below it notes)


def read_csv(data: bytes) -> Sheet:
    """The one grid of a CSV file, with ``decimal_comma`` set; raises NotAWorkbook saying why not.

    Every cell is text as written (``""`` when empty); the return layer reads the figures with
    ``read_values(..., decimal_comma=sheet.decimal_comma)``.
    """
    text = _decode(data)
    first = _FIRST_LINE.match(text)
    declared = _SEP_LINE.fullmatch(first.group(1)) if first else None
    if declared:
        text = text[first.end():]
    _allow_fields_of(len(text))
    if not text.strip():
        raise NotAWorkbook("an empty file: it has no rows to read")
    delimiter = declared.group(1) if declared else _choose_delimiter(text)
    rows = _parse(text, delimiter)
    if declared and not any(len(row) > 1 for row in rows):
        raise NotAWorkbook(f"the first line says sep={delimiter} but no row splits into columns with "
                           f"{_describe(delimiter)}; correct or remove that line")
    cells = grid(rows)
    return Sheet("", cells, decimal_comma=_decimal_comma(cells, delimiter))


def _decode(data: bytes) -> str:
    """The file's text, decoded with certainty, or NotAWorkbook."""
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        raise NotAWorkbook("a binary file named like a CSV file (it looks like a workbook: name it .xlsx or .xls)")
    for mark, codec, name in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                raise NotAWorkbook(f"the file is marked as {name} text but byte {error.start:,} is not {name}; "
                                   f"{SAVE_AS}") from error
            return _checked_text(text.replace("\ufeff", ""))
    if b"\x00" in data:
        if _looks_like_utf16(data):
            raise NotAWorkbook("Unicode (UTF-16) text without the byte order mark that says so; " + SAVE_AS)
        raise NotAWorkbook("a binary file named like a CSV file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise NotAWorkbook(
                f"not text in a known encoding: byte {error.start:,} (0x{data[error.start]:02X}) is neither "
                f"UTF-8 nor Windows-1252 text; {SAVE_AS}"
            ) from error
    return _checked_text(text.replace("\ufeff", ""))


def _looks_like_utf16(data: bytes) -> bool:
    """Text in UTF-16 has a NUL in every other byte while it is plain English."""
    sample = data[:4096]
    return len(sample) >= 4 and (sample[1::2].count(0) > 0.9 * len(sample[1::2])
                                 or sample[0::2].count(0) > 0.9 * len(sample[0::2]))


def _checked_text(text: str) -> str:
    found = _CONTROL.search(text)
    if found:
        line = len(_LINE_BREAK.findall(text, 0, found.start())) + 1
        raise NotAWorkbook(f"not a text file: line {line:,} holds the control character "
                           f"0x{ord(found.group()):02X}, which no spreadsheet writes")
    return text


def _allow_fields_of(length: int) -> None:
    """Let the csv module read a cell as long as the whole file (its limit is 131,072 characters).

    The limit is per process and only ever raised, so two files read at once never lower it for each
    other; it never exceeds the size of a file being read, which the upload size limit bounds.
    """
    if csv.field_size_limit() < length + 1:
        csv.field_size_limit(length + 1)


def _parse(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    """Rows of cells; a quotation mark that is never closed is refused, not read as one vast cell."""
    rows, error = _parse_until_error(text, delimiter, limit)
    if error is not None:
        raise error
    return rows


def _parse_until_error(text: str, delimiter: str, limit: int | None) -> tuple[list[list[str]], NotAWorkbook | None]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    finished = 0  # the line the last complete row ended on
    try:
        for row in reader:
            rows.append(row)
            finished = reader.line_num
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as error:
        if "end of data" in str(error):
            return rows, NotAWorkbook(
                f"a quotation mark in the row starting on line {finished + 1:,} is never closed, so the rest of the "
                "file would be read as one cell; close it or remove it"
            )
        return rows, NotAWorkbook(
            f"line {reader.line_num:,} cannot be read as CSV with {_describe(delimiter)} between cells "
            f"({error}); a quotation mark is probably misplaced"
        )
    return rows, None


def _describe(delimiter: str) -> str:
    name = DELIMITERS.get(delimiter)
    return f"a {name}" if name else f"{delimiter!r}"


def _blank(row: list[str]) -> bool:
    return all(not cell.strip() for cell in row)


def _split(text: str, delimiter: str) -> _Split:
    rows, _ = _parse_until_error(text, delimiter, SNIFF_ROWS)  # a broken quote is reported once chosen
    splitting = [i for i, row in enumerate(rows) if len(row) > 1]
    if not splitting:
        return _Split(delimiter, 0, False)
    table = rows[splitting[0]:splitting[-1] + 1]
    return _Split(delimiter, len(splitting), all(len(row) > 1 or _blank(row) for row in table))


def _choose_delimiter(text: str) -> str:
    """The one delimiter that certainly splits the file into its columns, or NotAWorkbook.

    A delimiter fits when every row from the first it splits to the last it splits does split (a
    title above the table and notes below it are single cells). Of those, the one splitting the most
    rows wins: in ``measure;value`` / ``cla_foster_pct;61,5`` the comma splits only the figures, the
    semicolon every row. Equal candidates are refused: the file could be read either way.
    """
    splits = [_split(text, d) for d in DELIMITERS]
    tried = ", ".join(DELIMITERS.values())
    splitting = [s for s in splits if s.rows_split]
    if not splitting:
        raise NotAWorkbook(f"no row splits into columns with any delimiter tried ({tried}); {SAVE_AS}")
    if len(splitting) == 1:
        return splitting[0].delimiter
    fitting = [s for s in splitting if s.fits]
    most = max((s.rows_split for s in fitting), default=0)
    best = [s for s in fitting if s.rows_split == most]
    if len(best) == 1:
        return best[0].delimiter
    candidates = " and the ".join(DELIMITERS[s.delimiter] for s in (best or splitting))
    raise NotAWorkbook(f"cannot tell which character separates the cells: the {candidates} each split the rows "
                       f"(tried {tried}); {SAVE_AS}")


def _decimal_comma(cells, delimiter: str) -> bool:
    """Whether the file writes decimals with a comma; NotAWorkbook when its numbers do not say for certain."""
    if delimiter not in DECIMAL_COMMA_DELIMITERS:
        return False
    first: dict[str, tuple[str, str]] = {}  # style -> (cell, text) of the first number written that way
    seen: set[str] = set()
    rows, cols = cells.shape
    for r in range(rows):
        for c in range(cols):
            item = cells[r, c]
            if not item or item in seen or not _NUMBER_LIKE.fullmatch(item):
                continue
            seen.add(item)
            style = number_style(item)
            if style is not None and style not in first:
                first[style] = (cell_ref(r, c), item)
    separated = f"{DELIMITERS[delimiter]}-separated"
    if DECIMAL_COMMA in first and DECIMAL_POINT in first:
        (comma_cell, comma_text), (point_cell, point_text) = first[DECIMAL_COMMA], first[DECIMAL_POINT]
        raise NotAWorkbook(
            f"cell {comma_cell} writes {quote(comma_text)} with a decimal comma but cell {point_cell} writes "
            f"{quote(point_text)} with a decimal point; use one decimal mark throughout the file",
            cell=comma_cell,
        )
    if DECIMAL_COMMA in first:
        return True
    if DECIMAL_POINT in first:
        return False
    for style in (COMMA_EITHER_WAY, POINT_EITHER_WAY):
        if style in first:
            cell, item = first[style]
            number = item.strip().rstrip("%").strip()
            readings = (
                f"{number.replace(',', '')} (a thousands comma) or {number.replace(',', '.')} (a decimal comma)"
                if style == COMMA_EITHER_WAY
                else f"{number} (a decimal point) or {number.replace('.', '')} (a thousands point)"
            )
            raise NotAWorkbook(
                f"cell {cell} holds {quote(item)}, which could be {readings}: no number in this {separated} "
                "file shows which mark is decimal; write numbers without thousands separators",
                cell=cell,
            )
    return False


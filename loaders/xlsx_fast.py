"""Reading a worksheet's rows of cells fast, in the form Excel and the common tools write them.

Expat calls back into Python five times for every cell (``<c>``, ``<v>``, the text, ``</v>``,
``</c>``), which makes it most of the time a big return takes to load. This scanner reads the rows
of cells (the part inside ``<sheetData>``) with one regular expression that takes a whole cell at a
time, and reads what lies outside them (the root element and its namespace, column widths, merged
cells) with the same expat pass as before, which also checks that XML is well formed.

It reads only what it can read with certainty, and gives up (returns None) on anything else, so the
caller reads the sheet with expat (``loaders.xlsx.expat_cells``), which gives the same cells and says
exactly what is wrong with a damaged sheet. Rows Excel hides are listed as expat lists them.
It gives up on: any markup other than ``<row>`` and cells of the form ``<c r="B7" s=".." t="..">``
holding ``<f>``, ``<v>`` and ``<is><t>`` in that order; cells without an ``r`` address; namespace
prefixes; comments, CDATA, character references and entities other than the five XML names;
attributes written with single quotes or other spacing; a ``t="str"`` cell with an empty value; a
hidden row without its number; text outside cells; and every value the expat pass would
refuse (a number that is not one, unknown shared text, a style the workbook does not have, a date
Excel cannot show). The tests in tests/test_workbook_fast_path.py read the same workbooks both ways.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from operator import itemgetter

from loaders.extent import EXCEL_ROWS, CellStore
from loaders.numformats import Shown
from loaders.sheets import NotAWorkbook
from loaders.xlsx_cells import COLUMNS, HIDDEN_ROW, NUMBER_MEMO_SIZE, SharedStrings, excel_date, iso_date

_VALUE = rb'"[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]*"'  # printable ASCII without " & <
_NAME = rb"[A-Za-z_][A-Za-z0-9_.:-]*"
_ATTRIBUTE = re.compile(rb" (" + _NAME + rb")=(" + _VALUE + rb")")
_ATTRIBUTES = re.compile(rb"(?: " + _NAME + rb"=" + _VALUE + rb")* ?")
_ROW_TAG = rb"<row(?: " + _NAME + rb"=" + _VALUE + rb")* ?"
_EMPTY_ROWS = re.compile(rb"(?:" + _ROW_TAG + rb"/>)*")
_ROW_START = re.compile(_EMPTY_ROWS.pattern + _ROW_TAG + rb">")
_ROW_TAGS = re.compile(_ROW_TAG)
_CELL = re.compile(
    rb'(<c r="([A-Z]{1,3})([0-9]{1,7})"([^<>/]*)(?:/>|>'  # the attributes are checked in _attributes
    rb"(<f[^<>]*(?:/>|>[^<]*</f>))?"
    rb"(?:<v>([^<]*)</v>)?"
    rb'(?:<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?'
    rb"</c>))"
)
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")
_BAD_BYTES = re.compile(rb"&(?!(?:lt|gt|amp|quot|apos);)|\r|]]>")
_BAD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
BYTES_COLUMNS = {letters.encode(): index for letters, index in COLUMNS.items()}
HIDDEN_ROW_BYTES = frozenset(value.encode() for value in HIDDEN_ROW)
SHEET_DATA, SHEET_DATA_END, ROW_END = b"<sheetData>", b"</sheetData>", b"</row>"
LONGEST_ROW_BYTES = 16_000_000  # a row of 16,384 cells of long text; past it without </row>: expat reads it
_NUMBER_TYPE, _SHARED, _INLINE, _STRING, _BOOLEAN, _ERROR, _DATE = range(7)
_PLAIN, _PERCENT_NUMBER, _DATE_NUMBER = int(Shown.NUMBER), int(Shown.PERCENT), int(Shown.DATE)
_OTHER = 10  # kinds above it: _OTHER + the cell's type
_TYPES = {None: _NUMBER_TYPE, b"n": _NUMBER_TYPE, b"s": _SHARED, b"inlineStr": _INLINE, b"str": _STRING,
          b"b": _BOOLEAN, b"e": _ERROR, b"d": _DATE}


_first = itemgetter(0)


class _GiveUp(Exception):
    """Something the scanner does not read with certainty: expat reads the sheet instead."""


def _text(raw: bytes) -> str:
    """Element text as XML gives it: the five named entities replaced, never anything XML forbids."""
    if _BAD_BYTES.search(raw):
        raise _GiveUp
    if b"&" in raw:
        raw = raw.replace(b"&lt;", b"<").replace(b"&gt;", b">").replace(b"&quot;", b'"').replace(
            b"&apos;", b"'").replace(b"&amp;", b"&")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _GiveUp from None
    if _BAD_CHARACTERS.search(text):
        raise _GiveUp
    return text


def _attributes(tag: bytes) -> dict[bytes, bytes]:
    """A tag's attributes; give up unless each is ASCII, double-quoted and named once."""
    if _ATTRIBUTES.fullmatch(tag) is None:
        raise _GiveUp
    found = _ATTRIBUTE.findall(tag)
    out = {name: value[1:-1] for name, value in found}
    if len(out) != len(found):
        raise _GiveUp
    return out


def _row_tag(tag: bytes) -> int | None:
    """A ``<row>`` tag's row (zero-based) when Excel hides it, else None. Its number, when it has one,
    must be within Excel's grid; a hidden row without a number is left to expat, which counts rows."""
    attrs = _attributes(tag[4:].rstrip(b"/>"))
    number = attrs.get(b"r")
    if number is not None and not (number.isdigit() and 0 < int(number) <= EXCEL_ROWS):
        raise _GiveUp
    if attrs.get(b"hidden") not in HIDDEN_ROW_BYTES:
        return None
    if number is None:
        raise _GiveUp
    return int(number) - 1


def _formula_text(tag: bytes) -> str:
    """The formula inside an ``<f>`` element (its attributes checked), "" for ``<f .../>``."""
    close = tag.index(b">")
    attrs = tag[2:close]
    _attributes(attrs[:-1] if attrs.endswith(b"/") else attrs)
    return "" if tag[close - 1:close] == b"/" else _text(tag[close + 1:-4])


class _Scanner:
    """The state carried from one run of rows to the next: caches by the exact bytes of the file."""

    def __init__(self, name: str, shared: SharedStrings, styles: list[Shown] | None, date1904: bool):
        self.name, self.shared, self.styles, self.date1904 = name, shared, styles, date1904
        self.store = CellStore()
        self.numbers: dict[bytes, float] = {}
        self.kinds: dict[bytes, int] = {}
        self.row_numbers: dict[bytes, int] = {}

    def style(self, style: bytes) -> Shown:
        try:
            index = int(style)
        except ValueError:
            raise _GiveUp from None
        if self.styles is None:
            if index == 0:
                return Shown.NUMBER
            raise _GiveUp
        if not 0 <= index < len(self.styles):
            raise _GiveUp
        return self.styles[index]

    def number(self, text: bytes) -> float:
        if not _NUMBER.match(text):
            raise _GiveUp
        found = float(text)
        if not math.isfinite(found):
            raise _GiveUp
        if len(self.numbers) < NUMBER_MEMO_SIZE:
            self.numbers[text] = found
        return found

    def scan(self, rows: bytes) -> None:
        """Every cell in ``rows`` (whole rows, or the last ones before ``</sheetData>``), in file order.

        Each row is split off at its ``</row>``; it must start with its ``<row>`` tag (after any empty
        ``<row/>``) and the cells found in it must cover the rest of it byte for byte, else the scan
        gives up: nothing in a sheet is ever skipped unread.
        """
        pieces = rows.split(ROW_END)
        last = pieces.pop()
        if _EMPTY_ROWS.fullmatch(last) is None:
            raise _GiveUp
        self.row_tags(last)
        for piece in pieces:
            start = _ROW_START.match(piece)
            if start is None:
                raise _GiveUp
            begin = start.end()
            self.row_tags(piece[:begin])
            found = _CELL.findall(piece, begin)
            if sum(map(len, map(_first, found))) != len(piece) - begin:
                raise _GiveUp
            self.cells(found)

    def row_tags(self, tags: bytes) -> None:
        for tag in _ROW_TAGS.findall(tags):
            hidden = _row_tag(tag)
            if hidden is not None:
                self.store.hidden_rows.add(hidden)

    def cells(self, found: list[tuple[bytes, ...]]) -> None:
        """The cells of one row, as findall gives them; a plain number takes the shortest way."""
        store = self.store
        add_row, add_col, add_value = store.rows.append, store.cols.append, store.values.append
        values, percent, formulas = store.values, store.percent, store.formulas
        columns, numbers, kinds, row_numbers = BYTES_COLUMNS, self.numbers, self.kinds, self.row_numbers
        for _, letters, digits, attrs, formula, value, inline in found:
            col = columns.get(letters)
            row = row_numbers.get(digits)
            if row is None or col is None:
                row = self.row_number(digits, col)
            kind = kinds.get(attrs)
            if kind is None:
                kind = kinds[attrs] = self.kind(attrs)
            if kind == _PLAIN and value and not formula:
                found_value = numbers.get(value)
                if found_value is None:
                    found_value = self.number(value)
            elif kind > _DATE_NUMBER:
                self.other_cell(row, col, kind - _OTHER, formula, value, inline)  # type: ignore[arg-type]
                continue
            elif value:
                found_value = numbers.get(value)
                if found_value is None:
                    found_value = self.number(value)
                if formula:
                    formulas[(row, col)] = (len(values), _formula_text(formula))
                if kind == _PERCENT_NUMBER:
                    percent.append(len(values))
                elif kind == _DATE_NUMBER:
                    found_value = self.as_date(found_value)
            else:
                if formula:
                    self.uncached(row, col, formula)  # type: ignore[arg-type]
                continue
            add_row(row)
            add_col(col)
            add_value(found_value)

    def row_number(self, digits: bytes, col: int | None) -> int:
        """The row of a cell address (zero-based), remembered; give up outside Excel's grid."""
        row = int(digits) - 1
        if col is None or not 0 <= row < EXCEL_ROWS:
            raise _GiveUp
        self.row_numbers[digits] = row
        return row

    def kind(self, attrs: bytes) -> int:
        """A number cell's Shown (0, 1, 2) or _OTHER plus its type, from its ``s`` and ``t`` attributes."""
        found = _attributes(attrs)
        if not found.keys() <= {b"s", b"t"}:
            raise _GiveUp  # cm, vm, ph: attributes the scanner does not read
        kind = _TYPES.get(found.get(b"t"))
        if kind is None:
            raise _GiveUp
        if kind != _NUMBER_TYPE:
            return _OTHER + kind
        style = found.get(b"s")
        return int(Shown.NUMBER if style is None else self.style(style))

    def other_cell(self, row: int, col: int, c_type: int, formula: bytes, value: bytes, inline: bytes) -> None:
        """A cell that is not a number: as ``loaders.xlsx.expat_cells`` reads it."""
        text = _formula_text(formula) if formula else None  # checked even when the value makes it unneeded
        if c_type == _INLINE:
            found: object = _text(inline)
        elif not value:
            if c_type == _STRING:
                raise _GiveUp  # <v></v> and no <v> at all differ here, and look the same to the pattern
            if formula:
                self.uncached(row, col, formula)
            return
        elif c_type == _SHARED:
            try:
                found = self.shared.get(int(value))
            except (ValueError, IndexError):
                raise _GiveUp from None
        elif c_type == _STRING:
            found = _text(value)
        elif c_type == _BOOLEAN:
            if value not in (b"0", b"1", b"true", b"false"):
                raise _GiveUp
            found = value in (b"1", b"true")
        elif c_type == _ERROR:
            found = self.store.errors[(row, col)] = _text(value)
        else:  # _DATE
            try:
                found = iso_date(_text(value), self.name, "")
            except NotAWorkbook:
                raise _GiveUp from None
        if text is not None and c_type != _ERROR:
            self.store.formulas[(row, col)] = (len(self.store.values), text)
        self.store.add(row, col, found)

    def uncached(self, row: int, col: int, formula: bytes) -> None:
        text = _formula_text(formula)
        self.store.uncached[(row, col)] = f"={text}" if text else "(a copy of a shared formula)"
        self.store.add(row, col, None)

    def as_date(self, found: float) -> object:
        try:
            return excel_date(found, self.date1904)
        except (ValueError, OverflowError):
            raise _GiveUp from None


def scan_sheet(chunks: Iterator[bytes], name: str, shared: SharedStrings, styles: list[Shown] | None,
               date1904: bool, outside_ok: Callable[[list[bytes]], bool]) -> CellStore | None:
    """The sheet's cells, in file order, or None when the scanner gives up (see the module docstring).

    ``chunks`` is the sheet part as unpacked; ``outside_ok`` is handed the XML before and after the
    rows (``...<sheetData>`` and ``</sheetData>...``) and says whether it is well formed, declares the
    main namespace without a prefix and holds no cell.
    """
    scanner = _Scanner(name, shared, styles, date1904)
    try:
        head = b""
        for chunk in chunks:
            head += chunk
            start = head.find(SHEET_DATA)
            if start >= 0:
                break
            if len(head) > LONGEST_ROW_BYTES:
                return None
        else:
            return None
        declared = _ENCODING.match(head)
        if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
            return None
        start += len(SHEET_DATA)
        head, rest = head[:start], head[start:]
        tail: list[bytes] = []
        while True:
            end = rest.find(SHEET_DATA_END)
            if end >= 0:
                scanner.scan(rest[:end])
                tail.append(rest[end:])
                tail.extend(chunks)
                break
            cut = rest.rfind(ROW_END)
            if cut >= 0:
                cut += len(ROW_END)
                scanner.scan(rest[:cut])
                rest = rest[cut:]
            elif len(rest) > LONGEST_ROW_BYTES:
                return None
            chunk = next(chunks, None)
            if chunk is None:
                return None  # the rows never end: a damaged sheet, which expat describes
            rest += chunk
        if not outside_ok([head, *tail]):
            return None
    except (_GiveUp, NotAWorkbook):
        return None
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()  # a scan given up leaves the part half read: let the zip member go now
    return scanner.store

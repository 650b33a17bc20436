"""Reading an .xlsx or .xlsm workbook: every cell's value, and what its number format makes Excel show.

Sheets are streamed in chunks, so a big sheet costs its cells, not its XML: through the fast scanner
(loaders.xlsx_fast) when the sheet is in the form Excel and the common tools write, else through the C
expat parser, which gives the same cells and says exactly what is wrong with a damaged sheet.
The reader is our own because the libraries fall short for returns: python-calamine drops error cells
to empty, gives no number formats and allocates the whole used range (one stray cell at XFD1048576
makes it ask for hundreds of gigabytes); openpyxl is about eight times slower.

What it handles, all seen in files councils send: shared strings with rich-text runs, inline strings,
numbers (as floats, 5 -> 5.0), booleans, formula strings, ISO dates, error cells (``#N/A`` kept as
text and listed in ``Sheet.errors``), formulas never calculated (``<f>`` without ``<v>``: listed in
``Sheet.uncached``), dates and percentages from the cell's number format (1904 date system honoured),
namespace prefixes (``<x:c>``, as .NET tools write) and cells or rows without an ``r`` address.
Hidden sheets are listed, not read; chart and dialog sheets are skipped. Hidden rows (by hand or by a
filter) are read and listed in ``Sheet.hidden_rows``.

Every XML part is parsed with DTDs and entity declarations forbidden (as defusedxml does), so a part
cannot expand into gigabytes of entities or reach outside the file.
"""

from __future__ import annotations

import io
import math
import re
from array import array
from collections.abc import Iterable
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from loaders.extent import EXCEL_COLUMNS, EXCEL_ROWS, CellStore, to_sheet
from loaders.formulas import distrust_formulas
from loaders.numformats import Shown, shown_by_builtin, shown_by_code
from loaders.package import Package, rels_of, resolve
from loaders.problems import cell_ref
from loaders.sheets import NotAWorkbook, Sheet, Workbook
from loaders.xlsx_cells import (
    COLUMNS,
    HIDDEN_ROW,
    NUMBER_MEMO_SIZE,
    SharedStrings,
    damaged,
    excel_date,
    iso_date,
)
from loaders.xlsx_fast import scan_sheet

MAIN_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                   "http://purl.oclc.org/ooxml/spreadsheetml/main")  # transitional and strict
RELATIONSHIP_NAMESPACES = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                           "http://purl.oclc.org/ooxml/officeDocument/relationships")
WORKSHEET_TYPES = {f"{ns}/worksheet" for ns in RELATIONSHIP_NAMESPACES}
DEFAULT_WORKBOOK_PART = "xl/workbook.xml"
SMALL_PART_BYTES = 20_000_000  # workbook.xml, relationships, styles: Excel's own stay far below this
HIDDEN_STATES = {"hidden", "veryHidden"}
ERASE_DIGITS = "0123456789"

STYLES_DAMAGED = ("the workbook's styles (its number formats) are damaged, so it cannot be told which cells "
                  "show percentages or dates; open it in Excel and save it again")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")

def _forbidden(*_args: object) -> None:
    raise NotAWorkbook("the workbook's XML declares a document type or entities, which no Excel file does; "
                       "open it in Excel and save it again")


def new_parser(namespaces: bool = True) -> expat.XMLParserType:
    """An expat parser that refuses DTDs and entities; with ``namespaces`` it names elements 'namespace local'."""
    parser = expat.ParserCreate(namespace_separator=" ") if namespaces else expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _forbidden
    parser.EntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    return parser


def main_names(*locals_: str) -> dict[str, int]:
    """Expat's name for each element in the main namespaces (and none, as some tools write) -> its number."""
    out: dict[str, int] = {}
    for code, local in enumerate(locals_, start=1):
        out[local] = code
        for ns in MAIN_NAMESPACES:
            out[f"{ns} {local}"] = code
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_small(package: Package, part: str, what: str):
    """A small XML part (workbook.xml, relationships, styles) as an element tree, defused."""
    info = package.names[part]
    if info.file_size > SMALL_PART_BYTES:
        raise NotAWorkbook(f"a damaged or bloated workbook: its {what} part is {info.file_size / 1e6:,.0f} MB; "
                           "open it in Excel and save it again")
    try:
        return fromstring(package.read(part), forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise NotAWorkbook(f"a damaged workbook: its {what} part cannot be read; open it in Excel and "
                           "save it again") from error


def _relationships(package: Package, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, member name) for a part; empty when it has none."""
    found = package.find(rels_of(part))
    if found is None:
        return {}
    out = {}
    for rel in _parse_small(package, found, "relationships").iter():
        if _local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
            out[rel.get("Id", "")] = (rel.get("Type", ""), resolve(part, rel.get("Target", "")))
    return out


def _workbook_part(package: Package) -> str | None:
    for kind, target in _relationships(package, "").values():
        if kind.endswith("/officeDocument") and package.find(target):
            return package.find(target)
    return package.find(DEFAULT_WORKBOOK_PART)


def is_xlsx_package(package: Package) -> bool:
    part = _workbook_part(package)
    return part is not None and part.lower().endswith(".xml")


# styles ------------------------------------------------------------------------------------------
def read_styles(package: Package, part: str | None) -> list[Shown] | None:
    """What each cell style (index into cellXfs) makes a number look like; None when there is no styles part."""
    if part is None:
        return None
    root = _parse_small(package, part, "styles")
    try:
        if _local(root.tag) != "styleSheet":
            raise ValueError(root.tag)
        formats: dict[int, Shown] = {}
        cell_xfs = None
        for child in root:
            if _local(child.tag) == "numFmts":
                for fmt in child:
                    if _local(fmt.tag) == "numFmt":
                        formats[int(fmt.attrib["numFmtId"])] = shown_by_code(fmt.attrib["formatCode"])
            elif _local(child.tag) == "cellXfs":
                cell_xfs = child
        if cell_xfs is None:
            raise ValueError("no cellXfs")
        shown = []
        for xf in cell_xfs:
            if _local(xf.tag) == "xf":
                format_id = int(xf.get("numFmtId", "0"))
                if format_id < 0:
                    raise ValueError(format_id)
                shown.append(formats.get(format_id, shown_by_builtin(format_id)))
    except (ValueError, KeyError, TypeError) as error:
        raise NotAWorkbook(STYLES_DAMAGED) from error
    return shown


_STRING_SI, _STRING_T, _STRING_RPH = 1, 2, 3
_STRING_TAGS = main_names("si", "t", "rPh")


def read_shared_strings(package: Package, part: str | None) -> SharedStrings:
    """Each ``<si>``'s visible text: its ``<t>``, or its rich-text runs joined; phonetic guides left out."""
    buffer, offsets = io.StringIO(), array("Q", [0])
    if part is None:
        return SharedStrings("", offsets)
    pieces: list[str] = []
    state = {"text": False, "phonetic": 0, "length": 0}
    tags = _STRING_TAGS

    def start(tag: str, _attrs: dict) -> None:
        code = tags.get(tag)
        if code == _STRING_T and not state["phonetic"]:
            state["text"] = True
        elif code == _STRING_RPH:
            state["phonetic"] += 1
        elif code == _STRING_SI:
            pieces.clear()

    def end(tag: str) -> None:
        code = tags.get(tag)
        if code == _STRING_T:
            state["text"] = False
        elif code == _STRING_RPH:
            state["phonetic"] -= 1
        elif code == _STRING_SI:
            text = "".join(pieces)
            buffer.write(text)
            state["length"] += len(text)
            offsets.append(state["length"])

    def data(text: str) -> None:
        if state["text"]:
            pieces.append(text)

    parser = new_parser()
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
    _feed(parser, package, part, "the table of shared text")
    return SharedStrings(buffer.getvalue(), offsets)


def _feed(parser: expat.XMLParserType, package: Package, part: str, what: str, sheet: str = "",
          chunks: Iterable[bytes] | None = None) -> None:
    """Parse the part (or ``chunks`` standing for it) with ``parser``; malformed XML is a sentence."""
    try:
        for chunk in package.chunks(part) if chunks is None else chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise NotAWorkbook(f"a damaged workbook: {what} breaks off or is malformed (line {error.lineno}); "
                           "open it in Excel and save it again", sheet=sheet) from error


# worksheets --------------------------------------------------------------------------------------
_C, _V, _F, _ROW, _T, _RPH = range(1, 7)
_SHEET_LOCALS = {"c": _C, "v": _V, "f": _F, "row": _ROW, "t": _T, "rPh": _RPH}


def sheet_tags(tag: str, attrs: dict, name: str) -> dict[str, int]:
    """The names of the elements we read, as written in this sheet: ``c`` or ``x:c`` (.NET tools).

    The sheet is parsed without expat's namespace processing, which costs a third of the parse; the
    root element's ``xmlns`` declarations say which prefix (or none) stands for the main namespace,
    and only elements with that prefix are read.
    """
    prefix, _, local = tag.rpartition(":")
    declared = attrs.get(f"xmlns:{prefix}" if prefix else "xmlns")
    if local != "worksheet" or (declared not in MAIN_NAMESPACES and (prefix or declared is not None)):
        raise damaged(name, "is not a worksheet this dashboard can read")
    lead = f"{prefix}:" if prefix else ""
    return {f"{lead}{local}": code for local, code in _SHEET_LOCALS.items()}


def read_sheet(package: Package, part: str, name: str, shared: SharedStrings, styles: list[Shown] | None,
               date1904: bool, recalculate_on_open: bool = False) -> Sheet:
    """One worksheet's cells, streamed: see the module docstring for what each kind of cell becomes.

    The sheet is first read by the fast scanner (loaders.xlsx_fast), which reads the sheets Excel and
    the common tools write and gives up on anything else; then, and for any sheet it gives up on,
    by expat, which says exactly what is wrong with a damaged sheet. Both give the same cells, whose
    formulas' saved results are then checked (loaders.formulas) the same way.
    """
    unpacked = package.unpacked
    store = scan_sheet(package.chunks(part), name, shared, styles, date1904,
                       lambda pieces: _outside_cells_ok(package, part, name, shared, styles, date1904, pieces))
    if store is None:
        package.unpacked = unpacked  # the expat pass reads the part again: count its bytes once
        store, _ = expat_cells(package, part, name, shared, styles, date1904)
    distrust_formulas(store, recalculate_on_open)
    return to_sheet(name, store)


def _outside_cells_ok(package: Package, part: str, name: str, shared: SharedStrings, styles: list[Shown] | None,
                      date1904: bool, pieces: list[bytes]) -> bool:
    """Whether the sheet's XML outside its rows of cells (``pieces``) is well formed, declares the main
    namespace without a prefix, and holds no cell: what the fast scanner leaves to expat."""
    try:
        store, tags = expat_cells(package, part, name, shared, styles, date1904, pieces)
    except NotAWorkbook:
        return False
    return not store.values and tags.get("c") == _C and tags.get("row") == _ROW


def expat_cells(package: Package, part: str, name: str, shared: SharedStrings, styles: list[Shown] | None,
                date1904: bool, chunks: Iterable[bytes] | None = None) -> tuple[CellStore, dict[str, int]]:
    """The sheet's cells as expat reads them, and the element names the sheet uses (see sheet_tags).

    The handlers are closures over plain local variables and test the commonest case first (a number
    or shared string in a cell with an address in the current row): they run once per XML event, and a
    big return has millions of those.
    """
    store = CellStore()
    add_row, add_col, add_value = store.rows.append, store.cols.append, store.values.append
    values, errors, uncached, percent = store.values, store.errors, store.uncached, store.percent
    formulas, hidden_rows = store.formulas, store.hidden_rows
    shown_by_style: dict[str | None, Shown] = {None: Shown.NUMBER}
    numbers: dict[str, float] = {}
    pieces: list[str] = []
    inline: list[str] = []
    columns = COLUMNS
    tags: dict[str, int] = {}
    row = col = c_row = c_col = -1
    row_text, row_digits = "", 0
    c_type = c_style = v_text = f_text = None
    collecting = phonetic = False
    share = shared.get

    def style_of(style: str) -> Shown:
        try:
            index = int(style)
            if styles is None:
                if index == 0:
                    return Shown.NUMBER
                raise IndexError(index)
            if index < 0:
                raise IndexError(index)
            return styles[index]
        except (ValueError, IndexError) as error:
            raise NotAWorkbook(STYLES_DAMAGED, sheet=name, cell=cell_ref(c_row, c_col)) from error

    def number(text: str) -> float:
        if not _NUMBER.match(text):
            raise damaged(name, f"holds {text[:30]!r} where a number belongs", cell_ref(c_row, c_col))
        found = float(text)
        if not math.isfinite(found):
            raise damaged(name, f"holds the number {text[:30]!r}, too big for Excel", cell_ref(c_row, c_col))
        if len(numbers) < NUMBER_MEMO_SIZE:
            numbers[text] = found
        return found

    def position(ref: str) -> tuple[int, int]:
        letters = ref.rstrip(ERASE_DIGITS)
        digits = ref[len(letters):]
        column = columns.get(letters)
        if column is None or not digits or not digits.isascii() or not digits.isdigit() or \
                not 0 < int(digits) <= EXCEL_ROWS:
            raise damaged(name, f"has a cell addressed {ref[:20]!r}, outside Excel's grid")
        return int(digits) - 1, column

    def start(tag: str, attrs: dict) -> None:
        nonlocal row, col, c_row, c_col, c_type, c_style, v_text, f_text, collecting, phonetic, tags
        nonlocal row_text, row_digits
        code = tags.get(tag)
        if code == _C:
            ref = attrs.get("r")
            column = None
            if ref is None:
                c_row, c_col = row, col + 1
                if c_col >= EXCEL_COLUMNS or c_row < 0:
                    raise damaged(name, "has a cell outside Excel's grid")
            elif ref.endswith(row_text):
                column = columns.get(ref[:-row_digits])
            if column is not None:
                c_row, c_col = row, column
            elif ref is not None:
                c_row, c_col = position(ref)
            row, col = c_row, c_col
            c_type = attrs.get("t")
            if c_type == "n":  # written out by some tools: the same as no type
                c_type = None
            c_style = attrs.get("s")
            v_text = f_text = None
            if inline:
                inline.clear()
        elif code == _V:
            collecting = True
        elif code == _ROW:
            ref = attrs.get("r")
            if ref is None:
                row += 1
            elif ref.isascii() and ref.isdigit() and 0 < int(ref) <= EXCEL_ROWS:
                row = int(ref) - 1
            else:
                raise damaged(name, f"has a row numbered {ref[:20]!r}, outside Excel's grid")
            if row >= EXCEL_ROWS:
                raise damaged(name, "has more rows than Excel allows")
            if attrs.get("hidden") in HIDDEN_ROW:
                hidden_rows.add(row)
            row_text = str(row + 1)
            row_digits = len(row_text)
            col = -1
        elif code == _F:
            collecting = True
        elif code == _T:
            collecting = not phonetic
        elif code == _RPH:
            phonetic = True
        elif not tags:
            tags = sheet_tags(tag, attrs, name)

    def end(tag: str) -> None:
        nonlocal v_text, f_text, collecting, phonetic
        code = tags.get(tag)
        if code == _V:
            v_text = pieces[0] if len(pieces) == 1 else "".join(pieces)
            pieces.clear()
            collecting = False
            return
        if code != _C:
            if code == _F:
                f_text = "".join(pieces)
                pieces.clear()
                collecting = False
            elif code == _T:
                if collecting:
                    inline.append("".join(pieces))
                    pieces.clear()
                collecting = False
            elif code == _RPH:
                phonetic = False
            return
        # the end of a cell: decide its value
        if c_type is None:
            if v_text:
                found = numbers.get(v_text)
                if found is None:
                    found = number(v_text)
                shown = shown_by_style.get(c_style)
                if shown is None:
                    shown = shown_by_style[c_style] = style_of(c_style)  # type: ignore[arg-type]
                if shown == Shown.PERCENT:
                    percent.append(len(values))
                elif shown:
                    found = as_date(found)
                if f_text is not None:
                    formulas[(c_row, c_col)] = (len(values), f_text)
                add_row(c_row)
                add_col(c_col)
                add_value(found)
            elif f_text is not None:
                uncached_cell()
            return
        if c_type == "s":
            if not v_text:
                return empty_or_uncached()
            try:
                found = share(int(v_text))
            except (ValueError, IndexError) as error:
                raise damaged(name, f"refers to shared text number {v_text[:20]!r}, which the workbook does not hold",
                              cell_ref(c_row, c_col)) from error
        elif c_type == "inlineStr":
            found = "".join(inline)
        elif c_type == "str":
            if v_text is None:
                return empty_or_uncached()
            found = v_text
        elif c_type == "b":
            if not v_text:
                return empty_or_uncached()
            if v_text not in ("0", "1", "true", "false"):
                raise damaged(name, f"holds {v_text[:20]!r} where TRUE or FALSE belongs", cell_ref(c_row, c_col))
            found = v_text in ("1", "true")
        elif c_type == "e":
            if not v_text:
                return empty_or_uncached()
            found = errors[(c_row, c_col)] = v_text
        elif c_type == "d":
            if not v_text:
                return empty_or_uncached()
            found = iso_date(v_text, name, cell_ref(c_row, c_col))
        else:
            raise damaged(name, f"has a cell of unknown type {c_type[:20]!r}", cell_ref(c_row, c_col))
        if f_text is not None and c_type != "e":
            formulas[(c_row, c_col)] = (len(values), f_text)
        add_row(c_row)
        add_col(c_col)
        add_value(found)

    def as_date(found: float) -> object:
        try:
            return excel_date(found, date1904)
        except (ValueError, OverflowError) as error:
            cell = cell_ref(c_row, c_col)
            raise NotAWorkbook(
                f"cell {cell} on sheet '{name}' is formatted as a date but holds {v_text}, which Excel cannot "
                "show as a date (it shows ####); correct the cell and save it again", sheet=name, cell=cell) from error

    def uncached_cell() -> None:
        uncached[(c_row, c_col)] = f"={f_text}" if f_text else "(a copy of a shared formula)"
        add_row(c_row)
        add_col(c_col)
        add_value(None)

    def empty_or_uncached() -> None:
        if f_text is not None:
            uncached_cell()

    def data(text: str) -> None:
        if collecting:
            pieces.append(text)

    parser = new_parser(namespaces=False)
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
    _feed(parser, package, part, f"sheet '{name}'", sheet=name, chunks=chunks)
    if not tags:
        raise damaged(name, "is empty where its XML should be")
    return store, tags


# the workbook ------------------------------------------------------------------------------------
def read_xlsx(package: Package) -> Workbook:
    """Every visible worksheet of the package, in workbook order, and the names of the hidden ones."""
    part = _workbook_part(package)
    if part is None:
        raise NotAWorkbook("a damaged workbook: it has no list of sheets; open it in Excel and save it again")
    root = _parse_small(package, part, "list of sheets")
    rels = _relationships(package, part)
    by_type = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
    date1904 = recalculate_on_open = False
    listed: list[tuple[str, str, str]] = []
    for element in root.iter():
        local = _local(element.tag)
        if local == "workbookPr":
            date1904 = element.get("date1904", "0").lower() in ("1", "true")
        elif local == "calcPr":
            recalculate_on_open = element.get("fullCalcOnLoad", "0").lower() in ("1", "true")
        elif local == "sheet":
            rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id" and k.startswith("{")), "")
            listed.append((element.get("name", ""), element.get("state", "visible"), rel_id))
    styles = read_styles(package, package.find(by_type.get("styles", resolve(part, "styles.xml"))))
    shared = read_shared_strings(package, package.find(by_type.get("sharedStrings", resolve(part, "sharedStrings.xml"))))
    sheets, hidden = [], []
    for name, state, rel_id in listed:
        kind, target = rels.get(rel_id, ("", ""))
        if kind not in WORKSHEET_TYPES:
            if not kind:
                raise NotAWorkbook(f"a damaged workbook: sheet '{name}' is listed but has no contents; "
                                   "open it in Excel and save it again", sheet=name)
            continue  # chart sheets, dialog sheets and Excel 4 macro sheets hold no return
        if state in HIDDEN_STATES:
            hidden.append(name)
            continue
        member = package.find(target)
        if member is None:
            raise NotAWorkbook(f"a damaged workbook: sheet '{name}' is listed but its contents are missing; "
                               "open it in Excel and save it again", sheet=name)
        sheets.append(read_sheet(package, member, name, shared, styles, date1904, recalculate_on_open))
    return Workbook(sheets, hidden)

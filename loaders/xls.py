"""Reading a legacy Excel 97-2003 workbook (.xls) with xlrd, number formats included.

xlrd is asked for formatting information so each number's format (cell -> XF -> format code) says
whether Excel shows it as a percentage or a date, classified by the same rules as for .xlsx. Error
cells keep their text (``#N/A``), dates use the book's own date system, hidden sheets are listed and
not read, hidden rows (by hand or by a filter) are read and listed. Rows are read ragged (each only as long as its last cell) so one stray cell at IV65536
costs nothing.
"""

from __future__ import annotations

import io

import xlrd
from xlrd.xldate import XLDateError, xldate_as_datetime

from loaders.extent import CellStore, to_sheet
from loaders.numformats import Shown, shown_by_builtin, shown_by_code
from loaders.problems import cell_ref
from loaders.sheets import NotAWorkbook, Sheet, Workbook

HIDDEN_VISIBILITY = {1, 2}  # hidden, very hidden


def _format_shown(book: xlrd.Book) -> list[Shown]:
    """What each XF (cell style) makes a number look like."""
    shown = []
    for xf in book.xf_list:
        fmt = book.format_map.get(xf.format_key)
        code = fmt.format_str if fmt is not None else ""
        shown.append(shown_by_code(code) if code else shown_by_builtin(xf.format_key))
    return shown


def read_xls(data: bytes) -> Workbook:
    """Every visible worksheet of the .xls file, in workbook order, and the names of the hidden ones."""
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, ragged_rows=True,
                                  logfile=io.StringIO(), on_demand=False)
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise NotAWorkbook(PASSWORD_PROTECTED) from error
        raise NotAWorkbook(f"a damaged or unsupported .xls workbook ({error}); open it in Excel and save it "
                           "as .xlsx") from error
    shown = _format_shown(book)
    sheets, hidden = [], []
    for sheet in book.sheets():
        if sheet.visibility in HIDDEN_VISIBILITY:
            hidden.append(sheet.name)
        else:
            sheets.append(_read_sheet(book, sheet, shown))
    return Workbook(sheets, hidden)


PASSWORD_PROTECTED = ("password protected: remove the password (File > Info > Protect Workbook) "
                      "and save it again")


def _read_sheet(book: xlrd.Book, sheet, shown: list[Shown]) -> Sheet:
    store = CellStore()
    store.hidden_rows.update(r for r, info in sheet.rowinfo_map.items() if info.hidden)
    for r in range(sheet.nrows):
        types = sheet.row_types(r)
        values = sheet.row_values(r)
        for c, kind in enumerate(types):
            if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            value = values[c]
            if kind in (xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE):
                xf = sheet.cell_xf_index(r, c)
                style = shown[xf] if 0 <= xf < len(shown) else Shown.NUMBER
                if style == Shown.DATE or kind == xlrd.XL_CELL_DATE:
                    try:
                        value = xldate_as_datetime(value, book.datemode)
                    except (XLDateError, ValueError, OverflowError) as error:
                        raise NotAWorkbook(
                            f"cell {cell_ref(r, c)} on sheet '{sheet.name}' is formatted as a date but holds "
                            f"{value}, which Excel cannot show as a date (it shows ####); correct the cell and "
                            "save again", sheet=sheet.name, cell=cell_ref(r, c)) from error
                else:
                    value = float(value)
                    if style == Shown.PERCENT:
                        store.percent.append(len(store.values))
            elif kind == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif kind == xlrd.XL_CELL_ERROR:
                value = store.errors[(r, c)] = xlrd.error_text_from_code.get(value, f"#ERROR{value}")
            store.add(r, c, value)
    return to_sheet(sheet.name, store)

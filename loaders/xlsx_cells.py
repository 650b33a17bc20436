"""The pieces of an .xlsx sheet both readers share (loaders.xlsx's expat pass and loaders.xlsx_fast's
scanner): column letters, hidden-row markers, shared text, Excel's dates, the damaged-sheet sentence.

A leaf: both readers import it and it imports neither, so the fast scanner and the expat reader that
checks it can never disagree on what a cell is.
"""

from __future__ import annotations

from array import array
from datetime import datetime, time

from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel

from loaders.extent import EXCEL_COLUMNS
from loaders.sheets import NotAWorkbook

HIDDEN_ROW = frozenset({"1", "true"})  # <row hidden="1"> (Excel) or hidden="true" (LibreOffice): a hidden row
LAST_EXCEL_DATE = 2_958_466  # the day after 31/12/9999
NUMBER_MEMO_SIZE = 200_000

# Column letters -> zero-based index, for every column Excel has (A..XFD).
_LETTERS = [chr(65 + i) for i in range(26)]
COLUMNS: dict[str, int] = {}
for _index, _name in enumerate(
        _LETTERS + [a + b for a in _LETTERS for b in _LETTERS] + [a + b + c for a in _LETTERS for b in _LETTERS
                                                                  for c in _LETTERS]):
    if _index >= EXCEL_COLUMNS:
        break
    COLUMNS[_name] = _index


def damaged(name: str, what: str, cell: str = "") -> NotAWorkbook:
    where = f"cell {cell} on sheet '{name}'" if cell else f"sheet '{name}'"
    return NotAWorkbook(f"a damaged workbook: {where} {what}; open it in Excel and save it again",
                        sheet=name, cell=cell)


class SharedStrings:
    """The workbook's table of shared strings, held as one text with offsets rather than a million objects."""

    def __init__(self, text: str, offsets: array):
        self.text = text
        self.offsets = offsets
        self.cache: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def get(self, index: int) -> str:
        found = self.cache.get(index)
        if found is None:
            if not 0 <= index < len(self.offsets) - 1:
                raise IndexError(index)
            found = self.cache[index] = self.text[self.offsets[index]:self.offsets[index + 1]]
        return found


def excel_date(serial: float, date1904: bool) -> datetime | time:
    """A date serial as Excel shows it (1900 or 1904 date system); ValueError when Excel shows ####."""
    if not 0 <= serial < LAST_EXCEL_DATE:
        raise ValueError(serial)
    return from_excel(serial, CALENDAR_MAC_1904 if date1904 else WINDOWS_EPOCH)


def iso_date(text: str, name: str, cell: str) -> datetime | time:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return time.fromisoformat(text)
        except ValueError as error:
            raise damaged(name, f"holds {text[:30]!r} where a date belongs", cell) from error

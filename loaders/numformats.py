"""What a cell's number format makes Excel show: a plain number, a percentage or a date.

A workbook stores 0.54 whether the cell shows ``0.54`` or ``54%``, and 45352 whether it shows
``45352`` or ``01/03/2024``; only the number format tells them apart. Both readers (.xlsx and .xls)
classify formats here, so the same format code means the same thing whichever file it came in.
"""

from __future__ import annotations

import re
from enum import IntEnum

from openpyxl.styles.numbers import is_date_format


class Shown(IntEnum):
    """How a number in a cell is shown; small integers so a style table is a plain list."""

    NUMBER = 0
    PERCENT = 1
    DATE = 2


# Excel's built-in format ids (ECMA-376 part 1, 18.8.30; 27-36 and 50-58 are the East Asian dates).
BUILTIN_PERCENT_IDS = frozenset({9, 10})
BUILTIN_DATE_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})

# Parts of a format code that never scale a number: quoted text, escaped characters, bracketed
# sections ([Red], [$€-809], [>=100]), and the "pad with" / "repeat" markers _x and *x.
_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


def shown_by_code(code: str) -> Shown:
    """Classify a format code such as ``0.0%``, ``dd/mm/yyyy`` or ``#,##0 "%"`` (the last is a number)."""
    if is_date_format(code):
        return Shown.DATE
    return Shown.PERCENT if "%" in _LITERALS.sub("", code) else Shown.NUMBER


def shown_by_builtin(format_id: int) -> Shown:
    """Classify a built-in format id that the workbook does not define itself."""
    if format_id in BUILTIN_PERCENT_IDS:
        return Shown.PERCENT
    if format_id in BUILTIN_DATE_IDS:
        return Shown.DATE
    return Shown.NUMBER

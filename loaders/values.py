"""Reading the figures in a return's cells: numbers, percentages and the published status symbols.

People type figures in many ways: ``54``, ``54%``, ``0.54`` in a cell formatted as a percentage, or a
number stored as text such as `` 1,234 ``. The published symbols (``c``, ``x``, ``low``...) mean a
figure exists but is not given: they are kept as a status with no value, never turned into zero. An
empty cell is reported as empty so that each layout can decide what it means.

Conversion is vectorised over whole blocks of cells because a return can hold hundreds of thousands.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time

import numpy as np
import pandas as pd

from reference.statuses import VALUE, status_labels

NUMBER, STATUS, EMPTY, BAD = 0, 1, 2, 3  # what a cell holds, as small integer codes
PERCENT_SCALE = 100.0
ROUND_DIGITS = 10  # 0.545 formatted as a percent is 54.5, not 54.50000000000001
ROUNDING_LIMIT = 1e15  # beyond this a float has no 10 decimal places left to round

ACCEPTED_VALUE = "a number, or a status symbol such as c or x"
# The error values Excel shows in a cell; a CSV file saved by Excel holds them as plain text.
EXCEL_ERRORS = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!",
    "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})

# Numbers written as text. A thousands separator must group the digits in threes ('12,345.5',
# '1 234'); anything else ('61,5' with a decimal point expected, '1,23,4') is not a number, because
# dropping the comma would turn 61,5 into 615. The same separator is used throughout one number.
_SPACES = " \u00a0\u202f"  # space, no-break space and narrow no-break space, as locales group digits
_EXPONENT = r"(?:[eE][+-]?\d+)?"


def _number_pattern(decimal: str, separators: str) -> re.Pattern[str]:
    mark = re.escape(decimal)
    grouped = "|".join(rf"\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+" for sep in separators)
    return re.compile(
        rf"[+-]?(?:(?:\d+(?:{mark}\d*)?|{mark}\d+){_EXPONENT}|(?:{grouped})(?:{mark}\d*)?)"
    )


_DOT_NUMBER = _number_pattern(".", "," + _SPACES)  # 12,345.5 (and 1 234.5)
_COMMA_NUMBER = _number_pattern(",", "." + _SPACES)  # 12.345,5 (and 1 234,5): a decimal-comma file
_NOT_FINITE_TEXT = re.compile(r"[+-]?(?:inf(?:inity)?|nan)", re.IGNORECASE)
_DROPPED_IN_NUMBERS = str.maketrans("", "", ",." + _SPACES)

# How a number written as text shows its decimal mark, for telling a decimal-comma file apart.
PLAIN = "plain"  # no mark at all: 54, 1 234
DECIMAL_POINT = "decimal point"  # only readable with a point as the decimal mark: 12.5, 1,234.5
DECIMAL_COMMA = "decimal comma"  # only readable with a comma as the decimal mark: 61,5, 1.234,5
COMMA_EITHER_WAY = "comma either way"  # 1,234: 1234 with a decimal point, 1.234 with a decimal comma
POINT_EITHER_WAY = "point either way"  # 1.234: 1.234 with a decimal point, 1234 with a decimal comma


@dataclass(frozen=True)
class CellValues:
    """Figures read from a block of cells, one entry per cell in the order given.

    ``value`` is NaN unless ``kind`` is NUMBER; ``status`` is ``"value"``, a published symbol, or ``""``
    for an empty or unreadable cell. ``percent_sign`` marks text written with a ``%``;
    ``percent_format`` marks numbers in cells formatted as a percentage (0.54 shown as 54%).
    Two kinds of BAD cell are flagged so a message can say what they are: ``error`` marks an Excel
    error value (``#DIV/0!``), ``not_finite`` a number too large to hold or no number at all
    (``1e400``, ``inf``, ``nan``).
    """

    value: np.ndarray
    status: np.ndarray
    kind: np.ndarray
    percent_sign: np.ndarray
    percent_format: np.ndarray
    error: np.ndarray
    not_finite: np.ndarray


def status_symbols() -> dict[str, str]:
    """Lower-case text as typed -> the published symbol it stands for."""
    return {symbol.lower(): symbol for symbol in status_labels()}


def number_style(text: str) -> str | None:
    """Which decimal mark a number written as text needs (PLAIN, DECIMAL_POINT ...), or None.

    None means the text is not a number in either style (``abc``, ``1,23,4``, ``31.03.2024``).
    A trailing ``%`` is allowed, as in a cell.
    """
    number = text.strip()
    if number.endswith("%"):
        number = number[:-1].rstrip()
    as_point = _DOT_NUMBER.fullmatch(number) is not None
    as_comma = _COMMA_NUMBER.fullmatch(number) is not None
    if as_point and as_comma:
        if "," in number:
            return COMMA_EITHER_WAY
        return POINT_EITHER_WAY if "." in number else PLAIN
    if as_point:
        return DECIMAL_POINT
    if as_comma:
        return DECIMAL_COMMA
    return None


def _number_from_text(number: str, decimal_comma: bool) -> float | None:
    """The number a text writes (may be inf for 1e400), or None when it is not a number."""
    pattern = _COMMA_NUMBER if decimal_comma else _DOT_NUMBER
    if not pattern.fullmatch(number):
        return None
    if decimal_comma:
        whole, _, fraction = number.partition(",")
        number = whole.translate(_DROPPED_IN_NUMBERS) + ("." + fraction if _ else "")
    else:
        whole, _, fraction = number.partition(".")
        number = whole.translate(_DROPPED_IN_NUMBERS) + ("." + fraction if _ else "")
    return float(number)


def _kind_of_object(item: object) -> int:
    if item is None:
        return EMPTY
    kind = type(item)
    if kind is float:
        return EMPTY if math.isnan(item) else NUMBER  # type: ignore[arg-type]
    if kind is int or (isinstance(item, int | float | np.number) and not isinstance(item, bool | np.bool_)):
        return NUMBER
    if kind is str:
        return STATUS  # provisional: text is sorted out below
    return BAD


def _as_floats(items: np.ndarray) -> np.ndarray:
    """Numbers as floats; a whole number too large for a float (10**400) becomes inf."""
    try:
        return items.astype(np.float64)
    except OverflowError:
        out = np.empty(items.size)
        for i, item in enumerate(items):
            try:
                out[i] = float(item)
            except OverflowError:
                out[i] = math.inf
        return out


def read_values(cells: np.ndarray | list | pd.Series, percent_format: np.ndarray | None = None,
                decimal_comma: bool = False) -> CellValues:
    """Convert raw cell contents (numbers, text, dates, None) into figures and statuses.

    ``percent_format`` (same shape, optional) says which cells carry a percent number format; it
    only matters for numbers, which are then flagged so the caller can scale them for percentage
    measures. Dates, booleans, Excel error values, numbers that are not finite and text that is
    neither a number nor a symbol are BAD. ``decimal_comma`` reads text numbers as a file that writes
    decimals with a comma does (``61,5`` is 61.5, ``1.234,5`` is 1234.5): the reader of the file
    decides it for the whole file, never cell by cell.
    """
    raw = np.asarray(cells, dtype=object).ravel()
    size = raw.size
    kind = np.fromiter((_kind_of_object(item) for item in raw), dtype=np.int8, count=size)
    value = np.full(size, np.nan)
    status = np.full(size, "", dtype=object)
    percent_sign = np.zeros(size, dtype=bool)
    error = np.zeros(size, dtype=bool)
    not_finite = np.zeros(size, dtype=bool)

    numbers = kind == NUMBER  # numbers as numbers, not as text: the only cells a number format applies to
    if numbers.any():
        value[numbers] = _as_floats(raw[numbers])
        bad_number = numbers & ~np.isfinite(value)
        kind[bad_number] = BAD
        not_finite[bad_number] = True
        value[bad_number] = np.nan

    texts = np.flatnonzero(kind == STATUS)
    if texts.size:
        symbols = status_symbols()
        text_kind = np.empty(texts.size, dtype=np.int8)
        text_value = np.full(texts.size, np.nan)
        text_status = np.full(texts.size, "", dtype=object)
        text_percent = np.zeros(texts.size, dtype=bool)
        text_error = np.zeros(texts.size, dtype=bool)
        text_not_finite = np.zeros(texts.size, dtype=bool)
        for j, i in enumerate(texts):
            text = str(raw[i]).strip()
            if not text:
                text_kind[j] = EMPTY
                continue
            symbol = symbols.get(text.lower())
            if symbol is not None:
                text_kind[j], text_status[j] = STATUS, symbol
                continue
            if text.upper() in EXCEL_ERRORS:
                text_kind[j], text_error[j] = BAD, True
                continue
            number = text
            if number.endswith("%"):
                number = number[:-1].rstrip()
                text_percent[j] = True
            parsed = _number_from_text(number, decimal_comma)
            if parsed is None:
                text_kind[j] = BAD
                text_not_finite[j] = _NOT_FINITE_TEXT.fullmatch(number) is not None
            elif not math.isfinite(parsed):
                text_kind[j], text_not_finite[j] = BAD, True
            else:
                text_kind[j], text_value[j] = NUMBER, parsed
        kind[texts] = text_kind
        value[texts] = text_value
        status[texts] = text_status
        percent_sign[texts] = text_percent & (text_kind == NUMBER)
        error[texts] = text_error
        not_finite[texts] = text_not_finite

    status[kind == NUMBER] = VALUE
    formatted = np.zeros(size, dtype=bool)
    if percent_format is not None:
        formatted = np.asarray(percent_format, dtype=bool).ravel() & numbers & (kind == NUMBER)
    return CellValues(value, status, kind, percent_sign, formatted, error, not_finite)


def scale_percent_formatted(value: np.ndarray, percent_format: np.ndarray, is_percent_measure: np.ndarray) -> np.ndarray:
    """Values with 0.54 in a percent-formatted cell read as 54, for percentage measures only.

    For other measures the number typed is kept: a count of 412 in a cell someone formatted as a
    percentage is still 412 children. Arrays broadcast (a row of measures against a block of cells).
    """
    scale = np.asarray(percent_format, dtype=bool) & np.asarray(is_percent_measure, dtype=bool)
    scaled = value * PERCENT_SCALE
    # rounding works by multiplying by 10**ROUND_DIGITS, which would overflow for a huge figure (1e300):
    # such a figure is already far outside every range, and is left as it is for the range rules to refuse
    precise = np.abs(scaled) < ROUNDING_LIMIT
    scaled = np.where(precise, np.round(np.where(precise, scaled, 0.0), ROUND_DIGITS), scaled)
    return np.where(scale, scaled, value)


def is_blank(item: object) -> bool:
    """An empty cell: nothing, spaces only, or a NaN a reader gave for an empty cell."""
    if item is None:
        return True
    if isinstance(item, str):
        return not item.strip()
    return isinstance(item, float) and item != item


def cell_text(item: object) -> str:
    """A cell's contents as a person would read them in a message (895.0 -> '895')."""
    if item is None:
        return ""
    if isinstance(item, float):
        if math.isnan(item):
            return ""
        return str(int(item)) if item.is_integer() else repr(item)
    if isinstance(item, datetime):
        return item.isoformat(sep=" ") if item.time() != time(0) else item.date().isoformat()
    if isinstance(item, date):
        return item.isoformat()
    return str(item)

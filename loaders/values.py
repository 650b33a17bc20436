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

ACCEPTED_VALUE = "a number, or a status symbol such as c or x"
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
_IGNORED_IN_NUMBERS = str.maketrans("", "", ", \u00a0\u202f\t")  # thousands separators and stray spaces


@dataclass(frozen=True)
class CellValues:
    """Figures read from a block of cells, one entry per cell in the order given.

    ``value`` is NaN unless ``kind`` is NUMBER; ``status`` is ``"value"``, a published symbol, or ``""``
    for an empty or unreadable cell. ``percent_sign`` marks text written with a ``%``;
    ``percent_format`` marks numbers in cells formatted as a percentage (0.54 shown as 54%).
    """

    value: np.ndarray
    status: np.ndarray
    kind: np.ndarray
    percent_sign: np.ndarray
    percent_format: np.ndarray


def status_symbols() -> dict[str, str]:
    """Lower-case text as typed -> the published symbol it stands for."""
    return {symbol.lower(): symbol for symbol in status_labels()}


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


def read_values(cells: np.ndarray | list | pd.Series, percent_format: np.ndarray | None = None) -> CellValues:
    """Convert raw cell contents (numbers, text, dates, None) into figures and statuses.

    ``percent_format`` (same shape, optional) says which cells carry a percent number format; it
    only matters for numbers, which are then flagged so the caller can scale them for percentage
    measures. Dates, booleans and text that is neither a number nor a symbol are BAD.
    """
    raw = np.asarray(cells, dtype=object).ravel()
    size = raw.size
    kind = np.fromiter((_kind_of_object(item) for item in raw), dtype=np.int8, count=size)
    value = np.full(size, np.nan)
    status = np.full(size, "", dtype=object)
    percent_sign = np.zeros(size, dtype=bool)

    numbers = kind == NUMBER  # numbers as numbers, not as text: the only cells a number format applies to
    if numbers.any():
        value[numbers] = raw[numbers].astype(np.float64)
        bad_number = numbers & ~np.isfinite(value)
        kind[bad_number] = BAD
        value[bad_number] = np.nan

    texts = np.flatnonzero(kind == STATUS)
    if texts.size:
        symbols = status_symbols()
        stripped = [str(raw[i]).strip() for i in texts]
        text_kind = np.empty(texts.size, dtype=np.int8)
        text_value = np.full(texts.size, np.nan)
        text_status = np.full(texts.size, "", dtype=object)
        text_percent = np.zeros(texts.size, dtype=bool)
        for j, text in enumerate(stripped):
            if not text:
                text_kind[j] = EMPTY
                continue
            symbol = symbols.get(text.lower())
            if symbol is not None:
                text_kind[j], text_status[j] = STATUS, symbol
                continue
            number = text
            if number.endswith("%"):
                number = number[:-1]
                text_percent[j] = True
            number = number.translate(_IGNORED_IN_NUMBERS)
            if _NUMBER_TEXT.fullmatch(number):
                text_kind[j], text_value[j] = NUMBER, float(number)
            else:
                text_kind[j] = BAD
        kind[texts] = text_kind
        value[texts] = text_value
        status[texts] = text_status
        percent_sign[texts] = text_percent & (text_kind == NUMBER)

    status[kind == NUMBER] = VALUE
    formatted = np.zeros(size, dtype=bool)
    if percent_format is not None:
        formatted = np.asarray(percent_format, dtype=bool).ravel() & numbers & (kind == NUMBER)
    return CellValues(value, status, kind, percent_sign, formatted)


def scale_percent_formatted(value: np.ndarray, percent_format: np.ndarray, is_percent_measure: np.ndarray) -> np.ndarray:
    """Values with 0.54 in a percent-formatted cell read as 54, for percentage measures only.

    For other measures the number typed is kept: a count of 412 in a cell someone formatted as a
    percentage is still 412 children. Arrays broadcast (a row of measures against a block of cells).
    """
    scale = np.asarray(percent_format, dtype=bool) & np.asarray(is_percent_measure, dtype=bool)
    return np.where(scale, np.round(value * PERCENT_SCALE, ROUND_DIGITS), value)


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

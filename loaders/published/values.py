"""Reading DfE's cell text: numbers, the published symbols, and years ending 31 March.

A symbol is never a number: ``c`` (suppressed), ``x``, ``z``, ``low``, ``k``, ``u``, ``:`` and ``..``
become a NULL value with the symbol as its status. LAIT writes ``-`` where it has no figure; that is
stored as ``x`` (not available), never as zero.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from metrics.formatting import YEAR_END_DAY, YEAR_END_MONTH
from reference.statuses import VALUE, status_labels

LAIT_NO_FIGURE = {"-": "x"}  # LAIT's mark for a missing figure -> the published symbol with that meaning
ACCEPTED_YEARS = "a year ending 31 March: 2025, 202425, 2024-25 or 2024/25 (a note in brackets is ignored)"
YEAR_IDENTIFIERS = ("Reporting year", "Financial year")  # EES time identifiers that end on 31 March

_NOTE = re.compile(r"\s*\([^)]*\)\s*$")  # '2025 (Rev)', '2024-25 (OT)', '2025 (prov)'
_SINGLE = re.compile(r"^(\d{4})$")
_FINANCIAL = re.compile(r"^(\d{4})\s*[-/]?\s*(\d{2}|\d{4})$")


def year_end(text: object) -> date | None:
    """31 March of the year a DfE period label ends in, or None when it is not one year.

    '2014-16' (a three-year average) is not one year; '2015-16' is the year ending March 2016.
    """
    raw = _NOTE.sub("", str(text).strip())
    match = _SINGLE.match(raw)
    if match:
        year = int(match.group(1))
    else:
        match = _FINANCIAL.match(raw)
        if not match:
            return None
        first, second = int(match.group(1)), int(match.group(2))
        expected = first + 1 if len(match.group(2)) == 4 else (first + 1) % 100
        if second != expected:
            return None
        year = first + 1
    if not 1950 <= year <= 2100:
        return None
    return date(year, YEAR_END_MONTH, YEAR_END_DAY)


def symbols(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Cell text (lower case) -> status symbol, for every symbol the dashboard knows."""
    known = {s.lower(): s for s in status_labels()}
    return {**known, **(extra or {})}


def read_cells(text: pd.Series, extra: dict[str, str] | None = None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers and statuses of a column of cell text.

    Returns (value, status, bad): value is float with NaN for symbols and unreadable text, status is
    'value' or the symbol, and bad marks text that is neither a number nor a known symbol.
    """
    cleaned = text.astype("str").str.strip()
    value = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    is_number = value.notna() & np.isfinite(value)
    status = cleaned.str.lower().map(symbols(extra))
    bad = ~is_number & status.isna()
    status = status.where(~is_number, VALUE).fillna(VALUE)
    value = value.where(is_number)
    return value, status.astype("str"), bad


def read_counts(text: pd.Series, extra: dict[str, str] | None = None) -> tuple[pd.Series, pd.Series]:
    """Numbers for a numerator or denominator column: a symbol there leaves it NaN.

    Returns (value, bad) where bad marks text that is neither a number nor a known symbol.
    """
    value, _status, bad = read_cells(text, extra)
    return value, bad

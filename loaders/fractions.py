"""A percentage written as a fraction (0.715 for 71.5%) is refused, naming its cell.

Percentages are loaded from 0 to 100. A figure for a percentage measure typed as a plain number
strictly between 0 and 1 is most often a fraction: a formula such as ``=C2/D2`` not multiplied by 100,
or a column copied from a system that gives fractions. Loaded as it stands, 0.715 would be shown as
0.7% beside a target of 75%. A true percentage below 1% is rare in these returns, and it can always be
written so that nobody has to guess (``0.5%`` typed with its sign), so the file is refused and the
officer asked to check, rather than guessed at:

- a fraction in a file whose other percentages are written from 0 to 100 is refused at its cell,
  naming one of those others;
- a file whose percentages are all between 0 and 1 is refused once, naming its first few cells.

Never asked about: a number in a cell formatted as a percentage (Excel shows 0.715 as 71.5%, and the
reader reads 71.5), a number typed with its % sign, a percentage worked out from its numerator and
denominator, and one written beside them (their own rule judges it: ``loaders.validate``). Exactly 0
and 1 mean the same on both scales or cannot be told apart, and are left alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from loaders.problems import Problem, Rule
from loaders.values import cell_text
from reference.catalogue import catalogue

PLAIN_NUMBER = "plain_number"  # a frame column: the figure was typed as a plain number (see the docstring)
CELLS_NAMED = 3  # a file of fractions names this many of its cells, and counts the rest
IF_REALLY_BELOW_ONE = "if it really is below 1%, type it with its % sign ({text}%)"


def _as_percentage(value: float) -> str:
    """0.715 -> '71.5', as a person would type the percentage."""
    return cell_text(round(float(value) * 100, 9))


def _where(sheet: str, cell: str, beside: str) -> str:
    """A cell, with its sheet when that is not the sheet of the problem it is named in."""
    return f"cell {cell}" if sheet == beside else f"sheet '{sheet}' cell {cell}"


def _figures(observations: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Every finite figure for a percentage measure, values then targets, in the order the file gives them,
    with whether it is a candidate fraction."""
    percent = {m.code for m in catalogue() if m.is_percent}
    parts = []
    for frame, fractions in ((observations, True), (targets, False)):
        if frame.empty:
            continue
        value = frame["value"].to_numpy(dtype=np.float64, na_value=np.nan)
        plain = frame[PLAIN_NUMBER].to_numpy(dtype=bool) if PLAIN_NUMBER in frame else np.ones(len(frame), bool)
        confirmed = np.zeros(len(frame), dtype=bool)
        if fractions and "numerator" in frame:
            numerator = frame["numerator"].to_numpy(dtype=np.float64, na_value=np.nan)
            denominator = frame["denominator"].to_numpy(dtype=np.float64, na_value=np.nan)
            with np.errstate(invalid="ignore"):
                confirmed = np.isfinite(numerator) & np.isfinite(denominator) & (denominator > 0)
        chosen = frame["measure_code"].isin(percent).to_numpy() & np.isfinite(value)
        with np.errstate(invalid="ignore"):
            candidate = plain & ~confirmed & (value > 0) & (value < 1)
        parts.append(pd.DataFrame({
            "sheet": frame["sheet"].to_numpy(dtype=object)[chosen],
            "cell": frame["cell"].to_numpy(dtype=object)[chosen],
            "text": frame["text"].to_numpy(dtype=object)[chosen],  # as read: made words only where named
            "value": value[chosen],
            "candidate": candidate[chosen],
        }))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["sheet", "cell", "text", "value", "candidate"])


def likely_fractions(file_name: str, observations: pd.DataFrame, targets: pd.DataFrame) -> list[Problem]:
    """The problems of percentages written as fractions, among a file's values and targets.

    Both frames carry ``measure_code``, ``value``, ``sheet``, ``cell``, ``text`` and PLAIN_NUMBER; the
    values also ``numerator`` and ``denominator``."""
    figures = _figures(observations, targets)
    candidates = figures[figures["candidate"].astype(bool)]
    if candidates.empty:
        return []
    whole = figures[figures["value"] > 1]
    if whole.empty:
        return [_file_of_fractions(file_name, candidates)]
    example = whole.iloc[0]
    shown = cell_text(float(example.value))  # as read: 60 for 0.6 in a cell formatted as a percentage
    problems = []
    for row in candidates.itertuples(index=False):
        text = cell_text(row.text)
        problems.append(Problem(
            file_name, row.sheet, row.cell, Rule.LIKELY_FRACTION, text,
            f"{text} looks like a fraction: write percentages as {_as_percentage(row.value)}, as this file's other "
            f"percentages are written ({shown} in {_where(example.sheet, example.cell, row.sheet)}); "
            f"{IF_REALLY_BELOW_ONE.format(text=text)}"))
    return problems


def _file_of_fractions(file_name: str, candidates: pd.DataFrame) -> Problem:
    """One problem for a file whose percentages are all between 0 and 1, at its first such cell."""
    first = candidates.iloc[0]
    text = cell_text(first.text)
    if len(candidates) == 1:
        return Problem(file_name, first.sheet, first.cell, Rule.LIKELY_FRACTION, text,
                       f"{text} looks like a fraction: write percentages as {_as_percentage(first.value)}, "
                       f"or format the cell as a percentage in Excel; {IF_REALLY_BELOW_ONE.format(text=text)}")
    named = [f"{cell_text(row.text)} in {_where(row.sheet, row.cell, first.sheet)}"
             for row in candidates.iloc[:CELLS_NAMED].itertuples(index=False)]
    rest = len(candidates) - len(named)
    listed = ", ".join(named[:-1]) + " and " + named[-1] if rest == 0 else ", ".join(named) + f" and {rest:,} more"
    return Problem(file_name, first.sheet, first.cell, Rule.LIKELY_FRACTION, text,
                   f"every percentage in this file is between 0 and 1, so they look like fractions ({listed}): "
                   f"write percentages from 0 to 100 ({_as_percentage(first.value)} for {text}), or format "
                   f"the cells as percentages in Excel; if they really are all below 1%, type each with its % sign "
                   f"({text}%)")

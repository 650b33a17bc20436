"""A return's commentary column: what the officer wrote beside a figure, loaded as that figure's commentary.

A tidy row's commentary is about that row's measure, area and period. A wide row has one commentary for
many periods; it is about the latest period the row holds a figure for, which in a monthly tracker
filled month by month is the month being reported. Text is loaded exactly as written (only the spaces
around it trimmed); anything that cannot be read with certainty refuses the file: an Excel error or a
formula without a saved value, a bare number (a column of figures under the wrong heading), a text too
long for a committee paper, a commentary on a row with no figure to say which period it is about, or
two different texts for the same measure, area and period.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from db.commentary_writes import COMMENTARY_COLUMNS, MAX_LENGTH
from loaders.problems import Problem, Rule, cell_ref
from loaders.values import NUMBER, cell_text, is_blank, read_values

ACCEPTED_COMMENTARY = f"a commentary in words (up to {MAX_LENGTH:,} characters), or an empty cell"
ACCEPTED_NUMBER_COMMENTARY = ("a commentary in words, or an empty cell; this cell holds only a number, which is "
                              "not loaded as a figure from a commentary column")
ACCEPTED_COMMENTARY_NO_FIGURE = ("a figure on this row (a wide row's commentary is filed under the latest period it has a "
                                 "figure for), or write the commentary on the measure's page in the dashboard")
ACCEPTED_WHOLE_COMMENTARY = ("the whole commentary in its own cell: the text goes on in the column after it, "
                             "which has no heading (in a CSV file, put a text holding the separator in double quotes)")
ACCEPTED_ONE_COMMENTARY = "one commentary per measure, area and period: the same text as {cell}, or an empty cell"

PROVENANCE = ["sheet", "cell"]


def empty_commentary() -> pd.DataFrame:
    return pd.DataFrame(columns=COMMENTARY_COLUMNS + PROVENANCE)


def read_commentary(reader, sheet, col: int, rows: np.ndarray, measures: np.ndarray, area_codes: np.ndarray,
                    period_ends: list[date | None], no_figure: np.ndarray | None = None, header_row: int | None = None
                    ) -> tuple[pd.DataFrame, list[Problem]]:
    """The commentary column's texts for these rows and every problem with them.

    ``reader`` is the file's ReturnReader (its ``problem`` names Excel errors and unsaved formulas);
    ``period_ends`` gives each row's period (None when unreadable, already reported); ``no_figure`` marks
    rows with no figure, whose commentary cannot be filed under any period. With ``header_row``, text
    running on into a column without a heading (a comma CSV whose commentary held an unquoted comma)
    is refused rather than loaded cut short.
    """
    spill = col + 1 if header_row is not None and col + 1 < sheet.shape[1] and is_blank(sheet.cells[header_row, col + 1]) \
        else None
    problems: list[Problem] = []
    keep: list[int] = []
    texts: list[str] = []
    for i, r in enumerate(rows):
        item = sheet.cells[r, col]
        found = reader.problem(sheet, r, col, Rule.BAD_COMMENTARY, item, ACCEPTED_COMMENTARY)
        if found.rule in (Rule.EXCEL_ERROR, Rule.UNCACHED_FORMULA, Rule.DISTRUSTED_FORMULA):  # the text it shows is not what was meant
            problems.append(found)
            continue
        text = cell_text(item).strip() if item is not None else ""
        if not text:
            continue
        if isinstance(item, int | float) or (read_values([item]).kind == NUMBER).all():
            problems.append(reader.problem(sheet, r, col, Rule.BAD_COMMENTARY, item, ACCEPTED_NUMBER_COMMENTARY))
            continue
        if len(text) > MAX_LENGTH:
            problems.append(reader.problem(sheet, r, col, Rule.BAD_COMMENTARY, text, ACCEPTED_COMMENTARY))
            continue
        if spill is not None and not is_blank(sheet.cells[r, spill]):
            problems.append(reader.problem(sheet, r, spill, Rule.BAD_COMMENTARY, sheet.cells[r, spill],
                                           ACCEPTED_WHOLE_COMMENTARY))
            continue
        if no_figure is not None and no_figure[i]:
            problems.append(reader.problem(sheet, r, col, Rule.BAD_COMMENTARY, text, ACCEPTED_COMMENTARY_NO_FIGURE))
            continue
        if measures[i] is None or area_codes[i] is None or period_ends[i] is None:
            continue  # the row's measure, area or period is already reported: the file is refused anyway
        keep.append(i)
        texts.append(text)
    frame = pd.DataFrame({
        "measure_code": [measures[i] for i in keep],
        "area_code": [area_codes[i] for i in keep],
        "period_end": [period_ends[i] for i in keep],
        "text": texts,
        "sheet": sheet.name,
        "cell": [cell_ref(rows[i], col) for i in keep],
    }, columns=COMMENTARY_COLUMNS + PROVENANCE)
    return frame, problems


def one_per_figure(file_name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """One commentary per measure, area and period: a repeat of the same text is kept once (breakdown
    rows of one figure often repeat it); a different text for the same figure refuses the file."""
    if not len(frame):
        return frame, []
    problems = []
    first: dict[tuple, tuple[str, str, str]] = {}
    keep = []
    for i, (measure, area, end, text, sheet, cell) in enumerate(
            frame[COMMENTARY_COLUMNS + PROVENANCE].itertuples(index=False, name=None)):
        key = (measure, area, pd.Timestamp(end).date())
        if key not in first:
            first[key] = (text, sheet, cell)
            keep.append(i)
        elif first[key][0] != text:
            where = first[key][2] if first[key][1] == sheet else f"sheet '{first[key][1]}' cell {first[key][2]}"
            problems.append(Problem(file_name, sheet, cell, Rule.COMMENTARY_CONFLICT, text,
                                    ACCEPTED_ONE_COMMENTARY.format(cell=where)))
    return frame.iloc[keep].reset_index(drop=True), problems

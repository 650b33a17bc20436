"""Checks every published value must pass before anything is written, as Problem records.

The checks run on the tidy frame a parser builds (one row per value, with the cells it came from),
so DfE's tables and LAIT's long data are held to the same rules as a council's own return.
"""

from __future__ import annotations

import pandas as pd

from db.writes import KEY
from loaders.problems import Problem, Rule
from reference.catalogue import Catalogue
from reference.statuses import status_labels

MAX_PROBLEMS_PER_RULE = 20  # beyond this, one summary record: a broken file should not bury the first cells

CELL_COLUMNS = ("cell", "numerator_cell", "denominator_cell")
BAD_FLAGS = {"value_bad": "cell", "numerator_bad": "numerator_cell", "denominator_bad": "denominator_cell"}
TEXT_COLUMNS = {"value_bad": "value_text", "numerator_bad": "numerator_text", "denominator_bad": "denominator_text"}


def accepted_values() -> str:
    return "a number, or one of the published symbols " + ", ".join(status_labels())


def _capped(file: str, sheet: str, rows: pd.DataFrame, cell_column: str, rule: Rule, text: pd.Series,
            expected: str) -> list[Problem]:
    problems = [
        Problem(file, sheet, str(cell), rule, str(found), expected)
        for cell, found in zip(rows[cell_column].head(MAX_PROBLEMS_PER_RULE), text.head(MAX_PROBLEMS_PER_RULE),
                               strict=True)
    ]
    if len(rows) > MAX_PROBLEMS_PER_RULE:
        more = len(rows) - MAX_PROBLEMS_PER_RULE
        problems.append(Problem(file, sheet, "", rule, f"{more} more cells like these", expected))
    return problems


def _number_text(values: pd.Series) -> pd.Series:
    return values.map(lambda n: f"{n:g}").astype("str")


def check_observations(frame: pd.DataFrame, file: str, measures: Catalogue, sheet: str = "") -> list[Problem]:
    """Every problem with a parsed published frame.

    ``frame`` has the observation key, value, numerator, denominator and status, the cells they came
    from (``cell``, ``numerator_cell``, ``denominator_cell``), the text found (``value_text`` ...)
    and flags for unreadable text (``value_bad`` ...). Nothing is changed in it.
    """
    problems: list[Problem] = []
    for flag, cell_column in BAD_FLAGS.items():
        if flag in frame:
            bad = frame[frame[flag].fillna(False).astype(bool)]
            if len(bad):
                problems += _capped(file, sheet, bad, cell_column, Rule.BAD_VALUE, bad[TEXT_COLUMNS[flag]],
                                    accepted_values())
    units = frame["measure_code"].map({m.code: m.unit for m in measures})
    value = frame["value"]
    # The catalogue's range for each measure (its unit's, narrowed where the measure says so): DfE's
    # figures are held to the same ranges as a council's own return.
    for measure in measures:
        rows = frame["measure_code"] == measure.code
        outside = frame[rows & ((value < measure.minimum) | (value > measure.maximum))]
        problems += _capped(file, sheet, outside, "cell", Rule.OUT_OF_RANGE, outside["value_text"],
                            f"{measure.code} as {measure.accepted_range}")
    above = frame[(units == "percent") & (frame["numerator"] > frame["denominator"])]
    problems += _capped(
        file, sheet, above, "numerator_cell", Rule.NUMERATOR_ABOVE_DENOMINATOR,
        _number_text(above["numerator"]) + " of " + _number_text(above["denominator"]),
        "a count no larger than the total it is a share of",
    )
    duplicated = frame[frame.duplicated(KEY, keep="first")]
    problems += _capped(
        file, sheet, duplicated, "cell", Rule.DUPLICATE,
        duplicated["measure_code"].astype("str") + " " + duplicated["area_code"].astype("str") + " "
        + duplicated["period_end"].astype("str"),
        "one value per measure, area and year",
    )
    return problems

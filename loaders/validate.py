"""The rules every figure in a return must meet before anything is written.

Checks run over the whole file at once and collect every problem, so a performance officer fixes
the workbook in one pass. Each problem names the cell that breaks the rule and the text in it.

Ranges come from the catalogue (``data/units.csv``, narrowed per measure in ``data/measures.csv``), so
a figure no return could hold (a count of a billion, a percentage of 150, an SDQ score of 41) is
refused naming its cell and the range accepted, in words.

Frames checked here carry, besides the stored columns, where each figure came from: ``sheet``,
``cell`` and ``text`` (the value as written), and for tidy returns ``numerator_cell``,
``numerator_text``, ``denominator_cell`` and ``denominator_text``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from db.writes import FIELDS, KEY
from loaders.problems import Problem, Rule, quote
from loaders.values import cell_text
from reference.catalogue import UNITS, catalogue, range_words
from reference.former_areas import lifetime_problem, reorganised_codes

FRACTION_UNIT = "count"  # a numerator or denominator is a number of children, so it has a count's range
ACCEPTED_FINITE = "a finite number"
TARGET_KEY = ["measure_code", "area_code", "period_start"]
PERCENT_ROUNDING = 0.5 + 1e-9  # percentage points: a percentage rounded to a whole number is still its fraction's


def _problems(file_name: str, rows: pd.DataFrame, rule: Rule, expected: str | Iterable[str],
              cell: str = "cell", text: str = "text") -> list[Problem]:
    expectations = [expected] * len(rows) if isinstance(expected, str) else list(expected)
    return [
        Problem(file_name, sheet, where, rule, cell_text(what), why)
        for sheet, where, what, why in zip(rows["sheet"], rows[cell], rows[text], expectations, strict=True)
    ]


def _bounds(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's accepted minimum and maximum, from its measure in the catalogue (no bound if unknown)."""
    measures = catalogue()
    # each distinct code looked up once: a big return has hundreds of thousands of rows and a few measures
    codes, distinct = pd.factorize(frame["measure_code"].to_numpy(dtype=object), use_na_sentinel=False)
    lowest = {m.code: m.minimum for m in measures}
    highest = {m.code: m.maximum for m in measures}
    low = np.array([lowest.get(code) for code in distinct], dtype=np.float64)
    high = np.array([highest.get(code) for code in distinct], dtype=np.float64)
    low[np.isnan(low)] = -np.inf
    high[np.isnan(high)] = np.inf
    return low[codes], high[codes]


def _range_problems(file_name: str, frame: pd.DataFrame, value_column: str, what: str) -> list[Problem]:
    """Figures outside their measure's range (a percentage above 100, a count below 0 or in the
    billions), and numbers that are not finite. NaN is no figure (a status symbol), never a problem."""
    values = frame[value_column].to_numpy(dtype=np.float64, na_value=np.nan)
    low, high = _bounds(frame)
    with np.errstate(invalid="ignore"):
        outside = np.isfinite(values) & ((values < low) | (values > high))
    infinite = np.isinf(values)
    rows = frame[outside]
    measures = catalogue()
    expected = [f"{what} as {measures.get(code).accepted_range}" for code in rows["measure_code"]]
    out = _problems(file_name, rows, Rule.OUT_OF_RANGE, expected)
    out += _problems(file_name, frame[infinite], Rule.NOT_FINITE, f"{what} as {ACCEPTED_FINITE}")
    return out


def _fraction_problems(file_name: str, frame: pd.DataFrame) -> list[Problem]:
    if "numerator_cell" not in frame:
        return []
    out: list[Problem] = []
    unit = UNITS[FRACTION_UNIT]
    numerator = frame["numerator"].to_numpy(dtype=np.float64, na_value=np.nan)
    denominator = frame["denominator"].to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        for column, numbers in (("numerator", numerator), ("denominator", denominator)):
            outside = np.isfinite(numbers) & ((numbers < unit.minimum) | (numbers > unit.maximum))
            where = {"cell": f"{column}_cell", "text": f"{column}_text"}
            out += _problems(file_name, frame[outside], Rule.OUT_OF_RANGE,
                             f"{range_words('a ' + column, unit.minimum, unit.maximum)} (a number of children)",
                             **where)
            out += _problems(file_name, frame[np.isinf(numbers)], Rule.NOT_FINITE,
                             f"a {column} as {ACCEPTED_FINITE}", **where)
        above = (numerator > denominator) & (numerator >= 0) & (denominator >= 0)
    rows = frame[above]
    expected = [f"a numerator no larger than its denominator ({quote(cell_text(d))} in cell {c})"
                for d, c in zip(rows["denominator_text"], rows["denominator_cell"], strict=True)]
    out += _problems(file_name, rows, Rule.NUMERATOR_ABOVE_DENOMINATOR, expected,
                     cell="numerator_cell", text="numerator_text")
    with np.errstate(invalid="ignore"):
        sound = (np.isfinite(numerator) & np.isfinite(denominator) & ~above
                 & (numerator >= unit.minimum) & (numerator <= unit.maximum)
                 & (denominator >= unit.minimum) & (denominator <= unit.maximum))
    # A numerator or denominator already refused is not also blamed for the percentage beside it.
    return out + _contradicted_percentages(file_name, frame, np.where(sound, numerator, np.nan), denominator)


def _contradicted_percentages(file_name: str, frame: pd.DataFrame, numerator: np.ndarray,
                              denominator: np.ndarray) -> list[Problem]:
    """A percentage written beside its numerator and denominator must be what they give, to within
    PERCENT_ROUNDING (a figure rounded to a whole percent); otherwise nobody can tell which one is right."""
    percent = {m.code for m in catalogue() if m.is_percent}
    values = frame["value"].to_numpy(dtype=np.float64, na_value=np.nan)
    is_percent = frame["measure_code"].isin(percent).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        worked = 100.0 * numerator / denominator
        wrong = (is_percent & np.isfinite(values) & np.isfinite(worked) & (denominator > 0)
                 & (np.abs(values - worked) > PERCENT_ROUNDING))
    rows = frame[wrong]
    expected = [f"the percentage its numerator {quote(cell_text(n))} (cell {nc}) and denominator {quote(cell_text(d))} "
                f"(cell {dc}) give, {w:.1f}; correct the value or the numerator and denominator"
                for n, nc, d, dc, w in zip(rows["numerator_text"], rows["numerator_cell"], rows["denominator_text"],
                                           rows["denominator_cell"], worked[wrong], strict=True)]
    return _problems(file_name, rows, Rule.CONTRADICTED_PERCENT, expected)


def _same_figures(a: pd.Series, b: pd.Series, columns: list[str]) -> bool:
    for column in columns:
        x, y = a[column], b[column]
        if pd.isna(x) and pd.isna(y):
            continue
        if pd.isna(x) or pd.isna(y) or x != y:
            return False
    return True


def _describe_key(row: pd.Series) -> str:
    period = getattr(row["period_end"], "isoformat", lambda: str(row["period_end"]))()
    breakdown = f", {row['dimension']}: {row['category']}" if row["dimension"] else ""
    return f"{row['measure_code']} for {row['area_code']}, {row['period_type']} ending {period}{breakdown}"


def drop_duplicates(file_name: str, frame: pd.DataFrame, key: list[str], fields: list[str],
                    describe=_describe_key) -> tuple[pd.DataFrame, list[Problem]]:
    """One row per key: repeats of the same figure are dropped, different figures are problems."""
    repeated = frame.duplicated(key, keep=False)
    if not repeated.any():
        return frame, []
    problems: list[Problem] = []
    drop = []
    for _, group in frame[repeated].groupby(key, sort=False, dropna=False):
        first = group.iloc[0]
        for index, row in group.iloc[1:].iterrows():
            drop.append(index)
            if not _same_figures(first, row, fields):
                problems.append(Problem(
                    file_name, row["sheet"], row["cell"], Rule.DUPLICATE, cell_text(row["text"]),
                    f"one figure for {describe(first)}; {'sheet ' + repr(first['sheet']) + ' ' if first['sheet'] else ''}"
                    f"cell {first['cell']} already gives {quote(cell_text(first['text']))}",
                ))
    return frame.drop(index=drop), problems


def _lifetime_problems(file_name: str, frame: pd.DataFrame) -> list[Problem]:
    """Figures for a council after it ended, or before it began (data/reference/former_areas.csv)."""
    out: list[Problem] = []
    frame = frame[frame["area_code"].isin(reorganised_codes())]
    for (area, end), rows in frame.groupby(["area_code", "period_end"], sort=False):
        why = lifetime_problem(area, pd.Timestamp(end).date())
        if why is not None:
            out += _problems(file_name, rows, Rule.AREA_LIFETIME, why)
    return out


def check_observations(file_name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """The observations without repeated rows, and every rule they break."""
    problems = _range_problems(file_name, frame, "value", "a value")
    problems += _lifetime_problems(file_name, frame)
    problems += _fraction_problems(file_name, frame)
    frame, duplicates = drop_duplicates(file_name, frame, KEY, FIELDS)
    return frame, problems + duplicates


def _describe_target(row: pd.Series) -> str:
    return f"the target for {row['measure_code']} in {row['area_code']} from {row['period_start']}"


def check_targets(file_name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
    """Targets must be possible values of their measure, and one per measure, area and start."""
    problems = _range_problems(file_name, frame, "value", "a target")
    frame, duplicates = drop_duplicates(file_name, frame, TARGET_KEY, ["value", "period_end"], _describe_target)
    return frame, problems + duplicates + _overlapping_targets(file_name, frame)


ACCEPTED_ONE_TARGET = ("one target for any period: the target in {cell} already covers this one's period; "
                       "remove one of them or make their periods follow each other")


def _overlapping_targets(file_name: str, frame: pd.DataFrame) -> list[Problem]:
    """Two targets in one file whose periods overlap (a year's target beside a month's): a figure can be
    judged against one target only, and which one the file meant cannot be told."""
    problems = []
    frame = frame[frame.duplicated(["measure_code", "area_code"], keep=False)]  # one target each: no overlap
    if frame.empty:
        return problems
    ordered = frame.assign(begins=pd.to_datetime(frame["period_start"]), ends=pd.to_datetime(frame["period_end"]))
    for _, rows in ordered.groupby(["measure_code", "area_code"], sort=False):
        if len(rows) < 2:
            continue
        rows = rows.sort_values(["begins", "ends"])
        latest_end, latest = None, None
        for row in rows.itertuples(index=False):
            if latest_end is not None and row.begins <= latest_end:
                problems.append(Problem(file_name, row.sheet, row.cell, Rule.BAD_TARGET, str(row.text),
                                        ACCEPTED_ONE_TARGET.format(cell=latest.cell)))
            if latest_end is None or row.ends > latest_end:
                latest_end, latest = row.ends, row
    return problems

"""Public mode: the one rule for what a Part 1 (public) committee paper may show, in one place.

A count of a handful of children, or a percentage of a handful, can identify a child. The screen in
public mode, the ``--public`` pack, chart pictures, the data behind a chart and ``export --public`` all
take their figures through ``apply_public_rules``, so they hide the same figures. The rule:

- **DfE's published figures are public.** A figure DfE has published (origin ``published``) is shown
  as DfE published it, with DfE's own symbols (``c``, ``low``, ``x``...): hiding it would protect
  nothing, since anyone can read it in DfE's tables. It is never hidden here, not even to protect
  another figure.
- **The council's own small figures are hidden**: a count below the threshold, and any other figure
  (percentage, rate, score) whose numerator or denominator is below it, shows as "suppressed: fewer
  than 5" (status ``c<5``; ``c`` in a file written for others), never as a zero or a blank.
- **Nothing hidden can be worked out** from the figures left showing (``metrics.disclosure``): across
  every total the output shows beside its parts (a headline and its breakdown, a year and its months
  or quarters, a quarter and its months), the next smallest of the council's own figures is hidden too.
- **Base not known**: a percentage (or rate, or score) loaded without numerator and denominator cannot
  be checked, so it is shown as given and footnoted as such.

Why DfE's figure may stand beside the council's own suppressed one: a published figure could give the
council's figure away only if it were for the same period and the same figure, and then it is public
already, by DfE's publishing it: hiding our copy of DfE's figure would hide nothing. Where the two
differ (a provisional figure and DfE's final one), DfE's does not tell the council's. Where a published
total would give a suppressed figure away by difference (DfE's year less the council's months), the
council's own months are hidden instead (the secondary rule), because DfE's figure cannot be unpublished.

It works on frames read from the database (the columns of ``db.queries.observations``) and returns a
new frame: stored data is never changed. Streamlit-free, so every output applies the same rules.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import pandas as pd

import settings
from metrics.disclosure import Cell, Total, secondary_cells
from metrics.series import LOCAL, PUBLISHED
from reference.catalogue import catalogue
from reference.statuses import SMALL_PREFIX, VALUE

MARKER = "c"  # DfE's symbol for 'confidential: small numbers suppressed'; reference.statuses labels it
NOTE_COLUMN = "public_note"  # why a row was changed or footnoted; "" for a row shown as stored

SUPPRESSED = "suppressed"  # below the threshold itself
SECONDARY = "secondary"  # suppressed so that a suppressed cell of its breakdown cannot be worked out
BASE_UNKNOWN = "base_unknown"  # a ratio shown as given: its numerator and denominator were not loaded

NUMBER_COLUMNS = ("value", "numerator", "denominator")
COUNT_UNIT = "count"


def footnote_text(note: str, threshold: int) -> str:
    """The footnote a reader sees under a chart or table with a figure of this kind."""
    return {
        SUPPRESSED: (f"{MARKER}: suppressed to protect children's privacy, because the number of children "
                     f"(or the number a percentage is of) is below {threshold}."),
        SECONDARY: ("suppressed: also hidden where a suppressed figure could otherwise be worked out from "
                    "the total and the other figures beside it (a breakdown, or a year's months)."),
        BASE_UNKNOWN: ("Some percentages were loaded without the numbers they are of: they are shown as given, "
                       "because whether they rest on a small number is not known."),
    }[note]


def banner_text(threshold: int) -> str:
    """The one short paragraph that says public mode is on and what ``c`` means, for the top of a page."""
    return (f"**Public mode: small numbers are hidden.** The council's own figures of fewer than {threshold} "
            f"children, or percentages of fewer than {threshold}, read 'suppressed: fewer than {threshold}'; beside "
            "a total (a year and its months, a figure and its breakdown) the next smallest is hidden too, so the "
            "hidden one cannot be worked out. DfE's published figures are public and shown as DfE published "
            "them. Percentages loaded without the numbers they are of are shown as given.")


def public_threshold() -> int:
    """DASHBOARD_PUBLIC_THRESHOLD as a whole number of at least 1; an unreadable setting gives the default."""
    try:
        threshold = int(float(settings.PUBLIC_THRESHOLD.value()))
    except ValueError:
        return int(settings.PUBLIC_THRESHOLD.default)
    return threshold if threshold >= 1 else int(settings.PUBLIC_THRESHOLD.default)


def public_mode_default() -> bool:
    """DASHBOARD_PUBLIC_MODE: whether the app starts with public mode on (1) or off (0, the default)."""
    return settings.PUBLIC_MODE.value().strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Suppression:
    """A frame with the public rules applied, and what was done, so a page can footnote it."""

    frame: pd.DataFrame
    threshold: int
    suppressed: int  # rows suppressed because their own figures are small
    secondary: int  # rows suppressed so a suppressed neighbour cell cannot be worked out
    base_unknown: int  # ratios shown as given without a known base

    @property
    def notes(self) -> tuple[str, ...]:
        """The kinds of note that apply, in the order the footnotes are read."""
        counts = ((SUPPRESSED, self.suppressed), (SECONDARY, self.secondary), (BASE_UNKNOWN, self.base_unknown))
        return tuple(note for note, count in counts if count)

    def footnotes(self) -> tuple[str, ...]:
        return tuple(footnote_text(note, self.threshold) for note in self.notes)


def _units(codes: pd.Series) -> pd.Series:
    """Each row's measure unit; a measure the catalogue does not know is treated as a count (the strict rule)."""
    known = {m.code: m.unit for m in catalogue()}
    return codes.map(lambda code: known.get(code, COUNT_UNIT))


def _below(column: pd.Series, threshold: int) -> pd.Series:
    return column.notna() & (column < threshold)


def _cell_size(frame: pd.DataFrame, is_count: pd.Series) -> pd.Series:
    """What a breakdown cell could give away: a count's value, a ratio's numerator (NaN if not known)."""
    return frame["value"].where(is_count, frame["numerator"])


def apply_public_rules(frame: pd.DataFrame, threshold: int | None = None) -> Suppression:
    """The public version of ``frame`` (columns of ``db.queries.observations``), with a ``public_note``
    column saying which rule touched each row. ``threshold`` defaults to DASHBOARD_PUBLIC_THRESHOLD.

    Give it everything one output shows at once (headlines and breakdowns, months and years), so that a
    figure hidden in one place cannot be worked out from a total shown in another.
    """
    limit = public_threshold() if threshold is None else int(threshold)
    out = frame.copy()
    notes = pd.Series("", index=out.index, dtype=object)
    if out.empty:
        out[NOTE_COLUMN] = notes
        return Suppression(out, limit, 0, 0, 0)
    for column in NUMBER_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    if "origin" not in out:
        out["origin"] = LOCAL
    is_count = _units(out["measure_code"]) == COUNT_UNIT
    own = out["origin"].astype(str) != PUBLISHED  # DfE's published figures are public: never hidden
    has_figure = own & (out["status"].astype(str) == VALUE)
    small = has_figure & (
        (is_count & _below(out["value"], limit)) | _below(out["numerator"], limit) | _below(out["denominator"], limit)
    )
    notes[small] = SUPPRESSED
    unknown_base = has_figure & ~is_count & ~small & out["numerator"].isna() & out["denominator"].isna()
    notes[unknown_base] = BASE_UNKNOWN

    protect = small | (out["status"].astype(str) == MARKER)
    cells, totals = shown_totals(out, _cell_size(out, is_count), protect, ~own)
    secondary = out.index.isin(list(secondary_cells(cells, totals)))
    secondary = pd.Series(secondary, index=out.index) & ~small
    notes[secondary] = SECONDARY

    out.loc[small | secondary, list(NUMBER_COLUMNS)] = float("nan")
    out.loc[small, "status"] = small_marker(limit)
    out.loc[secondary, "status"] = MARKER
    out[NOTE_COLUMN] = notes
    return Suppression(out, limit, int(small.sum()), int(secondary.sum()), int(unknown_base.sum()))


def small_marker(threshold: int) -> str:
    """The status a council's own small figure has in a public frame ('c<5'): shown as 'suppressed: fewer
    than 5' (reference.statuses.label) and written as DfE's ``c`` in an export. Never stored."""
    return f"{SMALL_PREFIX}{threshold}"


def export_status(status: str) -> str:
    """The symbol a file written for others carries: DfE's ``c`` for any figure public mode hid."""
    return MARKER if str(status).startswith(SMALL_PREFIX) else str(status)


def _month_ends(last: pd.Timestamp, months: int) -> list[pd.Timestamp]:
    """The ends of the ``months`` months up to and including the one ending ``last``."""
    return [(last - pd.offsets.MonthEnd(n)).normalize() if n else last.normalize() for n in range(months - 1, -1, -1)]


PARTS_OF = {"year": (("quarter", 4, 3), ("month", 12, 1)), "quarter": (("month", 3, 1),)}  # finer, count, months each


def shown_totals(frame: pd.DataFrame, size: pd.Series, protect: pd.Series,
                 fixed: pd.Series) -> tuple[dict[Hashable, Cell], list[Total]]:
    """Every figure of ``frame`` as a cell, and every total it shows beside its parts.

    - a breakdown (one measure, area, period, origin and dimension) adds up to its headline figure; with
      no headline in the frame its total is taken as known (it is published elsewhere), as DfE does;
    - a measure whose figures add up over time (``adds_up`` in data/measures.csv: children starting or
      leaving care) has each year as the sum of its quarters and of its months, and each quarter as the
      sum of its months, whichever origin the total is (DfE's year beside the council's months gives a
      month away too). A month the frame does not hold is a figure the reader does not know.
    A figure for the same date in two frequencies or two origins (the March month and the year to 31
    March) is not made an equation: the two are suppressed alike by the small-number rule, and where one
    is DfE's published figure it is public already.
    """
    cells: dict[Hashable, Cell] = {
        key: Cell(None if pd.isna(size[key]) or (str(status) != VALUE and not protect[key]) else float(size[key]),
                  bool(protect[key]), bool(fixed[key]))
        for key, status in frame["status"].items()
    }
    totals: list[Total] = []
    dims = frame["dimension"].fillna("").astype(str)
    headline_keys = ["measure_code", "area_code", "period_type", "period_end", "origin"]
    headlines = {tuple(row): key for key, row in frame.loc[dims == "", headline_keys].iterrows()}
    for group, rows in frame[dims != ""].groupby([*headline_keys, "dimension"], sort=False, dropna=False):
        total = headlines.get(tuple(group[:-1]))
        if total is None or cells[total].size is None and not cells[total].protect:
            total = ("known total", *group)
            cells[total] = Cell(0.0, fixed=True)
        totals.append(Total(total, tuple(rows.index)))
    adds_up = {m.code for m in catalogue() if m.adds_up}
    timed = frame[frame["measure_code"].isin(adds_up)]
    series_keys = ["measure_code", "area_code", "dimension", "category"]
    for series, rows in timed.groupby(series_keys, sort=False, dropna=False):
        by_period = {(r.period_type, pd.Timestamp(r.period_end), r.origin): key
                     for key, r in rows[["period_type", "period_end", "origin"]].iterrows()}
        origins = set(rows["origin"])
        for (kind, end, _origin), key in by_period.items():
            for finer, count, step in PARTS_OF.get(kind, ()):
                ends = _month_ends(end, count * step)[step - 1::step]
                for origin in origins:
                    parts = [by_period.get((finer, e, origin), ("not shown", *series, finer, e, origin)) for e in ends]
                    if any(part in cells for part in parts):
                        totals.append(Total(key, tuple(parts)))
    return cells, totals


def suppress_for_public(frame: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """The frame a public output shows (for the committee pack's ``--public`` and any other caller).

    ``frame`` has the columns of ``db.queries.observations`` (measure_code, area_code, period_type,
    period_end, dimension, category, value, numerator, denominator, status, origin); the result has the
    same rows with small figures replaced by status ``c`` and empty numbers, plus ``public_note`` saying
    why (``suppressed``, ``secondary``, ``base_unknown`` or ""). ``footnote_text(note, threshold)`` gives
    the words to print. ``threshold`` defaults to DASHBOARD_PUBLIC_THRESHOLD (5). The input is not changed.
    """
    return apply_public_rules(frame, threshold).frame


def footnotes_for(frame: pd.DataFrame, threshold: int | None = None) -> tuple[str, ...]:
    """The footnotes a chart or table built from a public frame needs (none if no row was touched)."""
    if NOTE_COLUMN not in frame.columns or frame.empty:
        return ()
    limit = public_threshold() if threshold is None else int(threshold)
    present = set(frame[NOTE_COLUMN].astype(str))
    return tuple(footnote_text(note, limit) for note in (SUPPRESSED, SECONDARY, BASE_UNKNOWN) if note in present)


def suppress_together(headlines: pd.DataFrame, breakdowns: pd.DataFrame,
                      threshold: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The public versions of a view's headline figures and its breakdowns, decided together, so a
    breakdown cell hidden beside its headline, or a month beside its year, stays hidden in both."""
    both = pd.concat([headlines.assign(_breakdown=False), breakdowns.assign(_breakdown=True)], ignore_index=True)
    out = suppress_for_public(both, threshold)
    parts = (out[~out["_breakdown"]], out[out["_breakdown"]])
    return tuple(part.drop(columns="_breakdown").reset_index(drop=True) for part in parts)  # type: ignore[return-value]


def public_history(history: pd.DataFrame, measure: str, area: str, threshold: int | None = None) -> pd.DataFrame:
    """Values a later batch replaced (``db.queries.history``), as a public page may list them: a council's
    own small figure is hidden there as it is in the current figures."""
    if history.empty:
        return history
    out = suppress_for_public(history.assign(measure_code=measure, area_code=area), threshold)
    return out.drop(columns=["measure_code", "area_code"])

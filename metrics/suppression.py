"""Public mode: the small-number rules for figures meant for Part 1 (public) committee papers.

A count of a handful of children, or a percentage of a handful, can identify a child. Public outputs
therefore replace such figures with DfE's symbol ``c`` (confidential: small numbers suppressed), never
with a zero or a blank that reads as "none". The rules (docs: /work/shared/DOMAIN.md, small numbers):

- primary: a count below the threshold, and any other figure (percentage, rate, score) whose numerator
  or denominator is below it, is suppressed;
- base not known: a percentage (or rate, or score) loaded without numerator and denominator cannot be
  checked, so it is shown as given and footnoted as such;
- secondary: in a breakdown (one measure, area, period and origin split by one dimension) where exactly
  one cell is suppressed, it could be worked out from the total and the other cells, so the next
  smallest cell is suppressed too, as DfE does.

It works on frames read from the database (the columns of ``db.queries.observations``) and returns a
new frame: stored data is never changed. Streamlit-free, so the pages, the CSV export and the committee
pack all apply the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import settings
from reference.catalogue import catalogue
from reference.statuses import VALUE

MARKER = "c"  # DfE's symbol for 'confidential: small numbers suppressed'; reference.statuses labels it
NOTE_COLUMN = "public_note"  # why a row was changed or footnoted; "" for a row shown as stored

SUPPRESSED = "suppressed"  # below the threshold itself
SECONDARY = "secondary"  # suppressed so that a suppressed cell of its breakdown cannot be worked out
BASE_UNKNOWN = "base_unknown"  # a ratio shown as given: its numerator and denominator were not loaded

NUMBER_COLUMNS = ("value", "numerator", "denominator")
COUNT_UNIT = "count"
GROUP_COLUMNS = ("measure_code", "area_code", "period_type", "period_end", "origin", "dimension")


def footnote_text(note: str, threshold: int) -> str:
    """The footnote a reader sees under a chart or table with a figure of this kind."""
    return {
        SUPPRESSED: (f"{MARKER}: suppressed to protect children's privacy, because the number of children "
                     f"(or the number a percentage is of) is below {threshold}."),
        SECONDARY: (f"{MARKER}: also suppressed where a suppressed figure could otherwise be worked out from "
                    "the total and the other figures of its breakdown."),
        BASE_UNKNOWN: ("Some percentages were loaded without the numbers they are of: they are shown as given, "
                       "because whether they rest on a small number is not known."),
    }[note]


def banner_text(threshold: int) -> str:
    """The one short paragraph that says public mode is on and what ``c`` means, for the top of a page."""
    return (f"**Public mode: small numbers are hidden.** {MARKER} = suppressed: fewer than {threshold} children, "
            f"or a percentage of fewer than {threshold}; in a breakdown the next smallest figure too, so the "
            "hidden one cannot be worked out. Percentages loaded without the numbers they are of are shown "
            "as given.")


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
    column saying which rule touched each row. ``threshold`` defaults to DASHBOARD_PUBLIC_THRESHOLD."""
    limit = public_threshold() if threshold is None else int(threshold)
    out = frame.copy()
    notes = pd.Series("", index=out.index, dtype=object)
    if out.empty:
        out[NOTE_COLUMN] = notes
        return Suppression(out, limit, 0, 0, 0)
    for column in NUMBER_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype(float)
    is_count = _units(out["measure_code"]) == COUNT_UNIT
    has_figure = out["status"].astype(str) == VALUE
    small = has_figure & (
        (is_count & _below(out["value"], limit)) | _below(out["numerator"], limit) | _below(out["denominator"], limit)
    )
    notes[small] = SUPPRESSED
    unknown_base = has_figure & ~is_count & ~small & out["numerator"].isna() & out["denominator"].isna()
    notes[unknown_base] = BASE_UNKNOWN

    secondary = _secondary(out, is_count, small | (out["status"].astype(str) == MARKER), limit)
    notes[secondary] = SECONDARY

    hidden = small | secondary
    out.loc[hidden, list(NUMBER_COLUMNS)] = float("nan")
    out.loc[hidden, "status"] = MARKER
    out[NOTE_COLUMN] = notes
    return Suppression(out, limit, int(small.sum()), int(secondary.sum()), int(unknown_base.sum()))


def _secondary(frame: pd.DataFrame, is_count: pd.Series, hidden: pd.Series, threshold: int) -> pd.Series:
    """Rows to suppress so that no breakdown has exactly one hidden cell.

    A breakdown with one hidden cell gives it away as the total less the others; hiding the next smallest
    cell shown (by count, or a ratio's numerator) makes at least two unknowns. A cell already suppressed
    in the source (DfE's ``c``) counts as hidden. Headline rows (no dimension) are not a breakdown.
    """
    extra = pd.Series(False, index=frame.index)
    rows = frame[frame["dimension"].astype(str) != ""]
    if rows.empty:
        return extra
    size = _cell_size(frame, is_count)
    for _, group in rows.groupby(list(GROUP_COLUMNS), sort=False, dropna=False):
        if len(group) < 2 or int(hidden[group.index].sum()) != 1:
            continue
        shown = group.index[~hidden[group.index] & size[group.index].notna()]
        if len(shown) == 0:
            continue
        extra[size[shown].astype(float).idxmin()] = True
    return extra


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

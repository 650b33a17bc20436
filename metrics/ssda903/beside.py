"""A figure computed from the council's 903 beside the one DfE published for the same year, and whether they
differ by more than DfE's rounding: one rule, used by the import preview and the measure page alike.

DfE publishes a council's counts exactly, its percentages and rates as whole numbers and averages to one
decimal place. Which rounding applies is read from DfE's figure itself (the decimals it was published with,
at most two), so a figure DfE rounds differently in a later release is still compared fairly: ours is
rounded the same way, half up as DfE rounds, and any difference left is a real one. The same rule compares
the council's two own figures for one period (its return's, often typed rounded, and its 903's).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from metrics.formatting import format_value, round_half_up, year_label
from reference.catalogue import Measure

SCORE = "score"  # the unit of an average (data/units.csv): its numerator is a total of scores
MOST_DECIMALS = 2  # DfE never publishes a council's figure to more places than this


def published_decimals(value: float) -> int:
    """The decimal places DfE's figure was published with: 63.0 -> 0, 14.2 -> 1 (never more than two)."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        return MOST_DECIMALS
    places = len(text.partition(".")[2].rstrip("0"))
    return min(places, MOST_DECIMALS)


def beyond_rounding(precise: float, rounded: float) -> bool:
    """True when ``precise``, rounded half up to the places ``rounded`` was given with, is not ``rounded``."""
    places = published_decimals(rounded)
    return round_half_up(precise, places) != Decimal(repr(float(rounded))).quantize(Decimal(1).scaleb(-places))


def figures_differ(first: float, second: float) -> bool:
    """Two figures for the same thing, either perhaps rounded (a council's return and its 903): they differ
    when the finer, rounded to the places of the coarser, is not the coarser."""
    if published_decimals(first) <= published_decimals(second):
        return beyond_rounding(second, first)
    return beyond_rounding(first, second)


def _base_words(measure: Measure, numerator: float, denominator: float) -> str:
    """' (43 of 68)' for a percentage or rate, ' (of 41 children)' for an average score (its numerator is the
    scores' total, which means nothing read alone), '' for a count."""
    if measure.is_count:
        return ""
    if measure.unit == SCORE:
        return f" (of {denominator:,.0f} children)"
    return f" ({numerator:,.0f} of {denominator:,.0f})"


@dataclass(frozen=True)
class BesideDfE:
    """Our 903 figure for a year ending 31 March and DfE's for the same year."""

    year: int  # the year ending 31 March
    ours: float | None
    numerator: float | None
    denominator: float | None
    dfe: float | None
    dfe_status: str = "value"
    ours_status: str = "value"  # a symbol when ours is not shown (public mode's 'c<5'): then never compared

    @property
    def differs(self) -> bool:
        """True when ours, rounded as DfE rounded its figure, is not DfE's figure."""
        if self.ours is None or self.dfe is None:
            return False
        return beyond_rounding(self.ours, self.dfe)

    def sentence(self, measure: Measure) -> str:
        """'From your 903: 63.2% (43 of 68); DfE 2024-25: 63%', with the difference said when there is one."""
        ours = format_value(self.ours, measure, self.ours_status,
                            decimals=max(measure.decimals, 1) if measure.is_percent else None)
        if self.ours is not None and self.numerator is not None and self.denominator is not None:
            ours += _base_words(measure, self.numerator, self.denominator)
        dfe = format_value(self.dfe, measure, self.dfe_status)
        text = f"From your 903: {ours}; DfE {year_label(self.year)}: {dfe}"
        if self.differs:
            text += ". These differ by more than DfE's rounding: check the 903 against what was sent to DfE"
        return text

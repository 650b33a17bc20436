"""Rating a value against its target, or against every council's, the right way round for its polarity.

A rating is always a word and a symbol as well as a colour, so it survives a black and white printout.
Each rating also says its basis: 'Off target' (the council's own target) and 'Bottom quartile
nationally' (DfE's published figures for every council) are different facts and never share a word
or a symbol, even where they share a colour.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from metrics.formatting import is_missing, round_half_up

POLARITIES = ("higher", "lower", "neither")
TARGET_BASIS, BENCHMARK_BASIS, NO_BASIS = "target", "benchmark", "none"
EXTRA_DECIMALS = 4  # how many places beyond the measure's own a figure may gain to keep its rating honest


@dataclass(frozen=True)
class Rating:
    code: str
    word: str
    symbol: str
    basis: str = TARGET_BASIS  # target, benchmark or none: what the rating was judged against
    tone: str = ""  # the colour family (green, amber, red, none); empty means the code is the colour

    @property
    def colour_code(self) -> str:
        return self.tone or self.code

    @property
    def label(self) -> str:
        """'✖ Off target', 'D · Bottom quartile nationally': the symbol, then the word (a band letter set apart)."""
        joiner = " · " if self.symbol.isalpha() else " "
        return f"{self.symbol}{joiner}{self.word}"


GREEN = Rating("green", "On target", "✔")
AMBER = Rating("amber", "Close to target", "▲")
RED = Rating("red", "Off target", "✖")
NO_RATING = Rating("none", "No target", "–", NO_BASIS)
RATINGS = {r.code: r for r in (GREEN, AMBER, RED, NO_RATING)}

# Quartile bands among all councils (LAIT's A best to D worst), as ratings for a measure with no target.
BAND_RATINGS = {
    "A": Rating("band_a", "Top quartile nationally", "A", BENCHMARK_BASIS, "green"),
    "B": Rating("band_b", "Second quartile nationally", "B", BENCHMARK_BASIS, "green"),
    "C": Rating("band_c", "Third quartile nationally", "C", BENCHMARK_BASIS, "amber"),
    "D": Rating("band_d", "Bottom quartile nationally", "D", BENCHMARK_BASIS, "red"),
}
NOT_RATED = Rating("not_rated", "Not rated", "–", NO_BASIS, "none")
CONTEXT = Rating("context", "Context only", "–", NO_BASIS, "none")  # polarity 'neither': no way is better
# Worse than both England and the statistical neighbour average on DfE's figures: a reason for attention.
WORSE_THAN_BOTH_RATING = Rating("worse_than_both", "Worse than England and neighbours", "▼", BENCHMARK_BASIS, "amber")
ALL_RATINGS = (GREEN, AMBER, RED, *BAND_RATINGS.values(), NOT_RATED, CONTEXT)


def check_polarity(polarity: str) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"polarity {polarity!r} is not one of {', '.join(POLARITIES)}")


def _at_most(a: float, b: float) -> bool:
    """a <= b, allowing for binary fractions (0.3 + 0.1 must equal 0.4 at a tolerance boundary)."""
    return a <= b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def shortfall(value: float, target: float, polarity: str) -> float:
    """How far the value is on the wrong side of the target (negative or 0 when on or better than it)."""
    return target - value if polarity == "higher" else value - target


def rate_against_target(value: float | None, target: float | None, polarity: str,
                        tolerance: float | None) -> Rating:
    """Green on or better than target, amber worse but within the tolerance, red worse than that.

    No value, no target or polarity 'neither' (the target is then context only) give NO_RATING.
    A missing tolerance means no amber band.
    """
    check_polarity(polarity)
    if polarity == "neither" or is_missing(value) or is_missing(target):
        return NO_RATING
    band = 0.0 if is_missing(tolerance) else float(tolerance)
    if band < 0:
        raise ValueError(f"tolerance {band} is negative: give how far from the target still counts as close")
    gap = shortfall(float(value), float(target), polarity)
    if _at_most(gap, 0.0):
        return GREEN
    if _at_most(gap, band):
        return AMBER
    return RED


def exact_decimals(value: float, decimals: int) -> int:
    """The fewest places, at least ``decimals``, that show ``value`` without rounding it.

    A target of 69.5% is not '70% or more': shown at the measure's places it would move the bar.
    """
    for places in range(decimals, decimals + EXTRA_DECIMALS + 1):
        if math.isclose(float(round_half_up(value, places)), value, rel_tol=0, abs_tol=1e-12):
            return places
    return decimals + EXTRA_DECIMALS


def decimals_keeping_rating(value: float | None, target: float | None, polarity: str,
                            tolerance: float | None, decimals: int) -> int:
    """The fewest places, at least ``decimals``, at which the figure as shown gets the rating it has.

    69.9 against a target of 70 or more is close to target; shown as '70%' it would read as on target,
    so it is shown as '69.9%'. A figure that rounds harmlessly keeps the measure's own places.
    """
    if is_missing(value) or is_missing(target):
        return decimals
    rating = rate_against_target(value, target, polarity, tolerance)
    for places in range(decimals, decimals + EXTRA_DECIMALS + 1):
        shown = float(round_half_up(float(value), places))
        if rate_against_target(shown, target, polarity, tolerance) == rating:
            return places
    return decimals + EXTRA_DECIMALS

"""Rating a value against its target, the right way round for the measure's polarity.

A rating is always a word and a symbol as well as a colour, so it survives a black and white printout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from metrics.formatting import is_missing

POLARITIES = ("higher", "lower", "neither")


@dataclass(frozen=True)
class Rating:
    code: str
    word: str
    symbol: str


GREEN = Rating("green", "On target", "✔")
AMBER = Rating("amber", "Close to target", "▲")
RED = Rating("red", "Off target", "✖")
NO_RATING = Rating("none", "No target", "–")
RATINGS = {r.code: r for r in (GREEN, AMBER, RED, NO_RATING)}


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

"""Direction of travel: is a measure better, worse or the same as before, judged by its polarity.

The symbol shows which way the number moved (an arrow) and the word says whether that is good, so
'↓ Better' reads correctly for a measure where lower is better.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from metrics.formatting import is_missing
from metrics.ratings import check_polarity

UP_ARROW, DOWN_ARROW, LEVEL_ARROW, NO_ARROW = "↑", "↓", "→", "–"


@dataclass(frozen=True)
class Travel:
    code: str
    word: str
    symbol: str


NO_COMPARISON = Travel("none", "No comparison", NO_ARROW)
SAME = Travel("same", "No change", LEVEL_ARROW)
BETTER_UP = Travel("better", "Better", UP_ARROW)
BETTER_DOWN = Travel("better", "Better", DOWN_ARROW)
WORSE_UP = Travel("worse", "Worse", UP_ARROW)
WORSE_DOWN = Travel("worse", "Worse", DOWN_ARROW)
UP = Travel("up", "Up", UP_ARROW)
DOWN = Travel("down", "Down", DOWN_ARROW)

# polarity -> (travel when the value rose, travel when it fell)
BY_POLARITY = {
    "higher": (BETTER_UP, WORSE_DOWN),
    "lower": (WORSE_UP, BETTER_DOWN),
    "neither": (UP, DOWN),
}


def direction_of_travel(current: float | None, previous: float | None, polarity: str,
                        same_within: float = 0.0) -> Travel:
    """Better, worse or no change from ``previous`` to ``current``; 'neither' gives up or down.

    A change no bigger than ``same_within`` (in the measure's units) is no change. Either value
    missing gives 'No comparison'.
    """
    check_polarity(polarity)
    if is_missing(current) or is_missing(previous):
        return NO_COMPARISON
    change = float(current) - float(previous)
    if abs(change) <= same_within or math.isclose(abs(change), same_within, rel_tol=1e-9, abs_tol=1e-12):
        return SAME
    rose, fell = BY_POLARITY[polarity]
    return rose if change > 0 else fell

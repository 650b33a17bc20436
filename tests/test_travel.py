"""Direction of travel is judged by polarity, not by the sign of the change."""

from __future__ import annotations

import pytest

from metrics.travel import direction_of_travel


@pytest.mark.parametrize(("current", "previous", "polarity", "same_within", "code", "word", "symbol"), [
    (67.0, 64.0, "higher", 0.0, "better", "Better", "↑"),
    (60.0, 64.0, "higher", 0.0, "worse", "Worse", "↓"),
    (64.0, 64.0, "higher", 0.0, "same", "No change", "→"),
    (9.0, 12.0, "lower", 0.0, "better", "Better", "↓"),  # fewer moves is better
    (14.0, 11.0, "lower", 0.0, "worse", "Worse", "↑"),
    (11.0, 11.0, "lower", 0.0, "same", "No change", "→"),
    (350.0, 398.0, "neither", 0.0, "down", "Down", "↓"),
    (398.0, 350.0, "neither", 0.0, "up", "Up", "↑"),
    (350.0, 350.0, "neither", 0.0, "same", "No change", "→"),
    (64.4, 64.0, "higher", 0.5, "same", "No change", "→"),  # within the band
    (64.5, 64.0, "higher", 0.5, "same", "No change", "→"),  # at the edge of the band
    (64.6, 64.0, "higher", 0.5, "better", "Better", "↑"),
    (0.3, 0.1 + 0.2, "lower", 0.0, "same", "No change", "→"),  # binary fractions are not a change
    (0.0, 5.0, "higher", 0.0, "worse", "Worse", "↓"),  # a real zero is compared
    (None, 64.0, "higher", 0.0, "none", "No comparison", "–"),  # no current figure
    (64.0, None, "higher", 0.0, "none", "No comparison", "–"),  # no previous period
    (float("nan"), 64.0, "lower", 0.0, "none", "No comparison", "–"),  # suppressed now
    (64.0, float("nan"), "neither", 0.0, "none", "No comparison", "–"),  # suppressed before
])
def test_direction_of_travel(current, previous, polarity, same_within, code, word, symbol):
    travel = direction_of_travel(current, previous, polarity, same_within)
    assert (travel.code, travel.word, travel.symbol) == (code, word, symbol)


def test_unknown_polarity_is_refused():
    with pytest.raises(ValueError, match="higher, lower, neither"):
        direction_of_travel(1.0, 2.0, "sideways")

"""Ratings against target, judged by polarity; every rating has a word and a symbol besides its colour."""

from __future__ import annotations

import pytest

from metrics.ratings import AMBER, GREEN, NO_RATING, RED, Rating, rate_against_target


@pytest.mark.parametrize(("value", "target", "polarity", "tolerance", "expected"), [
    # higher is better: target 70, tolerance 5
    (75.0, 70.0, "higher", 5.0, GREEN),
    (70.0, 70.0, "higher", 5.0, GREEN),  # exactly at target
    (69.9, 70.0, "higher", 5.0, AMBER),
    (65.0, 70.0, "higher", 5.0, AMBER),  # exactly at the tolerance boundary
    (64.9, 70.0, "higher", 5.0, RED),
    (0.0, 70.0, "higher", 5.0, RED),  # a real zero is rated
    # lower is better: 3+ moves, target 10, tolerance 2
    (9.0, 10.0, "lower", 2.0, GREEN),
    (10.0, 10.0, "lower", 2.0, GREEN),
    (11.0, 10.0, "lower", 2.0, AMBER),
    (12.0, 10.0, "lower", 2.0, AMBER),  # boundary
    (12.1, 10.0, "lower", 2.0, RED),
    (14.0, 10.0, "lower", 2.0, RED),
    # binary fractions at the boundary still count as within the tolerance
    (0.2, 0.3, "higher", 0.1, AMBER),
    (0.4, 0.3, "lower", 0.1, AMBER),
    (15.5, 15.0, "lower", 0.5, AMBER),
    # no tolerance: no amber band
    (69.0, 70.0, "higher", None, RED),
    (69.0, 70.0, "higher", float("nan"), RED),
    (70.0, 70.0, "higher", None, GREEN),
    (10.5, 10.0, "lower", 0.0, RED),
    # no rating
    (None, 70.0, "higher", 5.0, NO_RATING),
    (float("nan"), 70.0, "higher", 5.0, NO_RATING),  # suppressed
    (75.0, None, "higher", 5.0, NO_RATING),  # no target
    (75.0, float("nan"), "lower", 5.0, NO_RATING),
    (320.0, 300.0, "neither", 10.0, NO_RATING),  # the target is context only
    (None, None, "neither", None, NO_RATING),
])
def test_rate_against_target(value, target, polarity, tolerance, expected):
    assert rate_against_target(value, target, polarity, tolerance) == expected


@pytest.mark.parametrize(("rating", "code", "word"), [
    (GREEN, "green", "On target"), (AMBER, "amber", "Close to target"), (RED, "red", "Off target"),
    (NO_RATING, "none", "No target"),
])
def test_each_rating_has_a_word_and_its_own_symbol(rating: Rating, code, word):
    assert (rating.code, rating.word) == (code, word)
    assert rating.symbol.strip()
    others = {r.symbol for r in (GREEN, AMBER, RED, NO_RATING) if r is not rating}
    assert rating.symbol not in others


def test_amber_is_a_shape_not_only_a_colour():
    assert AMBER.symbol != "●"


@pytest.mark.parametrize(("polarity", "tolerance", "message"), [
    ("up", 1.0, "higher, lower, neither"),
    ("higher", -1.0, "negative"),
])
def test_bad_arguments_say_what_is_accepted(polarity, tolerance, message):
    with pytest.raises(ValueError, match=message):
        rate_against_target(50.0, 60.0, polarity, tolerance)

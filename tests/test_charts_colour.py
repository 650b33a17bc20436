"""Series told apart without colour: by dash and marker, and by lightness in greyscale print and for a
reader with red-green colour blindness (deuteranopia, simulated with Machado et al. 2009)."""

from __future__ import annotations

from itertools import combinations

import pytest

from charts.colour_vision import contrast_ratio, deuteranopia, lightness, rgb
from charts.palette import (
    BAR_STYLE,
    CATEGORY_COLOURS,
    FLOW_BARS,
    FLOW_LINE,
    MIN_LIGHTNESS_GAP,
    SERIES_STYLE,
)
from charts.trend import trend_chart
from tests.test_charts import AREA, FOSTER, TARGETS, comparator_frame, own_frame

# colours drawn together in one chart, by chart
TOGETHER = {
    "trend": [style.colour for style in SERIES_STYLE.values()],
    "bars": [style.colour for style in BAR_STYLE.values()],
    "flow": [style.colour for style in FLOW_BARS.values()] + [FLOW_LINE.colour],
    "breakdown": list(CATEGORY_COLOURS),
}


@pytest.mark.parametrize(("colour", "expected"), [
    ("#FFFFFF", "#FFFFFF"), ("#000000", "#000000"), ("#808080", "#808080"),  # greys are unchanged
])
def test_the_simulation_leaves_greys_alone(colour, expected):
    assert deuteranopia(colour) == expected


def test_the_simulation_makes_red_and_green_alike():
    """The reason for the check: a deuteranope sees red and green as nearly the same colour."""
    red, green = rgb(deuteranopia("#D4351C")), rgb(deuteranopia("#00703C"))
    before = sum(abs(a - b) for a, b in zip(rgb("#D4351C"), rgb("#00703C"), strict=True))
    after = sum(abs(a - b) for a, b in zip(red, green, strict=True))
    assert after < before / 2


def test_lightness_runs_from_black_to_white():
    assert lightness("#000000") == pytest.approx(0, abs=0.01)
    assert lightness("#FFFFFF") == pytest.approx(100, abs=0.01)
    assert lightness("#777777") == pytest.approx(50, abs=1.5)


def test_target_and_england_differ_in_dash_and_marker_whatever_the_colour_vision():
    target, england = SERIES_STYLE["target"], SERIES_STYLE["england"]
    assert target.dash != england.dash and target.marker != england.marker
    assert abs(lightness(deuteranopia(target.colour)) - lightness(deuteranopia(england.colour))) >= MIN_LIGHTNESS_GAP


def test_every_trend_series_has_its_own_dash_and_marker_as_drawn():
    figure = trend_chart(own_frame([60.0, 62.0]), FOSTER, AREA, targets=TARGETS, comparators=comparator_frame())
    looks = {(t.line.dash, t.marker.symbol if "markers" in (t.mode or "") else None) for t in figure.data}
    assert len(looks) == len(figure.data) == 5
    target = next(t for t in figure.data if t.meta == "target")
    england = next(t for t in figure.data if t.meta == "england")
    assert target.line.dash != england.line.dash and target.line.width != england.line.width


@pytest.mark.parametrize("chart", sorted(TOGETHER))
@pytest.mark.parametrize("vision", ["normal", "deuteranopia"])
def test_colours_drawn_together_differ_in_greyscale(chart, vision):
    seen = {c: (deuteranopia(c) if vision == "deuteranopia" else c) for c in TOGETHER[chart]}
    for a, b in combinations(TOGETHER[chart], 2):
        gap = abs(lightness(seen[a]) - lightness(seen[b]))
        assert gap >= MIN_LIGHTNESS_GAP, f"{chart}: {a} and {b} are only {gap:.1f} apart in lightness ({vision})"


@pytest.mark.parametrize("kind", sorted(SERIES_STYLE))
def test_every_line_stands_out_from_the_white_page(kind):
    assert contrast_ratio(SERIES_STYLE[kind].colour) >= 3.0  # WCAG's minimum for graphics

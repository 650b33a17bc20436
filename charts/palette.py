"""Colours and series styles: the UK Government Analysis Function palette, and shapes for greyscale.

Colour is never the only difference between two series: each kind of series also has its own dash,
marker and line width, and the colours used together are chosen far enough apart in lightness
(CIE L*, see charts/colour_vision.py) to stay apart on a black-and-white printout and for a reader
with red-green colour blindness. Every line is also named at its right end (charts/end_labels.py).
"""

from __future__ import annotations

from dataclasses import dataclass

# Analysis Function categorical palette, in its recommended order.
DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
DARK_GREY = "#3D3D3D"
LIGHT_PURPLE = "#A285D1"
CATEGORICAL = (DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE)

# Supporting neutrals and GOV.UK shades.
TEXT = "#0B0C0C"
MUTED_TEXT = "#505A5F"
SLATE = "#505A5F"  # GOV.UK secondary text colour: a mid-dark grey between dark blue and red in lightness
RED = "#D4351C"  # GOV.UK red: the target line
GRID = "#E1E1E1"
AXIS_LINE = "#3D3D3D"
OTHER_COUNCIL = "#B6C4D1"  # a light tint of dark blue: other councils next to the highlighted home council
BACKGROUND = "#FFFFFF"
WHITE = "#FFFFFF"

# Rating colours (GOV.UK design system shades); read with their word and symbol, never alone.
RATING_COLOURS = {"green": "#00703C", "amber": "#FFBF47", "red": "#D4351C"}

# Two colours drawn together differ by at least this much in CIE lightness L* (0 to 100), so they
# stay apart in greyscale print and under a colour-blindness simulation.
MIN_LIGHTNESS_GAP = 10.0
# A pattern drawn over a fill lighter than this is drawn in dark ink, otherwise in white.
LIGHT_FILL = 60.0

# Fill patterns that survive greyscale, in the order categories get them.
PATTERNS = ("", "/", ".", "x", "-", "\\", "|", "+")


@dataclass(frozen=True)
class SeriesStyle:
    """How one kind of series is drawn: colour, dash, marker and line width, and the short name written
    at the line's right end ('' when the series' own name is used, as for a region)."""

    colour: str
    dash: str
    marker: str
    width: float
    marker_size: int
    label: str = ""


# Lightness L* as printed and (after the slash) as a deuteranope sees it: England 3/3, own 27/26,
# region 38/37, target 48/53, neighbours 61/66. Red and orange rather than turquoise for the target and
# the neighbours, because deuteranopia darkens turquoise and lightens red until the two print alike.
SERIES_STYLE: dict[str, SeriesStyle] = {
    "own": SeriesStyle(DARK_BLUE, "solid", "circle", 4.0, 9),
    "target": SeriesStyle(RED, "dash", "", 3.5, 0, "Target"),
    "neighbours": SeriesStyle(ORANGE, "dashdot", "diamond", 3.0, 12, "Neighbours"),
    "region": SeriesStyle(SLATE, "longdashdot", "square", 3.0, 10),
    "england": SeriesStyle(TEXT, "dot", "triangle-up", 3.0, 12, "England"),
}

# The kinds of series a trend chart can draw at once (own, target and the three comparators).
TREND_KINDS = tuple(SERIES_STYLE)


@dataclass(frozen=True)
class BarStyle:
    """How one group of bars is filled: colour and pattern ('' for a solid fill)."""

    colour: str
    pattern: str


BAR_STYLE: dict[str, BarStyle] = {
    "home": BarStyle(DARK_BLUE, ""),
    "la": BarStyle(OTHER_COUNCIL, ""),
    "neighbours": BarStyle(ORANGE, "/"),
    "region": BarStyle(SLATE, "."),
    "england": BarStyle(TEXT, "x"),
}

# Children starting and leaving care (bars) with the number in care (a line on the right axis).
FLOW_BARS: dict[str, BarStyle] = {"cla_starts": BarStyle(DARK_BLUE, ""), "cla_ceased": BarStyle(TURQUOISE, "/")}
FLOW_LINE = SeriesStyle(TEXT, "solid", "triangle-up", 3.0, 10)

# Breakdown categories, in the order they are given out: stacked neighbours alternate dark and light,
# and all six are at least MIN_LIGHTNESS_GAP apart in L* (27, 67, 38, 84, 55, 13), with normal colour
# vision and with deuteranopia, so they differ in greyscale even before their patterns, dashes and
# markers. Tints and shades of the Analysis Function colours (dark blue, orange, dark pink, light
# purple, turquoise, dark grey).
CATEGORY_COLOURS = ("#12436D", "#F68248", "#8E3C69", "#D6CBEE", "#249188", "#222222")
CATEGORY_MARKERS = ("circle", "square", "diamond", "triangle-up", "x", "star", "triangle-down", "hexagon")
CATEGORY_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")


def pattern_ink(fill: str) -> str:
    """The colour a pattern is drawn in over ``fill``: white over a dark fill, dark over a light one."""
    from charts.colour_vision import lightness

    return TEXT if lightness(fill) > LIGHT_FILL else WHITE


def bar_marker(colour: str, pattern: str, outline: str | None = None, size: int = 8) -> dict:
    """A bar marker whose fill is always ``colour`` at full opacity, with an optional pattern over it.

    The pattern's background is set to the fill colour explicitly and drawn with fillmode 'replace':
    the Plotly build inside Streamlit otherwise paints a patterned bar's background transparent, so
    a white pattern on it left the bar white on a white page (every category of a stacked chart but
    the first, which has no pattern, vanished on screen and in the downloaded picture).
    """
    marker: dict = {"color": colour, "opacity": 1.0, "line": {"color": outline or colour, "width": 1}}
    if pattern:
        marker["pattern"] = {"shape": pattern, "fillmode": "replace", "bgcolor": colour,
                             "fgcolor": pattern_ink(colour), "fgopacity": 1.0, "size": size, "solidity": 0.3}
    return marker

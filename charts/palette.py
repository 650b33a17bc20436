"""Colours and series styles: the UK Government Analysis Function palette, and shapes for greyscale.

Colour is never the only difference between two series: each kind of series also has its own dash
and marker, so a chart printed in black and white still says which line is which.
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

# Supporting neutrals.
TEXT = "#0B0C0C"
MUTED_TEXT = "#505A5F"
GRID = "#E1E1E1"
AXIS_LINE = "#3D3D3D"
OTHER_COUNCIL = "#9DB0C2"  # a light tint of dark blue: other councils next to the highlighted home council
BACKGROUND = "#FFFFFF"

# Rating colours (GOV.UK design system shades); read with their word and symbol, never alone.
RATING_COLOURS = {"green": "#00703C", "amber": "#FFBF47", "red": "#D4351C"}

# Fill patterns that survive greyscale, in the order categories get them.
PATTERNS = ("", "/", ".", "x", "-", "\\", "|", "+")


@dataclass(frozen=True)
class SeriesStyle:
    """How one kind of series is drawn: colour, dash, marker and line width."""

    colour: str
    dash: str
    marker: str
    width: float
    marker_size: int


SERIES_STYLE: dict[str, SeriesStyle] = {
    "own": SeriesStyle(DARK_BLUE, "solid", "circle", 4.0, 9),
    "target": SeriesStyle(DARK_PINK, "dash", "line-ew", 3.0, 0),
    "neighbours": SeriesStyle(TURQUOISE, "dot", "diamond", 3.0, 12),
    "region": SeriesStyle(ORANGE, "dashdot", "square", 3.0, 10),
    "england": SeriesStyle(DARK_GREY, "longdash", "triangle-up", 3.0, 12),
}

# Markers and dashes for breakdown categories, after the colour and pattern.
CATEGORY_MARKERS = ("circle", "square", "diamond", "triangle-up", "x", "star", "triangle-down", "hexagon")
CATEGORY_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "solid", "dash")

"""Each line named at its right end with its latest value: 'Northmoor 11%', 'England 10%', 'Target: 10% or less'.

On a 1280 by 720 projector the legend sits below the fold, so the names go where the eye already is:
in a column just right of the plot, each at the height of its line's latest point. Labels whose lines
end close together are nudged apart so none overlaps another, and the right margin is made wide
enough for the longest label (from its length and font size) so none is cut off at the chart's edge.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import plotly.graph_objects as go

from charts.colour_vision import contrast_ratio
from charts.palette import TEXT

LABEL_FONT = 17
LINE_PX = 24  # one line of a label at LABEL_FONT, with room to stay apart in a picture saved a little shorter
CHAR_EM = 0.6  # width of a bold Arial character as a share of the font size (digits 0.56, capitals up to 0.78)
LABEL_WRAP = 20  # characters: a longer label goes on two lines so the margin stays reasonable
LABEL_SHIFT_PX = 8  # from the plot's right edge to the label
EDGE_PAD_PX = 14  # between the longest label and the figure's edge
MIN_TEXT_CONTRAST = 4.5  # a label in a lighter colour than this is written in the text colour instead
NAME = "end label"


NBSP = "\u00a0"


def name_and_value(name: str, value_text: str) -> str:
    """'England 67 per 10,000', with the figure kept whole when the label breaks onto two lines."""
    return f"{name} {value_text.replace(' ', NBSP)}"


@dataclass(frozen=True)
class EndLabel:
    """One line's name and latest figure, where its line ends, in which colour and on which value axis."""

    text: str
    value: float
    colour: str
    yref: str = "y"
    x: object = None  # the date of the line's last figure when that is not the chart's latest period: the label
    # then sits at that point (not in the column beside the latest period) and its text names the period


def name_value_and_period(name: str, value_text: str, period: str) -> str:
    """'Northmoor 94% in 2023-24': a line whose last figure is not the chart's latest says whose period it is."""
    return f"{name_and_value(name, value_text)}{NBSP}in{NBSP}{period.replace(' ', NBSP)}"


def label_lines(text: str, width: int = LABEL_WRAP) -> list[str]:
    """The label on one line, or two when long; the figure at the end stays with the last word."""
    if len(text) <= width:
        return [text]
    return textwrap.wrap(text, width=width, break_long_words=False) or [text]


def label_width_px(text: str, font_size: int = LABEL_FONT) -> int:
    """The widest line of a label in pixels, from its length: generous, so no label is clipped."""
    return int(max(len(line) for line in label_lines(text)) * font_size * CHAR_EM) + 1


def right_margin(labels: Sequence[EndLabel], minimum: int, font_size: int = LABEL_FONT) -> int:
    """A right margin that holds the longest label after its shift from the plot, and never less than ``minimum``."""
    if not labels:
        return minimum
    widest = max(label_width_px(label.text, font_size) for label in labels)
    return max(minimum, LABEL_SHIFT_PX + widest + EDGE_PAD_PX)


def spread(positions: Sequence[float], heights: Sequence[float], low: float, high: float) -> list[float]:
    """Centres (in pixels from the bottom) moved as little as possible so no two labels overlap.

    Labels keep their order; each needs half its height plus half its neighbour's between their
    centres. They are kept between ``low`` and ``high`` when they fit, otherwise they run past the top.
    """
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    placed = [float(positions[i]) for i in order]
    sizes = [float(heights[i]) for i in order]
    gaps = [(sizes[k - 1] + sizes[k]) / 2 for k in range(1, len(placed))]
    if placed:
        placed[0] = max(placed[0], low + sizes[0] / 2)
    for k in range(1, len(placed)):  # push up
        placed[k] = max(placed[k], placed[k - 1] + gaps[k - 1])
    if placed and placed[-1] > high - sizes[-1] / 2:  # then down from the top, never below the bottom
        placed[-1] = max(high - sizes[-1] / 2, low + sum(gaps) + sizes[0] / 2)
        for k in range(len(placed) - 2, -1, -1):
            placed[k] = min(placed[k], placed[k + 1] - gaps[k])
    result = [0.0] * len(placed)
    for k, i in enumerate(order):
        result[i] = placed[k]
    return result


def readable_colour(colour: str) -> str:
    """The line's own colour when it reads as text on white, else the text colour."""
    return colour if contrast_ratio(colour) >= MIN_TEXT_CONTRAST else TEXT


def add_end_labels(figure: go.Figure, labels: Sequence[EndLabel], ranges: dict[str, Sequence[float]],
                   plot_px: int, font_size: int = LABEL_FONT, shift: int = 0) -> None:
    """Write each label just right of the plot at its line's latest value, nudged apart; labels on an
    axis without a range (no figures) are left out. ``ranges`` maps 'y', 'y2' to [bottom, top];
    ``shift`` moves the labels further right (past a right-hand axis's numbers)."""
    shown = [label for label in labels if label.yref in ranges and ranges[label.yref]]
    if not shown or plot_px <= 0:
        return
    line_px = LINE_PX * font_size / LABEL_FONT

    def to_px(label: EndLabel) -> float:
        bottom, top = ranges[label.yref]
        return (label.value - bottom) / ((top - bottom) or 1.0) * plot_px

    # the column beside the latest period, and one small column at each earlier period a label stands on
    columns: dict[object, list[EndLabel]] = {}
    for label in shown:
        columns.setdefault(label.x, []).append(label)
    for at, column in columns.items():
        heights = [line_px * len(label_lines(label.text)) for label in column]
        centres = spread([to_px(label) for label in column], heights, -line_px / 2, plot_px + line_px / 2)
        for label, centre in zip(column, centres, strict=True):
            bottom, top = ranges[label.yref]
            y = bottom + centre / plot_px * (top - bottom)
            text = "<br>".join(escape(line).replace(NBSP, " ") for line in label_lines(label.text))
            place = ({"x": 1, "xref": "paper", "xshift": LABEL_SHIFT_PX + shift} if at is None
                     else {"x": at, "xref": "x", "xshift": LABEL_SHIFT_PX})
            figure.add_annotation(
                text=f"<b>{text}</b>", **place, xanchor="left", y=y, yref=label.yref, yanchor="middle",
                align="left", showarrow=False, name=NAME, font={"size": font_size, "color": readable_colour(label.colour)},
                bgcolor="rgba(255,255,255,0.85)" if at is not None else None,
            )

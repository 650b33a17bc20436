"""A labelled marker at each period a commentary was written for, on any trend figure.

Exported charts and the committee pack call the same function with db.queries.current_commentary's
notes, so a chart carries its commentary wherever it goes. The marker sits at the top of the plot at
the period's date and its hover text is the commentary itself, with who wrote it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from db.queries import CommentaryNote
from metrics.safe_text import chart_text

SYMBOL = "Commentary"  # plain words: an emoji has no glyph in the fonts static exports use
HOVER_WIDTH = 60  # characters per line of the hover text


def hover_text(note: CommentaryNote) -> str:
    """'Commentary by jo.smith, 3 Dec 2026:<br>Placements moved because...' wrapped for a hover box, its own
    line breaks kept. The text is shown as written: Plotly renders '<a href>' and '<b>' as markup, so they
    are escaped, line by line after wrapping (a wrap never splits an escaped '&lt;')."""
    lines = [part for line in str(note.text).splitlines() for part in (textwrap.wrap(line, HOVER_WIDTH) or [""])]
    wrapped = "<br>".join(chart_text(line) for line in lines)
    return f"Commentary by {chart_text(note.author)}, {note.written_at:%d %b %Y}:<br>{wrapped}"


def add_commentary_markers(figure: go.Figure, notes: Iterable[CommentaryNote]) -> go.Figure:
    """Add a marker for each note whose period lies within the figure's dates; returns the same figure.

    Notes for periods the chart does not show are left off rather than drawn at its edge.
    """
    dates = [pd.Timestamp(x) for trace in figure.data for x in (getattr(trace, "x", None) or ())
             if _is_date(x)]
    if not dates:
        return figure
    first, last = min(dates), max(dates)
    for note in notes:
        when = pd.Timestamp(note.period_end)
        if not first <= when <= last:
            continue
        figure.add_annotation(x=when, xref="x", y=1.0, yref="paper", yanchor="bottom", text=SYMBOL,
                              showarrow=False, hovertext=hover_text(note), font={"size": 11, "color": "#3d3d3d"},
                              bgcolor="#ffffff", bordercolor="#6b6b6b", borderwidth=1, borderpad=2,
                              name="commentary")
        figure.add_shape(type="line", x0=when, x1=when, xref="x", y0=0, y1=1, yref="paper", layer="below",
                         line={"width": 1, "dash": "dot", "color": "#6b6b6b"})
    return figure


def _is_date(value: object) -> bool:
    try:
        pd.Timestamp(value)
    except (TypeError, ValueError):
        return False
    return not isinstance(value, (int, float))

"""The look every chart shares: large type for a projector, a white background for print, few gridlines,
a two-line title, a horizontal legend under the plot and a source note under that.

Positions below the plot are in pixels from a fixed figure height, so the legend and the notes sit
in the same place on screen and in a downloaded picture.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date
from html import escape
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from charts.palette import AXIS_LINE, BACKGROUND, GRID, MUTED_TEXT, TEXT
from metrics.formatting import format_period, format_value, is_missing
from reference.catalogue import Measure

FONT_FAMILY = "Arial, Helvetica, sans-serif"
BASE_FONT = 16
TITLE_FONT = 22
SUBTITLE_FONT = 17
NOTE_FONT = 14
HEIGHT = 600
MARGIN = {"l": 80, "r": 90, "t": 88, "b": 150}
LEGEND_GAP_PX = 60  # from the bottom of the plot to the top of the legend (below two-line tick labels)
NOTE_GAP_PX = 110  # from the bottom of the plot to the top of the notes
NOTE_LINE_PX = 19
NOTE_WRAP = 100  # characters of a note line at 14px that fit a chart beside the menu on a 1280-pixel screen
LEGEND_COLUMNS = 2
LEGEND_ROW_PX = 24
LEGEND_LINE_PX = 18  # each further line of a wrapped legend entry
LEGEND_WRAP = 24  # characters: two columns must fit a chart half a screen wide
TITLE_TOP_PX = 30  # from the top of the figure to the top of the title
TITLE_LINE_PX = 27
TITLE_WRAP = 40  # characters of the bold first line at 22px
SUBTITLE_WRAP = 50  # characters of each line under it at 17px
MAX_TICKS = 6  # level two-line labels still fit a chart half a screen wide


def _wrap_parts(parts: Sequence[str], width: int) -> list[str]:
    """Join parts with ', ' on as few lines as fit ``width`` characters, breaking only between parts
    (and inside a part only when it alone is too long)."""
    lines: list[str] = []
    for part in (p for p in parts if p):
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] = f"{lines[-1]}, {part}"
            continue
        if lines:
            lines[-1] += ","
        lines.extend(textwrap.wrap(part, width=width, break_long_words=False) or [part])
    return lines


def title_text(main: str, second_line: str | Sequence[str]) -> str:
    """A bold first line (what is shown) and plain lines under it (for which area and period).

    Plotly does not wrap titles, so both are broken into short lines here: a chart half a screen
    wide still shows the whole title. ``second_line`` may be given as parts ('Northmoor', '2024-25'),
    broken only between them.
    """
    parts = [second_line] if isinstance(second_line, str) else list(second_line)
    heading = "<br>".join(f"<b>{escape(line)}</b>" for line in textwrap.wrap(main, TITLE_WRAP) or [main])
    lines = _wrap_parts(parts, SUBTITLE_WRAP)
    if not lines:
        return heading
    below = "<br>".join(f"<span style='font-size:{SUBTITLE_FONT}px'>{escape(line)}</span>" for line in lines)
    return f"{heading}<br>{below}"


def title_margin(title: str) -> int:
    """Top margin that clears every line of the title."""
    return TITLE_TOP_PX + TITLE_LINE_PX * (title.count("<br>") + 1) + 6


def legend_name(text: str, width: int = LEGEND_WRAP) -> str:
    """A legend entry broken into lines of about ``width`` characters, so two columns fit a narrow chart."""
    lines = textwrap.wrap(escape(str(text)), width=width, break_long_words=False) or [""]
    return "<br>".join(lines)


def plain_name(name: str) -> str:
    """A legend entry back on one line (for tests and hover text)."""
    return name.replace("<br>", " ")


def source_note(measure: Measure | None, source: str | None = None, extra: Iterable[str] = ()) -> str:
    """'Source: SSDA903 return | Lower is better', after any extra lines (such as a note on gaps)."""
    # Plotly does not wrap: a long note ran off the chart's right edge ('Line: children in care at the er')
    lines = [escape(part) for line in extra if line for part in textwrap.wrap(line, NOTE_WRAP) or [line]]
    words = source or (measure.source if measure else "")
    parts = [f"Source: {words}"]
    if measure is not None:
        parts.append(measure.polarity_text)
    whole = " | ".join(parts)
    if len(whole) <= NOTE_WRAP:
        lines.append(escape(whole))
    else:  # Plotly does not wrap: one source a line ('DfE: ...;' then 'Council return, ...'), then which way is better
        sources = words.split("; ")
        lines += [escape(("Source: " if i == 0 else "") + text + (";" if i < len(sources) - 1 else ""))
                  for i, text in enumerate(sources)]
        lines += [escape(text) for text in parts[1:]]
    return "<br>".join(lines)


def set_layout(figure: go.Figure, **changes: Any) -> go.Figure:
    """``figure.update_layout(**changes)`` for the plain nested settings the charts use, at a fifth of its cost.

    Plotly's update_layout walks each change through its relayout machinery, about 15 ms a call, and every
    chart makes two: on a page of eleven charts, a third of a second of the server's time each time the
    charts are built again (after an import, or for another period). Merging the changes into the layout's
    settings and validating them once gives the same figure. As with update_layout, a nested setting
    (``title={"text": ...}``) changes only what it names and a list (tick values) replaces the old one.
    The default template is left out of the merge and applied again by Plotly as before.
    """
    current = figure.layout.to_plotly_json()
    current.pop("template", None)
    figure.layout = _merged(current, changes)
    return figure


def _merged(settings: dict, changes: dict) -> dict:
    out = dict(settings)
    for key, value in changes.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def plot_height_px(height: int = HEIGHT, margin: dict | None = None) -> int:
    margin = margin or MARGIN
    return height - margin["t"] - margin["b"]


def base_layout(figure: go.Figure, title: str, note: str, height: int = HEIGHT, margin: dict | None = None,
                legend: bool = True, note_gap_px: int = NOTE_GAP_PX, note_shift_px: int = 0) -> go.Figure:
    """Apply the shared look; the legend and note are placed below the plot, in pixels. ``note_shift_px``
    moves the note left of the plot's left edge, for a chart whose names take a wide left margin."""
    margin = dict(margin or MARGIN)
    margin["t"] = max(margin["t"], title_margin(title))
    if legend:
        # two legend columns whatever the width, so the legend's height is known and the note clears it
        entries = [trace.name or "" for trace in figure.data if trace.showlegend is not False]
        rows = [entries[i:i + LEGEND_COLUMNS] for i in range(0, len(entries), LEGEND_COLUMNS)]
        legend_px = sum(LEGEND_ROW_PX + LEGEND_LINE_PX * max(name.count("<br>") for name in row) for row in rows)
        note_gap_px = max(note_gap_px, LEGEND_GAP_PX + legend_px + 12)
    lines = note.count("<br>") + 1
    margin["b"] = max(margin["b"], note_gap_px + NOTE_LINE_PX * lines + 8)
    plot_px = plot_height_px(height, margin)
    set_layout(
        figure,
        height=height,
        margin=margin,
        font={"family": FONT_FAMILY, "size": BASE_FONT, "color": TEXT},
        title={"text": title, "x": 0, "xanchor": "left", "xref": "paper", "y": 1 - TITLE_TOP_PX / height,
               "yanchor": "top", "yref": "container",
               "font": {"size": TITLE_FONT, "color": TEXT, "family": FONT_FAMILY, "weight": 400}},
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        showlegend=legend,
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": -LEGEND_GAP_PX / plot_px, "yanchor": "top",
                "font": {"size": BASE_FONT}, "bgcolor": "rgba(0,0,0,0)", "itemwidth": 40,
                "traceorder": "normal", "entrywidth": 1 / LEGEND_COLUMNS, "entrywidthmode": "fraction"},
        hoverlabel={"font": {"size": BASE_FONT, "family": FONT_FAMILY}, "bgcolor": BACKGROUND},
    )
    figure.add_annotation(
        text=note, showarrow=False, xref="paper", yref="paper", x=0, xanchor="left",
        y=-note_gap_px / plot_px, yanchor="top", align="left", font={"size": NOTE_FONT, "color": MUTED_TEXT},
        name="source", xshift=-note_shift_px,
    )
    return figure


def value_axis(title: str, value_range: list[float] | None = None, tick_suffix: str = "") -> dict:
    """A value axis with a title, light horizontal gridlines and no zero line clutter."""
    axis = {"title": {"text": title, "font": {"size": BASE_FONT, "color": TEXT}, "standoff": 12}, "showgrid": True,
            "gridcolor": GRID, "gridwidth": 1, "zeroline": False, "showline": False, "ticks": "",
            "tickfont": {"size": BASE_FONT, "color": TEXT}, "ticksuffix": tick_suffix, "separatethousands": True}
    if value_range is not None:
        axis["range"] = value_range
        axis["autorange"] = False
    return axis


def time_axis(tickvals: list[date], ticktext: list[str], x_range: list | None = None) -> dict:
    axis = {"showgrid": False, "zeroline": False, "showline": True, "linecolor": AXIS_LINE, "linewidth": 1,
            "ticks": "outside", "tickcolor": AXIS_LINE, "tickfont": {"size": BASE_FONT, "color": TEXT},
            "tickmode": "array", "tickangle": 0,
            "tickvals": tickvals, "ticktext": ticktext, "type": "date"}
    if x_range is not None:
        axis["range"] = x_range
    return axis


def as_date(value) -> date:
    return pd.Timestamp(value).date()


def time_ticks(ends: Iterable, period_type: str) -> tuple[list[date], list[str]]:
    """Up to MAX_TICKS ticks at period ends, counted back from the latest so it is always labelled.

    Labels use the dashboard's period words: 'Mar 2025' for months, 'Q4 2024-25', '2024-25'.
    """
    unique = sorted({as_date(e) for e in ends if not is_missing(e)})
    if not unique:
        return [], []
    step = max(1, math.ceil(len(unique) / MAX_TICKS))
    if period_type == "month" and step > 1:
        step = next(s for s in (2, 3, 4, 6, 12, 24, 36, 60) if s >= step or s == 60)
    chosen = unique[::-1][::step][::-1]
    labels = [short_period_label(period_type, d) for d in chosen]
    return chosen, labels


def period_grid(first: date, last: date, period_type: str) -> list[date]:
    """Every period end of ``period_type`` from ``first`` to ``last`` (month ends; quarter ends; 31 March for
    DfE's years), for ticks spaced evenly in time on an axis that also carries other series: ticks taken
    from one series' own points crowd together where that series is short ('Apr Jun Aug Oct 2026')."""
    months = {"month": range(1, 13), "quarter": (3, 6, 9, 12)}.get(period_type, (3,))
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        if month in months:
            out.append((pd.Timestamp(year, month, 1) + pd.offsets.MonthEnd(0)).date())
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [end for end in out if first <= end <= last] or [last]


def short_period_label(period_type: str, when: date) -> str:
    """Two short lines, so labels stay level on a narrow chart: 'Mar<br>2025', 'Q4<br>2024-25', '2024-25'."""
    if period_type == "month":
        return when.strftime("%b<br>%Y")
    if period_type == "quarter":
        return format_period(period_type, when).replace(" ", "<br>", 1)
    return format_period(period_type, when)


def hover_values(values: Iterable, measure: Measure, statuses: Iterable | None = None) -> list[str]:
    """Formatted values for hover text: '54%', 'suppressed', 'no data'."""
    statuses = list(statuses) if statuses is not None else None
    out = []
    for i, value in enumerate(values):
        status = statuses[i] if statuses is not None else "value"
        out.append(format_value(None if is_missing(value) else float(value), measure,
                                "value" if is_missing(status) else str(status)))
    return out


def plain_list(values: Iterable) -> list[float | None]:
    """Floats with None for anything missing: Plotly draws None as a gap, never as zero."""
    return [None if is_missing(v) else float(v) for v in values]


def nice_step(span: float) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about five intervals."""
    if span <= 0:
        return 1.0
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def value_range(values: Iterable[float], measure: Measure, headroom: float = 0.12) -> list[float] | None:
    """The value axis range: counts and rates from 0; percentages within 0-100 but not forced to the
    full scale when that would flatten the line; scores around the figures. None with no figures.

    A percentage axis starts at 0 when the figures come within a fifth of it, so small shares are
    never made to look large, and otherwise at a round number a little below the lowest figure.
    """
    numbers = [float(v) for v in values if not is_missing(v)]
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    span = max(high - low, abs(high) * 0.1, 1.0)
    if measure.unit in ("count", "rate_per_10k"):
        top = high + span * headroom if high > 0 else 1.0
        step = nice_step(top)
        return [0.0, math.ceil(top / step) * step]
    pad = span * headroom + (2.0 if measure.unit == "percent" else 0.0)
    bottom, top = low - pad, high + pad
    step = nice_step(top - bottom)
    bottom = math.floor(bottom / step) * step
    top = math.ceil(top / step) * step
    if measure.unit == "percent":
        if low <= 20 or bottom <= 0:
            bottom = 0.0
        top = min(top, 100.0) if high <= 100 else top
        if top - high < pad / 2 and high <= 100:
            top = min(100.0, high + pad)
        top = max(top, bottom + 5)
    else:
        bottom = max(bottom, 0.0) if low >= 0 else bottom
    return [bottom, top]

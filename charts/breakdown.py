"""A measure split by one dimension (age band, placement type...): over time, and for the latest period.

Counts are stacked bars (the parts add up to the whole); shares and scores are lines, one per
category, since they do not add up. Each category has its own fill pattern or dash and marker as
well as a colour, so the chart still reads in black and white.
"""

from __future__ import annotations

import re
from html import escape

import pandas as pd
import plotly.graph_objects as go

from charts.end_labels import EndLabel, add_end_labels, name_and_value, right_margin
from charts.layout import (
    BASE_FONT,
    MARGIN,
    as_date,
    base_layout,
    hover_values,
    legend_name,
    nice_step,
    plain_list,
    plot_height_px,
    set_layout,
    source_note,
    time_axis,
    time_ticks,
    title_text,
    value_axis,
    value_range,
)
from charts.palette import (
    CATEGORY_COLOURS,
    CATEGORY_DASHES,
    CATEGORY_MARKERS,
    MUTED_TEXT,
    PATTERNS,
    TEXT,
    WHITE,
    bar_marker,
)
from charts.wording import axis_title, chart_title
from metrics.formatting import format_period, format_value, is_missing
from reference.catalogue import Measure

LATEST_MARGIN = {"l": 220, "r": 60, "t": 96, "b": 150}
LATEST_NOTE_GAP_PX = 78


def category_order(categories: list[str]) -> list[str]:
    """Categories in a reader's order: by the first number in each when all have one ('Under 1',
    '1 to 4', '5 to 9', '10 to 15', '16 and over'), otherwise as they first appear."""
    unique = list(dict.fromkeys(str(c) for c in categories))

    def key(text: str) -> float | None:
        found = re.search(r"\d+(?:\.\d+)?", text)
        if not found:
            return None
        number = float(found.group())
        return number - 0.5 if text.strip().lower().startswith(("under", "less than", "below")) else number

    keys = [key(c) for c in unique]
    if any(k is None for k in keys):
        return unique
    return [c for _, c in sorted(zip(keys, unique, strict=True), key=lambda pair: pair[0])]


def _statuses(frame: pd.DataFrame) -> list[str]:
    if "status" not in frame:
        return ["value"] * len(frame)
    return ["value" if is_missing(s) else str(s) for s in frame["status"]]


def _finest_label(ends: list, frame: pd.DataFrame) -> str:
    kind = str(frame["period_type"].iloc[0]) if "period_type" in frame and len(frame) else "month"
    first, last = min(ends), max(ends)
    if first == last:
        return format_period(kind, last)
    return f"{format_period('month', first)} to {format_period('month', last)}"


def category_label(category: str) -> str:
    """'placed with parents' -> 'Placed with parents': a return's lower-case category starts a label."""
    text = str(category).strip()
    return text[:1].upper() + text[1:]


def category_colour(i: int) -> str:
    return CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)]


def breakdown_chart(frame: pd.DataFrame, measure: Measure, dimension_label: str, area_name: str,
                    source: str | None = None) -> go.Figure:
    """The measure by ``dimension_label`` over time; ``frame`` has period_end, category, value (and
    optionally status). Suppressed figures are left out (a missing bar segment or a gap in a line).
    Lines (shares and scores) are named at their right ends; ``source`` is the source line in words."""
    frame = frame.sort_values("period_end", kind="stable")
    order = category_order(list(frame["category"]))
    ends = [as_date(e) for e in frame["period_end"]]
    stacked = measure.is_count
    figure = go.Figure()
    missing = 0
    line_labels: list[EndLabel] = []
    for i, category in enumerate(order):
        part = frame[frame["category"].astype(str) == category]
        x = [as_date(e) for e in part["period_end"]]
        labels = [format_period("month", e) for e in part["period_end"]]
        shown = hover_values(part["value"], measure, _statuses(part))
        missing += int(part["value"].isna().sum())
        colour = category_colour(i)
        common = dict(x=x, y=plain_list(part["value"]), name=legend_name(category_label(category)), legendrank=i + 1,
                      customdata=list(zip(labels, shown, strict=True)),
                      hovertemplate=f"{escape(category_label(category))}<br>%{{customdata[0]}}: <b>%{{customdata[1]}}</b><extra></extra>")
        if stacked:
            marker = bar_marker(colour, PATTERNS[i % len(PATTERNS)])
            marker["line"] = {"color": WHITE, "width": 1}  # a white edge between stacked parts
            figure.add_trace(go.Bar(**common, marker=marker, meta=category))
        else:
            figure.add_trace(go.Scatter(**common, mode="lines+markers", connectgaps=False, cliponaxis=False,
                                        line={"color": colour, "width": 3, "dash": CATEGORY_DASHES[i % len(CATEGORY_DASHES)]},
                                        marker={"color": colour, "size": 10, "line": {"color": TEXT, "width": 1},
                                                "symbol": CATEGORY_MARKERS[i % len(CATEGORY_MARKERS)]}, meta=category))
            shown_values = part["value"].dropna()
            if len(shown_values):
                value = float(shown_values.iloc[-1])
                line_labels.append(EndLabel(name_and_value(category_label(category), format_value(value, measure)),
                                            value, colour))
    kind = str(frame["period_type"].iloc[0]) if "period_type" in frame and len(frame) else "month"
    tickvals, ticktext = time_ticks(ends, kind)
    incomplete = 0
    if stacked:
        totals = frame.groupby("period_end")["value"].sum(min_count=1)
        axis_range = value_range(list(totals), measure)
        # a bar with a part missing is not the whole total: say so above it
        for end, parts in frame.groupby("period_end"):
            if parts["value"].isna().any():
                incomplete += 1
                figure.add_annotation(x=as_date(end), y=float(totals.get(end, 0.0) or 0.0), text="<b>*</b>",
                                      showarrow=False, yanchor="bottom", font={"size": BASE_FONT + 4, "color": TEXT},
                                      name="incomplete")
    else:
        axis_range = value_range(list(frame["value"]), measure)
    set_layout(
        figure,
        barmode="stack" if stacked else None, bargap=0.2,
        xaxis=time_axis(tickvals, ticktext),
        yaxis=value_axis(axis_title(measure), axis_range, "%" if measure.is_percent else ""),
        hovermode="closest",
    )
    extra = [f"{missing} figure{'s' if missing != 1 else ''} suppressed or not available: left out, not counted as zero."
             if missing else ""]
    if incomplete:
        extra.append("* Part of this bar is suppressed, so the bar is less than the full total.")
    what = "Stacked bars: each bar is the total, split" if stacked else "One line for each group"
    extra.insert(0, f"{what} by {dimension_label.lower()}.")
    period = _finest_label(ends, frame) if ends else ""
    title = title_text(chart_title(measure, f" by {dimension_label.lower()}"), [area_name, period])
    margin = {**MARGIN, "r": right_margin(line_labels, MARGIN["r"])}
    figure = base_layout(figure, title, source_note(measure, source, extra=extra), margin=margin,
                         legend=not line_labels)
    if line_labels and axis_range is not None:
        add_end_labels(figure, line_labels, {"y": axis_range},
                       plot_height_px(figure.layout.height, figure.layout.margin.to_plotly_json()))
    return figure


def breakdown_latest_chart(frame: pd.DataFrame, measure: Measure, dimension_label: str, area_name: str,
                           period_label: str, source: str | None = None) -> go.Figure:
    """One bar per category for a single period (in category order); a suppressed category is listed
    with its word and no bar. ``source`` is the source line in words."""
    order = category_order(list(frame["category"]))
    by_category = {str(c): (v, s) for c, v, s in zip(frame["category"], frame["value"], _statuses(frame), strict=True)}
    values = [by_category[c][0] for c in order]
    texts = [format_value(None if is_missing(v) else float(v), measure, by_category[c][1])
             for c, v in zip(order, values, strict=True)]
    labels = [escape(category_label(c)) for c in order]
    present = [i for i, v in enumerate(values) if not is_missing(v)]
    figure = go.Figure(go.Bar(
        x=[float(values[i]) for i in present], y=[labels[i] for i in present], orientation="h",
        marker=bar_marker(category_colour(0), ""), text=[texts[i] for i in present], textposition="outside",
        cliponaxis=False, textfont={"size": BASE_FONT, "color": TEXT}, name=measure.short_name,
        customdata=[order[i] for i in present], hovertemplate="%{y}: <b>%{text}</b><extra></extra>",
    ))
    for i, value in enumerate(values):
        if is_missing(value):
            figure.add_annotation(x=0, y=labels[i], xref="x", yref="y", text=f"<i>{escape(texts[i])}</i>",
                                  showarrow=False, xanchor="left", xshift=6, font={"size": BASE_FONT, "color": MUTED_TEXT},
                                  name="no bar")
    if len(present) < len(values):
        figure.add_trace(go.Bar(x=[None] * (len(values) - len(present)),
                                y=[labels[i] for i in range(len(values)) if i not in present],
                                orientation="h", showlegend=False, hoverinfo="skip", name="no figure"))
    highest = max([float(values[i]) for i in present], default=0.0)
    top = highest * 1.2 if highest > 0 else 1.0
    top = (int(top / nice_step(top)) + 1) * nice_step(top)
    if measure.is_percent:
        top = min(top, 110.0)
    height = max(600, LATEST_MARGIN["t"] + LATEST_MARGIN["b"] + 40 * len(order))
    set_layout(
        figure,
        barmode="overlay", bargap=0.3,
        xaxis=value_axis(axis_title(measure), [0.0, top], "%" if measure.is_percent else ""),
        yaxis={"categoryorder": "array", "categoryarray": labels, "autorange": "reversed",
               "tickfont": {"size": BASE_FONT}, "showgrid": False, "ticks": "", "automargin": True,
               "ticklabelstandoff": 8},
    )
    if measure.is_percent and top > 100:
        set_layout(figure, xaxis={"tickvals": list(range(0, 101, 20))})
    title = title_text(chart_title(measure, f" by {dimension_label.lower()}"), [area_name, period_label])
    extra = ["A suppressed figure has no bar: it is not a zero."] if len(present) < len(values) else []
    return base_layout(figure, title, source_note(measure, source, extra=extra), height=height, margin=LATEST_MARGIN,
                       legend=False, note_gap_px=LATEST_NOTE_GAP_PX)

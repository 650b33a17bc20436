"""Children starting and leaving care each period, with the number in care.

Bars for the flows in and out (the left axis), a line for the number in care at each period end
(the right axis, also from zero so the line's height is honest). Names and units come from the
catalogue's cla_starts, cla_ceased and cla_count.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.end_labels import EndLabel, add_end_labels, right_margin
from charts.layout import (
    MARGIN,
    as_date,
    base_layout,
    hover_values,
    legend_name,
    nice_step,
    period_grid,
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
from charts.palette import FLOW_BARS, FLOW_LINE, WHITE, bar_marker
from metrics.formatting import format_period, format_value
from reference.catalogue import catalogue

STARTS, CEASED, COUNT = "cla_starts", "cla_ceased", "cla_count"
FLOW_TITLE = "Children starting and leaving care"
FLOW_AXIS = "Starting or leaving care"
COUNT_AXIS = "In care at period end"
COUNT_TICKS_PX = 90  # the right axis's tick numbers and title, between the plot and the line's label


def _kind(frame: pd.DataFrame | None) -> str:
    """The frame's period type ('month' when it does not say): every frame of one flow chart shares it."""
    if frame is None or frame.empty or "period_type" not in frame:
        return "month"
    return str(frame["period_type"].iloc[0])


def _bars(frame: pd.DataFrame, code: str, rank: int, kind: str) -> go.Bar:
    measure = catalogue().get(code)
    style = FLOW_BARS[code]
    frame = frame.sort_values("period_end", kind="stable")
    labels = [format_period(kind, e) for e in frame["period_end"]]
    statuses = frame.get("status", None)
    return go.Bar(
        x=[as_date(e) for e in frame["period_end"]], y=plain_list(frame["value"]), name=legend_name(measure.short_name),
        marker=bar_marker(style.colour, style.pattern, size=7),
        customdata=list(zip(labels, hover_values(frame["value"], measure, statuses), strict=True)),
        hovertemplate=f"{measure.short_name}<br>%{{customdata[0]}}: <b>%{{customdata[1]}}</b><extra></extra>",
        legendrank=rank, meta=code,
    )


def flow_chart(starts: pd.DataFrame, ceased: pd.DataFrame, count: pd.DataFrame | None, area_name: str,
               source: str | None = None, title_period: str = "") -> go.Figure:
    """``starts`` and ``ceased`` (period_end, value) as bars per period; ``count`` (period_end, value) as a
    line on a second axis, named at its right end. Missing figures are gaps, never zero. ``source`` is
    the source line in words (charts.sources.source_words); ``title_period`` the period in the title as the
    caller writes it ('2022-23 to 2024-25'), else the months of the first and last bars. Inputs are not changed."""
    figure = go.Figure()
    kind = _kind(starts if not starts.empty else ceased)
    figure.add_trace(_bars(starts, STARTS, 1, kind))
    figure.add_trace(_bars(ceased, CEASED, 2, kind))
    labels: list[EndLabel] = []
    ends = [as_date(e) for e in [*starts["period_end"], *ceased["period_end"]]]
    count_measure = catalogue().get(COUNT)
    count_range = None
    if count is not None and not count.empty:
        count = count.sort_values("period_end", kind="stable")
        style = FLOW_LINE
        labels_text = [format_period(kind, e) for e in count["period_end"]]
        statuses = count.get("status", None)
        figure.add_trace(go.Scatter(
            x=[as_date(e) for e in count["period_end"]], y=plain_list(count["value"]),
            name=legend_name(count_measure.short_name),
            mode="lines+markers", yaxis="y2", connectgaps=False, cliponaxis=False, legendrank=3, meta=COUNT,
            line={"color": style.colour, "width": style.width, "dash": style.dash},
            marker={"color": style.colour, "symbol": style.marker, "size": style.marker_size,
                    "line": {"color": WHITE, "width": 1}},
            customdata=list(zip(labels_text, hover_values(count["value"], count_measure, statuses), strict=True)),
            hovertemplate=f"{count_measure.short_name}<br>%{{customdata[0]}}: <b>%{{customdata[1]}}</b><extra></extra>",
        ))
        ends += [as_date(e) for e in count["period_end"]]
        count_range = value_range(list(count["value"]), count_measure)
        shown = count["value"].dropna()
        if len(shown):
            latest = float(shown.iloc[-1])
            labels.append(EndLabel(f"In care {format_value(latest, count_measure)}", latest, style.colour, "y2"))
    flows = [*starts["value"], *ceased["value"]]
    flow_range = value_range(flows, catalogue().get(STARTS))
    tickvals, ticktext = time_ticks(period_grid(min(ends), max(ends), kind) if ends else [], kind)
    right = value_axis(COUNT_AXIS, count_range)
    right.update(overlaying="y", side="right", showgrid=False)
    if count_range:  # round numbers on the right axis too (it has no gridlines to line up with)
        right.update(tickmode="linear", tick0=0, dtick=nice_step(count_range[1] - count_range[0]))
    set_layout(
        figure,
        barmode="group", bargap=0.25, bargroupgap=0.05,
        xaxis=time_axis(tickvals, ticktext),
        yaxis=value_axis(FLOW_AXIS, flow_range),
        yaxis2=right,
        hovermode="closest",
    )
    period = title_period
    if ends and not period:
        first, last = min(ends), max(ends)
        period = format_period(kind, last) if first == last else \
            f"{format_period(kind, first)} to {format_period(kind, last)}"
    title = title_text(FLOW_TITLE, [area_name, period])
    note = source_note(None, source=source or catalogue().get(STARTS).source,
                       extra=["Bars: children who started or stopped being in care in each period (left axis). "
                              "Line: children in care at the end of each period (right axis)."])
    # the right axis's numbers sit between the plot and the line's label
    margin = {**MARGIN, "l": 90, "r": right_margin(labels, 100) + (COUNT_TICKS_PX if labels else 0)}
    figure = base_layout(figure, title, note, margin=margin)
    if labels:
        add_end_labels(figure, labels, {"y2": count_range} if count_range else {},
                       plot_height_px(figure.layout.height, figure.layout.margin.to_plotly_json()), shift=COUNT_TICKS_PX)
    return figure

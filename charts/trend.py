"""The trend chart: a council's figures over time with its target and its comparators.

What a committee member needs from it at a glance: where the figure is now (labelled), which way it
has been going, where the target is and how similar councils, the region and England compare.
Suppressed figures are gaps in the line with a note saying so, never a fall to zero.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from charts.end_labels import EndLabel, add_end_labels, name_and_value, name_value_and_period, right_margin
from charts.layout import (
    MARGIN,
    as_date,
    base_layout,
    hover_values,
    legend_name,
    period_grid,
    plain_list,
    plain_name,
    plot_height_px,
    set_layout,
    source_note,
    time_axis,
    time_ticks,
    title_text,
    value_axis,
    value_range,
)
from charts.palette import SERIES_STYLE, SeriesStyle
from charts.wording import axis_title, chart_title
from metrics.formatting import format_period, format_value, is_missing
from metrics.ratings import decimals_keeping_rating
from reference.catalogue import Measure
from reference.statuses import VALUE
from reference.statuses import label as status_label

TARGET_NAME = "Target"
TARGET_DIRECTION = {"higher": " or more", "lower": " or less", "neither": " (for context)"}
MAX_GAPS_LISTED = 3
TOTAL_KINDS = ("region", "england")
TOTALS_NOTE = "Region and England are not shown for a number of children: their totals cover many councils."
PUBLISHED_NAME = "DfE published"
# DfE's own figure beside a council's: the council's colour, open markers and no line, so it reads as
# the same measure from another source rather than another area.
PUBLISHED_STYLE = SeriesStyle(SERIES_STYLE["own"].colour, "solid", "diamond-open", 0.0, 14, PUBLISHED_NAME)


def comparable(comparators: pd.DataFrame | None, measure: Measure) -> tuple[pd.DataFrame | None, str]:
    """Comparators that can sit beside one council's figure, and a note on any left out.

    For a count, the region's and England's figures are totals over many councils (England has tens of
    thousands of children in care): beside one council they would flatten its line and mean nothing.
    """
    if comparators is None or comparators.empty or not measure.is_count:
        return comparators, ""
    totals = comparators["kind"].isin(TOTAL_KINDS)
    if not totals.any():
        return comparators, ""
    return comparators[~totals], TOTALS_NOTE


def _line(style: SeriesStyle, shape: str = "linear") -> dict:
    return {"color": style.colour, "dash": style.dash, "width": style.width, "shape": shape}


def _marker(style: SeriesStyle) -> dict:
    return {"symbol": style.marker, "size": style.marker_size, "color": style.colour,
            "line": {"color": "#FFFFFF", "width": 1}}


def _finest(series: pd.DataFrame) -> str:
    kinds = set(series["period_type"]) if "period_type" in series else {"year"}
    return next((k for k in ("month", "quarter", "year") if k in kinds), "year")


def _gap_note(own: pd.DataFrame) -> str:
    """'Gap in the line: December 2024 suppressed.' for the own series' missing figures."""
    gaps = own[own["value"].isna()]
    if gaps.empty:
        return ""
    statuses = gaps["status"] if "status" in gaps else pd.Series(VALUE, index=gaps.index)
    items = []
    for kind, end, status in zip(gaps["period_type"], gaps["period_end"], statuses, strict=True):
        word = "no figure" if is_missing(status) or status == VALUE else status_label(str(status))
        items.append(f"{format_period(kind, end)} {word}")
    more = len(items) - MAX_GAPS_LISTED
    listed = "; ".join(items[:MAX_GAPS_LISTED]) + (f" and {more} more" if more > 0 else "")
    noun = "Gaps in the line" if len(items) > 1 else "Gap in the line"
    return f"{noun} (figure not published, never zero): {listed}."


def _target_trace(targets: pd.DataFrame, measure: Measure, first: date, last: date) -> go.Scatter | None:
    """Each target as a flat step over its period range, clipped to the dates shown."""
    rows = targets.dropna(subset=["value"]).sort_values("period_start", kind="stable")
    xs: list[date | None] = []
    ys: list[float | None] = []
    texts: list[str | None] = []
    previous_end: date | None = None
    for start, end, value in zip(rows["period_start"], rows["period_end"], rows["value"], strict=True):
        start, end = max(as_date(start), first), min(as_date(end), last)
        if start > end:
            continue
        if previous_end is not None and start > previous_end + timedelta(days=1):
            xs.append(None)
            ys.append(None)
            texts.append(None)
        text = f"{target_label(value, measure)} ({format_period('month', start)} to {format_period('month', end)})"
        xs += [start, end]
        ys += [float(value), float(value)]
        texts += [text, text]
        previous_end = end
    if not xs:
        return None
    style = SERIES_STYLE["target"]
    return go.Scatter(x=xs, y=ys, mode="lines", name=TARGET_NAME, line=_line(style), text=texts,
                      hovertemplate="%{text}<extra></extra>", connectgaps=False, legendrank=2, meta="target")


def _comparator_traces(comparators: pd.DataFrame, measure: Measure) -> list[go.Scatter]:
    traces = []
    for rank, (series, part) in enumerate(comparators.groupby("series", sort=False), start=3):
        part = part.sort_values("period_end", kind="stable")
        kind = str(part["kind"].iloc[0])
        style = SERIES_STYLE.get(kind, SERIES_STYLE["england"])
        names = []
        for used, of in zip(part["used"], part["of"], strict=True):
            if kind == "neighbours" and not is_missing(used) and not is_missing(of):
                names.append(f"{series} ({int(used)} of {int(of)} councils)")
            else:
                names.append(str(series))
        labels = [format_period("year", e) for e in part["period_end"]]
        values = hover_values(part["value"], measure)
        traces.append(go.Scatter(
            x=[as_date(e) for e in part["period_end"]], y=plain_list(part["value"]), mode="lines+markers",
            name=legend_name(str(series)), line=_line(style), marker=_marker(style), connectgaps=False, cliponaxis=False,
            customdata=list(zip(names, labels, values, strict=True)), legendrank=rank, meta=kind,
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}: <b>%{customdata[2]}</b><extra></extra>",
        ))
    return traces


def _published_trace(published: pd.DataFrame, measure: Measure) -> go.Scatter:
    style = PUBLISHED_STYLE
    labels = [format_period(k, e) for k, e in zip(published["period_type"], published["period_end"], strict=True)]
    values = hover_values(published["value"], measure, published.get("status", None))
    return go.Scatter(
        x=[as_date(e) for e in published["period_end"]], y=plain_list(published["value"]), mode="markers",
        name=PUBLISHED_NAME, marker={"symbol": style.marker, "size": style.marker_size, "color": style.colour,
                                     "line": {"color": style.colour, "width": 2.5}},
        cliponaxis=False, legendrank=2, meta="published", customdata=list(zip(labels, values, strict=True)),
        hovertemplate=f"{PUBLISHED_NAME}<br>%{{customdata[0]}}: <b>%{{customdata[1]}}</b><extra></extra>",
    )


def target_label(value: float, measure: Measure) -> str:
    """'Target: 10% or less': the target's figure and which side of it is better."""
    return f"{TARGET_NAME}: {format_value(float(value), measure)}{TARGET_DIRECTION[measure.polarity]}"


def latest_point(trace: go.Scatter) -> float | None:
    """The last figure a line draws (a gap at its end is skipped), or None when it draws none."""
    return next((float(y) for y in reversed(trace.y or ()) if y is not None), None)


def _latest_index(trace: go.Scatter) -> int | None:
    return next((i for i in range(len(trace.y or ()) - 1, -1, -1) if trace.y[i] is not None), None)


def _period_of(trace: go.Scatter, index: int) -> str:
    """The period a point stands for, as its hover text names it ('2023-24', 'October 2026')."""
    return str(trace.customdata[index][1 if trace.meta in SERIES_STYLE and trace.meta != "own" else 0])


def _end_labels(figure: go.Figure, area_name: str, measure: Measure) -> list[EndLabel]:
    """A label for every line: our own, the target and each comparator, with its latest figure. A line whose
    last figure comes before the chart's latest period (that period suppressed or not yet published) is
    labelled at its own point and names its period: '94% in 2023-24' never stands beside 2024-25."""
    labels = []
    target = next((latest_point(t) for t in figure.data if (t.meta or "target") == "target"), None)
    figures = [t for t in figure.data if (t.meta or "target") != "target"]
    chart_last = max((x for t in figures for x in (t.x or ())), default=None)
    for trace in figure.data:
        value = latest_point(trace)
        if value is None:
            continue
        kind = trace.meta or "target"
        style = PUBLISHED_STYLE if kind == "published" else SERIES_STYLE.get(kind, SERIES_STYLE["england"])
        name = area_name if kind == "own" else style.label or plain_name(trace.name)
        if kind == "own":  # with the places that keep its side of the target: 69.9%, never 70%, against 70%
            places = decimals_keeping_rating(value, target, measure.polarity, measure.tolerance, measure.decimals)
            shown = format_value(value, measure, decimals=places)
        else:
            shown = format_value(value, measure)
        if kind == "target":
            labels.append(EndLabel(target_label(value, measure), value, style.colour))
            continue
        index = _latest_index(trace)
        at = trace.x[index]
        if chart_last is not None and at < chart_last and trace.customdata is not None:
            labels.append(EndLabel(name_value_and_period(name, shown, _period_of(trace, index)), value, style.colour,
                                   x=at))
        else:
            labels.append(EndLabel(name_and_value(name, shown), value, style.colour))
    return labels


def trend_chart(own: pd.DataFrame, measure: Measure, area_name: str, targets: pd.DataFrame | None = None,
                comparators: pd.DataFrame | None = None, title_period: str = "", source: str | None = None,
                published: pd.DataFrame | None = None) -> go.Figure:
    """The council's series (period_type, period_end, value, status) as a line with markers, with its
    target (period_start, period_end, value) as a step line and yearly comparators (period_end, series,
    kind, value, used, of) at their 31 March period ends. Every line is named at its right end with
    its latest figure. ``source`` is the source line in words (charts.sources.source_words); without
    it the catalogue's source is shown. ``published`` (period_type, period_end, value, status), when
    given, is DfE's published figure for the same council, drawn as open markers named 'DfE published'
    beside the council's own figures. Inputs are not changed.
    """
    own = own.sort_values("period_end", kind="stable")
    comparators, left_out = comparable(comparators, measure)
    figure = go.Figure()
    ends = [as_date(e) for e in own["period_end"]]
    kind = _finest(own)
    statuses = own.get("status", None)
    style = SERIES_STYLE["own"]
    labels = [format_period(k, e) for k, e in zip(own["period_type"], own["period_end"], strict=True)]
    figure.add_trace(go.Scatter(
        x=ends, y=plain_list(own["value"]), mode="lines+markers", name=legend_name(area_name), line=_line(style),
        marker=_marker(style), connectgaps=False, cliponaxis=False, legendrank=1, meta="own",
        customdata=list(zip(labels, hover_values(own["value"], measure, statuses), strict=True)),
        hovertemplate=f"{area_name}<br>%{{customdata[0]}}: <b>%{{customdata[1]}}</b><extra></extra>",
    ))
    all_ends = list(ends)
    plotted = list(own["value"])
    if published is not None and not published.empty:
        figure.add_trace(_published_trace(published.sort_values("period_end", kind="stable"), measure))
        all_ends += [as_date(e) for e in published["period_end"]]
        plotted += list(published["value"])
    if comparators is not None and not comparators.empty:
        all_ends += [as_date(e) for e in comparators["period_end"]]
        plotted += list(comparators["value"])
    first, last = (min(all_ends), max(all_ends)) if all_ends else (None, None)
    if targets is not None and not targets.empty and first is not None:
        start = min(first, min((as_date(s) for s in targets["period_start"]), default=first))
        target = _target_trace(targets, measure, max(start, first - timedelta(days=31)), last)
        if target is not None:
            figure.add_trace(target)
            plotted += [y for y in target.y if y is not None]
    if comparators is not None and not comparators.empty:
        for trace in _comparator_traces(comparators, measure):
            figure.add_trace(trace)

    tickvals, ticktext = time_ticks(period_grid(first, last, kind) if first is not None else [], kind)
    x_range = None
    if first is not None:
        pad = timedelta(days=max(10, (last - first).days // 40))
        x_range = [first - pad, last + pad]
    axis_range = value_range(plotted, measure)
    set_layout(
        figure,
        xaxis=time_axis(tickvals, ticktext, x_range),
        yaxis=value_axis(axis_title(measure), axis_range, "%" if measure.is_percent else ""),
        hovermode="closest",
    )
    labels = _end_labels(figure, area_name, measure)
    title = title_text(chart_title(measure), [area_name, title_period])
    margin = {**MARGIN, "r": right_margin(labels, MARGIN["r"])}
    # every line is named at its end, so no legend: on a projector it would sit below the fold
    figure = base_layout(figure, title, source_note(measure, source, extra=[_gap_note(own), left_out]), margin=margin,
                         legend=not labels)
    if axis_range is not None:
        add_end_labels(figure, labels, {"y": axis_range}, plot_height_px(figure.layout.height, figure.layout.margin.to_plotly_json()))
    return figure

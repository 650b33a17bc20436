"""The council beside its statistical neighbours, region and England for one year, best first.

Bars start at zero (a bar's length is its value). The home council is the dark bar; averages and
totals for groups of councils are patterned so they read as different things in black and white;
a council whose figure is suppressed is listed with the word, and no bar, at the bottom.
"""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from charts.end_labels import LABEL_FONT, readable_colour
from charts.layout import (
    BASE_FONT,
    base_layout,
    nice_step,
    set_layout,
    source_note,
    title_margin,
    title_text,
    value_axis,
)
from charts.palette import BAR_STYLE, MUTED_TEXT, SERIES_STYLE, TEXT, bar_marker
from charts.trend import TOTAL_KINDS, TOTALS_NOTE, target_label
from charts.wording import axis_title, chart_title
from metrics.formatting import format_value, is_missing
from reference.catalogue import Measure

ROW_PX = 26
MIN_HEIGHT = 600  # the size of a downloaded picture; more councils make the chart taller
BAR_MARGIN = {"l": 330, "r": 40, "t": 96, "b": 150}
NOTE_GAP_PX = 78  # below the value axis title
NOTE_LEFT_PX = 20  # the note's distance from the chart's left edge
TARGET_LABEL_PX = 30  # room above the plot for the target's label
KIND_NAME = {"la": "Council", "neighbours": "Statistical neighbour average", "region": "Region", "england": "England"}


def sort_best_first(values: pd.DataFrame, polarity: str) -> pd.DataFrame:
    """Rows with a value, best first by polarity (largest first for 'neither'), then rows without one."""
    present = values[values["value"].notna()]
    missing = values[values["value"].isna()]
    ascending = polarity == "lower"
    present = present.sort_values(["value", "name"], ascending=[ascending, True], kind="stable")
    return pd.concat([present, missing.sort_values("name", kind="stable")], ignore_index=True)


def comparable_rows(values: pd.DataFrame, measure: Measure) -> tuple[pd.DataFrame, str]:
    """For a count, drop region and England (totals over many councils, not comparable with one)."""
    if not measure.is_count or not values["kind"].isin(TOTAL_KINDS).any():
        return values, ""
    return values[~values["kind"].isin(TOTAL_KINDS)], TOTALS_NOTE


def _label(name: str, kind: str, is_home: bool) -> str:
    text = escape(str(name))
    if is_home:
        return f"<b>{text}</b>"
    if kind != "la":
        return f"<i>{text}</i>"
    return text


def _target_line(figure: go.Figure, target: float, measure: Measure) -> None:
    """The target as a dashed line across the bars, named above the plot ('Target: 10% or less')."""
    style = SERIES_STYLE["target"]
    figure.add_shape(type="line", x0=target, x1=target, xref="x", y0=0, y1=1, yref="paper", name="target",
                     line={"color": style.colour, "width": style.width, "dash": style.dash}, layer="above")
    figure.add_annotation(text=f"<b>{escape(target_label(target, measure))}</b>", x=target, xref="x", y=1,
                          yref="paper", yanchor="bottom", xanchor="center", showarrow=False, name="target",
                          font={"size": LABEL_FONT, "color": readable_colour(style.colour)}, yshift=4)


def neighbour_bar_chart(values: pd.DataFrame, measure: Measure, year_label: str, home_area: str,
                        target: float | None = None, source: str | None = None) -> go.Figure:
    """Horizontal bars for one year; ``values`` has area_code, name, value, status and kind
    ('la', 'region', 'england', 'neighbours'). ``target``, when given, is drawn as a labelled line;
    ``source`` is the source line in words (charts.sources.source_words). Inputs are not changed."""
    values, left_out = comparable_rows(values, measure)
    rows = sort_best_first(values, measure.polarity)
    labels = [_label(n, k, a == home_area) for n, k, a in zip(rows["name"], rows["kind"], rows["area_code"], strict=True)]
    texts = []
    for value, status in zip(rows["value"], rows["status"], strict=True):
        status = "value" if is_missing(status) else str(status)
        texts.append(format_value(None if is_missing(value) else float(value), measure, status))
    figure = go.Figure()
    groups = [("home", rows["area_code"] == home_area),
              ("la", (rows["kind"] == "la") & (rows["area_code"] != home_area))]
    groups += [(kind, rows["kind"] == kind) for kind in ("neighbours", "region", "england")]
    home_name = next((str(n) for n, a in zip(rows["name"], rows["area_code"], strict=True) if a == home_area),
                     home_area)
    for group, mask in groups:
        part = rows[mask & rows["value"].notna()]
        if part.empty:
            continue
        style = BAR_STYLE[group]
        name = {"home": home_name, "la": "Statistical neighbours"}.get(group) or KIND_NAME[group]
        index = list(part.index)
        figure.add_trace(go.Bar(
            x=[float(v) for v in part["value"]], y=[labels[i] for i in index], orientation="h", name=name,
            marker=bar_marker(style.colour, style.pattern, outline=TEXT if group != "la" else None),
            text=[texts[i] for i in index], textposition="outside", cliponaxis=False,
            textfont={"size": BASE_FONT, "color": TEXT}, customdata=[str(rows.loc[i, "name"]) for i in index],
            hovertemplate="%{customdata}: <b>%{text}</b><extra></extra>", meta=group,
        ))
    missing = rows[rows["value"].isna()]
    for i in missing.index:
        figure.add_annotation(x=0, y=labels[i], xref="x", yref="y", text=f"<i>{escape(texts[i])}</i>",
                              showarrow=False, xanchor="left", xshift=6,
                              font={"size": BASE_FONT, "color": MUTED_TEXT}, name="no bar")
    if len(missing):
        # an empty bar keeps the row on the axis so the council is still listed
        figure.add_trace(go.Bar(x=[None] * len(missing), y=[labels[i] for i in missing.index], orientation="h",
                                showlegend=False, hoverinfo="skip", name="no figure", meta="missing"))
    highest = max([float(v) for v in rows["value"] if not is_missing(v)] + ([float(target)] if target is not None else []),
                  default=0.0)
    top = highest * 1.18 if highest > 0 else 1.0
    if measure.is_percent:
        top = min(top, 112.0)
    top = (int(top / nice_step(top)) + 1) * nice_step(top)
    title = title_text(chart_title(measure), [f"{home_name} and its statistical neighbours", year_label])
    margin = {**BAR_MARGIN, "t": max(BAR_MARGIN["t"], title_margin(title))}
    if target is not None:
        _target_line(figure, float(target), measure)
        margin["t"] += TARGET_LABEL_PX  # the target's name sits between the title and the plot
    height = max(MIN_HEIGHT, margin["t"] + margin["b"] + ROW_PX * len(rows))
    set_layout(
        figure,
        barmode="overlay", bargap=0.25,
        xaxis=value_axis(axis_title(measure), [0.0, top], "%" if measure.is_percent else ""),
        yaxis={"categoryorder": "array", "categoryarray": labels, "autorange": "reversed",
               "tickfont": {"size": BASE_FONT, "color": TEXT}, "showgrid": False, "ticks": "", "automargin": True,
               "ticklabelstandoff": 8},
        hovermode="closest",
    )
    if measure.is_percent and top > 100:
        set_layout(figure, xaxis={"tickvals": list(range(0, 101, 20))})
    order = {"higher": "highest (best) first", "lower": "lowest (best) first",
             "neither": "largest first"}[measure.polarity]
    note = source_note(measure, source, extra=[f"Ordered {order}. Patterned bars are figures for groups of councils.",
                                               "A suppressed figure has no bar: it is not a zero.", left_out])
    # the note starts under the councils' names, not under the bars: at 1280 pixels beside the menu a line of it
    # ran past the chart's right edge
    return base_layout(figure, title, note, height=height, margin=margin, legend=False, note_gap_px=NOTE_GAP_PX,
                       note_shift_px=margin["l"] - NOTE_LEFT_PX)

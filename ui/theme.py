"""A theme page: every catalogue measure in the theme as a trend chart with its explanation, then breakdowns.

The measures come from the catalogue (``catalogue().in_theme``), so a measure a council adds to
data/measures.csv appears on its theme's page without code changes. Each chart takes the page's full
width: they are drawn for a projector, and half-width charts squeeze their legends and labels.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from charts.config import plotly_config
from reference.catalogue import Measure, catalogue
from ui import data
from ui.components import first_run_message, measure_link, page_header, rating_badge
from ui.filters import Filters, sidebar_filters
from ui.views import ChartView, breakdown_dimensions, breakdown_view, scorecard, trend_view


def show_chart(view: ChartView, key: str) -> None:
    st.plotly_chart(view.figure, config=plotly_config(view.filename), key=key)


def latest_line(measure: Measure, row: pd.Series | None) -> str:
    """'**3 or more moves in a year** · latest 14% (March 2025) · ✖ Off target · ↑ Worse than the previous period'."""
    if row is None or row["value_text"] == "no data":
        return f"**{measure.short_name}** · no data yet"
    parts = [f"**{measure.short_name}** · latest **{row['value_text']}** ({row['period_label']})"]
    if row["rating_code"] != "none":
        parts.append(rating_badge(row["rating_code"], row["rating_word"], row["rating_symbol"]))
    travel = row["travel_previous_word"]
    if travel and travel != "No comparison":
        parts.append(f"{row['travel_previous_symbol']} {travel} than the previous period"
                     if travel in ("Better", "Worse") else f"{row['travel_previous_symbol']} {travel} on the previous period")
    return " · ".join(parts)


def measure_panel(measure: Measure, filters: Filters, card: pd.DataFrame) -> None:
    """One measure: its latest figure and rating, the trend chart, the line that explains it, and a link."""
    rows = card[card["measure_code"] == measure.code]
    row = rows.iloc[0] if len(rows) else None
    with st.container(border=True):
        st.markdown(latest_line(measure, row), unsafe_allow_html=True)
        view = trend_view(measure.code, filters)
        if view.has_data:
            show_chart(view, key=f"trend_{measure.code}")
        else:
            st.info(f"No figures for {measure.short_name.lower()} in the period in view.")
        st.caption(view.explanation)
        measure_link(measure, filters)


def measure_list(measures: list[Measure], filters: Filters) -> None:
    card = scorecard(filters)
    for measure in measures:
        measure_panel(measure, filters, card)


def breakdown_section(measures: list[Measure], filters: Filters) -> None:
    pairs = breakdown_dimensions(filters.home, [m.code for m in measures])
    if not pairs:
        return
    st.header("Breakdowns", anchor=False)
    st.caption("The same figures split by a characteristic, where the council's returns give the split.")
    for code, dimension in pairs:
        view = breakdown_view(code, dimension, filters)
        if view is None:
            continue
        with st.container(border=True):
            st.markdown(f"**{view.title}**")
            latest, over_time = st.tabs(["Latest period", "Over time"])
            with latest:
                show_chart(view.latest, key=f"breakdown_latest_{code}_{dimension}")
            with over_time:
                show_chart(view.over_time, key=f"breakdown_time_{code}_{dimension}")


def render_theme(theme_code: str, title: str | None = None,
                 before_measures: Callable[[Filters], None] | None = None) -> None:
    """Draw a theme page: header, optional extra section, every measure in the theme, breakdowns."""
    theme = catalogue().theme(theme_code)
    if data.is_empty():
        page_header(title or theme.name, None, theme.question)
        first_run_message()
        return
    filters = sidebar_filters()
    page_header(title or theme.name, filters, theme.question)
    measures = catalogue().in_theme(theme_code)
    if before_measures is not None:
        before_measures(filters)
    measure_list(measures, filters)
    breakdown_section(measures, filters)

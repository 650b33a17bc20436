"""A theme page: every catalogue measure in the theme as a trend chart with its explanation, then breakdowns.

The measures come from the catalogue (``catalogue().in_theme``), so a measure a council adds to
data/measures.csv appears on its theme's page without code changes. Each chart takes the page's full
width: they are drawn for a projector, and half-width charts squeeze their legends and labels.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from charts.config import plotly_config
from charts.wording import spell_out
from metrics.scorecard import CardRow, card_row
from metrics.verdict import OverviewVerdict, Verdict
from reference.catalogue import Measure, catalogue
from ui import data
from ui.components import first_run_message, measure_link, page_header, verdict_html
from ui.filters import Filters, sidebar_filters
from ui.views import ChartView, breakdown_dimensions, breakdown_view, scorecard, trend_view, verdicts
from views.measure import no_figures_text as view_no_figures_text


def show_chart(view: ChartView, key: str, rating: str = "") -> None:
    """The chart, with its Download control (pictures with the caption baked in, and the data behind it)."""
    st.plotly_chart(view.figure, config=plotly_config(view.filename), key=key)
    from ui.chart_downloads import download_control

    download_control(view, key, rating)


def travel_text(row: CardRow) -> str:
    """'↓ Better than the previous period', or '' with nothing to compare."""
    travel = row.travel_previous_word
    if not travel or travel == "No comparison":
        return ""
    if travel in ("Better", "Worse"):
        return f"{row.travel_previous_symbol} {travel} than the previous period"
    return f"{row.travel_previous_symbol} {travel} on the previous period"


def latest_line(measure: Measure, row: CardRow | None, verdict: Verdict | None, named: bool = True) -> str:
    """'Latest **14%** (March 2025) · [✖ Off target] Target 10% or less · ↑ Worse than the previous period'.

    The rating is the measure's verdict, with what it was judged against beside it: the target where
    there is one, else DfE's published figures for every council. ``named`` puts the measure's name first
    (left out above a chart, whose own title names it).
    """
    name = f"**{spell_out(measure.short_name)}** · " if named else ""
    if row is None or row.value_text == "no data":
        return f"{name}no data yet"
    parts = [f"{name}{'latest' if named else 'Latest'} **{row.value_text}** ({row.period_label})"]
    if verdict is not None:
        parts.append(verdict_html(verdict))
    travel = travel_text(row)
    if travel:
        parts.append(travel)
    return " · ".join(parts)


def no_figures_text(measure: Measure, filters: Filters) -> str:
    """Why a measure shows no chart, and what to do about it."""
    return view_no_figures_text(data.reads(), filters.scope, measure)


def measure_panel(measure: Measure, filters: Filters, card: tuple[CardRow, ...], overview: OverviewVerdict) -> None:
    """One measure: its latest figure and rating with its basis, the trend chart (whose title names the
    measure), the line that explains it, and a link."""
    row = card_row(card, measure.code)
    verdict = overview.verdict(measure.code) if row is not None else None
    with st.container(border=True):
        view = trend_view(measure.code, filters)
        st.markdown(latest_line(measure, row, verdict, named=not view.has_data), unsafe_allow_html=True)
        if view.has_data:
            show_chart(view, key=f"trend_{measure.code}",
                       rating=verdict.rating.word if verdict is not None and verdict.has_figure else "")
        else:
            st.info(no_figures_text(measure, filters))
        st.caption(view.explanation)
        for note in data.public_footnotes(measure.code, filters.home, filters.start, filters.end):
            st.caption(note)  # public mode: why a figure shows as c, under the chart it affects
        measure_link(measure, filters)


def measure_list(measures: list[Measure], filters: Filters) -> None:
    card = scorecard(filters)
    overview = verdicts(filters)
    for measure in measures:
        measure_panel(measure, filters, card, overview)


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
        with st.container(border=True):  # each chart's title names the measure and the split
            latest, over_time = st.tabs(["Latest period", "Over time"])
            with latest:
                show_chart(view.latest, key=f"breakdown_latest_{code}_{dimension}")
            with over_time:
                show_chart(view.over_time, key=f"breakdown_time_{code}_{dimension}")
            for note in data.public_footnotes(code, filters.home, filters.start, filters.end, dimension):
                st.caption(note)


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

"""Presentation mode, for the committee room: one chart per screen, big type, no sidebar, next and previous.

Built for a 1280x720 projector read from the back of the room: the slide's title is the measure in plain
words with whether higher is better, then its latest figure and rating, then the chart with larger text.
The arrow keys (and a presenter's clicker, which sends Page Down and Page Up) move between slides; the
slide number is in the address (``/present?slide=3``) so a member can be sent straight to it.
"""

import plotly.graph_objects as go
import streamlit as st

from charts.end_labels import NAME as END_LABEL
from charts.wording import spell_out
from metrics.scorecard import card_row
from metrics.verdict import OverviewVerdict
from reference.catalogue import catalogue
from ui import data
from ui.components import first_run_message
from ui.filters import Filters, sidebar_filters
from ui.navigation import OVERVIEW
from ui.presentation import (
    PRESENTATION_STYLE,
    SLIDE_PARAM,
    Slide,
    presentation_slides,
    slide_number,
)
from ui.theme import latest_line
from ui.views import scorecard, trend_view, verdicts

CHART_HEIGHT_PX = 360  # the chart, title, a two-line explanation and the navigation fit a 1280x720 projector
CHART_FONT_PX = 18


def projector_figure(figure: go.Figure) -> go.Figure:
    """A copy of the page's chart with type large enough for the back of the room (the cached one is shared)."""
    big = go.Figure(figure)
    big.update_layout(height=CHART_HEIGHT_PX, font={"size": CHART_FONT_PX}, title=None,
                      margin={"t": 30, "b": 60})
    for annotation in big.layout.annotations or ():
        if annotation.name == END_LABEL:  # already large and bold, and spaced for their own size: larger, they
            continue  # ran into each other and past the right edge
        annotation.font = {**(annotation.font.to_plotly_json() if annotation.font else {}), "size": CHART_FONT_PX}
    return big


def summary_slide(slide: Slide, filters: Filters, overview: OverviewVerdict) -> None:
    if slide.part == 1:
        st.markdown(f"# {filters.home_name}: how well are we looking after the children in our care?")
        st.markdown(f"### {filters.period_text}")
        st.markdown(f"#### {overview.summary}")
    else:
        st.markdown(f"# What needs attention ({slide.part} of {slide.parts})")
    if slide.bullets:
        st.markdown("\n".join(f"- {spell_out(line)}" for line in slide.bullets))
    if slide.part < slide.parts:
        st.caption("Continued on the next slide.")


def measure_slide(slide: Slide, filters: Filters, overview: OverviewVerdict) -> None:
    measure = catalogue().get(slide.measure_code)
    polarity = {"higher": "higher is better", "lower": "lower is better"}.get(measure.polarity, "")
    st.markdown(f"# {spell_out(measure.short_name)}" + (f" <small>({polarity})</small>" if polarity else ""),
                unsafe_allow_html=True)
    card = scorecard(filters)
    row = card_row(card, measure.code)
    verdict = overview.verdict(measure.code) if row is not None else None
    st.markdown(latest_line(measure, row, verdict, named=False), unsafe_allow_html=True)
    view = trend_view(measure.code, filters)
    if view.has_data and view.figure is not None:
        st.plotly_chart(projector_figure(view.figure), config={"displayModeBar": False},
                        key=f"present_{measure.code}")
    st.caption(view.explanation)


def navigation(number: int, count: int) -> int:
    """Previous and next buttons (arrow keys and Page Up/Down too); returns the slide to show."""
    left, middle, right = st.columns([1, 2, 1], vertical_alignment="center")
    with left:
        back = st.button("◀ Previous", shortcut="Left", disabled=number <= 1, width="stretch")
        back_clicker = st.button("Previous (Page Up)", shortcut="PageUp", disabled=number <= 1, key="page_up")
    with right:
        forward = st.button("Next ▶", shortcut="Right", disabled=number >= count, width="stretch", type="primary")
        forward_clicker = st.button("Next (Page Down)", shortcut="PageDown", disabled=number >= count,
                                    key="page_down")
    with middle:
        st.markdown(f"<div style='text-align:center'>Slide {number} of {count}</div>", unsafe_allow_html=True)
    if back or back_clicker:
        return number - 1
    if forward or forward_clicker:
        return number + 1
    return number


st.html(PRESENTATION_STYLE)
if data.is_empty():
    first_run_message()
    st.stop()
filters = sidebar_filters()  # drawn in the hidden sidebar: the presentation keeps the period chosen before
overview = verdicts(filters)
slides = presentation_slides(overview)
number = slide_number(st.query_params.get(SLIDE_PARAM), len(slides))
with st.container(key="slide"):
    slide = slides[number - 1]
    if slide.measure_code is None:
        summary_slide(slide, filters, overview)
    else:
        measure_slide(slide, filters, overview)
chosen = navigation(number, len(slides))
if chosen != number:
    st.query_params[SLIDE_PARAM] = str(chosen)
    st.rerun()
st.page_link(OVERVIEW, label="Leave presentation", icon=":material/close:")

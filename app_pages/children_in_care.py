"""Children in care: how many, the rate per 10,000, who started and left, placements, and the splits behind them."""

import streamlit as st

from ui.filters import Filters
from ui.navigation import children_term_title
from ui.theme import render_theme, show_chart
from ui.views import flow_view


def flow_section(filters: Filters) -> None:
    view = flow_view(filters)
    if not view.has_data:
        return
    with st.container(border=True):  # the chart's own title names it: no heading above it repeats that
        show_chart(view, key="flow")


render_theme("cla", title=children_term_title(), before_measures=flow_section)

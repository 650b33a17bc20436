"""One measure in depth: trend, comparators, the values behind it with where each came from, and commentary."""

import pandas as pd
import streamlit as st

from metrics.formatting import format_period, format_value
from reference.catalogue import Measure, catalogue
from ui import data
from ui.components import first_run_message, page_header, rating_badge
from ui.filters import Filters, area_name, measure_choice, sidebar_filters
from ui.navigation import ensure_app_navigation
from ui.theme import show_chart
from ui.views import measure_tables, neighbour_view, region_code, scorecard, trend_view

ensure_app_navigation()  # before anything else: see ui.navigation

TITLE = "Measure detail"


def key_figure(label: str, value: str, note: str = "") -> None:
    with st.container(border=True):
        st.caption(label)
        st.markdown(f"#### {value}" if value else "#### –")
        if note:
            st.markdown(note, unsafe_allow_html=True)


def key_figures(row: pd.Series, filters: Filters) -> None:
    """Two rows of three cards: how we are doing, then (with comparators on) how others are doing."""
    ours = st.columns(3)
    with ours[0]:
        key_figure("Latest", row["value_text"], row["period_label"] or "")
    with ours[1]:
        badge = rating_badge(row["rating_code"], row["rating_word"], row["rating_symbol"])
        key_figure("Target", row["target_text"] or "No target", badge)
    with ours[2]:
        travel = f"{row['travel_previous_symbol']} {row['travel_previous_word']}".strip()
        year = f"{row['travel_year_symbol']} {row['travel_year_word']}".strip()
        key_figure("Since last period", travel, f"Since last year: {year}")
    if not filters.comparators:
        return
    if all(row[c] is None or pd.isna(row[c]) for c in ("sn_average", "region_value", "england")):
        st.info("No comparison figures for this measure: DfE does not publish it for other councils, "
                "the region or England (or none are loaded for this period).")
        return
    period = row["comparator_period_label"] or ""
    used = f"{int(row['sn_used'])} of {int(row['sn_of'])} councils" if not pd.isna(row["sn_used"]) else ""
    region = region_code(filters.home)
    others = st.columns(3)
    with others[0]:
        key_figure("Statistical neighbour average", _comparator(row["sn_average"], row["measure_code"]),
                   " · ".join(p for p in (period, used) if p))
    with others[1]:
        key_figure(area_name(region) if region else "Region", _comparator(row["region_value"], row["measure_code"]),
                   period)
    with others[2]:
        key_figure("England", _comparator(row["england"], row["measure_code"]), period)


def _comparator(value: object, code: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_value(float(value), catalogue().get(code), unit=False)


def about(measure: Measure, row: pd.Series) -> None:
    target = f"{row['target_text']} for {row['period_label']}" if row["target_text"] else "none set"
    st.markdown(f"**What it measures.** {measure.description}  \n"
                f"**Which way is better.** {measure.polarity_text}.  \n"
                f"**Target.** {target}.  \n"
                f"**Source.** {measure.source}.")


def commentary_section(measure: Measure, filters: Filters) -> None:
    st.header("Commentary", anchor=False)
    notes = data.commentary(measure.code, filters.home)
    if notes.empty:
        st.markdown("No commentary yet.")
        return
    for note in notes.itertuples(index=False):
        with st.container(border=True):
            st.caption(f"{format_period('month', note.period_end)} · {note.author}")
            st.markdown(note.text)


if data.is_empty():
    page_header(TITLE, None)
    first_run_message()
else:
    measure = measure_choice()
    filters = sidebar_filters()
    page_header(measure.short_name, filters, measure.name)
    card = scorecard(filters)
    row = card[card["measure_code"] == measure.code].iloc[0]
    key_figures(row, filters)

    trend = trend_view(measure.code, filters)
    if trend.has_data:
        show_chart(trend, key="measure_trend")
    else:
        st.info(f"No figures for {measure.short_name.lower()} in the period in view. Widen the period in the sidebar.")
    about(measure, row)

    tables = measure_tables(measure.code, filters)
    st.header("How we compare", anchor=False)
    if not filters.comparators:
        st.markdown("Comparators are switched off in the sidebar.")
    else:
        bars = neighbour_view(measure.code, filters)
        if bars.has_data:
            show_chart(bars, key="measure_neighbours")
            st.caption(bars.explanation)
        if len(tables.comparators):
            st.dataframe(tables.comparators, hide_index=True, width="stretch", key="comparator_table")
        else:
            st.markdown("No yearly comparator figures in the period in view.")

    st.header("The figures behind the chart", anchor=False)
    st.caption("Every value in the period in view, as loaded. Suppressed or unavailable figures are shown as "
               "such: they are never counted as zero.")
    if len(tables.values):
        st.dataframe(tables.values, hide_index=True, width="stretch", key="values_table")
    else:
        st.markdown("No figures in the period in view.")
    if len(tables.replaced):
        with st.expander(f"Values replaced by a later return ({len(tables.replaced)})"):
            st.dataframe(tables.replaced, hide_index=True, width="stretch", key="replaced_table")

    commentary_section(measure, filters)

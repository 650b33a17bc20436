"""Overview: every measure in one view, grouped by theme, with what needs attention at the top."""

import pandas as pd
import streamlit as st

from metrics.ratings import AMBER, GREEN, NO_RATING, RED
from reference.catalogue import catalogue
from ui import data
from ui.components import first_run_message, page_header, rating_badge
from ui.filters import sidebar_filters
from ui.navigation import MEASURE, children_term_title, ensure_app_navigation
from ui.scorecard_table import column_config, table_height, theme_frames
from ui.views import scorecard

ensure_app_navigation()  # before anything else: see ui.navigation

TITLE = "Overview"
QUESTION = "How well are we looking after the children in our care?"
RATING_BY_CODE = {rating.code: rating for rating in (GREEN, AMBER, RED)}


def attention_line(row: pd.Series) -> str:
    target = f", target {row['target_text']}" if row["target_text"] else ""
    before = RATING_BY_CODE.get(row["previous_rating_code"], NO_RATING)
    was = f" (was {before.word.lower()})" if before is not NO_RATING else ""
    return (f"{rating_badge(row['rating_code'], row['rating_word'], row['rating_symbol'])} "
            f"**{row['short_name']}**: {row['value_text']} in {row['period_label']}{target}{was}")


def attention_section(card: pd.DataFrame, filters) -> None:
    st.header("What needs attention", anchor=False)
    turned = card[card["turned_red"].astype(bool)]
    still = card[(card["rating_code"] == "red") & ~card["turned_red"].astype(bool)]
    if turned.empty and still.empty:
        st.success("No measure is off target.", icon=":material/check_circle:")
        return
    if not turned.empty:
        st.markdown("**Turned red since the previous period**")
        for _, row in turned.iterrows():
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.markdown(attention_line(row), unsafe_allow_html=True)
            with right:
                st.page_link(MEASURE, label="Details", icon=":material/arrow_forward:",
                             query_params=filters.params(row["measure_code"]))
    else:
        st.markdown("No measure turned red since the previous period.")
    if not still.empty:
        names = ", ".join(still["short_name"])
        st.markdown(f"**Still off target:** {names}.")


def summary_line(card: pd.DataFrame) -> str:
    counts = card["rating_code"].value_counts()
    parts = [rating_badge(r.code, f"{r.word}: {int(counts.get(r.code, 0))}", r.symbol) for r in (GREEN, AMBER, RED)]
    without = int((card["rating_code"] == NO_RATING.code).sum())
    parts.append(f"{without} without a target or figure")
    return " &nbsp; ".join(parts)


def theme_tables(filters) -> None:
    config = column_config()
    for theme_code, frame in theme_frames(filters).items():
        theme = catalogue().theme(theme_code)
        st.subheader(children_term_title() if theme_code == "cla" else theme.name, anchor=False)
        st.caption(theme.question)
        st.dataframe(frame, column_config=config, hide_index=True, width="stretch",
                     height=table_height(len(frame)), key=f"scorecard_{theme_code}")


if data.is_empty():
    page_header(TITLE, None, QUESTION)
    first_run_message()
else:
    filters = sidebar_filters()
    page_header(TITLE, filters, QUESTION)
    card = scorecard(filters)
    st.markdown(summary_line(card), unsafe_allow_html=True)
    attention_section(card, filters)
    st.header("Every measure", anchor=False)
    st.caption("Latest figure up to the end of the period in view. Better or worse is judged by which way is "
               "better for each measure, not by whether the number went up or down.")
    theme_tables(filters)

"""Overview: every measure in one view, grouped by theme, with what needs attention at the top.

Each measure is judged with or without a local target (metrics.verdict): against its target where it
has one, else on DfE's published figures for every council. The page never says all is well unless
every measure with a figure is on target and none is in the bottom quartile nationally.
"""

import re

import streamlit as st

from charts.wording import ABBREVIATIONS, spell_out
from metrics.ratings import ALL_RATINGS, AMBER
from metrics.verdict import OverviewVerdict, Verdict
from reference.catalogue import catalogue
from ui import data
from ui.components import first_run_message, page_header, rating_html
from ui.filters import sidebar_filters
from ui.navigation import MEASURE, children_term_title
from ui.pack_download import pack_section
from ui.scorecard_table import column_config, table_height, theme_frames
from ui.views import verdicts
from views.overview import basis_caption

TITLE = "Overview"
QUESTION = "How well are we looking after the children in our care?"


def attention_line(verdict: Verdict) -> str:
    """'[D · Bottom quartile nationally] **Settled for 2 years or more**: 63% in 2024-25, bottom quartile ...'."""
    name, _, reason = verdict.line.partition(": ")
    return f"{rating_html(verdict.attention_rating)} **{spell_out(name)}**: {reason}"


def summary_line(overview: OverviewVerdict) -> str:
    """A count of every rating in use, each as its word and symbol on its colour."""
    counts: dict[str, int] = {}
    for verdict in overview.verdicts:
        if verdict.has_figure:
            counts[verdict.rating.code] = counts.get(verdict.rating.code, 0) + 1
    parts = [rating_html(r, f"{r.word}: {counts[r.code]}") for r in ALL_RATINGS if counts.get(r.code)]
    missing = overview.counts.no_figure
    if missing:
        parts.append(f"{missing} with no figure")
    return " &nbsp; ".join(parts)


def attention_section(overview: OverviewVerdict, filters) -> None:
    st.header("What needs attention", anchor=False)
    if overview.all_clear:
        st.success(overview.summary, icon=":material/check_circle:")
        return
    st.markdown(f"**{overview.summary}**")
    for verdict in overview.attention:
        left, right = st.columns([6, 1], vertical_alignment="center")
        left.markdown(attention_line(verdict), unsafe_allow_html=True)
        with right:
            st.page_link(MEASURE, label="Details", icon=":material/arrow_forward:",
                         query_params=filters.params(verdict.measure_code))
    close = overview.close_to_target
    if close:
        title = (f"{AMBER.symbol} {len(close)} close to target: worse than the target, within its tolerance")
        with st.expander(title):
            st.markdown("\n".join(f"- **{v.short_name}**: {v.value_text} in {v.period_label}, target {v.target_text}"
                                   for v in close))
    st.caption(basis_caption(overview))


def theme_tables(filters) -> None:
    frames = theme_frames(filters)
    config = column_config(tuple(frames.values()))
    for theme_code, frame in frames.items():
        theme = catalogue().theme(theme_code)
        st.subheader(children_term_title() if theme_code == "cla" else theme.name, anchor=False)
        st.caption(theme.question)
        st.dataframe(frame, column_config=config, hide_index=True, width="stretch",
                     height=table_height(len(frame)), key=f"scorecard_{theme_code}")
        note = abbreviations_note(frame["Measure"])
        if note:
            st.caption(note)


def abbreviations_note(names) -> str:
    """'SDQ: Strengths and Difficulties Questionnaire.' for the abbreviations the table's names use."""
    used = [f"{short}: {meaning}." for short, meaning in ABBREVIATIONS.items()
            if any(re.search(rf"\b{re.escape(short)}\b", str(name)) for name in names)]
    return " ".join(used)


if data.is_empty():
    page_header(TITLE, None, QUESTION)
    first_run_message()
else:
    filters = sidebar_filters()
    page_header(TITLE, filters, QUESTION)
    overview = verdicts(filters)
    st.markdown(summary_line(overview), unsafe_allow_html=True)
    attention_section(overview, filters)
    st.header("Every measure", anchor=False)
    st.caption("Latest figure up to the end of the period in view. Better or worse is judged by which way is "
               "better for each measure, not by whether the number went up or down. A number of children is "
               "compared with other councils on the rate per 10,000 ('see rate'), never on their totals. Scroll "
               "a table sideways for what each rating was judged against, the periods and the trend.")
    theme_tables(filters)
    pack_section(filters)

"""One measure in depth: trend, comparators, the values behind it with where each came from, and commentary."""

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.commentary_marker import add_commentary_markers
from charts.wording import spell_out
from db.queries import latest_in_view
from metrics.formatting import RATE_SUFFIX, format_value
from metrics.scorecard import CardRow, card_row
from metrics.verdict import Verdict
from reference.catalogue import Measure, catalogue
from ui import data
from ui.commentary import commentary_section
from ui.components import first_run_message, measure_link, page_header, verdict_html
from ui.filters import Filters, measure_choice, sidebar_filters
from ui.theme import no_figures_text, show_chart
from ui.views import measure_tables, neighbour_view, own_figures, published_beside, scorecard, trend_view, verdicts
from views.commentary import as_shown
from views.own_figures import OwnFigures
from views.scope import area_name, region_code
from views.wording import COUNT_COMPARISON, DEFAULT_MEASURE, RATE_OF_COUNT, dfe_publishes

TITLE = "Measure detail"


def key_figure(label: str, value: str, note: str = "") -> None:
    with st.container(border=True):
        st.caption(label)
        st.markdown(f"#### {value}" if value else "#### –")
        if note:
            st.markdown(note, unsafe_allow_html=True)


def key_figures(row: CardRow, verdict: Verdict, filters: Filters, card: tuple[CardRow, ...], shown_from: str = "") -> None:
    """Our figure, its rating with what it was judged against, and travel; then (with comparators on) how
    others are doing. A count is compared on its rate, never beside the region's or England's totals."""
    ours = st.columns(3)
    with ours[0]:
        beside = published_beside(row.measure_code, filters.home, row.period_end)
        key_figure("Latest", row.value_text, " · ".join(p for p in (row.period_label or "", shown_from, beside) if p))
    with ours[1]:
        key_figure("Rating", verdict.rating.word, verdict_html(verdict))
    with ours[2]:
        travel = f"{row.travel_previous_symbol} {row.travel_previous_word}".strip()
        year = f"{row.travel_year_symbol} {row.travel_year_word}".strip()
        key_figure("Since last period", travel, f"Since last year: {year}")
    if not filters.comparators:
        return
    measure = catalogue().get(row.measure_code)
    if measure.is_count:
        count_comparison(measure, filters, card)
        return
    if all(v is None for v in (row.sn_average, row.region_value, row.england)):
        if dfe_publishes(measure.code):
            st.info("No comparison figures for this measure in the period in view: DfE's figures for the "
                    "statistical neighbours, the region and England are not loaded for it.")
        else:
            st.info("Not published by DfE: no other council, region or England figure exists to compare with.")
        return
    comparator_cards(row, filters)


def comparator_cards(row: CardRow, filters: Filters, ours: str = "") -> None:
    """Neighbour average, region and England for the row's comparator year (with our own figure first when given)."""
    period = row.comparator_period_label or ""
    used = f"{int(row.sn_used)} of {int(row.sn_of)} councils" if row.sn_used is not None else ""
    region = region_code(filters.home)
    cards = [("Statistical neighbour average", row.sn_average, " · ".join(p for p in (period, used) if p)),
             (area_name(region) if region else "Region", row.region_value, period),
             ("England", row.england, period)]
    columns = st.columns(len(cards) + (1 if ours else 0))
    if ours:
        with columns[0]:
            key_figure(filters.home_name, ours, row.period_label or "")
    for column, (label, value, note) in zip(columns[-len(cards):], cards, strict=True):
        with column:
            key_figure(label, _comparator(value, row.measure_code), note)


def count_comparison(measure: Measure, filters: Filters, card: tuple[CardRow, ...]) -> None:
    """For a number of children: the rate's comparators, or where to find a comparison."""
    rate_code = RATE_OF_COUNT.get(measure.code)
    if rate_code is None:
        rate = catalogue().get(DEFAULT_MEASURE)
        st.info(f"A number of children depends on the size of the council, so it is not compared with other "
                f"councils here: see the rate per 10,000 ({rate.short_name.lower()}) for a comparison.")
        measure_link(rate, filters, label=f"Compare: {rate.short_name}")
        return
    rate = catalogue().get(rate_code)
    rate_row = card_row(card, rate_code)
    st.markdown(f"**Compared per 10,000 children.** {COUNT_COMPARISON}")
    comparator_cards(rate_row, filters, ours=str(rate_row.value_text).removesuffix(RATE_SUFFIX))
    measure_link(rate, filters, label=f"More about: {rate.short_name}")


def _comparator(value: object, code: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    return format_value(float(value), catalogue().get(code), unit=False)


def about(measure: Measure, row: CardRow, source: str) -> None:
    target = f"{row.target_text} for {row.period_label}" if row.target_text else "none set"
    where = (f"**Where the figures shown come from.** {source}." if source
             else f"**Where the figures come from.** {measure.source}.")
    st.markdown(f"**What it measures.** {measure.description}  \n"
                f"**Which way is better.** {measure.polarity_text}.  \n"
                f"**Target.** {target}.  \n"
                f"{where}")


def own_figures_section(figures: OwnFigures) -> None:
    """The council's 903 beside DfE's published figures, its return beside its 903, and how the 903 gives the
    measure: said for every measure the 903 gives, so a member can read how a figure was made."""
    if figures.beside_dfe:
        st.markdown("**Your 903 beside DfE's published figures.** DfE rounds percentages and rates to whole "
                    "numbers; a difference beyond that rounding is said.")
        st.markdown("\n".join(f"- {line}" for line in figures.beside_dfe))
    if figures.return_and_903:
        st.markdown("**Your return and your 903 for the same period.** Both are kept; the one loaded last is "
                    "shown as the council's figure.")
        st.markdown("\n".join(f"- {line}" for line in figures.return_and_903))
    if figures.how_computed:
        with st.expander("How this is computed"):
            st.markdown(figures.how_computed)


def how_we_compare(measure: Measure, filters: Filters) -> None:
    """The neighbour bars and the comparator table, for a count those of its rate (or where to find one)."""
    compared = measure
    if measure.is_count:
        rate_code = RATE_OF_COUNT.get(measure.code)
        if rate_code is None:
            st.markdown(f"{COUNT_COMPARISON.removesuffix(' instead.')}: see the rate per 10,000 children in care.")
            return
        compared = catalogue().get(rate_code)
        st.markdown(f"Shown for **{compared.short_name.lower()}**. {COUNT_COMPARISON}")
    bars = neighbour_view(compared.code, filters)
    if bars.has_data:
        show_chart(bars, key="measure_neighbours")
        st.caption(bars.explanation)
    table = measure_tables(compared.code, filters).comparators
    if len(table):
        st.dataframe(table, hide_index=True, width="stretch", key="comparator_table")
    elif not dfe_publishes(compared.code):
        st.markdown("Not published by DfE: there are no other councils' figures to compare with.")
    else:
        st.markdown("No yearly comparator figures in the period in view.")


if data.is_empty():
    page_header(TITLE, None)
    first_run_message()
else:
    measure = measure_choice(default=DEFAULT_MEASURE)
    filters = sidebar_filters()
    page_header(measure.short_name, filters, spell_out(measure.name))
    card = scorecard(filters)
    row = card_row(card, measure.code)
    figures = own_figures(measure.code, filters.home, row.period_end)
    key_figures(row, verdicts(filters).verdict(measure.code), filters, card, figures.shown_from)

    trend = trend_view(measure.code, filters)
    if trend.has_data:
        # the cached figure is shared between sessions: the markers go on a copy
        notes = as_shown([n for n in data.notes(filters.home) if n.measure_code == measure.code])  # with any withdrawn figure
        trend = replace(trend, figure=add_commentary_markers(go.Figure(trend.figure), notes))
        latest = latest_in_view(notes, filters.start, filters.end).get(measure.code)
        if latest is not None and trend.caption is not None:  # the picture says the latest commentary in view
            trend = replace(trend, caption=replace(trend.caption, commentary=latest.text))
        verdict = verdicts(filters).verdict(measure.code)
        show_chart(trend, key="measure_trend", rating=verdict.rating.word if verdict.has_figure else "")
    else:
        st.info(no_figures_text(measure, filters))
    about(measure, row, trend.source)
    own_figures_section(figures)

    tables = measure_tables(measure.code, filters)
    st.header("How we compare", anchor=False)
    if not filters.comparators:
        st.markdown("Comparators are switched off in the sidebar.")
    else:
        how_we_compare(measure, filters)

    st.header("The figures behind the chart", anchor=False)
    st.caption("Every value in the period in view, as loaded. The council's own figure and DfE's published one "
               "are different facts and each has its own column. Suppressed or unavailable figures are shown "
               "as such: they are never counted as zero.")
    if len(tables.values):
        st.dataframe(tables.values, hide_index=True, width="stretch", key="values_table")
    else:
        st.markdown(no_figures_text(measure, filters))
    if len(tables.replaced):
        with st.expander(f"Earlier values, replaced by a later return or an undo ({len(tables.replaced)})"):
            st.dataframe(tables.replaced, hide_index=True, width="stretch", key="replaced_table")

    commentary_section(measure, filters.home)

"""Benchmarking: how the council compares with its statistical neighbours, its region and England, on DfE's
published figures, with its rank among councils, the 10-year trend and this year's own figures so far.

The sidebar has the measure, the year and the council, and nothing else: comparators are what the page is
for (always shown), and the year picker is the one way to choose the period. It opens on the rate per
10,000 children: a count of children is no basis for comparing councils of different sizes.
"""

from datetime import date

import streamlit as st

from metrics.benchmarking import COUNT_RANK_NOTE, SOURCE, grouping_label, region_words, year_label
from metrics.formatting import format_value, is_missing
from metrics.safe_text import markdown_text
from reference.areas import areas
from reference.catalogue import Measure
from reference.neighbours import CURRENT, IN_FORCE
from reference.statuses import label as status_label
from ui import data
from ui.benchmarking_data import YearView, in_year_view, releases, trend_view, year_view, years_for
from ui.components import first_run_message, measure_link, page_header
from ui.filters import Filters, area_name, configured_home, council_filter, measure_choice
from ui.navigation import BENCHMARKING
from ui.theme import show_chart

TITLE = "Benchmarking"
DEFAULT_MEASURE = "cla_rate"  # comparable across councils of any size, unlike the count of children
RATE_OF_COUNT = {"cla_count": "cla_rate"}  # a count's rate, which the page suggests comparing instead
PARAM_YEAR = "year"
YEAR_KEY = "benchmark_year"  # the widget's key
_YEAR_CHOICE = "_benchmark_year_choice"  # the person's choice, kept apart from the widget across page switches
_YEAR_WRITTEN = "_benchmark_year_written"  # what this page last wrote to ?year=


def _remember_year() -> None:
    st.session_state[_YEAR_CHOICE] = st.session_state[YEAR_KEY]


def year_choice(years: list[int]) -> int:
    """The year shown, from ?year= (a followed link), else the session's choice, else the latest year."""
    asked = st.query_params.get(PARAM_YEAR)
    chosen = st.session_state.get(_YEAR_CHOICE)
    if chosen not in years:
        chosen = years[-1]
    if asked is not None and asked != st.session_state.get(_YEAR_WRITTEN):
        if asked.strip().isdigit() and int(asked) in years:
            chosen = int(asked)
        else:
            st.warning(f"There are no published figures for the year '{markdown_text(asked)}'. Showing "
                       f"{year_label(chosen)}; choose another year in the sidebar.")
    st.session_state[_YEAR_CHOICE] = chosen
    st.session_state[YEAR_KEY] = chosen
    year = st.sidebar.selectbox("Year", years, key=YEAR_KEY, format_func=year_label, on_change=_remember_year,
                                help="DfE publishes each council's figures for the year ending 31 March.")
    st.session_state[_YEAR_WRITTEN] = str(year)
    if st.query_params.get(PARAM_YEAR) != str(year):
        st.query_params[PARAM_YEAR] = str(year)
    return int(year)


GROUPING_KEY = "benchmark_grouping"


def grouping_choice() -> str:
    """Which statistical neighbours each year is compared with: the current grouping (LAIT's way, one fixed
    group for a fair trend) or the grouping DfE had in force at the end of each year."""
    found = releases()
    return st.sidebar.radio(
        "Neighbours", (CURRENT, IN_FORCE), key=GROUPING_KEY, format_func=lambda g: grouping_label(g, found),
        help="DfE regroups councils every few years. By default every year is compared with the current "
             "grouping, as LAIT does, so a trend is measured against one fixed group of councils.",
    )


def header(measure: Measure, home: str) -> None:
    st.caption(f"{area_name(home)} · corporate parenting dashboard")
    st.title(f"{TITLE}: {measure.short_name}", anchor=False)
    region = region_words(home, areas())
    where = f"similar councils, {region} and England" if region else "similar councils and England"
    st.markdown(f"How does **{area_name(home)}** compare with {where}? {measure.name}, as DfE publishes it "
                f"for every council. **{measure.polarity_text}.**")


def count_note(measure: Measure, filters: Filters) -> None:
    """A count compared across councils of different sizes says so, and offers the rate instead."""
    if not measure.is_count:
        return
    st.info(COUNT_RANK_NOTE, icon=":material/info:")
    rate = RATE_OF_COUNT.get(measure.code)
    if rate:
        st.page_link(BENCHMARKING, label="Compare the rate per 10,000 children", icon=":material/arrow_forward:",
                     query_params={"measure": rate, "area": filters.home})


WIDE = st.column_config.TextColumn(width="large")  # names and file names in full, not cut off
MEDIUM = st.column_config.TextColumn(width="medium")  # 'Statistical neighbour 10': room left for the quartile's why
ROW_PX, HEADER_PX = 35, 38  # st.dataframe's row and heading heights: tables show every row without scrolling


def table_height(table) -> int:
    return HEADER_PX + ROW_PX * len(table) + 8


def _figure_text(row, measure: Measure) -> str:
    if row is None:
        return "no figure"
    value = None if is_missing(row["value"]) else float(row["value"])
    return format_value(value, measure, row["status"])


def key_figure(label: str, value: str, note: str = "") -> None:
    with st.container(border=True):
        st.caption(label)
        st.markdown(f"#### {value}")
        if note:
            st.caption(note)


def key_figures(view: YearView, measure: Measure) -> None:
    """The council, its neighbours' average, the region and England side by side, then the rank line."""
    comparison = view.comparison
    home, sn, region, england = (view.figure(k) for k in ("la", "neighbours", "region", "england"))
    cards = [(comparison.area.name, _figure_text(home, measure), "Our council")]
    average = _figure_text(sn, measure) if sn is not None else "no neighbours"
    cards.append(("Statistical neighbour average", average,
                  f"{comparison.neighbour_average.used} of {comparison.neighbour_average.of} councils with a published figure"))
    if region is not None:
        cards.append((str(region["name"]), _figure_text(region, measure),
                      f"Region. {view.region_note}" if view.region_note else "Region"))
    cards.append(("England", _figure_text(england, measure), "All councils"))
    for column, (label, value, note) in zip(st.columns(len(cards)), cards, strict=True):
        with column:
            key_figure(label, value, note)
    st.markdown(f"**Rank and quartile.** {view.rank_text}")


def neighbours_section(view: YearView, measure: Measure, year: int) -> None:
    st.header("Against its statistical neighbours", anchor=False)
    st.markdown(view.release_text)
    show_chart(view.bars, key="benchmark_bars")
    st.caption(view.bars.explanation)
    missing = view.not_published
    if missing:
        names = "; ".join(f"{name}: {status_label(status)}" for name, status in missing)
        st.markdown(f"**Not published for {year_label(year)}** (left out of the average, never counted as 0): "
                    f"{names}.")
    st.dataframe(view.table, hide_index=True, width="stretch", height=table_height(view.table),
                 key="benchmark_table", column_config={"Area": WIDE, "Who": MEDIUM, "Quartile": WIDE, SOURCE: WIDE})


def trend_section(measure: Measure, home: str, grouping: str) -> None:
    st.header("Over the years DfE has published", anchor=False)
    trend = trend_view(measure.code, home, grouping)
    if not trend.chart.has_data:
        st.info(f"DfE has published no yearly figures of {measure.short_name.lower()} for "
                f"{area_name(home)}, its statistical neighbours or England.")
        return
    show_chart(trend.chart, key="benchmark_trend")
    st.caption(f"{trend.chart.explanation} {trend.release_text}")
    st.subheader("Source of each figure", anchor=False)
    st.caption("Where each figure came from. Where DfE's Local Authority Interactive Tool (LAIT) and its newer "
               "Explore Education Statistics table both publish a year, a different figure in the newer table "
               "replaced LAIT's; an identical one keeps the source it was first loaded from.")
    st.dataframe(trend.sources, hide_index=True, width="stretch", height=table_height(trend.sources),
                 key="benchmark_sources", column_config={SOURCE: WIDE})


def in_year_section(measure: Measure, filters: Filters, grouping: str, year: int) -> None:
    """The council's own monthly or quarterly figures from the start of the chosen year on."""
    start = date(year - 1, 4, 1)
    st.header(f"Our own figures since {start:%B %Y}", anchor=False)
    view = in_year_view(measure.code, filters.home, start, LATEST, grouping)
    if not view.frequency:
        st.markdown(f"{filters.home_name} has no monthly or quarterly figures of its own for "
                    f"{measure.short_name.lower()} since {start:%B %Y}, so only DfE's yearly figures are "
                    f"shown above.")
        return
    st.markdown(view.sentence)
    show_chart(view.chart, key="benchmark_in_year")
    st.caption(f"{view.chart.explanation} From the start of {year_label(year)}, the year chosen in the sidebar.")


LATEST = date(2200, 12, 31)  # the in-year chart runs to the council's latest figure


if data.is_empty():
    page_header(TITLE, None, "How do we compare with similar councils, the region and England?")
    first_run_message()
else:
    filters = council_filter()
    measure = measure_choice(default=DEFAULT_MEASURE)
    years = years_for(measure.code)
    year = year_choice(years) if years else None
    grouping = grouping_choice()
    home = filters.home
    header(measure, home)
    if home not in areas() or areas().get(home).kind != "la":
        st.warning(f"'{markdown_text(configured_home())}' is not an English council the dashboard knows, so it has no "
                   f"statistical neighbours. Set DASHBOARD_HOME_AREA to a council's ONS code, DfE number or name.")
    elif year is None:
        st.info(f"DfE does not publish {measure.short_name.lower()} for councils, so there is nothing to "
                f"compare {filters.home_name} with here. It comes from: {measure.source}.")
        measure_link(measure, filters, label=f"See {filters.home_name}'s own figures for {measure.short_name}")
    else:
        view = year_view(measure.code, home, year, grouping)
        st.subheader(year_label(year), anchor=False)
        count_note(measure, filters)
        key_figures(view, measure)
        neighbours_section(view, measure, year)
        trend_section(measure, home, grouping)
        in_year_section(measure, filters, grouping, year)

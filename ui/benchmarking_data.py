"""Cached reads and finished views for the Benchmarking page: one measure, every council, one year.

Benchmarking needs every council's published figure for a measure (for the rank and the quartile
bands), not only the home council's comparison areas that ``ui.data.observations`` reads, so this
module reads one measure for all areas, once per data version. The calculations are LAIT's rules in
``metrics.comparators``, and each year's comparison is built by ``metrics.comparison``; the figures come from ``charts``. Here we
only pick rows, name the file each figure came from and put the answers into plain sentences.

Like ``ui.views``, finished figures are kept with st.cache_resource (shared, never changed after
they are built) and everything is keyed on plain values: database URL, data version, codes, dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from charts.bars import neighbour_bar_chart
from charts.config import image_filename
from charts.layout import set_layout, time_ticks
from charts.palette import TEXT
from charts.trend import trend_chart
from db.engine import connect
from db.reference_queries import neighbour_releases
from metrics.benchmarking import (
    YEAR_END_MONTH,
    SourceOf,
    comparators_in_view,
    figures_table,
    in_year_sentence,
    london_note,
    published_years,
    rank_sentence,
    region_words,
    release_for,
    releases_text,
    sources_table,
    year_end,
    year_figures,
    year_label,
    year_rows,
)
from metrics.comparators import comparator_series
from metrics.comparison import Comparison, compare
from metrics.formatting import format_period
from metrics.series import PUBLISHED, own_series, yearly_series
from reference.areas import ENGLAND_CODE, AreaDirectory, areas
from reference.catalogue import catalogue
from reference.neighbours import CURRENT, IN_FORCE, NeighbourRelease, current_release, directory_with, shipped_release
from ui import data
from views.charts import ChartView
from views.reads import read_measure
from views.sources import batch_facts, row_source
from views.sources import source_text as rows_source_text

CACHE_ENTRIES = 256
TREND_KINDS = ("neighbours", "england")  # the 10-year trend: the council, its neighbours' average and England










# ---- where the figures came from, in words a chart can print ----------------------------------------------



def chart_source(rows: pd.DataFrame) -> str:
    """The source line for a chart of these figures: 'DfE: Children looked after in England ..., 2025'."""
    return rows_source_text([rows], data.batches())


def source_of() -> SourceOf:
    """Where one figure came from, in words, for the tables: DfE's publication and year, or the return."""
    facts = batch_facts(data.batches())
    return lambda batch_id, period_end, origin: row_source(batch_id, facts, period_end, origin)


def home_targets(code: str, home: str) -> pd.DataFrame:
    """The council's targets for the measure (period_start, period_end, value), for a trend chart's step line."""
    targets = data.targets(home)
    return targets[(targets["measure_code"] == code) & (targets["area_code"] == home)].reset_index(drop=True)


# ---- reads -------------------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=64)
def _measure_figures(url: str, version: int | str, code: str, own: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every area's headline figures for one measure: DfE's published ones and the own figures of ``own``
    councils only (views.reads.read_measure), never another council's own return."""
    return read_measure(connect(url), code, own)


def measure_figures(code: str, home: str = "") -> pd.DataFrame:
    """Every area's headline figures for one measure: DfE's yearly ones and the own figures the viewer may
    see of the council the page is about (public mode applied: the key ``data.data_version()`` names it)."""
    return data.measure(home, code)






def years_for(code: str) -> list[int]:
    """Years with published figures for the measure, oldest first (cached with the data version)."""
    return _years_for(data.database_url(), data.data_version(), code)


@st.cache_data(show_spinner=False, max_entries=64)
def _years_for(url: str, version: int, code: str) -> list[int]:
    return published_years(_measure_figures(url, version, code), areas())  # published only: no own figures


# ---- which statistical neighbour release gives the neighbours ----------------------------------------

@st.cache_data(show_spinner=False, max_entries=8)
def _releases(url: str, version: int) -> list[NeighbourRelease]:
    return neighbour_releases(connect(url))


def releases_in(url: str, version: int) -> list[NeighbourRelease]:
    """The database's neighbour releases, oldest first; the shipped grouping when it holds none."""
    return _releases(url, version) or [shipped_release(areas())]


def releases() -> list[NeighbourRelease]:
    return releases_in(data.database_url(), data.data_version())






@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _release_directory(url: str, version: int, released: date, file_name: str) -> AreaDirectory:
    release = next(r for r in releases_in(url, version) if (r.released, r.file_name) == (released, file_name))
    return directory_with(areas(), release)


def release_directory(url: str, version: int, release: NeighbourRelease) -> AreaDirectory:
    """The areas with the neighbours of the release (built once per data version)."""
    return _release_directory(url, version, release.released, release.file_name)




# ---- one year: figures, ranks, the bar chart -----------------------------------------------------------



















@dataclass(frozen=True)
class YearView:
    """What the page shows for one measure, council and year."""

    comparison: Comparison  # the council beside its neighbours, region and England (metrics.comparison)
    figures: pd.DataFrame  # year_figures(): one row per area, with the file each figure came from
    table: pd.DataFrame  # figures_table(): what the page lists under the bar chart
    bars: ChartView
    rank_text: str
    release_text: str = ""  # 'Statistical neighbours as named by DfE in May 2025.'
    region_note: str = ""  # under the region's figure: what it covers ('the whole of London, not Inner London...')

    def figure(self, kind: str) -> pd.Series | None:
        """The row for 'la' (the home council), 'neighbours', 'region' or 'england'."""
        if kind == "la":
            found = self.figures[self.figures["area_code"] == self.comparison.area.code]
        else:
            found = self.figures[self.figures["kind"] == kind]
        return None if found.empty else found.iloc[0]

    @property
    def not_published(self) -> list[tuple[str, str]]:
        """Neighbours without a number that year: (name, what was published instead)."""
        rows = self.figures[(self.figures["role"].str.startswith("Statistical neighbour "))
                            & self.figures["value"].isna()]
        return [(str(n), str(s)) for n, s in zip(rows["name"], rows["status"], strict=True)]


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _year_view(url: str, version: int, code: str, home: str, year: int, grouping: str = CURRENT) -> YearView:
    measure = catalogue().get(code)
    release = release_for(releases_in(url, version), grouping, year, areas().get(home).dfe_number)
    directory = release_directory(url, version, release)
    figures = _measure_figures(url, version, code, data.own(home))  # the version names the viewer's grants
    comparison = compare(figures, figures, measure, directory.get(home), directory, year,
                         targets=data.targets(home), release=release.label)
    rows = year_rows(figures, year)
    shown = year_figures(comparison, source_of())
    label = format_period("year", year_end(year))
    drawn = shown[["area_code", "name", "value", "status", "kind"]]
    source = chart_source(rows[rows["area_code"].isin(set(shown["area_code"]))])
    bars = neighbour_bar_chart(drawn, measure, label, home, target=comparison.target, source=source)
    set_layout(bars, yaxis={"tickfont": {"color": TEXT}})  # the area names: dark, not the page theme's grey, on a projector
    region = region_words(home, directory)
    explanation = (f"{comparison.area.name} and its 10 statistical neighbours, the councils most like it "
                   f"(DfE's Children's Services Statistical Neighbour Benchmarking Tool, {release.label}), with "
                   f"{region + ' ' if region else ''}and England, for {year_label(year)}. "
                   f"{measure.polarity_text}.")
    view = ChartView(bars, image_filename(measure, f"{comparison.area.name} and neighbours", label), explanation, True)
    table = figures_table(shown, measure, dict(comparison.standings), comparison.ranked or 0)
    return YearView(comparison, shown, table, view, rank_sentence(comparison),
                    releases_text({year: release}), london_note(home, rows, measure, directory))




def year_view(code: str, home: str, year: int, grouping: str = CURRENT) -> YearView:
    """The council against its neighbours, region and England in one published year, with its rank.

    ``grouping`` is CURRENT (every year against the latest release, as LAIT does) or IN_FORCE.
    """
    return _year_view(data.database_url(), data.data_version(), code, home, year, grouping)


# ---- the 10-year trend and where each figure came from -------------------------------------------------







@dataclass(frozen=True)
class TrendView:
    chart: ChartView
    sources: pd.DataFrame
    release_text: str = ""


def grouped_comparators(url: str, version: int, figures: pd.DataFrame, code: str, home: str,
                        grouping: str) -> tuple[pd.DataFrame, dict[pd.Timestamp, list[str]], dict[int, NeighbourRelease]]:
    """Yearly comparators with each year's neighbour average taken over the release chosen for that year.

    Returns the comparators (as ``comparator_series``), the neighbours used for each year end, and the
    release used for each year.
    """
    found = releases_in(url, version)
    home_number = areas().get(home).dfe_number
    region = areas().region_of(home)
    ends = sorted({pd.Timestamp(e) for e in figures.loc[figures["period_type"] == "year", "period_end"]})
    used = {int(e.year): release_for(found, grouping, int(e.year), home_number) for e in ends
            if e.month == YEAR_END_MONTH}
    if grouping != IN_FORCE:  # one fixed group for every year, as LAIT compares
        release = current_release(found)
        neighbours = [a.code for a in release_directory(url, version, release).neighbours(home)]
        compared = comparator_series(figures, code, home, neighbours, region.code if region else None)
        years = set(compared.loc[compared["kind"] == "neighbours", "period_end"])
        return compared, {e: neighbours for e in years}, {int(e.year): release for e in years}
    series, codes = [], {}
    for release in dict.fromkeys(used.values()):
        neighbours = [a.code for a in release_directory(url, version, release).neighbours(home)]
        compared = comparator_series(figures, code, home, neighbours, region.code if region else None)
        years = {y for y, r in used.items() if r == release}
        at = compared["period_end"].dt.year.isin(years) & (compared["period_end"].dt.month == YEAR_END_MONTH)
        series.append(compared[(compared["kind"] != "neighbours") | at])
        codes.update({pd.Timestamp(year_end(y)): neighbours for y in years})
    if not series:
        return comparator_series(figures, code, home, [], region.code if region else None), {}, {}
    compared = pd.concat(series, ignore_index=True)
    others = compared[compared["kind"] != "neighbours"].drop_duplicates(["kind", "period_end"])
    compared = pd.concat([compared[compared["kind"] == "neighbours"], others], ignore_index=True)
    kinds = {"neighbours": 0, "region": 1, "england": 2}
    compared = compared.sort_values(["kind", "period_end"], key=lambda c: c.map(kinds) if c.name == "kind" else c,
                                    kind="stable").reset_index(drop=True)
    return compared, codes, {y: r for y, r in used.items() if pd.Timestamp(year_end(y)) in
                             set(compared.loc[compared["kind"] == "neighbours", "period_end"])}


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _trend_view(url: str, version: int, code: str, home: str, grouping: str = CURRENT) -> TrendView:
    measure = catalogue().get(code)
    directory = areas()
    figures = _measure_figures(url, version, code, data.own(home))  # the version names the viewer's grants
    own = yearly_series(figures, code, home, prefer=PUBLISHED)
    compared, neighbours, used = grouped_comparators(url, version, figures, code, home, grouping)
    compared = compared[compared["kind"].isin(TREND_KINDS)].reset_index(drop=True)
    name = directory.get(home).name
    ends = sorted({*own["period_end"], *compared["period_end"]})
    if not ends:
        empty = ChartView(None, "", "", False)
        return TrendView(empty, pd.DataFrame())
    label = (f"{format_period('year', ends[0])} to {format_period('year', ends[-1])}" if len(ends) > 1
             else format_period("year", ends[0]))
    shown_areas = {home, ENGLAND_CODE, *(c for codes in neighbours.values() for c in codes)}
    yearly = figures[(figures["period_type"] == "year") & figures["area_code"].isin(shown_areas)]
    figure = trend_chart(own, measure, name, targets=home_targets(code, home), comparators=compared,
                         title_period=label, source=chart_source(yearly))
    # Label the years across the whole chart, not only the council's own years (a sample council or a
    # council with gaps would otherwise leave most of the ten years unlabelled).
    tickvals, ticktext = time_ticks(ends, "year")
    set_layout(figure, xaxis={"tickvals": tickvals, "ticktext": ticktext})
    explanation = (f"{name}'s yearly figure beside the average of its 10 statistical neighbours and England, "
                   f"{label}. {measure.polarity_text}.")
    sources = sources_table(own, compared, figures, measure, home, name, neighbours, source_of())
    return TrendView(ChartView(figure, image_filename(measure, name, label), explanation, True), sources,
                     releases_text(used))


def trend_view(code: str, home: str, grouping: str = CURRENT) -> TrendView:
    """Every published year: the council, its statistical neighbour average and England, with sources."""
    return _trend_view(data.database_url(), data.data_version(), code, home, grouping)


# ---- this year so far: the council's own monthly or quarterly figures against the published years -----







@dataclass(frozen=True)
class InYearView:
    chart: ChartView
    sentence: str
    frequency: str  # 'monthly' or 'quarterly'; '' when the council has no in-year figures


NO_IN_YEAR = InYearView(ChartView(None, "", "", False), "", "")
FREQUENCY_WORDS = {"month": "monthly", "quarter": "quarterly"}


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _in_year_view(url: str, version: int, code: str, home: str, start: date, end: date,
                  grouping: str = CURRENT) -> InYearView:
    measure = catalogue().get(code)
    directory = areas()
    figures = _measure_figures(url, version, code, data.own(home))  # the version names the viewer's grants
    own = own_series(figures, code, home)
    if own.empty or own["period_type"].iloc[0] not in FREQUENCY_WORDS:
        return NO_IN_YEAR
    own = own[(own["period_end"] >= pd.Timestamp(start)) & (own["period_end"] <= pd.Timestamp(end))]
    if own.empty:
        return NO_IN_YEAR
    compared, _neighbours, _used = grouped_comparators(url, version, figures, code, home, grouping)
    compared = compared[compared["kind"].isin(TREND_KINDS)]
    shown = comparators_in_view(compared, own["period_end"].iloc[0], own["period_end"].iloc[-1])
    name = directory.get(home).name
    frequency = FREQUENCY_WORDS[str(own["period_type"].iloc[0])]
    label = f"{format_period('month', own['period_end'].iloc[0])} to {format_period('month', own['period_end'].iloc[-1])}"
    shown_ends = set(shown["period_end"])
    published_shown = figures[(figures["period_type"] == "year") & figures["period_end"].isin(shown_ends)
                              & figures["area_code"].isin({ENGLAND_CODE, *(c for codes in _neighbours.values()
                                                                          for c in codes)})]
    own_rows = figures[(figures["area_code"] == home) & (figures["period_type"] == own["period_type"].iloc[0])
                       & figures["period_end"].isin(set(own["period_end"]))]
    source = chart_source(pd.concat([own_rows, published_shown], ignore_index=True))
    figure = trend_chart(own.reset_index(drop=True), measure, name, targets=home_targets(code, home),
                         comparators=shown, title_period=label, source=source)
    explanation = (f"{name}'s own {frequency} figures (the line) with DfE's yearly figures for the statistical "
                   f"neighbour average and England, each plotted at the 31 March its year ends. "
                   f"{measure.polarity_text}.")
    chart = ChartView(figure, image_filename(measure, f"{name} this year", label), explanation, True)
    return InYearView(chart, in_year_sentence(own, compared, measure), frequency)


def in_year_view(code: str, home: str, start: date, end: date, grouping: str = CURRENT) -> InYearView:
    """The council's own in-year series in the period in view, against the published yearly comparators."""
    return _in_year_view(data.database_url(), data.data_version(), code, home, start, end, grouping)

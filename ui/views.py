"""The view builders (views/) behind the app's caches: each view is built once per data version and scope.

Every cached function is keyed on plain values (database URL, data version, codes, dates), never on
frames. Finished figures are kept with st.cache_resource (shared, not copied): st.cache_data would
unpickle a Plotly figure on every page run, which re-validates it and costs about 12 ms a chart. Nothing
changes a view after it is built (st.plotly_chart only reads it). Frames stay with st.cache_data.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from metrics.scorecard import CardRow
from metrics.verdict import Benchmark, OverviewVerdict, latest_year_end
from ui import data
from ui.filters import Filters
from views import charts, overview
from views.charts import BreakdownView, ChartView, MeasureTables
from views.own_figures import OwnFigures
from views.own_figures import own_figures as _own_figures
from views.scope import Scope

CACHE_ENTRIES = 512

__all__ = ["BreakdownView", "ChartView", "MeasureTables"]


def _scope(home: str, start: date, end: date, comparators: bool = True) -> Scope:
    return Scope(home, start, end, comparators)


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _trend_view(url: str, version: int, code: str, home: str, start: date, end: date, comparators: bool) -> ChartView:
    return charts.trend_view(data.reads(), _scope(home, start, end, comparators), code)


def trend_view(code: str, filters: Filters) -> ChartView:
    """The measure's trend chart for the view: own series, target, comparators when switched on."""
    return _trend_view(data.database_url(), data.data_version(), code, filters.home, filters.start, filters.end,
                       filters.comparators)


@st.cache_data(show_spinner=False, max_entries=64)
def _scorecard(url: str, version: int, home: str, end: date) -> tuple[CardRow, ...]:
    return overview.scorecard(data.reads(), _scope(home, end, end))


def scorecard(filters: Filters) -> tuple[CardRow, ...]:
    """One row per catalogue measure: the latest figure up to the end of the period in view, rated."""
    return _scorecard(data.database_url(), data.data_version(), filters.home, filters.end)


@st.cache_resource(show_spinner=False, max_entries=64)
def _benchmarks(url: str, version: int, home: str, year_end: date) -> dict[str, Benchmark]:
    # Keyed on the year, not the day: moving the period in view within a year reuses it. Never changed.
    return overview.year_benchmarks(data.reads(), home, year_end)


@st.cache_resource(show_spinner=False, max_entries=64)
def _verdicts(url: str, version: int, home: str, end: date) -> OverviewVerdict:
    card = _scorecard(url, version, home, end)
    return overview.overview_verdict(card, _benchmarks(url, version, home, latest_year_end(end)), home)


def verdicts(filters: Filters) -> OverviewVerdict:
    """Every measure's verdict for the view: against its target, else against every council's published figure."""
    return _verdicts(data.database_url(), data.data_version(), filters.home, filters.end)


@st.cache_resource(show_spinner=False, max_entries=64)
def _flow_view(url: str, version: int, home: str, start: date, end: date) -> ChartView:
    return charts.flow_view(data.reads(), _scope(home, start, end))


def flow_view(filters: Filters) -> ChartView:
    """Children starting and leaving care each period, with the number in care."""
    return _flow_view(data.database_url(), data.data_version(), filters.home, filters.start, filters.end)


def breakdown_dimensions(home: str, measure_codes: list[str]) -> list[tuple[str, str]]:
    """(measure, dimension) pairs with figures loaded, in catalogue order then dimension name."""
    return charts.breakdown_dimensions(data.reads(), home, measure_codes)


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _breakdown_view(url: str, version: int, code: str, dimension: str, home: str, start: date,
                    end: date) -> BreakdownView | None:
    return charts.breakdown_view(data.reads(), _scope(home, start, end), code, dimension)


def breakdown_view(code: str, dimension: str, filters: Filters) -> BreakdownView | None:
    """A measure split by one dimension: over the months in view, and for the latest period."""
    return _breakdown_view(data.database_url(), data.data_version(), code, dimension, filters.home,
                           filters.start, filters.end)


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _neighbour_view(url: str, version: int, code: str, home: str, end: date) -> ChartView:
    return charts.neighbour_view(data.reads(), _scope(home, end, end), code)


def neighbour_view(code: str, filters: Filters) -> ChartView:
    """The home council against each statistical neighbour, region and England in the latest year in view."""
    return _neighbour_view(data.database_url(), data.data_version(), code, filters.home, filters.end)


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _measure_tables(url: str, version: int, code: str, home: str, start: date, end: date) -> MeasureTables:
    return charts.measure_tables(data.reads(), _scope(home, start, end), code)


def measure_tables(code: str, filters: Filters) -> MeasureTables:
    """The measure page's tables for the view: values with status and batch, comparators by year, replaced values."""
    return _measure_tables(data.database_url(), data.data_version(), code, filters.home, filters.start, filters.end)


def missing_reason(code: str, filters: Filters) -> str:
    return charts.missing_reason(data.reads(), filters.scope, code)


def published_beside(code: str, home: str, period_end) -> str:
    return charts.published_beside(data.reads(), code, home, period_end)


def own_figures(code: str, home: str, period_end) -> OwnFigures:
    """Which return the council's figure shown came from, its 903 beside DfE's, and how the 903 gives it."""
    return _own_figures(data.reads(), home, code, period_end)

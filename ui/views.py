"""Per-measure and per-page work done once per data version and view, then cached.

Pages ask for a finished view (a figure with its download name and the line that explains it, or the
scorecard); the calculations come from metrics/ and the figures from charts/, so this module only
selects the rows a view needs and caches the result. Every cached function is keyed on plain values
(database URL, data version, codes, dates), never on frames.

Finished figures are kept with st.cache_resource (shared, not copied): st.cache_data would unpickle a
Plotly figure on every page run, which re-validates it and costs about 12 ms a chart. Nothing changes
a figure after it is built (st.plotly_chart only reads it). Frames stay with st.cache_data.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.bars import neighbour_bar_chart
from charts.breakdown import breakdown_chart, breakdown_latest_chart
from charts.config import image_filename
from charts.flow import flow_chart
from charts.trend import trend_chart
from db import queries
from metrics.comparators import comparator_series, neighbour_average
from metrics.formatting import format_period, format_value
from metrics.scorecard import build_scorecard
from metrics.series import (
    LOCAL,
    PUBLISHED,
    headline_rows,
    latest,
    one_per_period,
    own_series,
    published_only,
    published_series,
    target_at,
)
from metrics.verdict import Benchmark, OverviewVerdict, benchmarks, build_verdicts, latest_year_end, published_figures
from reference.areas import ENGLAND_CODE, areas
from reference.catalogue import Measure, catalogue
from ui import data
from ui.components import measure_explanation, target_text
from ui.filters import Filters, area_name
from ui.sources import source_text

CACHE_ENTRIES = 512


@dataclass(frozen=True)
class ChartView:
    """A finished chart: the figure, the file name its PNG download gets, and the line shown under it."""

    figure: go.Figure | None
    filename: str
    explanation: str
    has_data: bool
    source: str = ""  # where the figures came from, in words (the chart's source line)


def neighbour_codes(home: str) -> list[str]:
    return [a.code for a in areas().neighbours(home)]


def region_code(home: str) -> str | None:
    region = areas().region_of(home)
    return region.code if region is not None else None


def in_view(frame: pd.DataFrame, start: date, end: date, column: str = "period_end") -> pd.DataFrame:
    """Rows whose period ends within the months in view."""
    ends = frame[column]
    return frame[(ends >= pd.Timestamp(start)) & (ends <= pd.Timestamp(end))]


def span_label(series: pd.DataFrame) -> str:
    """'April 2023 to March 2025' for a monthly series, '2022-23 to 2024-25' for years ending 31 March
    (as DfE writes them), 'Q1 2023-24 to Q4 2024-25' for quarters: each end as its own period type."""
    if series.empty:
        return ""
    first, last = series["period_end"].iloc[0], series["period_end"].iloc[-1]
    first_type, last_type = series["period_type"].iloc[0], series["period_type"].iloc[-1]
    if first == last:
        return format_period(last_type, last)
    return f"{format_period(first_type, first)} to {format_period(last_type, last)}"


DEFAULT_MEASURE = "cla_rate"  # the measure page's first measure: a rate compares councils of any size
RATE_OF_COUNT = {"cla_count": "cla_rate"}  # a count's comparisons are made on its rate
COUNT_COMPARISON = ("A number of children depends on the size of the council, so councils are compared on the "
                    "rate per 10,000 children instead.")


@functools.lru_cache(maxsize=1)
def _published_measures() -> frozenset[str]:
    from loaders.published.mapping import published_mapping

    mapping = published_mapping()
    return frozenset(m.measure_code for m in (*mapping.ees, *mapping.lait))


def dfe_publishes(code: str) -> bool:
    """Whether DfE publishes the measure for every council (from data/published's mappings), so a page can
    say 'Not published by DfE' for a local measure instead of asking for a wider period."""
    return code in _published_measures()


def not_published_short(measure: Measure) -> str:
    """'Not published by DfE: load the health provider's return' for a measure only a local return gives."""
    whose = "the health provider's return" if "health provider" in measure.source.lower() else "the council's own return"
    return f"Not published by DfE: load {whose}"


def not_published_text(measure: Measure) -> str:
    """The short text, with what the return must give and the command that loads it."""
    return (f"{not_published_short(measure)} with {measure.short_name.lower()} "
            f"(`python -m loaders import FILE`) to see it here.")


def missing_reason(code: str, filters: Filters) -> str:
    """Why the period in view has no figure for the measure: 'outside_view' (the council has figures for
    other months), 'local' (DfE does not publish it and no return gave it) or 'none'."""
    if not headline_rows(data.observations(filters.home), code, filters.home).empty:
        return "outside_view"
    return "none" if dfe_publishes(code) else "local"


def published_beside(code: str, home: str, period_end) -> str:
    """'DfE published 63%' when the council's own latest figure is its own and DfE published one for the
    same period; '' otherwise (the figure shown is DfE's, or DfE has none)."""
    obs = data.observations(home)
    own = own_series(obs, code, home)
    mine = own[own["period_end"] == pd.Timestamp(period_end)] if not pd.isna(period_end) else own.iloc[0:0]
    if mine.empty or "origin" not in mine or mine["origin"].iloc[-1] != LOCAL:
        return ""
    published = published_series(obs, code, home)
    found = published[published["period_end"] == pd.Timestamp(period_end)]
    if found.empty:
        return ""
    row = found.iloc[-1]
    value = None if pd.isna(row["value"]) else float(row["value"])
    return f"DfE published {format_value(value, catalogue().get(code), row['status'])}"


def rows_behind(rows: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """The observation rows (with batch_id and origin) a series was made from: same period and origin."""
    if rows.empty or series.empty:
        return rows.iloc[0:0]
    keys = ["period_type", "period_end", *(["origin"] if "origin" in series and "origin" in rows else [])]
    wanted = series[keys].drop_duplicates()
    return rows.merge(wanted, on=keys, how="inner")


def comparator_rows(obs: pd.DataFrame, code: str, home: str, start: date, end: date, totals: bool = True) -> pd.DataFrame:
    """DfE's published yearly rows for the measure's comparators (neighbours, and region and England unless
    ``totals`` is off) in view: what a chart's comparator lines were drawn from."""
    wanted = set(neighbour_codes(home))
    if totals:
        wanted |= {c for c in (region_code(home), ENGLAND_CODE) if c}
    rows = published_only(obs)
    rows = rows[(rows["measure_code"] == code) & (rows["period_type"] == "year") & rows["area_code"].isin(wanted)]
    return in_view(rows, start, end)


def _target_rows(targets: pd.DataFrame, measure: str, home: str, start: date, end: date) -> pd.DataFrame:
    rows = targets[(targets["measure_code"] == measure) & (targets["area_code"] == home)]
    rows = rows[(rows["period_end"] >= pd.Timestamp(start)) & (rows["period_start"] <= pd.Timestamp(end))]
    return rows[["period_start", "period_end", "value"]].reset_index(drop=True)


def _target_period(targets: pd.DataFrame, measure: str, home: str, when: pd.Timestamp):
    rows = targets[(targets["measure_code"] == measure) & (targets["area_code"] == home)
                   & (targets["period_start"] <= when) & (targets["period_end"] >= when)]
    if rows.empty:
        return None
    row = rows.iloc[-1]
    return row["period_start"], row["period_end"]


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _trend_view(url: str, version: int, code: str, home: str, start: date, end: date, comparators: bool) -> ChartView:
    measure = catalogue().get(code)
    obs = data.observations(home)
    targets = data.targets(home)
    own = in_view(own_series(obs, code, home), start, end).reset_index(drop=True)
    name = area_name(home)
    if own.empty:
        return ChartView(None, "", measure_explanation(measure, "No target set."), False)
    label = span_label(own)
    home_rows = in_view(headline_rows(obs, code, home), start, end)
    published = None
    if "origin" in own and (own["origin"] == LOCAL).any():  # the council's own figures: DfE's beside them
        published = in_view(published_series(obs, code, home), start, end).reset_index(drop=True)
    compared, compared_rows = None, None
    if comparators and not measure.is_count:  # a count is compared on its rate (COUNT_COMPARISON)
        compared = in_view(comparator_series(obs, code, home, neighbour_codes(home), region_code(home)), start, end)
        compared_rows = comparator_rows(obs, code, home, start, end)
    shown_published = rows_behind(home_rows, published) if published is not None else None
    source = source_text([rows_behind(home_rows, own), shown_published, compared_rows], data.batches())
    last = latest(own)
    target = target_at(targets, code, home, last["period_end"]) if last is not None else None
    period = _target_period(targets, code, home, last["period_end"]) if target is not None else None
    figure = trend_chart(own, measure, name, targets=_target_rows(targets, code, home, start, end),
                         comparators=compared, title_period=label, source=source or None,
                         published=published if published is not None and not published.empty else None)
    explanation = measure_explanation(measure, target_text(measure, target, period))
    if measure.is_count and comparators:
        explanation += " " + COUNT_COMPARISON
    return ChartView(figure, image_filename(measure, name, label), explanation, True, source)


def trend_view(code: str, filters: Filters) -> ChartView:
    """The measure's trend chart for the view: own series, target, comparators when switched on."""
    return _trend_view(data.database_url(), data.data_version(), code, filters.home, filters.start, filters.end,
                       filters.comparators)


@st.cache_data(show_spinner=False, max_entries=64)
def _scorecard(url: str, version: int, home: str, end: date) -> pd.DataFrame:
    obs = data.observations(home)
    obs = obs[obs["period_end"] <= pd.Timestamp(end)]
    return build_scorecard(obs, data.targets(home), home, neighbour_codes(home), region_code(home),
                           measures=catalogue().measures)


def scorecard(filters: Filters) -> pd.DataFrame:
    """One row per catalogue measure: the latest figure up to the end of the period in view, rated."""
    return _scorecard(data.database_url(), data.data_version(), filters.home, filters.end)


@st.cache_data(show_spinner=False, max_entries=4)
def _published(url: str, version: int) -> pd.DataFrame:
    """DfE's published yearly figures for every area (the benchmark needs every council, not only the
    comparison areas ``data.observations`` reads). Read only when a benchmark is first built."""
    return published_figures(queries.observations(data.engine()), data.batches()).reset_index(drop=True)


@st.cache_resource(show_spinner=False, max_entries=64)
def _benchmarks(url: str, version: int, home: str, year_end: date) -> dict[str, Benchmark]:
    # Keyed on the year, not the day: moving the period in view within a year reuses it. Never changed.
    return benchmarks(_published(url, version), home, year_end, areas(), catalogue().measures)


@st.cache_resource(show_spinner=False, max_entries=64)
def _verdicts(url: str, version: int, home: str, end: date) -> OverviewVerdict:
    card = _scorecard(url, version, home, end)
    return build_verdicts(card, _benchmarks(url, version, home, latest_year_end(end)), home, areas())


def verdicts(filters: Filters) -> OverviewVerdict:
    """Every measure's verdict for the view: against its target, else against every council's published figure."""
    return _verdicts(data.database_url(), data.data_version(), filters.home, filters.end)


@st.cache_resource(show_spinner=False, max_entries=64)
def _flow_view(url: str, version: int, home: str, start: date, end: date) -> ChartView:
    obs = data.observations(home)
    starts = in_view(own_series(obs, "cla_starts", home), start, end)
    ceased = in_view(own_series(obs, "cla_ceased", home), start, end)
    count = in_view(own_series(obs, "cla_count", home), start, end)
    if starts.empty and ceased.empty:
        return ChartView(None, "", "", False)
    name = area_name(home)
    label = span_label(starts if not starts.empty else ceased)
    rows = in_view(obs[(obs["area_code"] == home) & obs["measure_code"].isin(["cla_starts", "cla_ceased", "cla_count"])
                       & (obs["dimension"] == "")], start, end)
    source = source_text([rows_behind(rows, series) for series in (starts, ceased, count)], data.batches())
    figure = flow_chart(starts[["period_end", "value"]], ceased[["period_end", "value"]],
                        count[["period_end", "value"]] if not count.empty else None, name, source=source or None,
                        title_period=label)
    explanation = ("Bars: children who started and stopped being in our care in each period. "
                   "Line: how many were in our care at the end of each period.")
    return ChartView(figure, _safe_name(f"{name} starting and leaving care {label}"), explanation, True)


def flow_view(filters: Filters) -> ChartView:
    """Children starting and leaving care each period, with the number in care."""
    return _flow_view(data.database_url(), data.data_version(), filters.home, filters.start, filters.end)


def _safe_name(text: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)
    return "_".join(part for part in keep.split("_") if part)[:120]


def dimension_label(dimension: str) -> str:
    """'placement_type' -> 'Placement type'."""
    text = dimension.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class BreakdownView:
    measure_code: str
    dimension: str
    title: str
    over_time: ChartView
    latest: ChartView


def breakdown_dimensions(home: str, measure_codes: list[str]) -> list[tuple[str, str]]:
    """(measure, dimension) pairs with figures loaded, in catalogue order then dimension name."""
    frame = data.breakdowns(home)
    if frame.empty:
        return []
    frame = frame[frame["measure_code"].isin(measure_codes)]
    pairs = set(zip(frame["measure_code"], frame["dimension"], strict=True))
    return sorted(pairs, key=lambda pair: (measure_codes.index(pair[0]), pair[1]))


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _breakdown_view(url: str, version: int, code: str, dimension: str, home: str, start: date,
                    end: date) -> BreakdownView | None:
    measure = catalogue().get(code)
    frame = data.breakdowns(home)
    frame = frame[(frame["measure_code"] == code) & (frame["dimension"] == dimension) & (frame["area_code"] == home)]
    frame = in_view(frame, start, end)
    if frame.empty:
        return None
    finest = next(t for t in ("month", "quarter", "year") if (frame["period_type"] == t).any())
    frame = frame[frame["period_type"] == finest].sort_values("period_end", kind="stable")  # categories in load order
    label = dimension_label(dimension)
    name = area_name(home)
    last_end = frame["period_end"].max()
    last_label = format_period(finest, last_end)
    columns = ["period_end", "category", "value", "status"]
    batches = data.batches()
    source = source_text([frame], batches) or None
    over_time = breakdown_chart(frame[columns].reset_index(drop=True), measure, label, name, source=source)
    latest_rows = frame[frame["period_end"] == last_end]
    latest_figure = breakdown_latest_chart(latest_rows[columns].reset_index(drop=True), measure, label, name,
                                           last_label, source=source_text([latest_rows], batches) or None)
    return BreakdownView(
        code, dimension, f"{measure.short_name} by {label.lower()}",
        ChartView(over_time, _safe_name(f"{name} {measure.short_name} by {label} over time"), "", True),
        ChartView(latest_figure, _safe_name(f"{name} {measure.short_name} by {label} {last_label}"), "", True),
    )


def breakdown_view(code: str, dimension: str, filters: Filters) -> BreakdownView | None:
    """A measure split by one dimension: over the months in view, and for the latest period."""
    return _breakdown_view(data.database_url(), data.data_version(), code, dimension, filters.home,
                           filters.start, filters.end)


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _neighbour_view(url: str, version: int, code: str, home: str, end: date) -> ChartView:
    measure = catalogue().get(code)
    obs = data.observations(home)
    yearly = obs[(obs["measure_code"] == code) & (obs["period_type"] == "year")
                 & (obs["period_end"] <= pd.Timestamp(end))]
    codes = neighbour_codes(home)
    with_values = yearly[yearly["area_code"].isin(codes) & yearly["value"].notna()]
    if with_values.empty:
        return ChartView(None, "", "", False)
    year_end = with_values["period_end"].max()
    year = one_per_period(yearly[yearly["period_end"] == year_end], PUBLISHED)  # DfE's figure where there is one
    year_label = format_period("year", year_end)
    rows = []
    region = region_code(home)
    for area_code, kind in [(home, "la"), *[(c, "la") for c in codes], (region, "region"), (ENGLAND_CODE, "england")]:
        if area_code is None:
            continue
        found = year[year["area_code"] == area_code]
        if found.empty:
            if kind == "la":
                rows.append({"area_code": area_code, "name": area_name(area_code), "value": None,
                             "status": "x", "kind": kind})
            continue
        row = found.iloc[0]
        rows.append({"area_code": area_code, "name": area_name(area_code), "value": row["value"],
                     "status": row["status"], "kind": kind})
    average = neighbour_average(published_only(year[year["area_code"].isin(codes)])[["area_code", "value", "status"]],
                                codes)
    if average.value is not None:
        rows.append({"area_code": "neighbours", "name": f"Statistical neighbour average ({average.used} of {average.of})",
                     "value": average.value, "status": "value", "kind": "neighbours"})
    values = pd.DataFrame(rows, columns=["area_code", "name", "value", "status", "kind"])
    values["value"] = values["value"].astype("float64")
    shown = year[year["area_code"].isin([home, *codes] + ([] if measure.is_count else [region, ENGLAND_CODE]))]
    target = target_at(data.targets(home), code, home, year_end)
    figure = neighbour_bar_chart(values, measure, year_label, home, target=None if target is None else target[0],
                                 source=source_text([shown], data.batches()) or None)
    name = area_name(home)
    explanation = (f"{name} and its 10 statistical neighbours in {year_label}, the councils most like it "
                   f"(DfE's Children's Services Statistical Neighbour Benchmarking Tool). {measure.polarity_text}.")
    return ChartView(figure, image_filename(measure, f"{name} and neighbours", year_label), explanation, True)


def neighbour_view(code: str, filters: Filters) -> ChartView:
    """The home council against each statistical neighbour, region and England in the latest year in view."""
    return _neighbour_view(data.database_url(), data.data_version(), code, filters.home, filters.end)


@dataclass(frozen=True)
class MeasureTables:
    values: pd.DataFrame
    comparators: pd.DataFrame
    replaced: pd.DataFrame


@st.cache_data(show_spinner=False, max_entries=CACHE_ENTRIES)
def _measure_tables(url: str, version: int, code: str, home: str, start: date, end: date) -> MeasureTables:
    from ui.measure_tables import comparator_table, history_table, values_table

    measure = catalogue().get(code)
    obs = data.observations(home)
    batches = data.batches()
    mine = in_view(obs[(obs["measure_code"] == code) & (obs["area_code"] == home)], start, end)
    yearly = one_per_period(mine[mine["period_type"] == "year"], PUBLISHED)  # compared as DfE published it
    compared = in_view(comparator_series(obs, code, home, neighbour_codes(home), region_code(home)), start, end)
    replaced = in_view(data.history(code, home), start, end)
    return MeasureTables(
        values=values_table(mine, measure, batches),
        comparators=comparator_table(yearly, compared, measure, area_name(home)),
        replaced=history_table(replaced, measure, batches),
    )


def measure_tables(code: str, filters: Filters) -> MeasureTables:
    """The measure page's tables for the view: values with status and batch, comparators by year, replaced values."""
    return _measure_tables(data.database_url(), data.data_version(), code, filters.home, filters.start, filters.end)

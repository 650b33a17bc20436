"""A measure's charts and tables for a scope: the figure, its file name, the line under it and its source.

Each builder takes the reads (views.reads) and a scope (views.scope) and returns a finished, never-changed
dataclass; the calculations come from metrics/ and the figures from charts/, so this module only selects
the rows a view needs. The app caches these per data version (ui.views); the committee pack calls them
directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from charts.bars import neighbour_bar_chart
from charts.breakdown import breakdown_chart, breakdown_latest_chart
from charts.caption import ChartCaption
from charts.config import image_filename
from charts.flow import flow_chart
from charts.trend import trend_chart
from metrics.comparators import comparator_series
from metrics.comparison import MISSING, NO_FIGURE, AreaFigure, compare
from metrics.formatting import format_period, format_value
from metrics.series import (
    PUBLISHED,
    headline_rows,
    is_own,
    latest,
    one_per_period,
    own_series,
    published_only,
    published_series,
    target_at,
)
from reference.areas import ENGLAND_CODE, areas
from reference.catalogue import Measure, catalogue
from views.measure_tables import comparator_table, history_table, replaced_by_another_figure, values_table
from views.reads import Reads
from views.scope import Scope, area_name
from views.sources import source_text
from views.wording import (
    COUNT_COMPARISON,
    dfe_publishes,
    dimension_label,
    drawn_span,
    measure_explanation,
    safe_name,
    target_text,
)


@dataclass(frozen=True)
class ChartView:
    """A finished chart: the figure, the file name its PNG download gets, and the line shown under it."""

    figure: go.Figure | None
    filename: str
    explanation: str
    has_data: bool
    source: str = ""  # where the figures came from, in words (the chart's source line)
    caption: ChartCaption | None = None  # what an exported picture must say about itself
    measure_code: str = ""  # the measure drawn, for the number formats of the data behind the chart


@dataclass(frozen=True)
class BreakdownView:
    measure_code: str
    dimension: str
    title: str
    over_time: ChartView
    latest: ChartView


@dataclass(frozen=True)
class MeasureTables:
    values: pd.DataFrame
    comparators: pd.DataFrame
    replaced: pd.DataFrame


def in_view(frame: pd.DataFrame, start: date, end: date, column: str = "period_end") -> pd.DataFrame:
    """Rows whose period ends within the months in view."""
    ends = frame[column]
    return frame[(ends >= pd.Timestamp(start)) & (ends <= pd.Timestamp(end))]


def missing_reason(reads: Reads, scope: Scope, code: str) -> str:
    """Why the period in view has no figure for the measure: 'outside_view' (the council has figures for
    other months), 'local' (DfE does not publish it and no return gave it) or 'none'."""
    if not headline_rows(reads.observations(scope.home), code, scope.home).empty:
        return "outside_view"
    return "none" if dfe_publishes(code) else "local"


def published_beside(reads: Reads, code: str, home: str, period_end) -> str:
    """'DfE published 63%' when the council's latest figure is its own (its return's or its 903's) and DfE published one for the
    same period; '' otherwise (the figure shown is DfE's, or DfE has none)."""
    obs = reads.observations(home)
    own = own_series(obs, code, home)
    mine = own[own["period_end"] == pd.Timestamp(period_end)] if not pd.isna(period_end) else own.iloc[0:0]
    if mine.empty or "origin" not in mine or not is_own(mine["origin"].iloc[-1]):
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


def comparator_rows(obs: pd.DataFrame, code: str, scope: Scope, totals: bool = True) -> pd.DataFrame:
    """DfE's published yearly rows for the measure's comparators (neighbours, and region and England unless
    ``totals`` is off) in view: what a chart's comparator lines were drawn from."""
    wanted = set(scope.neighbours)
    if totals:
        wanted |= {c for c in (scope.region, ENGLAND_CODE) if c}
    rows = published_only(obs)
    rows = rows[(rows["measure_code"] == code) & (rows["period_type"] == "year") & rows["area_code"].isin(wanted)]
    return in_view(rows, scope.start, scope.end)


def comparators_words(rows: pd.DataFrame | None) -> str:
    """'Comparators: DfE's published figures for the statistical neighbours, region and England, 2020-21 to
    2024-25', or '' when none are drawn."""
    if rows is None or rows.empty:
        return ""
    ends = sorted(set(rows["period_end"]))
    years = format_period("year", ends[0]) if len(ends) == 1 else \
        f"{format_period('year', ends[0])} to {format_period('year', ends[-1])}"
    return f"Comparators: DfE's published figures for the statistical neighbours, region and England, {years}"


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


def chart_scope(scope: Scope, series: pd.DataFrame) -> Scope:
    """The scope a chart of ``series`` (one council's series at one frequency) is drawn over: the period in
    view, widened to TREND_YEARS of DfE's years when the series is yearly only (Scope.years_start)."""
    if series.empty or (series["period_type"] != "year").any():
        return scope
    ends = series.loc[series["period_end"] <= pd.Timestamp(scope.end), "period_end"]
    if ends.empty:
        return scope
    return replace(scope, start=scope.years_start(ends.max().date()))


def trend_view(reads: Reads, scope: Scope, code: str) -> ChartView:
    """The measure's trend chart for the scope: own series, target, comparators when switched on."""
    measure = catalogue().get(code)
    obs = reads.observations(scope.home)
    whole = own_series(obs, code, scope.home)
    scope = chart_scope(scope, whole)
    home, start, end = scope.home, scope.start, scope.end
    targets = reads.targets(home)
    own = in_view(whole, start, end).reset_index(drop=True)
    name = area_name(home)
    if own.empty:
        return ChartView(None, "", measure_explanation(measure, "No target set."), False)
    home_rows = in_view(headline_rows(obs, code, home), start, end)
    published = None
    if "origin" in own and own["origin"].map(is_own).any():  # the council's own figures: DfE's beside them
        published = in_view(published_series(obs, code, home), start, end).reset_index(drop=True)
    compared, compared_rows = None, None
    if scope.comparators and not measure.is_count:  # a count is compared on its rate (COUNT_COMPARISON)
        compared = in_view(comparator_series(obs, code, home, scope.neighbours, scope.region), start, end)
        compared_rows = comparator_rows(obs, code, scope)
    shown_published = rows_behind(home_rows, published) if published is not None else None
    source = source_text([rows_behind(home_rows, own), shown_published, compared_rows], reads.batches())
    last = latest(own)
    target = target_at(targets, code, home, last["period_end"]) if last is not None else None
    period = _target_period(targets, code, home, last["period_end"]) if target is not None else None
    label = drawn_span([own, published, compared])
    figure = trend_chart(own, measure, name, targets=_target_rows(targets, code, home, start, end),
                         comparators=compared, title_period=label, source=source or None,
                         published=published if published is not None and not published.empty else None)
    explanation = measure_explanation(measure, target_text(measure, target, period))
    if measure.is_count and scope.comparators:
        explanation += " " + COUNT_COMPARISON
    caption = ChartCaption(
        title=measure.short_name, council=name, period=label,
        target=target_text(measure, target, period).removesuffix(".") if target is not None else "No target set",
        comparators=comparators_words(compared_rows), source=source, polarity=measure.polarity_text)
    return ChartView(figure, image_filename(measure, name, label), explanation, True, source, caption, code)


def flow_frequency(obs: pd.DataFrame, home: str, scope: Scope) -> str | None:
    """The one frequency the flow chart draws: the finest that the starts or the leavers have in view.

    The bars and the line share it, so a monthly return of the number in care is never drawn as a line
    beside DfE's yearly bars on one axis; None with no starts or leavers at all."""
    found = set()
    for code in ("cla_starts", "cla_ceased"):
        series = own_series(obs, code, home)
        found |= set(in_view(series, scope.start, scope.end)["period_type"]) or set(series["period_type"])
    return next((kind for kind in ("month", "quarter", "year") if kind in found), None)


def flow_view(reads: Reads, scope: Scope) -> ChartView:
    """Children starting and leaving care each period, with the number in care, all at one frequency."""
    obs = reads.observations(scope.home)
    frequency = flow_frequency(obs, scope.home, scope)
    if frequency is None:
        return ChartView(None, "", "", False)
    obs = obs[obs["period_type"] == frequency]
    scope = chart_scope(scope, own_series(obs, "cla_starts", scope.home))
    home, start, end = scope.home, scope.start, scope.end
    starts = in_view(own_series(obs, "cla_starts", home), start, end)
    ceased = in_view(own_series(obs, "cla_ceased", home), start, end)
    count = in_view(own_series(obs, "cla_count", home), start, end)
    if starts.empty and ceased.empty:
        return ChartView(None, "", "", False)
    name = area_name(home)
    label = drawn_span([starts, ceased, count])
    rows = in_view(obs[(obs["area_code"] == home) & obs["measure_code"].isin(["cla_starts", "cla_ceased", "cla_count"])
                       & (obs["dimension"] == "")], start, end)
    source = source_text([rows_behind(rows, series) for series in (starts, ceased, count)], reads.batches())
    columns = ["period_type", "period_end", "value", "status"]  # the status too: a suppressed month's hover says so, not "no data"
    figure = flow_chart(starts[columns], ceased[columns], count[columns] if not count.empty else None, name,
                        source=source or None, title_period=label)
    explanation = ("Bars: children who started and stopped being in our care in each period. "
                   "Line: how many were in our care at the end of each period.")
    return ChartView(figure, safe_name(f"{name} starting and leaving care {label}"), explanation, True, source)


def breakdown_dimensions(reads: Reads, home: str, measure_codes: list[str]) -> list[tuple[str, str]]:
    """(measure, dimension) pairs with figures loaded, in catalogue order then dimension name."""
    frame = reads.breakdowns(home)
    if frame.empty:
        return []
    frame = frame[frame["measure_code"].isin(measure_codes)]
    pairs = set(zip(frame["measure_code"], frame["dimension"], strict=True))
    return sorted(pairs, key=lambda pair: (measure_codes.index(pair[0]), pair[1]))


def breakdown_view(reads: Reads, scope: Scope, code: str, dimension: str) -> BreakdownView | None:
    """A measure split by one dimension: over the months in view, and for the latest period."""
    measure = catalogue().get(code)
    home = scope.home
    frame = reads.breakdowns(home)
    frame = frame[(frame["measure_code"] == code) & (frame["dimension"] == dimension) & (frame["area_code"] == home)]
    frame = in_view(frame, scope.start, scope.end)
    if frame.empty:
        return None
    finest = next(t for t in ("month", "quarter", "year") if (frame["period_type"] == t).any())
    frame = frame[frame["period_type"] == finest].sort_values("period_end", kind="stable")  # categories in load order
    label = dimension_label(dimension)
    name = area_name(home)
    last_end = frame["period_end"].max()
    last_label = format_period(finest, last_end)
    columns = ["period_end", "category", "value", "status"]
    batches = reads.batches()
    source = source_text([frame], batches)
    over_time = breakdown_chart(frame[columns].reset_index(drop=True), measure, label, name, source=source or None)
    latest_rows = frame[frame["period_end"] == last_end]
    latest_source = source_text([latest_rows], batches)
    latest_figure = breakdown_latest_chart(latest_rows[columns].reset_index(drop=True), measure, label, name,
                                           last_label, source=latest_source or None)
    return BreakdownView(
        code, dimension, f"{measure.short_name} by {label.lower()}",
        ChartView(over_time, safe_name(f"{name} {measure.short_name} by {label} over time"), "", True, source),
        ChartView(latest_figure, safe_name(f"{name} {measure.short_name} by {label} {last_label}"), "", True,
                  latest_source),
    )


def _bar(figure: AreaFigure, kind: str) -> dict:
    """One bar: a council DfE published nothing for is shown as not published ('x'), never left out."""
    status = NO_FIGURE if figure.status == MISSING else figure.status
    return {"area_code": figure.code, "name": figure.name, "value": figure.value, "status": status, "kind": kind}


def neighbour_view(reads: Reads, scope: Scope, code: str) -> ChartView:
    """The home council against each statistical neighbour, region and England in the latest year in view
    (metrics.comparison: the neighbours, their average, region and England are DfE's published figures)."""
    measure = catalogue().get(code)
    home = scope.home
    obs = reads.observations(home)
    yearly = obs[(obs["measure_code"] == code) & (obs["period_type"] == "year")
                 & (obs["period_end"] <= pd.Timestamp(scope.end))]
    published = reads.published()
    published = published[(published["measure_code"] == code) & (published["period_end"] <= pd.Timestamp(scope.end))]
    codes = scope.neighbours
    with_values = published[published["area_code"].isin(codes) & published["value"].notna()]
    if with_values.empty:
        return ChartView(None, "", "", False)
    year_end = with_values["period_end"].max()
    year = one_per_period(yearly[yearly["period_end"] == year_end], PUBLISHED)  # DfE's figure where there is one
    year_label = format_period("year", year_end)
    region = scope.region
    directory = areas()
    found = compare(published, yearly, measure, directory.get(home), directory, int(year_end.year),
                    targets=reads.targets(home))
    rows = [_bar(found.own, "la"), *(_bar(n, "la") for n in found.neighbours)]
    rows += [_bar(f, kind) for f, kind in ((found.region, "region"), (found.england, "england"))
             if f is not None and f.status != MISSING]
    average = found.neighbour_average
    if average.value is not None:
        rows.append({"area_code": "neighbours", "name": f"Statistical neighbour average ({average.used} of {average.of})",
                     "value": average.value, "status": "value", "kind": "neighbours"})
    values = pd.DataFrame(rows, columns=["area_code", "name", "value", "status", "kind"])
    values["value"] = values["value"].astype("float64")
    shown = year[year["area_code"].isin([home, *codes] + ([] if measure.is_count else [region, ENGLAND_CODE]))]
    target = target_at(reads.targets(home), code, home, year_end)
    source = source_text([shown], reads.batches())
    figure = neighbour_bar_chart(values, measure, year_label, home, target=found.target,
                                 source=source or None)
    name = area_name(home)
    explanation = (f"{name} and its 10 statistical neighbours in {year_label}, the councils most like it "
                   f"(DfE's Children's Services Statistical Neighbour Benchmarking Tool). {measure.polarity_text}.")
    caption = ChartCaption(
        title=measure.short_name, council=name, period=year_label,
        target="" if target is None else target_text(measure, target).removesuffix("."),
        comparators=f"Statistical neighbours, region and England: DfE's published figures for {year_label}",
        source=source, polarity=measure.polarity_text)
    return ChartView(figure, image_filename(measure, f"{name} and neighbours", year_label), explanation, True, source,
                     caption, code)


def measure_tables(reads: Reads, scope: Scope, code: str) -> MeasureTables:
    """The measure page's tables: values with status and batch, comparators by year, replaced values."""
    measure: Measure = catalogue().get(code)
    home = scope.home
    obs = reads.observations(home)
    batches = reads.batches()
    mine = in_view(obs[(obs["measure_code"] == code) & (obs["area_code"] == home)], scope.start, scope.end)
    yearly = one_per_period(mine[mine["period_type"] == "year"], PUBLISHED)  # compared as DfE published it
    compared = in_view(comparator_series(obs, code, home, scope.neighbours, scope.region), scope.start, scope.end)
    replaced = in_view(replaced_by_another_figure(reads.history(code, home), obs[(obs["measure_code"] == code)
                                                                                 & (obs["area_code"] == home)]),
                       scope.start, scope.end)
    return MeasureTables(
        values=values_table(mine, measure, batches),
        comparators=comparator_table(yearly, compared, measure, area_name(home)),
        replaced=history_table(replaced, measure, batches),
    )

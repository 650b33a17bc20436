"""One measure for a scope: its trend, how it compares, the tables behind it and why a figure is missing.

``measure_view(source, scope, code)`` gives the measure page and the committee pack the same charts and
sentences. A count of children is compared on its rate (views.wording.RATE_OF_COUNT), never beside the
region's or England's totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from metrics.verdict import Verdict
from reference.catalogue import Measure, catalogue
from views.charts import (
    BreakdownView,
    ChartView,
    MeasureTables,
    breakdown_dimensions,
    breakdown_view,
    measure_tables,
    missing_reason,
    neighbour_view,
    trend_view,
)
from views.overview import OverviewView, overview_view
from views.reads import Reads, reads_of
from views.scope import Scope
from views.wording import RATE_OF_COUNT, not_published_text


@dataclass(frozen=True)
class MeasureView:
    measure: Measure
    verdict: Verdict
    trend: ChartView
    compared: Measure | None  # the measure the neighbour chart and comparator table are for (a count's rate)
    neighbours: ChartView | None  # None with comparators off, or for a count without a rate
    tables: MeasureTables  # the measure's own values and replaced values
    comparator_table: pd.DataFrame  # by year, for ``compared`` (empty without one)
    breakdowns: tuple[BreakdownView, ...]
    missing: str  # why there is no trend chart, '' when there is one


def no_figures_text(reads: Reads, scope: Scope, measure: Measure) -> str:
    """Why a measure shows no chart, and what to do about it."""
    reason = missing_reason(reads, scope, measure.code)
    return {
        "outside_view": f"No figures for {measure.short_name.lower()} in the period in view: widen the period "
                        "in the sidebar to see earlier or later ones.",
        "local": not_published_text(measure),
        "none": f"No figures loaded for {measure.short_name.lower()}: DfE has published none for "
                f"{scope.home_name}, and no return of the council's own gives it.",
    }[reason]


def compared_measure(measure: Measure) -> Measure | None:
    """The measure councils are compared on: the measure itself, a count's rate, or None for a count
    that has no rate (a number of children is never compared across councils of different sizes)."""
    if not measure.is_count:
        return measure
    rate = RATE_OF_COUNT.get(measure.code)
    return catalogue().get(rate) if rate else None


def measure_breakdowns(reads: Reads, scope: Scope, codes: list[str]) -> tuple[BreakdownView, ...]:
    found = (breakdown_view(reads, scope, code, dimension) for code, dimension in breakdown_dimensions(reads, scope.home, codes))
    return tuple(view for view in found if view is not None)


def measure_view(source: Reads | Engine, scope: Scope, code: str, overview: OverviewView | None = None) -> MeasureView:
    """Everything the measure page shows for the measure (``overview`` saves rebuilding the verdicts)."""
    reads = reads_of(source)
    measure = catalogue().get(code)
    overview = overview or overview_view(reads, scope)
    trend = trend_view(reads, scope, code)
    compared = compared_measure(measure)
    neighbours = neighbour_view(reads, scope, compared.code) if compared is not None and scope.comparators else None
    tables = measure_tables(reads, scope, code)
    if compared is None:
        comparisons = tables.comparators.iloc[0:0]
    else:
        comparisons = tables.comparators if compared is measure else measure_tables(reads, scope, compared.code).comparators
    return MeasureView(
        measure=measure, verdict=overview.verdict.verdict(code), trend=trend, compared=compared,
        neighbours=neighbours, tables=tables, comparator_table=comparisons,
        breakdowns=measure_breakdowns(reads, scope, [code]),
        missing="" if trend.has_data else no_figures_text(reads, scope, measure),
    )

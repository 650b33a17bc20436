"""The Overview for a scope: every measure's latest figure and verdict, what needs attention, and each
scorecard row as finished text, for the Overview page, presentation mode and the committee pack alike.

Call ``overview_view(source, scope)`` with ``views.reads.database_reads(engine)`` (or an engine) and a
``views.scope.Scope``; the app calls the parts (``scorecard``, ``year_benchmarks``, ``overview_verdict``)
through its caches so a benchmark is built once a year rather than once a month in view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from metrics.formatting import RATE_SUFFIX, format_value
from metrics.ratings import Rating
from metrics.scorecard import CardRow, build_scorecard
from metrics.verdict import Benchmark, OverviewVerdict, Verdict, benchmarks, build_verdicts, latest_year_end
from reference.areas import areas
from reference.catalogue import catalogue
from views.reads import Reads, reads_of
from views.scope import Scope
from views.wording import dfe_publishes, not_published_short

COUNT_COMPARATOR = "see rate"  # a number of children is compared on the rate per 10,000, never on totals
NO_FIGURE = "–"


@dataclass(frozen=True)
class ScorecardRow:
    """One measure's scorecard row, every cell finished text (the rating keeps its word, symbol and colour)."""

    measure_code: str
    theme: str
    short_name: str
    polarity_text: str  # 'Higher is better'
    latest: str  # '63%', '67' for a rate (the measure's name says per 10,000)
    rating: Rating
    travel: str  # '↑ Better', '' without a previous period
    neighbours: str  # '61%', '61% (8 of 10)', 'see rate' for a count, '–'
    england: str
    basis: str  # what the rating was judged against
    period: str  # '2024-25', 'October 2026'
    comparator_year: str
    spark: tuple[float | None, ...]


@dataclass(frozen=True)
class OverviewView:
    scope: Scope
    scorecard: tuple[CardRow, ...]  # metrics.scorecard.build_scorecard's rows
    verdict: OverviewVerdict
    rows: tuple[ScorecardRow, ...]

    @property
    def summary(self) -> str:
        return self.verdict.summary

    @property
    def attention_lines(self) -> tuple[str, ...]:
        """Every needs-attention line, most pressing first, no cap."""
        return tuple(v.line for v in self.verdict.attention)

    @property
    def basis_caption(self) -> str:
        return basis_caption(self.verdict)

    def theme_rows(self, theme: str) -> tuple[ScorecardRow, ...]:
        return tuple(r for r in self.rows if r.theme == theme)


def scorecard(reads: Reads, scope: Scope) -> tuple[CardRow, ...]:
    """One row per catalogue measure: the latest figure up to the end of the period in view, rated."""
    obs = reads.observations(scope.home)
    obs = obs[obs["period_end"] <= pd.Timestamp(scope.end)]
    published = reads.published()
    published = published[published["period_end"] <= pd.Timestamp(scope.end)]
    return build_scorecard(obs, reads.targets(scope.home), scope.home, scope.neighbours, scope.region,
                           measures=catalogue().measures, published=published)


def year_benchmarks(reads: Reads, home: str, year_end: date) -> dict[str, Benchmark]:
    """The council's benchmark on DfE's published figures for the year ending ``year_end``, per measure."""
    return benchmarks(reads.published(), home, year_end, areas(), catalogue().measures)


def overview_verdict(card: tuple[CardRow, ...], found: dict[str, Benchmark], home: str) -> OverviewVerdict:
    return build_verdicts(card, found, home, areas())


def _with_symbol(symbol: object, word: object) -> str:
    word = "" if word is None or (isinstance(word, float) and pd.isna(word)) else str(word)
    symbol = "" if symbol is None or (isinstance(symbol, float) and pd.isna(symbol)) else str(symbol)
    return f"{symbol} {word}".strip()


def comparator_text(value: object, measure_code: str, used: object = None, of: object = None) -> str:
    """'69%', or '69% (8 of 10)' when some neighbours had no published figure; 'see rate' for a count."""
    measure = catalogue().get(measure_code)
    if measure.is_count:
        return COUNT_COMPARATOR
    if value is None or pd.isna(value):
        return NO_FIGURE
    text = format_value(float(value), measure, unit=False)
    if used is not None and of is not None and not pd.isna(used) and not pd.isna(of) and int(used) < int(of):
        text += f" ({int(used)} of {int(of)})"
    return text


def basis_text(verdict: Verdict) -> str:
    """What the rating was judged against; for a local measure with no figure, that DfE does not publish it."""
    if not verdict.has_figure and verdict.benchmark is None and not dfe_publishes(verdict.measure_code):
        return not_published_short(catalogue().get(verdict.measure_code))
    return verdict.basis_text


def basis_caption(overview: OverviewVerdict) -> str:
    """How the ratings were made, in one paragraph under the attention list."""
    years = " and ".join(overview.benchmark_years)
    if not years:
        return ("Measures with a target are rated against it. DfE publishes no figures for this council, so "
                "measures without a target cannot be compared with other councils here.")
    return (f"Measures with a target are rated against it. Measures without one are rated on DfE's published "
            f"figures for {years}: the quartile band among all English councils (A the best quarter, D the "
            f"worst) and the rank, 1st the best. Worse than both England and the statistical neighbour "
            f"average is judged on the same published year.")


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def scorecard_rows(card: tuple[CardRow, ...], overview: OverviewVerdict) -> tuple[ScorecardRow, ...]:
    """The scorecard's rows as finished text, in the card's order."""
    cat = catalogue()
    rows = []
    for row in card:
        code = str(row.measure_code)
        verdict = overview.verdict(code)
        spark = row.spark
        rows.append(ScorecardRow(
            measure_code=code, theme=str(row.theme), short_name=str(row.short_name),
            polarity_text=cat.get(code).polarity_text,
            latest=_text(row.value_text).removesuffix(RATE_SUFFIX), rating=verdict.rating,
            travel=_with_symbol(row.travel_previous_symbol, row.travel_previous_word),
            neighbours=comparator_text(row.sn_average, code, row.sn_used, row.sn_of),
            england=comparator_text(row.england, code), basis=basis_text(verdict),
            period=row.period_label, comparator_year=row.comparator_period_label,
            spark=tuple(spark) if spark is not None else (),
        ))
    return tuple(rows)


def overview_view(source: Reads | Engine, scope: Scope) -> OverviewView:
    """The whole Overview for the scope, straight from the reads (or an engine)."""
    reads = reads_of(source)
    card = scorecard(reads, scope)
    found = year_benchmarks(reads, scope.home, latest_year_end(scope.end))
    verdict = overview_verdict(card, found, scope.home)
    return OverviewView(scope, card, verdict, scorecard_rows(card, verdict))

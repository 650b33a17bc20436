"""A verdict on every measure, with or without a local target, and what needs a committee's attention.

Ratings against a target only say something where a council has set one, and a council starts with
none: rated on targets alone, a council in the bottom quarter of England would read an all-clear. So
every measure is also judged on DfE's published figures for every council, by the rules LAIT uses
(``metrics.comparison``, the one builder of a comparison): its quartile band A-D, its rank, and
whether it is better or worse than England and its statistical neighbours' average. A measure with
a target is rated against the target; one without is rated on its band. Each verdict says which basis
it uses, because 'off target' and 'bottom quartile nationally' are different facts.

Benchmarks use published figures only: a council's own monthly or year-end figures never stand in
for DfE's, and the year of DfE's figures is always named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from db.models import PUBLISHED as PUBLISHED_ORIGIN
from db.models import PUBLISHED_SOURCE
from metrics.comparison import compare
from metrics.formatting import (
    YEAR_END_DAY,
    YEAR_END_MONTH,
    format_value,
    is_missing,
    ordinal,
    round_half_up,
    year_end,
    year_label,
)
from metrics.ratings import (
    AMBER,
    BAND_RATINGS,
    BENCHMARK_BASIS,
    CONTEXT,
    GREEN,
    NO_RATING,
    NOT_RATED,
    RATINGS,
    RED,
    WORSE_THAN_BOTH_RATING,
    Rating,
)
from metrics.scorecard import CardRow
from metrics.standing import Standing
from metrics.travel import direction_of_travel
from reference.areas import AreaDirectory, areas
from reference.catalogue import Measure, catalogue

OFF_TARGET, BOTTOM_QUARTILE, WORSE_THAN_BOTH = "off_target", "bottom_quartile", "worse_than_both"
ATTENTION_KINDS = (OFF_TARGET, BOTTOM_QUARTILE, WORSE_THAN_BOTH)
ATTENTION_RATINGS = {OFF_TARGET: RED, BOTTOM_QUARTILE: BAND_RATINGS["D"], WORSE_THAN_BOTH: WORSE_THAN_BOTH_RATING}
COMPARISON_WORDS = {"better": "better than", "worse": "worse than", "same": "level with", "up": "higher than",
                    "down": "lower than"}


# ---- which figures are DfE's ---------------------------------------------------------------------------

def published_figures(obs: pd.DataFrame, batches: pd.DataFrame | None = None) -> pd.DataFrame:
    """The yearly headline rows DfE published, for every area: what benchmarks are built from.

    Observations carry an ``origin`` ('local' or 'published') where the schema has one; otherwise a row
    is DfE's when the batch that loaded it was a published table (``batches`` with id and source). With
    neither, every yearly row is taken, as before figures were told apart. ``obs`` is not changed.
    """
    mask = obs["period_type"].to_numpy() == "year"
    if "dimension" in obs:
        mask &= obs["dimension"].fillna("").to_numpy() == ""
    if "origin" in obs:
        mask &= obs["origin"].fillna("").to_numpy() == PUBLISHED_ORIGIN
    elif batches is not None and "batch_id" in obs:
        published = batches.loc[batches["source"] == PUBLISHED_SOURCE, "id"].astype("int64").to_numpy()
        mask &= np.isin(obs["batch_id"].to_numpy(dtype="int64"), published)
    return obs[mask]


# ---- one measure against every council ---------------------------------------------------------------

def compared_with(own: float, other: float | None, measure: Measure) -> str:
    """'better', 'worse' or 'same' by polarity ('up'/'down' for 'neither'), '' with nothing to compare.

    Judged on the figures as shown (rounded to the measure's places), so '69%' is never 'worse' than '69%'.
    """
    if other is None:
        return ""
    shown_own, shown_other = (float(round_half_up(v, measure.decimals)) for v in (own, other))
    travel = direction_of_travel(shown_own, shown_other, measure.polarity)
    return "" if travel.code == "none" else travel.code


@dataclass(frozen=True)
class Benchmark:
    """The council's DfE figure for one year beside every council's, by LAIT's rules."""

    measure_code: str
    year: int  # the year ending 31 March
    year_label: str  # '2024-25'
    value: float | None  # None when DfE published a symbol or nothing for the council
    status: str  # 'value', a symbol such as 'c', or 'missing'
    value_text: str  # '63%', 'suppressed', 'no data'
    band: str | None  # 'A' (best quarter of councils) to 'D' (worst); None without polarity or figure
    rank: int | None  # 1 = best by polarity; ties share the best rank
    ranked: int | None  # how many councils had a figure that year
    england: float | None
    england_text: str
    neighbours: float | None  # the mean of the neighbours with a published figure
    neighbours_used: int
    neighbours_of: int
    neighbours_text: str
    versus_england: str  # better, worse, same (up, down for 'neither'), '' when either is missing
    versus_neighbours: str
    standing: Standing | None = None  # the rank and band in words (metrics.standing); None when not ranked

    @property
    def rating(self) -> Rating:
        return BAND_RATINGS.get(self.band or "", NOT_RATED)

    @property
    def rank_text(self) -> str:
        """'112th of 150', 'joint 38th of 151 (6 councils at 13%)', with why the band is what it is when the
        rank alone would suggest another (metrics.standing); '' when the council is not ranked."""
        if self.standing is not None:
            return self.standing.rank_and_band
        if self.rank is None or self.ranked is None:
            return ""
        return f"{ordinal(self.rank)} of {self.ranked}"

    @property
    def bottom_quartile(self) -> bool:
        return self.band == "D"

    @property
    def worse_than_both(self) -> bool:
        return self.versus_england == "worse" and self.versus_neighbours == "worse"

    def comparison_text(self) -> str:
        """'worse than England (69%) and the statistical neighbour average (69%)', or '' when not both known."""
        if not self.versus_england or not self.versus_neighbours:
            return ""
        england = f"{COMPARISON_WORDS[self.versus_england]} England ({self.england_text})"
        sn = f"the statistical neighbour average ({self.neighbours_text})"
        if self.versus_england == self.versus_neighbours:
            return f"{england} and {sn}"
        return f"{england} and {COMPARISON_WORDS[self.versus_neighbours]} {sn}"


def _latest_year(frame: pd.DataFrame, end: date | None) -> int | None:
    """DfE's latest year (ending 31 March) with any real figure for the measure, up to ``end``."""
    ends = pd.to_datetime(frame["period_end"])
    mask = frame["value"].notna().to_numpy() & (ends.dt.month.to_numpy() == YEAR_END_MONTH)
    if end is not None:
        mask &= ends.to_numpy() <= np.datetime64(end)
    return int(ends[mask].max().year) if mask.any() else None


def benchmark(frame: pd.DataFrame, measure: Measure, home: str, directory: AreaDirectory | None = None,
              end: date | None = None) -> Benchmark | None:
    """The council's place among all councils in DfE's latest published year up to ``end``.

    ``frame`` holds DfE's published figures for the measure and every area (see published_figures).
    None when DfE published nothing for the measure by then (a local measure, or a year not yet out).
    A council DfE published nothing for gets a Benchmark with no value, band or rank.
    """
    directory = directory or areas()
    if frame.empty:
        return None
    year = _latest_year(frame, end)
    if year is None:
        return None
    area = directory.get(home)
    frame = frame[pd.to_datetime(frame["period_end"]).dt.year.to_numpy() == year]  # the one year, read once
    found = compare(frame, frame, measure, area, directory, year)
    value, standing = found.own.value, found.standing
    rank, band, ranked = found.rank, found.band, found.ranked
    if area.fictional and value is not None and measure.polarity != "neither":
        standing = found.placed  # not among DfE's councils: where its figure would sit among them
        rank, band, ranked = (None, None, None) if standing is None else (standing.rank, standing.band, standing.of)
    england = found.england.value
    sn = found.neighbour_average.value
    return Benchmark(
        measure_code=measure.code, year=year, year_label=year_label(year),
        value=value, status=found.own.status, value_text=format_value(value, measure, found.own.status),
        band=band, rank=rank, ranked=ranked,
        england=england, england_text=format_value(england, measure),
        neighbours=sn, neighbours_used=found.neighbour_average.used, neighbours_of=found.neighbour_average.of,
        neighbours_text=format_value(sn, measure),
        versus_england="" if value is None else compared_with(value, england, measure),
        versus_neighbours="" if value is None else compared_with(value, sn, measure),
        standing=standing,
    )


# ---- the verdict on one measure ---------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    """One measure: the rating shown, what it was judged against, and why it needs attention (if it does)."""

    measure_code: str
    short_name: str
    theme: str
    polarity: str
    value_text: str  # the council's latest figure as the scorecard shows it
    period_label: str
    has_figure: bool
    rating: Rating  # against the target where there is one, else the quartile band, else NOT_RATED
    target_rating: Rating  # GREEN, AMBER, RED or NO_RATING
    previous_target_rating: Rating
    target_text: str  # '70% or more', '' without a target
    benchmark: Benchmark | None
    basis_text: str  # 'Target 70% or more', 'DfE 2024-25: 63%, 112th of 150', or why it is not rated
    kinds: tuple[str, ...]  # which of ATTENTION_KINDS apply
    line: str  # the needs-attention line, '' when it needs none
    value: float | None = None  # the council's latest figure, as the scorecard compares it

    @property
    def needs_attention(self) -> bool:
        return bool(self.kinds)

    @property
    def attention_rating(self) -> Rating:
        """The badge of the first reason it needs attention: off target, bottom quartile, worse than both."""
        if not self.kinds:
            return self.rating
        return ATTENTION_RATINGS[self.kinds[0]]

    @property
    def turned_red(self) -> bool:
        return self.target_rating == RED and self.previous_target_rating not in (RED, NO_RATING)


def _not_rated_reason(has_figure: bool, bench: Benchmark | None, home_name: str) -> str:
    """Why a measure with a polarity has no rating, short enough for a table cell."""
    if not has_figure and (bench is None or bench.value is None):
        return "No figure loaded"
    if bench is None:
        return "No target; DfE does not publish it"
    if bench.value is None:
        if bench.status == "missing":
            return f"No target; no DfE figure for {home_name} in {bench.year_label}"
        return f"No target; DfE {bench.year_label}: {bench.value_text}"
    return f"No target; DfE {bench.year_label}: {bench.value_text}, not ranked"


def _benchmark_text(bench: Benchmark) -> str:
    """'DfE 2024-25: 63%, 112th of 150'."""
    text = f"DfE {bench.year_label}: {bench.value_text}"
    return f"{text}, {bench.rank_text}" if bench.rank_text else text


def _benchmark_reasons(bench: Benchmark | None) -> tuple[list[str], list[str]]:
    kinds, words = [], []
    if bench is None or bench.value is None:
        return kinds, words
    if bench.bottom_quartile:
        kinds.append(BOTTOM_QUARTILE)
        standing = bench.standing
        if standing is not None and not standing.agrees:
            words.append(f"bottom quartile nationally (band D as LAIT gives it, ranked {standing.rank_words}: "
                         f"{standing.reason})")
        else:
            words.append(f"bottom quartile nationally ({bench.rank_text})")
    if bench.worse_than_both:
        kinds.append(WORSE_THAN_BOTH)
        words.append(bench.comparison_text())
    return kinds, words


def _attention_line(measure: Measure, row: CardRow, target_rating: Rating, previous: Rating,
                    bench: Benchmark | None, bench_words: list[str]) -> str:
    """'Settled for 2 years or more: 63% in 2024-25, bottom quartile nationally (112th of 150)'."""
    clauses = []
    same_figure = (bench is not None and row.period_label == bench.year_label
                   and row.value_text == bench.value_text)
    if target_rating == RED:
        was = f"; was {previous.word.lower()}" if previous not in (RED, NO_RATING) else ""
        clause = f"{row.value_text} in {row.period_label}, off target (target {row.target_text}{was})"
        if bench_words and same_figure:
            clause += ", " + ", ".join(bench_words)
            bench_words = []
        clauses.append(clause)
    if bench_words and bench is not None:
        if clauses:
            clauses.append(f"DfE's figure for {bench.year_label} was {bench.value_text}: " + ", ".join(bench_words))
        else:
            own = "" if same_figure or not row.period_label else " (DfE's published figure)"
            clauses.append(f"{bench.value_text} in {bench.year_label}{own}, " + ", ".join(bench_words))
    return f"{measure.short_name}: " + "; ".join(clauses) if clauses else ""


def measure_verdict(row: CardRow, measure: Measure, bench: Benchmark | None, home_name: str) -> Verdict:
    """The verdict on one measure from its scorecard row (metrics.scorecard) and its benchmark."""
    has_figure = not is_missing(row.value)
    target_rating = RATINGS.get(str(row.rating_code), NO_RATING)
    previous = RATINGS.get(str(row.previous_rating_code), NO_RATING)
    target = str(row.target_text or "")
    kinds, words = _benchmark_reasons(bench)
    if target_rating == RED:
        kinds.insert(0, OFF_TARGET)
    if measure.polarity == "neither":
        rating, basis = CONTEXT, "Neither way is better"
    elif target_rating is not NO_RATING:
        rating, basis = target_rating, f"Target {target}"
        if bench is not None and bench.band:
            basis += f"; DfE {bench.year_label}: band {bench.band}"
    elif bench is not None and bench.rating is not NOT_RATED:
        # One verdict for the badge and the attention list: a band that needs attention (worse than both
        # England and the neighbours' average) is badged with that reason, never green beside it.
        rating = ATTENTION_RATINGS[kinds[0]] if kinds else bench.rating
        basis = _benchmark_text(bench)
        if rating is not bench.rating:
            basis += f", band {bench.band}" if bench.standing is None or bench.standing.agrees else ""
    else:
        rating, basis = NOT_RATED, _not_rated_reason(has_figure, bench, home_name)
    line = _attention_line(measure, row, target_rating, previous, bench, words) if kinds else ""
    return Verdict(
        measure_code=measure.code, short_name=measure.short_name, theme=measure.theme, polarity=measure.polarity,
        value_text=str(row.value_text), period_label=str(row.period_label or ""), has_figure=has_figure,
        rating=rating, target_rating=target_rating, previous_target_rating=previous, target_text=target,
        benchmark=bench, basis_text=basis, kinds=tuple(kinds), line=line,
        value=None if is_missing(row.value) else float(row.value),
    )


# ---- what changed since the previous period ---------------------------------------------------------

def _rated_figure(verdict: Verdict) -> tuple[float | None, str, str]:
    """The figure a rating rests on: (value, as shown, its period): DfE's for a band, the council's own else."""
    bench = verdict.benchmark
    if verdict.rating.basis == BENCHMARK_BASIS and bench is not None:
        return bench.value, bench.value_text, bench.year_label
    return verdict.value, verdict.value_text, verdict.period_label


def in_sentence(word: str) -> str:
    """'Worse than England and neighbours' -> 'worse than England and neighbours': a name keeps its capital."""
    return word[:1].lower() + word[1:]


def rating_change(now: Verdict, before: Verdict) -> str:
    """What changed in a measure's rating since the previous period, in one true sentence; '' when nothing did.

    The pack's 'What changed' is built here from the same two figures the scorecard's 'since last period'
    compares (as shown, by metrics.travel), so it never calls a figure that stayed at 9% a change of ours: a
    band that moved because other councils' figures did, or a rating that moved with its target, says so.
    """
    if not now.has_figure or now.rating.code == before.rating.code:
        return ""
    measure = catalogue().get(now.measure_code)
    now_word = in_sentence(now.rating.word)
    was_word = in_sentence(before.rating.word) if before.has_figure else "no figure"
    value, shown, period = _rated_figure(now)
    was_value, was_shown, was_period = _rated_figure(before)
    same_basis = now.rating.basis == before.rating.basis and before.has_figure
    unchanged = (same_basis and value is not None and was_value is not None
                 and compared_with(value, was_value, measure) == "same")
    if unchanged and now.rating.basis == BENCHMARK_BASIS:
        years = was_period if was_period == period else f"{was_period} and {period}"
        bands = (f"band moved from {before.benchmark.band} to {now.benchmark.band}"
                 if before.benchmark is not None and now.benchmark is not None
                 and before.benchmark.band != now.benchmark.band else f"now {now_word}, was {was_word}")
        return (f"{bands} because other councils' figures changed; our figure stayed at {shown} "
                f"(DfE {years})")
    if unchanged and now.target_text != before.target_text:
        return (f"now {now_word}, was {was_word}, because the target changed (now {now.target_text}, "
                f"was {before.target_text or 'none'}); our figure stayed at {shown}")
    if unchanged:
        return f"now {now_word}, was {was_word}; our figure stayed at {shown} ({was_period} and {period})"
    if not before.has_figure or was_value is None:
        return f"now {now_word} ({shown} in {period}), was {was_word}"
    return f"now {now_word} ({shown} in {period}), was {was_word} ({was_shown} in {was_period})"


# ---- every measure: what needs attention, and whether anything may be called all clear ---------------

@dataclass(frozen=True)
class Counts:
    measures: int  # measures needing attention
    off_target: int
    bottom_quartile: int
    worse_than_both: int
    on_target: int
    close_to_target: int
    rated_on_benchmark: int  # no target: rated on the quartile band alone
    not_rated: int  # with a figure but nothing to rate it against (or no polarity)
    no_figure: int
    with_target: int  # measures with a target in force for their latest figure
    with_benchmark: int  # measures with a DfE figure for the council itself


@dataclass(frozen=True)
class OverviewVerdict:
    verdicts: tuple[Verdict, ...]  # every measure, in the order given
    counts: Counts
    all_clear: bool  # every ratable measure with a figure on target and none in the bottom quartile
    benchmark_years: tuple[str, ...]  # the years of DfE's figures the benchmarks use ('2024-25')

    @property
    def attention(self) -> tuple[Verdict, ...]:
        """Every measure off target, in the bottom quartile or worse than both comparators: no cap.

        Most pressing first: turned red since the previous period, off target, bottom quartile, then
        worse than both; catalogue order within each.
        """
        def order(v: Verdict) -> int:
            if v.turned_red:
                return 0
            return 1 + min(ATTENTION_KINDS.index(kind) for kind in v.kinds)

        return tuple(sorted((v for v in self.verdicts if v.needs_attention), key=order))

    @property
    def close_to_target(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.target_rating == AMBER)

    def verdict(self, code: str) -> Verdict:
        return next(v for v in self.verdicts if v.measure_code == code)

    @property
    def summary(self) -> str:
        """'2 measures need attention: 1 off target, 1 in the bottom quartile nationally, 1 worse than both ...'."""
        c = self.counts
        if self.all_clear:
            return ("Every measure with a figure is on target, and none is in the bottom quartile nationally or "
                    "worse than both England and the statistical neighbour average.")
        if c.measures:
            head = f"{c.measures} measure{'s' if c.measures != 1 else ''} need{'' if c.measures != 1 else 's'} attention"
            targets = "" if c.with_target else " (no targets are loaded)"
            published = "" if c.with_benchmark else " (DfE publishes no figures for this council)"
            parts = [f"{c.off_target} off target{targets}", f"{c.bottom_quartile} in the bottom quartile nationally",
                     f"{c.worse_than_both} worse than both England and the statistical neighbour average{published}"]
            return f"{head}: {', '.join(parts)}."
        return ("No measure is off target, in the bottom quartile nationally or worse than both England and the "
                "statistical neighbour average, but this is not an all-clear: " + self._not_clear_because() + ".")

    def _not_clear_because(self) -> str:
        c = self.counts
        parts = []
        if c.close_to_target:
            parts.append(f"{c.close_to_target} {'is' if c.close_to_target == 1 else 'are'} close to target")
        if c.rated_on_benchmark:
            parts.append(f"{c.rated_on_benchmark} {'has' if c.rated_on_benchmark == 1 else 'have'} no target and "
                         f"{'is' if c.rated_on_benchmark == 1 else 'are'} judged on DfE's published figures alone")
        if c.not_rated:
            parts.append(f"{c.not_rated} cannot be rated")
        if c.no_figure:
            parts.append(f"{c.no_figure} {'has' if c.no_figure == 1 else 'have'} no figure")
        return "; ".join(parts) or "no measure has a figure to rate"


def _counts(verdicts: list[Verdict]) -> Counts:
    return Counts(
        measures=sum(v.needs_attention for v in verdicts),
        off_target=sum(OFF_TARGET in v.kinds for v in verdicts),
        bottom_quartile=sum(BOTTOM_QUARTILE in v.kinds for v in verdicts),
        worse_than_both=sum(WORSE_THAN_BOTH in v.kinds for v in verdicts),
        on_target=sum(v.rating == GREEN for v in verdicts),
        close_to_target=sum(v.rating == AMBER for v in verdicts),
        rated_on_benchmark=sum(v.rating.basis == "benchmark" for v in verdicts),
        not_rated=sum(v.rating == NOT_RATED and v.has_figure for v in verdicts),
        no_figure=sum(not v.has_figure for v in verdicts),
        with_target=sum(bool(v.target_text) for v in verdicts),
        with_benchmark=sum(v.benchmark is not None and v.benchmark.value is not None for v in verdicts),
    )


def _is_clear(verdicts: list[Verdict]) -> bool:
    """True only when every measure that can be rated and has a figure is on target, with no attention."""
    ratable = [v for v in verdicts if v.has_figure and v.polarity != "neither"]
    return bool(ratable) and all(v.rating == GREEN and not v.needs_attention for v in ratable)


def latest_year_end(end: date) -> date:
    """The last 31 March on or before ``end``: benchmarks for any day in a year share one cache entry."""
    year = end.year if (end.month, end.day) >= (YEAR_END_MONTH, YEAR_END_DAY) else end.year - 1
    return year_end(year)


def benchmarks(published: pd.DataFrame, home: str, end: date | None = None,
               directory: AreaDirectory | None = None, measures: list[Measure] | None = None) -> dict[str, Benchmark]:
    """measure code -> the council's benchmark in DfE's latest year up to ``end``, for every measure DfE publishes.

    ``published`` holds DfE's published yearly figures for every area (published_figures). Not changed.
    """
    directory = directory or areas()
    chosen = list(measures) if measures is not None else list(catalogue().measures)
    groups = dict(tuple(published.groupby("measure_code", sort=False))) if not published.empty else {}
    out = {}
    for measure in chosen:
        if measure.code in groups:
            found = benchmark(groups[measure.code], measure, home, directory, end)
            if found is not None:
                out[measure.code] = found
    return out


def build_verdicts(card: tuple[CardRow, ...], found: dict[str, Benchmark], home: str,
                   directory: AreaDirectory | None = None) -> OverviewVerdict:
    """A verdict for every scorecard row (metrics.scorecard.build_scorecard), in the card's order.

    ``found`` is the council's benchmarks (see benchmarks()); a measure missing from it has no
    published figures to be judged on. ``card`` is not changed.
    """
    directory = directory or areas()
    cat = catalogue()
    home_name = directory.get(home).name if home in directory else home
    verdicts = []
    for row in card:
        measure = cat.get(row.measure_code)
        verdicts.append(measure_verdict(row, measure, found.get(measure.code), home_name))
    years = sorted({v.benchmark.year_label for v in verdicts if v.benchmark is not None and v.benchmark.value is not None})
    return OverviewVerdict(tuple(verdicts), _counts(verdicts), _is_clear(verdicts), tuple(years))

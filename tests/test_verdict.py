"""The verdict on every measure, with or without a local target, on real databases.

Cheshire East with DfE's published figures only is how a council starts: no targets, so every measure
is judged on its quartile band, rank and England and neighbour comparisons. Every expected figure is
worked out here from DfE's source files (csv module) by LAIT's rules, never read back from the code.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from db import queries
from db.engine import connect
from db.writes import OBSERVATION_COLUMNS, TARGET_COLUMNS, BatchInfo, apply_batch
from metrics.ratings import (
    AMBER,
    BAND_RATINGS,
    GREEN,
    NO_RATING,
    RED,
    WORSE_THAN_BOTH_RATING,
    decimals_keeping_rating,
    exact_decimals,
    rate_against_target,
)
from metrics.scorecard import build_scorecard
from metrics.verdict import (
    BOTTOM_QUARTILE,
    OFF_TARGET,
    WORSE_THAN_BOTH,
    OverviewVerdict,
    benchmarks,
    build_verdicts,
    published_figures,
)
from reference.areas import ENGLAND_CODE, areas
from reference.catalogue import catalogue
from tests import app_database
from tests.test_app_benchmarking import (
    SOURCES,
    area_of,
    lait_rank_and_band,
    neighbours,
    ordinal,
    source_rows,
    whole,
)

CHESHIRE_EAST = "E06000049"
SAMPLE_COUNCIL = "E06999901"
YEAR = 2025
YEAR_END = date(YEAR, 3, 31)
SOURCES = {**SOURCES, "stab_long_pct": (
    "la_cla_placement_stability.csv",
    {"cla_group": "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
     "placement_stability": "Living with the same carer for at least 2 years"}, "children_percent")}


# ---- what DfE's files say ------------------------------------------------------------------------------

def published_number(measure: str, area: str, year: int = YEAR) -> float:
    name, filters, column = SOURCES[measure]
    return next(float(r[column]) for r in source_rows(name)
                if area_of(r) == area and r["time_period"] == str(year) and all(r[k] == v for k, v in filters.items()))


def council_numbers(measure: str, year: int = YEAR) -> dict[str, float]:
    """Councils' published numbers for the year (symbols left out, never zero)."""
    name, filters, column = SOURCES[measure]
    out = {}
    for r in source_rows(name):
        if (r["time_period"] == str(year) and r["geographic_level"] == "Local authority"
                and all(r[k] == v for k, v in filters.items())):
            try:
                out[r["new_la_code"]] = float(r[column])
            except ValueError:
                continue
    return out


def neighbour_mean(measure: str, home: str = CHESHIRE_EAST) -> float:
    values = council_numbers(measure)
    found = [values[code] for code, _ in neighbours(areas().get(home).dfe_number) if code in values]
    return sum(found) / len(found)


def expected_stability_line() -> str:
    """The needs-attention line for Cheshire East's long-term stability, from DfE's file."""
    values = council_numbers("stab_long_pct")
    rank, band, of = lait_rank_and_band(values, CHESHIRE_EAST, "higher")
    assert (band, rank, of) == ("D", 112, 150)  # as the committee was told: bottom quartile, 112th of 150
    own, england = values[CHESHIRE_EAST], published_number("stab_long_pct", ENGLAND_CODE)
    return (f"Settled for 2 years or more: {whole(own)}% in 2024-25, bottom quartile nationally "
            f"(band D as LAIT gives it, ranked {stability_rank_words()}: {STABILITY_BAND_REASON}), "
            f"worse than England ({whole(england)}%) and the statistical neighbour "
            f"average ({whole(neighbour_mean('stab_long_pct'))}%)")


# 112th of 150 is in the third quarter of the ranking, yet LAIT's band is D: 13 councils share 63%, the lower
# quartile itself, and where higher is better LAIT bands a figure on the line with the worse side.
STABILITY_BAND_REASON = ("63% is LAIT's line between bands C and D (the lower quartile of all councils' figures), "
                         "and where higher is better LAIT puts a figure on a line in the worse of the two bands")


def stability_rank_words() -> str:
    """'joint 112th of 150 (13 councils at 63%)', counted from DfE's file."""
    values = council_numbers("stab_long_pct")
    own = values[CHESHIRE_EAST]
    tied = sum(v == own for v in values.values())
    assert tied == 13
    rank, _band, of = lait_rank_and_band(values, CHESHIRE_EAST, "higher")
    return f"joint {ordinal(rank)} of {of} ({tied} councils at {whole(own)}%)"


def stability_basis() -> str:
    """The scorecard's basis: the rank says joint, and the band says why it is D at 112th of 150."""
    return f"DfE 2024-25: 63%, {stability_rank_words()}; band D, as LAIT gives it: {STABILITY_BAND_REASON}"


# ---- databases -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def published_path(tmp_path_factory) -> Iterator[str]:
    """DfE's published figures for every council, loaded as the app loads them on first start (its URL)."""
    url = app_database.published_database(tmp_path_factory.mktemp("verdict") / "published.db")
    yield url
    connect(url).dispose()


@pytest.fixture(scope="module")
def cheshire_east(published_path) -> OverviewVerdict:
    """Cheshire East's verdicts on the published figures alone (built once: the tests only read them)."""
    return overview_for(published_path)


def copy_of(url: str, folder) -> str:
    """A copy of a database, so a test may add to it without touching the module's."""
    return app_database.copy_database(url, folder / "copy.db")


def batch(name: str, source: str) -> BatchInfo:
    return BatchInfo(name, name.encode().hex().ljust(64, "0")[:64], source, ["Sheet1"], "tester")


def observation(code: str, area: str, period_type: str, end: date, value: float) -> dict:
    return dict(measure_code=code, area_code=area, period_type=period_type, period_end=end, dimension="",
                category="", value=value, numerator=None, denominator=None, status="value")


def add_targets(url: str, targets: dict[str, float], home: str = CHESHIRE_EAST) -> None:
    frame = pd.DataFrame([dict(measure_code=code, area_code=home, period_start=date(2024, 4, 1),
                               period_end=date(2026, 3, 31), value=value) for code, value in targets.items()],
                         columns=TARGET_COLUMNS)
    apply_batch(connect(url), batch("targets.xlsx", "return"), pd.DataFrame(columns=OBSERVATION_COLUMNS), frame)


def overview_for(url: str, home: str = CHESHIRE_EAST, end: date = YEAR_END) -> OverviewVerdict:
    """The verdicts the Overview shows, read from the database through the app's own queries."""
    engine = connect(url)
    directory = areas()
    codes = [a.code for a in directory.neighbours(home)]
    region = directory.region_of(home).code
    obs = queries.observations(engine, areas=[home, *codes, region, ENGLAND_CODE])
    obs = obs[obs["period_end"] <= pd.Timestamp(end)]
    card = build_scorecard(obs, queries.targets(engine, areas=[home]), home, codes, region)
    published = published_figures(queries.observations(engine), queries.batches(engine))
    return build_verdicts(card, benchmarks(published, home, end, directory), home, directory)


# ---- a council with no targets -------------------------------------------------------------------------

def test_cheshire_east_without_targets_is_told_long_term_stability_needs_attention(cheshire_east):
    overview = cheshire_east
    stability = overview.verdict("stab_long_pct")
    assert stability.rating == BAND_RATINGS["D"]
    assert stability.rating.basis == "benchmark" and stability.rating.word == "Bottom quartile nationally"
    assert stability.target_rating == NO_RATING
    assert stability.line == expected_stability_line()
    assert stability in overview.attention
    assert set(stability.kinds) == {BOTTOM_QUARTILE, WORSE_THAN_BOTH}
    assert stability.basis_text == stability_basis()
    assert not overview.all_clear
    assert "Off target" not in " ".join(v.rating.word for v in overview.verdicts)  # no target, no 'off target'
    assert "0 off target (no targets are loaded)" in overview.summary
    banded_d = [v for v in overview.verdicts if v.benchmark is not None and v.benchmark.band == "D"]
    assert f"{len(banded_d)} in the bottom quartile nationally" in overview.summary
    assert overview.benchmark_years == ("2024-25",)


@pytest.mark.parametrize(("measure", "polarity"), [("stab_3plus_pct", "lower"), ("cl_accom_17_18", "higher"),
                                                    ("stab_long_pct", "higher")])
def test_band_rank_and_comparisons_are_those_of_lait_read_by_polarity(cheshire_east, measure, polarity):
    assert catalogue().get(measure).polarity == polarity
    found = cheshire_east.verdict(measure).benchmark
    rank, band, of = lait_rank_and_band(council_numbers(measure), CHESHIRE_EAST, polarity)
    assert (found.band, found.rank, found.ranked, found.year_label) == (band, rank, of, "2024-25")
    own, england, sn = (published_number(measure, CHESHIRE_EAST), published_number(measure, ENGLAND_CODE),
                        neighbour_mean(measure))

    def judged(other: float) -> str:
        mine, theirs = round(own), int(Decimal(repr(other)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
        if mine == theirs:
            return "same"
        return "better" if (mine > theirs) == (polarity == "higher") else "worse"

    assert (found.versus_england, found.versus_neighbours) == (judged(england), judged(sn))


def test_a_measure_with_no_polarity_or_no_published_figure_is_not_rated_and_says_why(cheshire_east):
    overview = cheshire_east
    count = overview.verdict("cla_count")
    assert count.rating.word == "Context only" and count.basis_text == "Neither way is better"
    assert not count.needs_attention
    local = overview.verdict("health_iha_pct")  # DfE does not publish initial health assessments
    assert (local.rating.word, local.basis_text, local.has_figure) == ("Not rated", "No figure loaded", False)


# ---- a council with targets ----------------------------------------------------------------------------

def test_a_target_is_what_a_measure_is_rated_against_and_a_bottom_quartile_still_needs_attention(
        published_path, tmp_path):
    url = copy_of(published_path, tmp_path)
    add_targets(url, {"stab_long_pct": 60.0, "stab_3plus_pct": 8.0})
    overview = overview_for(url)
    stability = overview.verdict("stab_long_pct")
    assert stability.rating == GREEN and stability.rating.basis == "target"
    assert stability.basis_text == "Target 60% or more; DfE 2024-25: band D"
    assert OFF_TARGET not in stability.kinds and BOTTOM_QUARTILE in stability.kinds  # on target, yet bottom quarter
    assert stability.line == expected_stability_line()
    moves = overview.verdict("stab_3plus_pct")
    own = published_number("stab_3plus_pct", CHESHIRE_EAST)
    assert own > 8.0 + catalogue().get("stab_3plus_pct").tolerance  # worse than the target and its tolerance
    assert moves.rating == RED and moves.kinds[0] == OFF_TARGET
    assert moves.line.startswith(f"3 or more moves in a year: {whole(own)}% in 2024-25, off target (target 8% or less)")
    assert not overview.all_clear
    assert "1 off target," in overview.summary


def published_batch(url: str, home_value: float) -> None:
    """Long-term stability for Cheshire East, eight other councils and England, as one published table."""
    others = [a.code for a in areas().local_authorities(include_fictional=False)
              if a.code != CHESHIRE_EAST][:8]
    rows = [observation("stab_long_pct", CHESHIRE_EAST, "year", YEAR_END, home_value)]
    rows += [observation("stab_long_pct", code, "year", YEAR_END, 50.0 + 2 * i) for i, code in enumerate(others)]
    rows += [observation("stab_long_pct", code, "year", YEAR_END, 60.0)
             for code in [a.code for a in areas().neighbours(CHESHIRE_EAST)]]
    rows.append(observation("stab_long_pct", ENGLAND_CODE, "year", YEAR_END, 62.0))
    apply_batch(connect(url), batch("published.csv", "published"), pd.DataFrame(rows, columns=OBSERVATION_COLUMNS))


@pytest.mark.parametrize(("home_value", "target", "clear"), [
    (80.0, 70.0, True),  # on target and the best of the councils: the only all-clear
    (40.0, 30.0, False),  # on target, but the worst of the councils: bottom quartile
    (69.0, 70.0, False),  # close to target: not an all-clear
])
def test_all_clear_only_when_every_measure_is_on_target_and_none_in_the_bottom_quartile(
        db_url, engine, home_value, target, clear):
    published_batch(db_url, home_value)
    add_targets(db_url, {"stab_long_pct": target})
    overview = overview_for(db_url)
    assert overview.all_clear is clear
    assert overview.summary.startswith("Every measure with a figure is on target") is clear
    if home_value == 40.0:
        assert overview.verdict("stab_long_pct").rating == GREEN
        assert overview.verdict("stab_long_pct").kinds == (BOTTOM_QUARTILE, WORSE_THAN_BOTH)
    if home_value == 69.0:
        assert overview.verdict("stab_long_pct").rating == AMBER
        assert "not an all-clear" in overview.summary and "1 is close to target" in overview.summary


def test_a_council_with_its_own_monthly_figures_is_benchmarked_on_dfes_figure_for_the_year(published_path, tmp_path):
    url = copy_of(published_path, tmp_path)
    months = [date(2025, 4, 30), date(2025, 5, 31), date(2025, 6, 30)]
    rows = [observation("stab_long_pct", CHESHIRE_EAST, "month", end, 75.0) for end in months]
    apply_batch(connect(url), batch("cheshire_east_monthly.xlsx", "return"),
                pd.DataFrame(rows, columns=OBSERVATION_COLUMNS))
    overview = overview_for(url, end=date(2025, 6, 30))
    stability = overview.verdict("stab_long_pct")
    assert (stability.value_text, stability.period_label) == ("75%", "June 2025")  # the council's own latest
    assert stability.rating == BAND_RATINGS["D"]  # but rated on DfE's published figure for 2024-25
    assert stability.basis_text == stability_basis()
    assert stability.line == expected_stability_line().replace(
        "63% in 2024-25,", "63% in 2024-25 (DfE's published figure),")


def test_benchmarks_use_published_figures_only(tmp_path):
    url = app_database.sample_database(tmp_path / "sample.db")
    engine = connect(url)
    published = published_figures(queries.observations(engine), queries.batches(engine))
    assert SAMPLE_COUNCIL not in set(published["area_code"])  # the sample's own year-end return is not DfE's
    assert set(published["period_type"]) == {"year"}
    sample = overview_for(url, SAMPLE_COUNCIL, date(2026, 10, 31))
    assert all(v.benchmark is None or v.benchmark.value is None for v in sample.verdicts)
    assert "(DfE publishes no figures for this council)" in sample.summary


# ---- a rating never contradicts the figure it shows ----------------------------------------------------

def shown_number(text: str) -> float:
    return float(text.split()[0].rstrip("%").replace(",", ""))


def test_the_sample_councils_figures_show_the_places_their_rating_needs(tmp_path):
    url = app_database.sample_database(tmp_path / "sample.db")
    engine = connect(url)
    overview = overview_for(url, SAMPLE_COUNCIL, date(2026, 10, 31))
    obs = queries.observations(engine, areas=[SAMPLE_COUNCIL])
    targets = queries.targets(engine, areas=[SAMPLE_COUNCIL])
    hidden = []
    for verdict in overview.verdicts:
        if verdict.target_rating == NO_RATING:
            continue
        measure = catalogue().get(verdict.measure_code)
        rows = obs[(obs["measure_code"] == measure.code) & (obs["period_type"] == "month")]
        raw = float(rows.sort_values("period_end")["value"].iloc[-1])
        target = targets[targets["measure_code"] == measure.code].iloc[-1]
        tolerance = measure.tolerance if pd.isna(target["tolerance"]) else float(target["tolerance"])
        shown, bar = shown_number(verdict.value_text), shown_number(verdict.target_text)
        assert rate_against_target(shown, bar, measure.polarity, tolerance) == verdict.target_rating, verdict
        at_measure_places = float(Decimal(repr(raw)).quantize(Decimal(1).scaleb(-measure.decimals),
                                                              rounding="ROUND_HALF_UP"))
        if rate_against_target(at_measure_places, bar, measure.polarity, tolerance) != verdict.target_rating:
            hidden.append(measure.code)
            assert verdict.value_text == f"{raw:.1f}%"  # one more place, and only where it is needed
    assert {"stab_long_pct", "health_sdq_concern_pct", "health_dev_pct"} <= set(hidden)
    for code in ("stab_long_pct", "health_sdq_concern_pct", "health_dev_pct"):
        assert overview.verdict(code).rating == AMBER
    assert overview.verdict("stab_long_pct").value_text == "69.9%"


@pytest.mark.parametrize(("value", "target", "polarity", "tolerance", "decimals", "places"), [
    (69.9, 70.0, "higher", 5.0, 0, 1),  # '70%' would read on target
    (70.0, 70.0, "higher", 5.0, 0, 0),
    (75.4, 70.0, "higher", 5.0, 0, 0),  # rounds harmlessly
    (64.96, 70.0, "higher", 5.0, 0, 2),  # '65%' and '65.0%' would read close to target
    (36.2, 36.0, "lower", 3.0, 0, 1),
    (14.04, 14.0, "lower", 0.5, 1, 2),  # a score shown to one place
    (np.nan, 70.0, "higher", 5.0, 0, 0),
])
def test_places_needed_to_keep_a_rating(value, target, polarity, tolerance, decimals, places):
    assert decimals_keeping_rating(value, target, polarity, tolerance, decimals) == places


@pytest.mark.parametrize(("value", "decimals", "places"), [(70.0, 0, 0), (69.5, 0, 1), (14.25, 1, 2)])
def test_a_target_is_shown_exactly(value, decimals, places):
    assert exact_decimals(value, decimals) == places


BLACKBURN = "E06000008"


def test_a_band_that_is_worse_than_both_comparators_is_badged_as_the_attention_list_says(published_path):
    """Blackburn with Darwen, 2024-25: 44% of SDQ scores a cause for concern (lower is better), band B, but worse
    than England and its neighbours: the badge is that reason, as in the list, never a green B beside it."""
    overview = overview_for(published_path, home=BLACKBURN)
    concern = overview.verdict("health_sdq_concern_pct")
    assert concern.polarity == "lower"
    assert concern.benchmark.value == 44 and concern.benchmark.band == "B"
    assert concern.benchmark.england < 44 and concern.benchmark.neighbours < 44  # lower is better: worse than both
    assert concern.kinds == (WORSE_THAN_BOTH,)
    assert concern in overview.attention
    assert concern.rating == concern.attention_rating == WORSE_THAN_BOTH_RATING
    assert concern.rating.colour_code != "green"
    assert concern.basis_text.endswith(", band B") or "band B, as LAIT gives it" in concern.basis_text
    for verdict in overview.verdicts:  # no measure anywhere is green and on the attention list at once
        if verdict.needs_attention and verdict.rating.basis == "benchmark":
            assert verdict.rating.colour_code != "green", verdict

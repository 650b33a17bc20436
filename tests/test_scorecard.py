"""The overview scorecard: one row per measure, rated, with travel, a trend line and comparators."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from db import queries
from metrics.scorecard import CardRow, build_scorecard
from metrics.scorecard import card_row as find_row
from reference.areas import ENGLAND_CODE, areas
from reference.catalogue import catalogue
from tests import app_database

HOME = "E06999901"
NEIGHBOURS = [a.code for a in areas().neighbours(HOME)]
REGION = areas().region_of(HOME).code
MONTHS = list(pd.date_range("2023-04-30", periods=24, freq="ME"))  # April 2023 to March 2025


def row(measure, area, kind, end, value, status="value"):
    return {"measure_code": measure, "area_code": area, "period_type": kind, "period_end": pd.Timestamp(end),
            "dimension": "", "category": "", "value": np.nan if value is None else float(value),
            "numerator": np.nan, "denominator": np.nan, "status": status, "batch_id": 1}


def monthly(measure: str, values: list[float | None], months: list[pd.Timestamp] = MONTHS) -> list[dict]:
    """The home council's last len(values) months ending March 2025; None is suppressed ('c')."""
    ends = months[-len(values):]
    return [row(measure, HOME, "month", end, v, "c" if v is None else "value") for end, v in zip(ends, values, strict=True)]


def build_obs() -> pd.DataFrame:
    rng = random.Random(42)
    rows = []
    # lower is better, target 10 (tolerance 2): amber in February, red in March -> turned red
    rows += monthly("stab_3plus_pct", [rng.choice([8.0, 9.0]) for _ in range(22)] + [11.0, 14.0])
    # higher is better, target 65 (tolerance 5): red in February and March -> already red
    rows += monthly("cla_foster_pct", [70.0] * 22 + [50.0, 52.0])
    # exactly at target (70, the catalogue's tolerance 5): amber at 69 in February; a year earlier 60
    rows += monthly("stab_long_pct", [60.0] + [rng.uniform(61, 68) for _ in range(21)] + [69.0, 70.0])
    # no target; 54.2% then 54.4% both read '54%' -> no change
    rows += monthly("cl_eet_17_18", [54.2, 54.4])
    # context only, a target is set for it
    rows += monthly("cla_count", [398.0, 350.0])
    # the latest figure is suppressed
    rows += monthly("health_dental_pct", [80.0, 82.0, None])
    # one figure only, red: it has not 'turned' red
    rows += monthly("health_iha_pct", [23.0])
    # lower is better score, quarterly only
    rows += [row("health_sdq_avg", HOME, "quarter", e, v) for e, v in
             [("2024-03-31", 15.0), ("2024-12-31", 14.6), ("2025-03-31", 14.2)]]
    # yearly comparators: cla_foster_pct with one neighbour suppressed, stab_long_pct with all suppressed
    for year, base in ((2024, 70.0), (2025, 72.0)):
        end = f"{year}-03-31"
        for i, code in enumerate(NEIGHBOURS):
            rows.append(row("cla_foster_pct", code, "year", end, None if i == 0 else base + i, "c" if i == 0 else "value"))
            rows.append(row("stab_long_pct", code, "year", end, None, "c"))
        rows.append(row("cla_foster_pct", REGION, "year", end, base - 2))
        rows.append(row("cla_foster_pct", ENGLAND_CODE, "year", end, base - 1))
        rows.append(row("stab_long_pct", ENGLAND_CODE, "year", end, base))
    # comparators only, for a measure the council has no figures of
    rows.append(row("health_rha_pct", ENGLAND_CODE, "year", "2025-03-31", 88.0))
    frame = pd.DataFrame(rows)
    return frame.astype({"value": "float64", "numerator": "float64", "denominator": "float64"})


def targets_frame() -> pd.DataFrame:
    rows = [("stab_3plus_pct", 10.0, 2.0), ("cla_foster_pct", 65.0, 5.0), ("stab_long_pct", 70.0, None),
            ("cla_count", 300.0, None), ("health_iha_pct", 60.0, 5.0), ("health_sdq_avg", 15.0, 0.5)]
    return pd.DataFrame({
        "measure_code": [r[0] for r in rows], "area_code": HOME,
        "period_start": pd.Timestamp("2024-04-01"), "period_end": pd.Timestamp("2025-03-31"),
        "value": [r[1] for r in rows], "tolerance": [np.nan if r[2] is None else r[2] for r in rows],
        "batch_id": 1,
    })


OBS, TARGETS = build_obs(), targets_frame()
CARD = build_scorecard(OBS, TARGETS, HOME, NEIGHBOURS, REGION)


def card_row(code: str) -> CardRow:
    return find_row(CARD, code)


def test_one_row_per_catalogue_measure_in_catalogue_order():
    assert all(isinstance(r, CardRow) for r in CARD)
    assert [r.measure_code for r in CARD] == [m.code for m in catalogue().measures]
    for code in [r.measure_code for r in CARD]:
        measure = catalogue().get(code)
        found = card_row(code)
        assert (found.name, found.unit, found.polarity) == (measure.name, measure.unit, measure.polarity)
        assert found.theme_name == catalogue().theme(measure.theme).name


@pytest.mark.parametrize(
    ("code", "value_text", "period_label", "target_text", "rating", "previous_rating", "turned_red"), [
        ("stab_3plus_pct", "14%", "March 2025", "10% or less", "red", "amber", True),
        ("cla_foster_pct", "52%", "March 2025", "65% or more", "red", "red", False),  # already red
        ("stab_long_pct", "70%", "March 2025", "70% or more", "green", "amber", False),  # exactly at target
        ("cl_eet_17_18", "54%", "March 2025", "", "none", "none", False),  # no target
        ("cla_count", "350", "March 2025", "300", "none", "none", False),  # context only
        ("health_dental_pct", "suppressed", "March 2025", "", "none", "none", False),
        ("health_iha_pct", "23%", "March 2025", "60% or more", "red", "none", False),  # first figure
        ("health_sdq_avg", "14.2", "Q4 2024-25", "15.0 or less", "green", "green", False),
        ("health_rha_pct", "no data", "", "", "none", "none", False),  # no figures at all
    ])
def test_latest_figure_rating_and_turned_red(code, value_text, period_label, target_text, rating, previous_rating,
                                             turned_red):
    found = card_row(code)
    assert found.value_text == value_text
    assert found.period_label == period_label
    assert found.target_text == target_text
    assert (found.rating_code, found.previous_rating_code, bool(found.turned_red)) == (
        rating, previous_rating, turned_red)
    words = {"green": "On target", "amber": "Close to target", "red": "Off target", "none": "No target"}
    assert found.rating_word == words[rating] and found.rating_symbol


@pytest.mark.parametrize(("code", "since_previous", "since_year"), [
    ("stab_3plus_pct", "Worse", "Worse"),  # 11 -> 14, lower is better
    ("cla_foster_pct", "Better", "Worse"),  # 50 -> 52; 70 a year earlier
    ("stab_long_pct", "Better", "Better"),  # a year earlier 60
    ("cl_eet_17_18", "No change", "No comparison"),  # 54.2% and 54.4% both read 54%
    ("cla_count", "Down", "No comparison"),  # neither: up or down, not better or worse
    ("health_dental_pct", "No comparison", "No comparison"),  # suppressed now
    ("health_iha_pct", "No comparison", "No comparison"),  # no previous period
    ("health_sdq_avg", "Better", "Better"),  # quarters: 14.6 -> 14.2; Q4 2023-24 was 15.0
    ("health_rha_pct", "No comparison", "No comparison"),
])
def test_direction_of_travel(code, since_previous, since_year):
    found = card_row(code)
    assert (found.travel_previous_word, found.travel_year_word) == (since_previous, since_year)


def test_a_measure_without_figures_is_a_row_that_says_so():
    found = card_row("health_rha_pct")
    assert pd.isna(found.value) and found.value_text == "no data" and found.spark == ()
    assert pd.isna(found.period_end)
    assert found.england == 88.0 and found.comparator_period_label == "2024-25"


def test_spark_keeps_gaps_and_the_last_points():
    assert card_row("health_dental_pct").spark == (80.0, 82.0, None)
    assert len(card_row("stab_3plus_pct").spark) == 24
    short = build_scorecard(OBS, TARGETS, HOME, NEIGHBOURS, REGION, spark_points=3)
    assert find_row(short, "cla_foster_pct").spark == (70.0, 50.0, 52.0)


def test_comparators_for_the_latest_year():
    foster = card_row("cla_foster_pct")
    assert foster.comparator_period_label == "2024-25"
    assert foster.sn_average == pytest.approx(72.0 + sum(range(1, 10)) / 9)  # 9 of 10: one suppressed
    assert (int(foster.sn_used), int(foster.sn_of)) == (9, 10)
    assert (foster.region_value, foster.england) == (70.0, 71.0)
    settled = card_row("stab_long_pct")  # every neighbour suppressed: no average, not 0
    assert pd.isna(settled.sn_average) and (int(settled.sn_used), int(settled.sn_of)) == (0, 10)
    assert settled.england == 72.0
    none = card_row("cl_eet_17_18")
    assert pd.isna(none.sn_average) and pd.isna(none.sn_used) and none.comparator_period_label == ""


def test_comparators_are_not_from_a_year_after_the_latest_figure():
    obs = OBS[OBS["period_end"] <= pd.Timestamp("2025-02-28")]
    card = build_scorecard(obs, TARGETS, HOME, NEIGHBOURS, REGION)
    foster = find_row(card, "cla_foster_pct")
    assert foster.period_label == "February 2025" and foster.comparator_period_label == "2023-24"
    assert foster.england == 69.0


def test_the_catalogue_tolerance_applies_when_the_target_has_none():
    targets = TARGETS.assign(tolerance=np.nan)
    card = build_scorecard(OBS, targets, HOME, NEIGHBOURS, REGION)
    moves = find_row(card, "stab_3plus_pct")
    assert catalogue().get("stab_3plus_pct").tolerance == 2.0
    assert (moves.rating_code, moves.previous_rating_code) == ("red", "amber")


@pytest.mark.parametrize("codes", [["health_sdq_avg", "cla_count"], ["stab_3plus_pct"], []])
def test_a_chosen_list_of_measures_keeps_its_order(codes):
    card = build_scorecard(OBS, TARGETS, HOME, NEIGHBOURS, REGION, measures=[catalogue().get(c) for c in codes])
    assert [r.measure_code for r in card] == codes


def test_nothing_loaded_at_all():
    card = build_scorecard(OBS.iloc[0:0], TARGETS.iloc[0:0], HOME, NEIGHBOURS, REGION)
    assert len(card) == len(catalogue().measures)
    assert {r.value_text for r in card} == {"no data"} and not any(r.turned_red for r in card)


def test_inputs_are_not_changed():
    obs, targets = OBS.copy(deep=True), TARGETS.copy(deep=True)
    build_scorecard(obs, targets, HOME, NEIGHBOURS, REGION)
    pd.testing.assert_frame_equal(obs, OBS)
    pd.testing.assert_frame_equal(targets, TARGETS)


def test_scorecard_on_a_real_database(engine, db_url):
    built = app_database.build(engine, db_url)
    card = build_scorecard(queries.observations(engine), queries.targets(engine), built.home, built.neighbours,
                           built.region)
    assert [r.measure_code for r in card] == [m.code for m in catalogue().measures]
    red = find_row(card, app_database.RED_MEASURE)
    assert (red.value_text, red.rating_code, red.turned_red) == ("14%", "red", True)
    assert [r.measure_code for r in card if r.turned_red] == [app_database.RED_MEASURE]
    empty = find_row(card, app_database.NO_DATA_MEASURE)
    assert empty.value_text == "no data"
    dental, month = app_database.SUPPRESSED
    series = find_row(card, dental).spark
    assert None in series and 0.0 not in series
    with_neighbours = [r for r in card if r.sn_used is not None]
    assert len(with_neighbours) and all(r.sn_used == 9 for r in with_neighbours)  # one neighbour suppressed in 2025

"""An area's series, the previous and year-earlier rows, and the target in force, from frames like the database's."""

from __future__ import annotations

import hashlib
import random
from datetime import date

import numpy as np
import pandas as pd
import pytest

from db import queries
from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch
from metrics.series import latest, own_series, previous, target_at, year_earlier, yearly_series

HOME, OTHER = "E06999901", "E06000049"
OBS_COLUMNS = [*OBSERVATION_COLUMNS, "batch_id"]


def obs_frame(rows: list[tuple]) -> pd.DataFrame:
    """(measure, area, period_type, 'YYYY-MM-DD', value or None, status[, dimension, category]) -> frame."""
    records = []
    for row in rows:
        measure, area, kind, end, value, status, *rest = row
        dimension, category = rest if rest else ("", "")
        records.append({"measure_code": measure, "area_code": area, "period_type": kind,
                        "period_end": pd.Timestamp(end), "dimension": dimension, "category": category,
                        "value": np.nan if value is None else float(value), "numerator": np.nan,
                        "denominator": np.nan, "status": status, "batch_id": 1})
    frame = pd.DataFrame(records, columns=OBS_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    frame["numerator"] = frame["numerator"].astype("float64")
    frame["denominator"] = frame["denominator"].astype("float64")
    return frame


def month_ends(first: str, count: int) -> list[pd.Timestamp]:
    return list(pd.date_range(first, periods=count, freq="ME"))


MIXED = obs_frame([
    # yearly DfE figures and the council's own monthly figures for the same measure
    ("stab_3plus_pct", HOME, "year", "2023-03-31", 12, "value"),
    ("stab_3plus_pct", HOME, "year", "2024-03-31", 11, "value"),
    ("stab_3plus_pct", HOME, "month", "2024-05-31", 10, "value"),
    ("stab_3plus_pct", HOME, "month", "2024-04-30", 9, "value"),  # out of order on purpose
    ("stab_3plus_pct", HOME, "month", "2024-06-30", None, "c"),
    ("stab_3plus_pct", HOME, "month", "2024-06-30", 3, "value", "age_band", "Under 1"),  # a breakdown row
    ("stab_3plus_pct", OTHER, "month", "2024-06-30", 50, "value"),
    ("cla_count", HOME, "month", "2024-06-30", 320, "value"),
    # quarterly only
    ("health_iha_pct", HOME, "quarter", "2020-03-31", 23, "value"),
    ("health_iha_pct", HOME, "quarter", "2020-06-30", 67, "value"),
    ("health_iha_pct", HOME, "year", "2020-03-31", 40, "value"),
    # yearly only
    ("cl_eet_19_21", HOME, "year", "2013-03-31", 66.7, "value"),
])


@pytest.mark.parametrize(("measure", "area", "kind", "ends", "values"), [
    ("stab_3plus_pct", HOME, "month", ["2024-04-30", "2024-05-31", "2024-06-30"], [9.0, 10.0, None]),
    ("health_iha_pct", HOME, "quarter", ["2020-03-31", "2020-06-30"], [23.0, 67.0]),
    ("cl_eet_19_21", HOME, "year", ["2013-03-31"], [66.7]),
    ("stab_3plus_pct", OTHER, "month", ["2024-06-30"], [50.0]),
    ("health_sdq_avg", HOME, None, [], []),  # no data
    ("cl_eet_19_21", OTHER, None, [], []),
])
def test_own_series_takes_the_finest_frequency_and_keeps_suppressed_as_gaps(measure, area, kind, ends, values):
    series = own_series(MIXED, measure, area)
    assert list(series.columns) == ["period_type", "period_end", "value", "numerator", "denominator", "status"]
    assert [d.strftime("%Y-%m-%d") for d in series["period_end"]] == ends
    assert [None if pd.isna(v) else v for v in series["value"]] == values
    if kind:
        assert set(series["period_type"]) == {kind}
    assert (series.loc[series["value"].isna(), "status"] != "value").all()  # a gap keeps its symbol, not 0


@pytest.mark.parametrize(("measure", "ends"), [
    ("stab_3plus_pct", ["2023-03-31", "2024-03-31"]),
    ("health_iha_pct", ["2020-03-31"]),
    ("cla_count", []),
])
def test_yearly_series(measure, ends):
    series = yearly_series(MIXED, measure, HOME)
    assert [d.strftime("%Y-%m-%d") for d in series["period_end"]] == ends
    assert set(series["period_type"]) <= {"year"}


def test_latest_is_the_last_row_even_when_suppressed():
    row = latest(own_series(MIXED, "stab_3plus_pct", HOME))
    assert row["period_end"] == pd.Timestamp("2024-06-30")
    assert pd.isna(row["value"]) and row["status"] == "c"
    assert latest(own_series(MIXED, "health_sdq_avg", HOME)) is None


@pytest.mark.parametrize(("end", "expected"), [
    ("2024-06-30", "2024-05-31"),
    ("2024-05-31", "2024-04-30"),
    ("2024-04-30", None),  # the first period has none before it
])
def test_previous(end, expected):
    row = previous(own_series(MIXED, "stab_3plus_pct", HOME), pd.Timestamp(end))
    assert (None if row is None else row["period_end"].strftime("%Y-%m-%d")) == expected


def monthly(first: str, count: int) -> pd.DataFrame:
    rng = random.Random(42)
    return obs_frame([("cla_count", HOME, "month", end.strftime("%Y-%m-%d"), rng.randint(300, 400), "value")
                      for end in month_ends(first, count)])


@pytest.mark.parametrize(("first", "count", "end", "expected"), [
    ("2023-04-30", 24, "2025-03-31", "2024-03-31"),
    ("2023-01-31", 26, "2025-02-28", "2024-02-29"),  # a leap year's month end
    ("2023-01-31", 26, "2024-02-29", "2023-02-28"),
    ("2024-04-30", 12, "2025-03-31", None),  # less than a year of figures
])
def test_year_earlier_on_monthly_series(first, count, end, expected):
    row = year_earlier(own_series(monthly(first, count), "cla_count", HOME), pd.Timestamp(end))
    assert (None if row is None else row["period_end"].strftime("%Y-%m-%d")) == expected


def test_year_earlier_on_quarters_and_years():
    quarters = own_series(MIXED, "health_iha_pct", HOME)
    assert year_earlier(quarters, pd.Timestamp("2020-06-30")) is None
    years = yearly_series(MIXED, "stab_3plus_pct", HOME)
    assert year_earlier(years, pd.Timestamp("2024-03-31"))["value"] == 12.0


TARGETS = pd.DataFrame({
    "measure_code": ["stab_3plus_pct", "stab_3plus_pct", "stab_long_pct", "stab_3plus_pct"],
    "area_code": [HOME, HOME, HOME, OTHER],
    "period_start": pd.to_datetime(["2023-04-01", "2024-04-01", "2024-04-01", "2024-04-01"]),
    "period_end": pd.to_datetime(["2024-03-31", "2025-03-31", "2025-03-31", "2025-03-31"]),
    "value": [12.0, 10.0, 70.0, 5.0],
    "tolerance": [np.nan, 2.0, 5.0, 1.0],
    "batch_id": [1, 2, 2, 2],
})


@pytest.mark.parametrize(("measure", "area", "when", "expected"), [
    ("stab_3plus_pct", HOME, date(2025, 3, 31), (10.0, 2.0)),  # the last day of the range
    ("stab_3plus_pct", HOME, date(2024, 4, 1), (10.0, 2.0)),  # the first day
    ("stab_3plus_pct", HOME, pd.Timestamp("2024-03-31"), (12.0, None)),  # no tolerance given
    ("stab_3plus_pct", HOME, date(2025, 4, 30), None),  # after every range
    ("stab_3plus_pct", HOME, date(2023, 3, 31), None),  # before every range
    ("stab_long_pct", HOME, date(2024, 9, 30), (70.0, 5.0)),
    ("stab_3plus_pct", OTHER, date(2024, 9, 30), (5.0, 1.0)),
    ("health_iha_pct", HOME, date(2024, 9, 30), None),  # no target for the measure
    ("stab_3plus_pct", HOME, None, None),
])
def test_target_at(measure, area, when, expected):
    assert target_at(TARGETS, measure, area, when) == expected


def test_target_at_without_targets():
    assert target_at(TARGETS.iloc[0:0], "stab_3plus_pct", HOME, date(2025, 3, 31)) is None
    assert target_at(None, "stab_3plus_pct", HOME, date(2025, 3, 31)) is None


def test_a_later_overlapping_target_wins():
    overlapping = pd.concat([TARGETS, pd.DataFrame({
        "measure_code": ["stab_3plus_pct"], "area_code": [HOME], "period_start": pd.to_datetime(["2024-10-01"]),
        "period_end": pd.to_datetime(["2025-03-31"]), "value": [9.0], "tolerance": [1.0], "batch_id": [3]})],
        ignore_index=True)
    assert target_at(overlapping, "stab_3plus_pct", HOME, date(2025, 1, 31)) == (9.0, 1.0)
    assert target_at(overlapping, "stab_3plus_pct", HOME, date(2024, 9, 30)) == (10.0, 2.0)


def test_inputs_are_not_changed():
    obs, targets = MIXED.copy(deep=True), TARGETS.copy(deep=True)
    series = own_series(obs, "stab_3plus_pct", HOME)
    yearly_series(obs, "stab_3plus_pct", HOME)
    previous(series, series["period_end"].iloc[-1])
    year_earlier(series, series["period_end"].iloc[-1])
    target_at(targets, "stab_3plus_pct", HOME, date(2025, 3, 31))
    series["value"] = 0.0  # changing the result must not reach the input either
    pd.testing.assert_frame_equal(obs, MIXED)
    pd.testing.assert_frame_equal(targets, TARGETS)


def test_series_from_a_real_database(engine):
    """Figures written as an import writes them and read back as the pages read them."""
    rows = MIXED[MIXED["area_code"] == HOME][OBSERVATION_COLUMNS].copy()
    rows["period_end"] = rows["period_end"].dt.date
    info = BatchInfo("series.xlsx", hashlib.sha256(b"series").hexdigest(), "return", ["Sheet1"], "tests")
    apply_batch(engine, info, rows, None)
    obs = queries.observations(engine, breakdowns=True)
    series = own_series(obs, "stab_3plus_pct", HOME)
    assert [d.strftime("%Y-%m-%d") for d in series["period_end"]] == ["2024-04-30", "2024-05-31", "2024-06-30"]
    assert series["value"].iloc[:2].tolist() == [9.0, 10.0]
    assert pd.isna(series["value"].iloc[2]) and series["status"].iloc[2] == "c"

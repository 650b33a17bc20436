"""Public mode's small-number rules and the public CSV export: what a Part 1 paper may show."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from db.queries import observations
from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch
from metrics.suppression import (
    BASE_UNKNOWN,
    MARKER,
    NOTE_COLUMN,
    SECONDARY,
    SUPPRESSED,
    apply_public_rules,
    footnotes_for,
    suppress_for_public,
)
from tests.cli import Ran, run_main

ROOT = Path(__file__).resolve().parents[1]
HOME = "E06999901"
JAN = date(2024, 1, 31)


def _row(measure, value, status="value", numerator=None, denominator=None, dimension="", category="",
         period_end=JAN, area=HOME):
    return {
        "measure_code": measure, "area_code": area, "period_type": "month", "period_end": period_end,
        "dimension": dimension, "category": category, "value": value, "numerator": numerator,
        "denominator": denominator, "status": status,
    }


ROWS = [
    _row("cla_count", 412.0),
    _row("cla_count", 3.0, dimension="age", category="under 1"),  # small: suppressed
    _row("cla_count", 40.0, dimension="age", category="1-4"),  # next smallest: suppressed too
    _row("cla_count", 150.0, dimension="age", category="5-9"),
    _row("cla_count", 219.0, dimension="age", category="10-15"),
    _row("cla_count", 230.0, dimension="gender", category="male"),  # no small cell: shown
    _row("cla_count", 182.0, dimension="gender", category="female"),
    _row("cla_starts", 4.0, period_end=date(2023, 12, 31)),  # a small headline count
    _row("health_iha_pct", 75.0, numerator=3.0, denominator=4.0),  # small numerator and denominator
    _row("health_iha_pct", 80.0, numerator=12.0, denominator=15.0, period_end=date(2023, 12, 31)),
    _row("health_rha_pct", 50.0, numerator=5.0, denominator=10.0),  # 5 is not below 5: shown
    _row("health_dental_pct", 60.0, numerator=30.0, denominator=4.0),  # small denominator alone
    _row("cla_foster_pct", 71.0),  # no base loaded: shown, footnoted
    _row("cla_foster_pct", None, status="x", period_end=date(2023, 12, 31)),  # DfE's symbol: kept
]


def _frame() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=OBSERVATION_COLUMNS)
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    frame["origin"] = "local"
    return frame


def _find(frame: pd.DataFrame, measure: str, category: str = "", period_end: date = JAN) -> pd.Series:
    rows = frame[(frame["measure_code"] == measure) & (frame["category"] == category)
                 & (frame["period_end"] == pd.Timestamp(period_end))]
    assert len(rows) == 1
    return rows.iloc[0]


def test_a_small_count_becomes_the_marker_with_no_number_left():
    out = suppress_for_public(_frame(), 5)
    starts = _find(out, "cla_starts", period_end=date(2023, 12, 31))
    assert starts["status"] == "c<5" and starts[NOTE_COLUMN] == SUPPRESSED
    assert starts[["value", "numerator", "denominator"]].isna().all()
    assert _find(out, "cla_count")["value"] == 412.0


def test_a_percentage_of_a_small_number_is_suppressed_by_numerator_or_denominator():
    out = suppress_for_public(_frame(), 5)
    assert _find(out, "health_iha_pct")["status"] == "c<5"
    assert _find(out, "health_dental_pct")["status"] == "c<5"
    assert pd.isna(_find(out, "health_dental_pct")["numerator"])
    assert _find(out, "health_iha_pct", period_end=date(2023, 12, 31))["value"] == 80.0
    assert _find(out, "health_rha_pct")["value"] == 50.0  # at the threshold, not below it


def test_a_percentage_without_its_base_is_shown_as_given_with_a_note():
    result = apply_public_rules(_frame(), 5)
    foster = _find(result.frame, "cla_foster_pct")
    assert foster["value"] == 71.0 and foster[NOTE_COLUMN] == BASE_UNKNOWN
    assert any("shown as given" in text for text in result.footnotes())
    assert _find(result.frame, "cla_foster_pct", period_end=date(2023, 12, 31))["status"] == "x"


def test_secondary_suppression_hides_the_next_smallest_cell_of_the_breakdown_only():
    result = apply_public_rules(_frame(), 5)
    out = result.frame
    assert _find(out, "cla_count", "under 1")[NOTE_COLUMN] == SUPPRESSED
    one_to_four = _find(out, "cla_count", "1-4")
    assert one_to_four["status"] == MARKER and one_to_four[NOTE_COLUMN] == SECONDARY
    assert pd.isna(one_to_four["value"])
    assert _find(out, "cla_count", "5-9")["value"] == 150.0
    assert _find(out, "cla_count", "male")["value"] == 230.0  # another dimension is another breakdown
    # 412 less the cells still shown is 43: the two hidden cells cannot be told apart
    assert result.secondary == 1


def test_a_breakdown_with_two_small_cells_needs_no_secondary_suppression():
    frame = pd.DataFrame([
        _row("cla_count", 20.0), _row("cla_count", 2.0, dimension="age", category="a"),
        _row("cla_count", 1.0, dimension="age", category="b"), _row("cla_count", 17.0, dimension="age", category="c"),
    ], columns=OBSERVATION_COLUMNS).assign(origin="local")
    result = apply_public_rules(frame, 5)
    assert result.secondary == 0
    assert result.frame.loc[result.frame["category"] == "c", "value"].iloc[0] == 17.0


def test_a_cell_dfe_already_suppressed_counts_as_hidden_for_secondary_suppression():
    frame = pd.DataFrame([
        _row("cla_count", None, status="c", dimension="age", category="a"),
        _row("cla_count", 30.0, dimension="age", category="b"), _row("cla_count", 17.0, dimension="age", category="c"),
    ], columns=OBSERVATION_COLUMNS).assign(origin="local")
    out = suppress_for_public(frame, 5)
    assert out.loc[out["category"] == "c", "status"].iloc[0] == MARKER
    assert out.loc[out["category"] == "b", "value"].iloc[0] == 30.0


def test_the_threshold_is_configurable_and_the_input_is_not_changed():
    frame = _frame()
    before = frame.copy()
    out = suppress_for_public(frame, 10)
    assert _find(out, "health_rha_pct")["status"] == "c<10"  # 5 of 10 is below 10
    pd.testing.assert_frame_equal(frame, before)
    assert any("below 10" in text for text in footnotes_for(out, 10))


def test_the_threshold_setting_is_read(monkeypatch):
    monkeypatch.setenv("DASHBOARD_PUBLIC_THRESHOLD", "4")
    out = suppress_for_public(_frame())
    assert _find(out, "cla_starts", period_end=date(2023, 12, 31))["value"] == 4.0
    assert _find(out, "cla_count", "under 1")["status"] == "c<4"


def _run_export(db_url: str, *args: str) -> Ran:
    return run_main("loaders", "export", "--db", db_url, *args)


@pytest.fixture
def loaded(engine):
    frame = pd.DataFrame(ROWS, columns=OBSERVATION_COLUMNS)
    apply_batch(engine, BatchInfo("test.xlsx", "0" * 64, "return", ["Return"], "tester"), frame)
    return engine


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_public_export_leaves_no_small_number_and_keeps_the_database_as_it_was(loaded, db_url):
    stored_before = observations(loaded, breakdowns=True)
    done = _run_export(db_url, "--public")
    assert done.returncode == 0, done.stderr
    rows = _csv_rows(done.stdout)
    assert len(rows) == len(ROWS)
    for row in rows:
        for column in ("value", "numerator", "denominator"):
            if row[column] and row["measure"] in {"cla_count", "cla_starts"}:
                assert float(row[column]) >= 5, row
            if row[column] and column != "value":
                assert float(row[column]) >= 5, row
    under_one = next(r for r in rows if r["category"] == "under 1")
    assert (under_one["value"], under_one["numerator"], under_one["denominator"], under_one["status"]) == ("", "", "", "c")
    assert next(r for r in rows if r["category"] == "1-4")["status"] == "c"
    assert next(r for r in rows if r["category"] == "5-9")["value"] == "150"
    pd.testing.assert_frame_equal(observations(loaded, breakdowns=True), stored_before)


def test_export_without_public_still_writes_every_stored_figure(loaded, db_url):
    done = _run_export(db_url)
    assert done.returncode == 0, done.stderr
    under_one = next(r for r in _csv_rows(done.stdout) if r["category"] == "under 1")
    assert (under_one["value"], under_one["status"]) == ("3", "value")

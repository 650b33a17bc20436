"""The CSV export: what an analyst opening it in Excel would see."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest

from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch
from loaders.export import EXPORT_COLUMNS, write_export

NORTHMOOR = "E06999901"
CHESHIRE_EAST = "E06000049"


def _row(measure, area, period_type, period_end, value, status="value", numerator=None, denominator=None,
         dimension="", category=""):
    return {
        "measure_code": measure, "area_code": area, "period_type": period_type, "period_end": period_end,
        "dimension": dimension, "category": category, "value": value, "numerator": numerator,
        "denominator": denominator, "status": status,
    }


ROWS = [
    _row("cla_count", NORTHMOOR, "month", date(2024, 2, 29), 412.0),
    _row("cla_count", NORTHMOOR, "month", date(2024, 1, 31), 408.0),
    _row("cla_count", NORTHMOOR, "month", date(2024, 1, 31), 230.0, dimension="gender", category="male"),
    _row("cla_count", NORTHMOOR, "month", date(2024, 1, 31), 178.0, dimension="gender", category="female"),
    _row("cla_count", NORTHMOOR, "month", date(2024, 1, 31), 3.0, dimension="age", category="under 1"),
    _row("cla_count", NORTHMOOR, "month", date(2024, 1, 31), None, status="c", dimension="age", category="1-4"),
    _row("cla_count", CHESHIRE_EAST, "year", date(2024, 3, 31), 560.0),
    _row("health_iha_pct", NORTHMOOR, "month", date(2024, 1, 31), None, status="c"),
    _row("health_iha_pct", NORTHMOOR, "quarter", date(2023, 12, 31), 200 / 3, numerator=12.0, denominator=18.0),
    _row("health_iha_pct", NORTHMOOR, "month", date(2023, 12, 31), 0.0, numerator=0.0, denominator=6.0),
    _row("cla_rate", NORTHMOOR, "month", date(2024, 1, 31), 54.3),
    _row("cla_foster_pct", CHESHIRE_EAST, "year", date(2024, 3, 31), None, status="x"),
]


@pytest.fixture
def loaded(engine):
    frame = pd.DataFrame(ROWS, columns=OBSERVATION_COLUMNS)
    apply_batch(engine, BatchInfo("test.xlsx", "0" * 64, "return", ["Return"], "tester"), frame)
    return engine


def _export(engine, **filters) -> tuple[int, list[str], list[dict[str, str]]]:
    buffer = io.StringIO()
    count = write_export(engine, buffer, **filters)
    buffer.seek(0)
    reader = csv.DictReader(buffer)
    rows = list(reader)
    return count, list(reader.fieldnames or []), rows


def test_header_has_the_promised_columns_in_order(loaded):
    count, header, rows = _export(loaded)
    assert header[:8] == ["measure", "area", "period_type", "period_end", "value", "numerator", "denominator", "status"]
    assert header[8:] == ["dimension", "category", "batch_id", "origin"]  # origin appended after the old ones
    assert header == EXPORT_COLUMNS
    assert {row["origin"] for row in rows} == {"local"}
    assert count == len(rows) == len(ROWS)


def test_empty_database_gives_a_header_and_no_rows(engine):
    count, header, rows = _export(engine)
    assert (count, rows) == (0, [])
    assert header == EXPORT_COLUMNS


def test_suppressed_and_unavailable_values_are_empty_never_zero(loaded):
    _, _, rows = _export(loaded)
    by_key = {(r["measure"], r["area"], r["period_type"], r["period_end"], r["dimension"], r["category"]): r for r in rows}
    suppressed = by_key[("health_iha_pct", NORTHMOOR, "month", "2024-01-31", "", "")]
    assert (suppressed["value"], suppressed["status"]) == ("", "c")
    assert (suppressed["numerator"], suppressed["denominator"]) == ("", "")
    breakdown = by_key[("cla_count", NORTHMOOR, "month", "2024-01-31", "age", "1-4")]
    assert (breakdown["value"], breakdown["status"]) == ("", "c")
    not_available = by_key[("cla_foster_pct", CHESHIRE_EAST, "year", "2024-03-31", "", "")]
    assert (not_available["value"], not_available["status"]) == ("", "x")
    real_zero = by_key[("health_iha_pct", NORTHMOOR, "month", "2023-12-31", "", "")]
    assert (real_zero["value"], real_zero["numerator"], real_zero["status"]) == ("0", "0", "value")


def test_numbers_read_back_exactly_and_whole_numbers_have_no_decimal_point(loaded):
    _, _, rows = _export(loaded)
    quarter = next(r for r in rows if r["period_type"] == "quarter")
    assert float(quarter["value"]) == 200 / 3
    assert (quarter["numerator"], quarter["denominator"]) == ("12", "18")
    rate = next(r for r in rows if r["measure"] == "cla_rate")
    assert rate["value"] == "54.3"
    count = next(r for r in rows if r["measure"] == "cla_count" and r["period_end"] == "2024-02-29")
    assert count["value"] == "412"


def test_dates_are_iso_and_rows_are_ordered_by_measure_area_period_then_breakdown(loaded):
    _, _, rows = _export(loaded)
    for r in rows:
        assert date.fromisoformat(r["period_end"]).isoformat() == r["period_end"]
    keys = [(r["measure"], r["area"], r["period_end"], r["dimension"], r["category"]) for r in rows]
    assert keys == sorted(keys)
    northmoor_january = [
        (r["dimension"], r["category"]) for r in rows
        if r["measure"] == "cla_count" and r["area"] == NORTHMOOR and r["period_end"] == "2024-01-31"
    ]
    assert northmoor_january == [("", ""), ("age", "1-4"), ("age", "under 1"), ("gender", "female"), ("gender", "male")]


def test_every_row_names_the_batch_that_loaded_it(loaded):
    _, _, rows = _export(loaded)
    assert {r["batch_id"] for r in rows} == {"1"}


@pytest.mark.parametrize(
    ("filters", "expected_rows"),
    [
        ({"measure": "cla_count"}, 7),
        ({"measure": "Children in care"}, 7),  # an alias
        ({"measure": "% initial health assessments within 20 working days"}, 3),  # the name
        ({"area": NORTHMOOR}, 10),
        ({"area": "999"}, 10),  # DfE number
        ({"area": "northmoor (fictional sample council)"}, 10),  # name, any case
        ({"area": "Cheshire East"}, 2),
        ({"measure": "cla_count", "area": "895"}, 1),
        ({"measure": "stab_long_pct"}, 0),  # known measure, nothing stored
        ({"area": "E92000001"}, 0),  # England, nothing stored
    ],
)
def test_filters_narrow_the_rows(loaded, filters, expected_rows):
    count, header, rows = _export(loaded, **filters)
    assert count == len(rows) == expected_rows
    assert header == EXPORT_COLUMNS
    if "measure" in filters and rows:
        assert {r["measure"] for r in rows} == {rows[0]["measure"]}
    if "area" in filters and rows:
        assert len({r["area"] for r in rows}) == 1


@pytest.mark.parametrize(
    ("filters", "message_part"),
    [
        ({"area": "Atlantis"}, "Unknown area 'Atlantis'"),
        ({"area": "000"}, "Unknown area '000'"),
        ({"measure": "children in space"}, "Unknown measure 'children in space'"),
    ],
)
def test_unknown_filter_is_a_clear_error_and_writes_nothing(loaded, filters, message_part):
    buffer = io.StringIO()
    with pytest.raises(ValueError, match=message_part) as raised:
        write_export(loaded, buffer, **filters)
    assert buffer.getvalue() == ""
    assert "ONS code" in str(raised.value) or "cla_count" in str(raised.value)

"""Returns in the layouts councils keep them load into the same tidy figures.

Every test writes a real workbook or CSV file and loads it into a real SQLite database.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from db import queries
from loaders.importer import import_file
from loaders.returns import read_return
from tests.returns_files import PERCENT_FORMAT, write_csv, write_xlsx

HOME = "E06999901"  # the fictional sample council, the configured home area
CHESHIRE_EAST = "E06000049"  # DfE number 895


def stored(engine, breakdowns: bool = False) -> list[tuple]:
    """(measure, area, period_type, period_end, value, status[, dimension, category]) as loaded."""
    frame = queries.observations(engine, breakdowns=breakdowns)
    out = []
    for row in frame.itertuples(index=False):
        value = None if row.value != row.value else row.value
        record = (row.measure_code, row.area_code, row.period_type, row.period_end.date(), value, row.status)
        out.append(record + ((row.dimension, row.category) if breakdowns else ()))
    return sorted(out, key=repr)


def load(engine, path: Path, **options):
    report = import_file(engine, path, imported_by="tester", **options)
    assert report.status == "loaded", [p.message() for p in report.problems]
    return report


def test_tidy_layout_with_every_optional_column(engine, tmp_path):
    path = write_xlsx(tmp_path / "tidy.xlsx", {"Data": [
        ["measure", "area", "period", "value", "numerator", "denominator", "breakdown"],
        ["cla_count", "E06000049", "2024-01", 412, None, None, None],
        ["cla_count", "E06000049", "2024-01", 150, None, None, "Age: 10-15 "],
        ["cla_foster_pct", "E06000049", "2024-01", 70, 288, 412, None],
    ]})
    load(engine, path)
    assert stored(engine, breakdowns=True) == sorted([
        ("cla_count", CHESHIRE_EAST, "month", date(2024, 1, 31), 412.0, "value", "", ""),
        ("cla_count", CHESHIRE_EAST, "month", date(2024, 1, 31), 150.0, "value", "age", "10-15"),
        ("cla_foster_pct", CHESHIRE_EAST, "month", date(2024, 1, 31), 70.0, "value", "", ""),
    ], key=repr)
    fractions = queries.observations(engine, measures=["cla_foster_pct"])
    assert fractions[["numerator", "denominator"]].values.tolist() == [[288.0, 412.0]]


def test_wide_layout_with_a_target_column(engine, tmp_path):
    path = write_xlsx(tmp_path / "wide.xlsx", {"Return": [
        ["measure", "area", "Apr-24", "May-24", "Jun-24", "target"],
        ["stab_3plus_pct", HOME, 12, 11, None, 10],
        ["cla_count", HOME, 400, None, 405, None],
    ]})
    report = load(engine, path)
    assert report.outcome.inserted == 4 and report.outcome.targets_set == 1
    assert stored(engine) == sorted([
        ("stab_3plus_pct", HOME, "month", date(2024, 4, 30), 12.0, "value"),
        ("stab_3plus_pct", HOME, "month", date(2024, 5, 31), 11.0, "value"),
        ("cla_count", HOME, "month", date(2024, 4, 30), 400.0, "value"),
        ("cla_count", HOME, "month", date(2024, 6, 30), 405.0, "value"),
    ], key=repr)  # the empty cells are no figure at all, not zero
    targets = queries.targets(engine)
    assert targets[["measure_code", "area_code", "value"]].values.tolist() == [["stab_3plus_pct", HOME, 10.0]]
    # from the start of the first period column to the end of the last, whatever the row holds
    assert (targets["period_start"].dt.date.tolist(), targets["period_end"].dt.date.tolist()) == (
        [date(2024, 4, 1)], [date(2024, 6, 30)])


def test_wide_target_in_a_percent_formatted_cell(engine, tmp_path):
    path = write_xlsx(tmp_path / "wide.xlsx", {"Return": [
        ["Measure", "2023-24 Q1", "2023-24 Q2", "Target"],
        ["health_iha_pct", 0.6, 0.7, 0.9],
    ]}, {"Return": {"B2": PERCENT_FORMAT, "C2": PERCENT_FORMAT, "D2": PERCENT_FORMAT}})
    load(engine, path)
    assert [r[4] for r in stored(engine)] == [60.0, 70.0]
    targets = queries.targets(engine)
    assert targets["value"].tolist() == [90.0]
    assert (targets["period_start"].dt.date.tolist(), targets["period_end"].dt.date.tolist()) == (
        [date(2023, 4, 1)], [date(2023, 9, 30)])


@pytest.mark.parametrize("layout", ["tidy", "wide"])
def test_header_found_below_a_title_and_away_from_column_a(engine, tmp_path, layout):
    title = [["Northmoor Children's Services"], ["Monthly performance return"], [], ["Prepared by: BI team"], []]
    if layout == "tidy":
        body = [[None, None, " Measure ", "PERIOD", "Value"], [None, None, "cla_count", "Jan 2024", 398]]
    else:
        body = [[None, None, "MEASURE", "Jan 2024"], [None, None, "cla_count", 398]]
    load(engine, write_xlsx(tmp_path / "titled.xlsx", {"Return": title + body}))
    assert stored(engine) == [("cla_count", HOME, "month", date(2024, 1, 31), 398.0, "value")]


def test_header_beyond_the_first_twenty_rows_is_not_looked_for(tmp_path):
    rows = [[f"note {i}"] for i in range(20)] + [["measure", "period", "value"], ["cla_count", "2024-01", 5]]
    parsed = read_return(write_xlsx(tmp_path / "late.xlsx", {"Return": rows}))
    assert [p.rule.value for p in parsed.problems] == ["no recognisable return"]


def test_notes_and_read_me_sheets_are_ignored(engine, tmp_path):
    path = write_xlsx(tmp_path / "with-notes.xlsx", {
        "Read me": [["How to fill in this return"], ["Measure codes are on the Codes sheet"], ["measure"]],
        "Codes": [["code", "name"], ["cla_count", "Children looked after"]],
        "Return": [["measure", "2024-01"], ["cla_count", 398]],
        "Notes": [["Figures for January are provisional."]],
    })
    load(engine, path)
    assert stored(engine) == [("cla_count", HOME, "month", date(2024, 1, 31), 398.0, "value")]
    assert queries.batches(engine)["sheets"].tolist() == ["Return"]


def test_a_return_spread_over_two_sheets_loads_as_one_batch(engine, tmp_path):
    path = write_xlsx(tmp_path / "two.xlsx", {
        "Monthly": [["measure", "Jan-24", "Feb-24"], ["cla_count", 398, 401]],
        "Yearly": [["measure", "period", "value"], ["cla_rate", "2023-24", 61]],
    })
    report = load(engine, path)
    assert report.outcome.inserted == 3
    assert queries.batches(engine)["sheets"].tolist() == ["Monthly, Yearly"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_tidy(engine, tmp_path, delimiter):
    path = write_csv(tmp_path / "tidy.csv", [
        ["Measure", "Area", "Period", "Value"],
        # 1,234 in a semicolon or tab file could be 1.234 (a decimal comma) or 1234; a space groups either way
        ["cla_count", "895", "2023-24", " 1,234 " if delimiter == "," else " 1 234 "],
        ["cla_foster_pct", "Cheshire East", "2023-24", "71%"],
        ["cl_eet_19_21", "e06000049", "2023-24", "c"],
    ], delimiter=delimiter)
    load(engine, path)
    assert stored(engine) == sorted([
        ("cla_count", CHESHIRE_EAST, "year", date(2024, 3, 31), 1234.0, "value"),
        ("cla_foster_pct", CHESHIRE_EAST, "year", date(2024, 3, 31), 71.0, "value"),
        ("cl_eet_19_21", CHESHIRE_EAST, "year", date(2024, 3, 31), None, "c"),
    ], key=repr)


def test_csv_wide(engine, tmp_path):
    path = write_csv(tmp_path / "wide.csv", [
        ["", "Monthly return", "", ""],
        ["measure", "area", "2024-01", "2024-02"],
        ["cla_count", "E06999901", "398", ""],
        ["cla_starts", "E06000049", "12", "x"],
    ])
    load(engine, path)
    assert stored(engine) == sorted([
        ("cla_count", HOME, "month", date(2024, 1, 31), 398.0, "value"),
        ("cla_starts", CHESHIRE_EAST, "month", date(2024, 1, 31), 12.0, "value"),
        ("cla_starts", CHESHIRE_EAST, "month", date(2024, 2, 29), None, "x"),
    ], key=repr)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("cla_count", "cla_count"),
        ("CLA_COUNT", "cla_count"),
        ("Children looked after at the period end", "cla_count"),
        ("Children in care", "cla_count"),  # short name
        ("Number of CLA", "cla_count"),  # alias
        ("cared for children", "cla_count"),  # alias, any case
        ("% in foster placements", "cla_foster_pct"),  # name with its leading %
        ("in foster placements", "cla_foster_pct"),  # name without it
        ("%Foster placements", "cla_foster_pct"),  # alias with a leading %
        ("IHA within 20 working days", "health_iha_pct"),
    ],
)
def test_measure_by_code_name_or_alias(tmp_path, written, code):
    wide = read_return(write_xlsx(tmp_path / "wide.xlsx", {"R": [["measure", "2024-01"], [written, 5]]}))
    tidy = read_return(write_xlsx(tmp_path / "tidy.xlsx", {"R": [["measure", "period", "value"], [written, "2024-01", 5]]}))
    assert wide.problems == [] and tidy.problems == []
    assert wide.observations["measure_code"].tolist() == tidy.observations["measure_code"].tolist() == [code]


PERIOD_HEADERS = [
    ("2024-01", "month", date(2024, 1, 31)),
    ("Jan-24", "month", date(2024, 1, 31)),
    ("January 2024", "month", date(2024, 1, 31)),
    ("Jan 2024", "month", date(2024, 1, 31)),
    (datetime(2024, 1, 1), "month", date(2024, 1, 31)),  # an Excel date
    (datetime(2024, 1, 17, 9, 30), "month", date(2024, 1, 31)),  # an Excel date and time
    ("2023-24 Q1", "quarter", date(2023, 6, 30)),
    ("Q1 2023/24", "quarter", date(2023, 6, 30)),
    ("2023/24 Q1", "quarter", date(2023, 6, 30)),
    ("2023-24", "year", date(2024, 3, 31)),
    ("2023/24", "year", date(2024, 3, 31)),
    ("202324", "year", date(2024, 3, 31)),
    (202324, "year", date(2024, 3, 31)),
    ("2024", "year", date(2024, 3, 31)),
    (2024, "year", date(2024, 3, 31)),
]


@pytest.mark.parametrize(("written", "period_type", "period_end"), PERIOD_HEADERS)
def test_every_period_form_as_a_wide_header(tmp_path, written, period_type, period_end):
    parsed = read_return(write_xlsx(tmp_path / "wide.xlsx", {"R": [["measure", written], ["cla_count", 5]]}))
    assert parsed.problems == []
    assert parsed.observations[["period_type", "period_end"]].values.tolist() == [[period_type, period_end]]


@pytest.mark.parametrize(("written", "period_type", "period_end"), PERIOD_HEADERS)
def test_every_period_form_as_a_tidy_cell(tmp_path, written, period_type, period_end):
    rows = [["measure", "period", "value"], ["cla_count", written, 5]]
    parsed = read_return(write_xlsx(tmp_path / "tidy.xlsx", {"R": rows}))
    assert parsed.problems == []
    assert parsed.observations[["period_type", "period_end"]].values.tolist() == [[period_type, period_end]]


def test_every_value_form(engine, tmp_path):
    path = write_xlsx(tmp_path / "values.xlsx", {"Return": [
        ["measure", "Jan-24", "Feb-24", "Mar-24", "Apr-24", "May-24", "Jun-24"],
        ["cla_foster_pct", 0.54, "54%", 54, " 54 ", None, "c"],
        ["cla_count", 412, " 1,234 ", "1234", "LOW", ":", ".."],
    ]}, {"Return": {"B2": PERCENT_FORMAT}})
    load(engine, path)
    foster = [(r[3].month, r[4], r[5]) for r in stored(engine) if r[0] == "cla_foster_pct"]
    assert sorted(foster) == [(1, 54.0, "value"), (2, 54.0, "value"), (3, 54.0, "value"), (4, 54.0, "value"),
                              (6, None, "c")]  # May is empty: no row, never a zero
    counts = sorted((r[3].month, r[4], r[5]) for r in stored(engine) if r[0] == "cla_count")
    assert counts == [(1, 412.0, "value"), (2, 1234.0, "value"), (3, 1234.0, "value"), (4, None, "low"),
                      (5, None, ":"), (6, None, "..")]


def test_a_percent_format_on_a_count_keeps_the_number_typed(engine, tmp_path):
    path = write_xlsx(tmp_path / "values.xlsx", {"Return": [["measure", "Jan-24"], ["cla_count", 412]]},
                      {"Return": {"B2": "0.0%"}})
    load(engine, path)
    assert [r[4] for r in stored(engine)] == [412.0]


def test_custom_percent_formats_are_recognised(engine, tmp_path):
    formats = {"B2": "0.0%", "C2": '0.00" %"', "D2": '"per cent "0%'}
    path = write_xlsx(tmp_path / "formats.xlsx", {"Return": [
        ["measure", "Jan-24", "Feb-24", "Mar-24"], ["cla_foster_pct", 0.545, 55, 0.56]]}, {"Return": formats})
    load(engine, path)
    # a % inside quotes is literal text, not a percent format: 55 stays 55
    assert [r[4] for r in sorted(stored(engine), key=lambda r: r[3])] == [54.5, 55.0, 56.0]


@pytest.mark.parametrize(
    ("area_cell", "expected"),
    [
        ("E06000049", CHESHIRE_EAST),
        ("e06000049", CHESHIRE_EAST),
        (895, CHESHIRE_EAST),
        (895.0, CHESHIRE_EAST),
        ("895", CHESHIRE_EAST),
        ("Cheshire East", CHESHIRE_EAST),
        ("CHESHIRE EAST", CHESHIRE_EAST),
        ("Cheshire East Council", CHESHIRE_EAST),
    ],
)
def test_area_column_in_any_form(tmp_path, area_cell, expected):
    parsed = read_return(write_xlsx(tmp_path / "areas.xlsx", {"R": [["measure", "area", "2024-01"], ["cla_count", area_cell, 5]]}))
    assert parsed.problems == []
    assert parsed.observations["area_code"].tolist() == [expected]


@pytest.mark.parametrize(
    ("given", "configured", "expected"),
    [
        (None, None, HOME),  # nothing said: the shipped home area
        (None, "Cheshire East", CHESHIRE_EAST),  # DASHBOARD_HOME_AREA by name
        ("895", None, CHESHIRE_EAST),  # --area by DfE number
        ("E06000049", "E06999901", CHESHIRE_EAST),  # --area wins over the configured home area
    ],
)
def test_rows_without_an_area_take_the_given_then_the_home_area(engine, tmp_path, monkeypatch, given, configured,
                                                                 expected):
    if configured is None:
        monkeypatch.delenv("DASHBOARD_HOME_AREA", raising=False)
    else:
        monkeypatch.setenv("DASHBOARD_HOME_AREA", configured)
    path = write_xlsx(tmp_path / "no-area.xlsx", {"R": [["measure", "2024-01"], ["cla_count", 5]]})
    load(engine, path, default_area=given)
    assert queries.observations(engine)["area_code"].tolist() == [expected]


@pytest.mark.parametrize(
    ("value", "numerator", "denominator", "expected"),
    [
        (None, 27, 50, 54.0),  # computed from the fraction
        (54.4, 27, 50, 54.4),  # the value given is kept, within rounding of 54% (a contradiction is refused)
        ("c", 2, 50, None),  # a suppressed value stays suppressed
        (None, 0, 50, 0.0),  # a real zero, from a real fraction
    ],
)
def test_percentage_from_numerator_and_denominator(engine, tmp_path, value, numerator, denominator, expected):
    path = write_xlsx(tmp_path / "fraction.xlsx", {"R": [
        ["measure", "period", "value", "numerator", "denominator"],
        ["health_dental_pct", "2023-24", value, numerator, denominator],
    ]})
    load(engine, path)
    frame = queries.observations(engine)
    got = frame["value"].tolist()[0]
    assert (None if got != got else got) == expected
    assert frame[["numerator", "denominator"]].values.tolist() == [[numerator, denominator]]


@pytest.mark.parametrize(
    ("written", "dimension", "category"),
    [("age: 10-15", "age", "10-15"), ("Age : 10-15", "age", "10-15"), ("  GENDER:  Female ", "gender", "Female"),
     ("placement type: Foster: kinship", "placement type", "Foster: kinship"), (None, "", "")],
)
def test_breakdowns(tmp_path, written, dimension, category):
    rows = [["measure", "period", "value", "breakdown"], ["cla_count", "2024-01", 5, written]]
    parsed = read_return(write_xlsx(tmp_path / "breakdowns.xlsx", {"R": rows}))
    assert parsed.problems == []
    assert parsed.observations[["dimension", "category"]].values.tolist() == [[dimension, category]]


def test_ambiguous_labels_in_a_column_of_years(tmp_path):
    rows = [["measure", "2009-10", "2010-11", "2011-12"], ["cla_starts", 50, 55, 60]]
    parsed = read_return(write_xlsx(tmp_path / "years.xlsx", {"R": rows}))
    assert parsed.observations["period_type"].tolist() == ["year"] * 3
    assert parsed.observations["period_end"].tolist() == [date(2010, 3, 31), date(2011, 3, 31), date(2012, 3, 31)]


def test_footnotes_and_section_titles_below_a_wide_table_are_ignored(engine, tmp_path):
    path = write_xlsx(tmp_path / "footnotes.xlsx", {"R": [
        ["measure", "2024-01", "Notes"],
        ["Children in care"],
        ["cla_count", 398, "provisional"],
        [],
        ["Source: Northmoor case management system"],
    ]})
    load(engine, path)
    assert stored(engine) == [("cla_count", HOME, "month", date(2024, 1, 31), 398.0, "value")]

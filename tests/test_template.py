"""The blank return template: what a performance officer opens, fills in and loads."""

from __future__ import annotations

import io
import random
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from db import queries
from loaders.importer import import_file
from loaders.template import (
    MEASURES_SHEET,
    READ_ME_SHEET,
    RETURN_SHEET,
    financial_year_months,
    financial_year_start,
    write_template,
)
from reference.catalogue import catalogue
from reference.statuses import status_labels

START_YEAR = 2025


@pytest.fixture
def template_path(tmp_path: Path) -> Path:
    path = tmp_path / "return_template.xlsx"
    write_template(path, start_year=START_YEAR)
    return path


def _return_rows(path: Path) -> list[tuple]:
    return list(openpyxl.load_workbook(path)[RETURN_SHEET].iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 23), 2026),
        (date(2026, 4, 1), 2026),  # first day of the financial year
        (date(2026, 3, 31), 2025),  # last day of the previous one
        (date(2027, 1, 1), 2026),
        (date(2000, 2, 29), 1999),
    ],
)
def test_financial_year_starts_in_april(today, expected):
    assert financial_year_start(today) == expected


@pytest.mark.parametrize(
    ("start_year", "first", "last"),
    [(2025, "Apr-25", "Mar-26"), (2026, "Apr-26", "Mar-27"), (1999, "Apr-99", "Mar-00"), (2009, "Apr-09", "Mar-10")],
)
def test_header_is_measure_area_twelve_months_then_target_and_commentary(tmp_path, start_year, first, last):
    path = tmp_path / "t.xlsx"
    write_template(path, start_year=start_year)
    header = _return_rows(path)[0]
    assert header[:2] == ("measure", "area")
    assert header[-2:] == ("target", "commentary")
    months = header[2:-2]
    assert len(months) == 12
    assert (months[0], months[-1]) == (first, last)
    assert len(set(months)) == 12


def test_default_year_is_the_current_financial_year(tmp_path):
    path = tmp_path / "t.xlsx"
    write_template(path)
    year, month = financial_year_months(financial_year_start())[0]
    assert _return_rows(path)[0][2] == f"Apr-{year % 100:02d}" and month == 4


def test_writes_to_a_binary_stream_too():
    buffer = io.BytesIO()
    write_template(buffer, start_year=START_YEAR)
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames == [READ_ME_SHEET, RETURN_SHEET, MEASURES_SHEET]


def test_one_row_per_catalogue_measure_with_the_home_area(template_path):
    rows = _return_rows(template_path)[1:]
    assert [r[0] for r in rows] == [m.code for m in catalogue()]
    assert {r[1] for r in rows} == {"E06999901"}
    assert all(value is None for r in rows for value in r[2:])  # blank: no figures, no targets


@pytest.mark.parametrize(("configured", "expected"), [("Cheshire East", "E06000049"), ("895", "E06000049"),
                                                      ("e09000001", "E09000001")])
def test_area_follows_the_configured_home_area_in_any_form(tmp_path, monkeypatch, configured, expected):
    monkeypatch.setenv("DASHBOARD_HOME_AREA", configured)
    path = tmp_path / "t.xlsx"
    write_template(path, start_year=START_YEAR)
    assert {r[1] for r in _return_rows(path)[1:]} == {expected}


def test_each_measure_code_carries_its_name_and_the_measures_sheet_explains_it(template_path):
    workbook = openpyxl.load_workbook(template_path)
    sheet = workbook[RETURN_SHEET]
    for row, measure in enumerate(catalogue(), start=2):
        assert sheet.cell(row=row, column=1).comment is not None
        assert measure.name in sheet.cell(row=row, column=1).comment.text
    listed = list(workbook[MEASURES_SHEET].iter_rows(values_only=True))
    assert listed[0] == ("code", "name", "unit", "polarity", "description")
    assert [r[:5] for r in listed[1:]] == [
        (m.code, m.name, m.unit_label, m.polarity_text, m.description) for m in catalogue()
    ]


def test_layout_helps_people_fill_it_in(template_path):
    sheet = openpyxl.load_workbook(template_path)[RETURN_SHEET]
    assert sheet.freeze_panes == "C2"
    assert sheet.column_dimensions["A"].width >= 20


def test_measure_cells_only_accept_catalogue_codes(template_path):
    sheet = openpyxl.load_workbook(template_path)[RETURN_SHEET]
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    cells = f"!$A$2:$A${len(catalogue()) + 1}"
    assert lists[0].formula1 in {f"{MEASURES_SHEET}{cells}", f"'{MEASURES_SHEET}'{cells}"}
    covered = str(lists[0].sqref)
    assert covered.startswith("A2:A")
    assert int(covered.split(":A")[1]) > len(catalogue()) + 1  # room for extra rows
    assert lists[0].showErrorMessage


def _custom_rules(path: Path) -> dict[str, str]:
    sheet = openpyxl.load_workbook(path)[RETURN_SHEET]
    return {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "custom"}


@pytest.mark.parametrize("measure", list(catalogue()), ids=lambda m: m.code)
def test_value_and_target_cells_have_rules_fitting_the_measure(template_path, measure):
    row = [m.code for m in catalogue()].index(measure.code) + 2
    rules = _custom_rules(template_path)
    values, target = rules[f"C{row}:N{row}"], rules[f"O{row}"]
    assert f"C{row}>=0" in values and f"O{row}>=0" in target
    assert (f"C{row}<=100" in values) == measure.is_percent
    assert (f"O{row}<=100" in target) == measure.is_percent
    for symbol in status_labels():
        assert f'C{row}="{symbol}"' in values  # a suppressed figure may be typed as its symbol
        assert f'O{row}="{symbol}"' not in target  # a target is always a number


def test_validation_texts_fit_excels_limits(template_path):
    """Excel reports a workbook as damaged when a validation title passes 32 characters or a message 255."""
    sheet = openpyxl.load_workbook(template_path)[RETURN_SHEET]
    for dv in sheet.data_validations.dataValidation:
        assert len(dv.errorTitle or "") <= 32 and len(dv.promptTitle or "") <= 32
        assert len(dv.error or "") <= 255 and len(dv.prompt or "") <= 255
        assert len(dv.formula1) <= 255


def test_read_me_explains_layout_periods_percentages_and_symbols(template_path):
    workbook = openpyxl.load_workbook(template_path)
    text = "\n".join(str(r[0]) for r in workbook[READ_ME_SHEET].iter_rows(values_only=True) if r[0])
    for expected in ("Apr-25", "Mar-26", "2025-26", "0 to 100", "54%", "never read as zero", "target",
                     "ONS code", "DfE", MEASURES_SHEET, RETURN_SHEET):
        assert expected in text
    for symbol, label in status_labels().items():
        assert f"{symbol} = {label}" in text


# ---------------------------------------------------------------------------------- loading it back


def test_blank_template_loads_as_nothing_without_problems(engine, template_path):
    report = import_file(engine, template_path)
    assert report.problems == []
    assert report.status == "unchanged"
    assert queries.is_empty(engine)
    assert queries.batches(engine).empty
    assert queries.targets(engine).empty


def _fill(path: Path, rng: random.Random) -> dict[tuple[str, int], object]:
    """Type figures into the template as a person would; returns what went into each (measure, month column)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[RETURN_SHEET]
    typed: dict[tuple[str, int], object] = {}
    for row, measure in enumerate(catalogue(), start=2):
        for col in range(3, 15):
            if rng.random() < 0.2:
                continue  # a month not reported yet stays empty
            if rng.random() < 0.05:
                value: object = rng.choice(["c", "x"])
            elif measure.is_percent:
                value = rng.choice([0, 100, round(rng.uniform(0, 100), 1)])
            elif measure.is_count:
                value = rng.randint(0, 600)
            else:
                value = round(rng.uniform(0, min(80, measure.maximum)), 1)  # the SDQ score runs to 40
            sheet.cell(row=row, column=col, value=value)
            typed[(measure.code, col)] = value
        if measure.polarity != "neither":
            sheet.cell(row=row, column=15, value=90 if measure.is_percent else 12.5)
    workbook.save(path)
    return typed


def test_filled_in_template_loads_every_figure_as_typed(engine, template_path):
    typed = _fill(template_path, random.Random(42))
    report = import_file(engine, template_path)
    assert report.problems == [] and report.status == "loaded"
    stored = queries.observations(engine)
    assert len(stored) == len(typed)
    months = financial_year_months(START_YEAR)
    for row in stored.itertuples():
        col = 3 + months.index((row.period_end.year, row.period_end.month))
        assert row.period_type == "month"
        assert row.area_code == "E06999901"
        expected = typed[(row.measure_code, col)]
        if isinstance(expected, str):
            assert (pd.isna(row.value), row.status) == (True, expected)
        else:
            assert (row.value, row.status) == (float(expected), "value")
    targets = queries.targets(engine)
    with_polarity = {m.code for m in catalogue() if m.polarity != "neither"}
    assert set(targets["measure_code"]) == with_polarity
    assert set(targets["period_start"].dt.date) == {date(START_YEAR, 4, 1)}
    assert set(targets["period_end"].dt.date) == {date(START_YEAR + 1, 3, 31)}


def test_filled_in_template_loads_for_another_area_named_by_dfe_number(engine, template_path):
    workbook = openpyxl.load_workbook(template_path)
    sheet = workbook[RETURN_SHEET]
    sheet["B2"], sheet["C2"] = 895, 560
    workbook.save(template_path)
    report = import_file(engine, template_path)
    assert report.status == "loaded", [p.message() for p in report.problems]
    stored = queries.observations(engine)
    assert stored[["measure_code", "area_code", "value"]].values.tolist() == [["cla_count", "E06000049", 560.0]]


@pytest.mark.parametrize(
    ("cell", "typed", "rule"),
    [
        ("C2", -3, "value outside its range"),
        ("D6", 101, "value outside its range"),  # row 6 is a percentage measure
        ("E3", "lots", "unreadable value"),
        ("A2", "not_a_measure", "unknown measure"),  # row 2 has a figure
    ],
)
def test_a_slip_the_validation_would_catch_is_refused_on_loading_too(engine, template_path, cell, typed, rule):
    assert catalogue().measures[4].is_percent  # the fifth measure (row 6) is a percentage
    workbook = openpyxl.load_workbook(template_path)
    sheet = workbook[RETURN_SHEET]
    sheet["C2"], sheet["D6"], sheet["E3"] = 400, 70, 65  # good figures around the slip
    sheet[cell] = typed
    workbook.save(template_path)
    report = import_file(engine, template_path)
    assert report.status == "rejected"
    assert [(p.sheet, p.cell, p.rule.value) for p in report.problems] == [(RETURN_SHEET, cell, rule)]
    assert queries.is_empty(engine)

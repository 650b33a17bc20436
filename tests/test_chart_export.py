"""Chart pictures and tables as a report writer gets them: sizes read from the PNG header, words in the SVG,
number formats in the Excel sheet, and the Download control under a chart in the real app."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from db.engine import connect
from reports.chart_images import SCALE, SIZES, png_size, render
from reports.chart_tables import NO_FIGURE, chart_table, number_format, to_csv, to_xlsx
from tests import app_database
from tests.databases import new_database
from views.charts import neighbour_view, trend_view
from views.reads import database_reads
from views.scope import Scope

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def reads(tmp_path_factory):
    url = new_database(tmp_path_factory.mktemp('export') / 'dashboard.db')
    app_database.build(connect(url), url)
    return database_reads(connect(url))


@pytest.fixture(scope="module")
def scope() -> Scope:
    return Scope(app_database.HOME, date(2023, 4, 1), date(2025, 3, 31))


@needs_chromium
@pytest.mark.parametrize("size", SIZES, ids=lambda s: s.key)
def test_each_png_size_is_twice_its_layout(reads, scope, size):
    view = trend_view(reads, scope, app_database.RED_MEASURE)
    assert png_size(render(view.figure, "png", size.key, view.caption)) == (size.width * SCALE, size.height * SCALE)


@needs_chromium
def test_the_svg_says_the_title_the_target_the_rating_and_the_source(reads, scope):
    view = trend_view(reads, scope, app_database.RED_MEASURE)
    svg = render(view.figure, "svg", "full", replace(view.caption, rating="Off target")).decode("utf-8")
    assert view.caption.title in svg
    assert "Target: 10% or less" in svg and "Off target" in svg
    assert "Comparators: DfE" in svg and "Source:" in svg


@needs_chromium
def test_the_neighbour_bars_picture_names_its_year(reads, scope):
    view = neighbour_view(reads, scope, "stab_long_pct")
    svg = render(view.figure, "svg", "slide", view.caption).decode("utf-8")
    assert "2024-25" in svg and "Target: 60% or more" in svg


def test_the_data_behind_a_chart_as_csv_keeps_every_point_and_no_zero_for_a_gap(reads, scope):
    view = trend_view(reads, scope, app_database.SUPPRESSED[0])
    table = chart_table(view.figure, None, "Dental checks", view.source)
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows[0] == ["Dental checks"] and rows[1][0].startswith("Source: ")
    header = rows.index(["Series", "Period or area", "Value"])
    ours = [r for r in rows[header + 1:] if r and r[0] == view.caption.council]
    assert len(ours) == app_database.MONTHS
    december = next(r for r in ours if r[1] == "December 2024")
    assert december[2] == NO_FIGURE  # suppressed in the return: never 0
    assert any("never counted as 0" in r[0] for r in rows if r)


def test_the_excel_sheet_has_percent_formats_and_the_source(reads, scope):
    from reference.catalogue import catalogue

    measure = catalogue().get("stab_long_pct")
    view = trend_view(reads, scope, measure.code)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(chart_table(view.figure, measure, "Settled", view.source))))
    sheet = book.active
    assert sheet["A1"].value == "Settled" and str(sheet["A2"].value).startswith("Source: ")
    values = [row for row in sheet.iter_rows(min_row=5) if row[0].value == view.caption.council]
    assert values and all(row[2].number_format == "0%" for row in values)
    shown = [row[2].value for row in values]
    assert all(0 <= v <= 1 for v in shown)  # 68% is stored as 0.68 and shown as 68%


@pytest.mark.parametrize(("unit", "decimals", "fmt"), [("percent", 0, "0%"), ("percent", 1, "0.0%"),
                                                      ("count", 0, "#,##0"), ("rate_per_10k", 0, "0.0"),
                                                      ("score", 1, "0.0")])
def test_number_formats_by_unit(unit, decimals, fmt):
    assert number_format(unit, decimals) == fmt


def test_every_chart_on_a_measure_page_has_a_download_control(reads, monkeypatch, tmp_path):
    from tests.test_app_pages import environment, open_page

    url = new_database(tmp_path / 'page.db')
    app_database.build(connect(url), url)
    for key, value in environment(url).items():
        monkeypatch.setenv(key, value)
    at = open_page("measure", {"measure": "stab_long_pct"})
    assert not at.exception
    labels = [str(b.proto.label) for b in at.get("download_button")]
    for wanted in ("PNG: Full A4 width", "PNG: Half A4 width", "PNG: 16:9 slide", "SVG (for editing)",
                   "Data behind the chart (CSV)", "Data behind the chart (Excel)"):
        assert labels.count(wanted) >= 2, wanted  # the trend and the neighbour bars


def test_without_chromium_the_control_says_so_and_offers_only_the_data(monkeypatch, tmp_path):
    from tests.test_app_pages import environment, open_page

    url = new_database(tmp_path / 'page.db')
    app_database.build(connect(url), url)
    for key, value in environment(url).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on the path
    at = open_page("measure", {"measure": "stab_long_pct"})
    assert not at.exception
    labels = [str(b.proto.label) for b in at.get("download_button")]
    assert not any(label.startswith(("PNG", "SVG")) for label in labels)
    assert "Data behind the chart (CSV)" in labels
    assert any("need Debian's chromium" in c.value for c in at.caption)

"""A real council's first monthly return beside DfE's years: the charts stay readable and say what they draw.

Walsall on DfE's published figures, then its own monthly return for April to October 2026 (an .xlsx written
here and loaded through the importer). The period in view becomes the latest 36 months, which holds only
two of DfE's years: a chart of DfE's figures alone must still show five, ticks must spread over the whole
axis rather than crowd the seven months, the flow chart must not set yearly bars beside a monthly line,
and each subtitle must give the span of what the chart draws.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from db.engine import connect
from loaders.importer import import_file
from tests import app_database
from tests.test_app_pages import environment, open_page
from views import charts
from views.reads import database_reads
from views.scope import TREND_YEARS, Scope

WALSALL = "E08000030"
MONTHS = ["Apr-26", "May-26", "Jun-26", "Jul-26", "Aug-26", "Sep-26", "Oct-26"]
ROWS = {
    "Children looked after at the period end": [620, 624, 630, 628, 633, 640, 642],
    "Children looked after per 10,000 under-18s": [88.1, 88.6, 89.5, 89.2, 89.9, 90.9, 91.2],
    "Started to be looked after in the period": [20, 25, 22, 30, 24, 27, 21],
    "Ceased to be looked after in the period": [18, 21, 16, 32, 19, 20, 19],
}
IN_VIEW = (date(2023, 11, 1), date(2026, 10, 31))  # the latest 36 months the sidebar shows by default


def monthly_return(path: Path, rows: dict[str, list[float]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "2026-27"
    sheet.append(["Measure", *MONTHS])
    for name, values in rows.items():
        sheet.append([name, *values])
    book.save(path)
    return path


def with_return(published_url: str, folder: Path, rows: dict[str, list[float]]) -> str:
    url = app_database.copy_database(published_url, folder / "walsall.db")
    report = import_file(connect(url), monthly_return(folder / "walsall_return.xlsx", rows), default_area=WALSALL)
    assert report.status == "loaded", report.summary()
    return url


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> str:
    return app_database.published_database(tmp_path_factory.mktemp("published") / "published.db")


@pytest.fixture(scope="module")
def walsall_url(published_url, tmp_path_factory) -> str:
    return with_return(published_url, tmp_path_factory.mktemp("walsall"), ROWS)


def scope() -> Scope:
    return Scope(WALSALL, *IN_VIEW)


def subtitle(title: str) -> str:
    return title.split("<br>")[-1].split(">")[1].split("<")[0]


def assert_ticks_spread(layout: dict, traces: list) -> None:
    """Ticks distinct, each at least an eighth of the axis from the next (they crowded into one corner before:
    'Apr Jun Aug Oct 2026202626'), and covering the axis from its first point to its last."""
    axis = layout["xaxis"]
    ticks = [date.fromisoformat(str(t)[:10]) for t in axis["tickvals"]]
    labels = axis["ticktext"]
    assert len(set(labels)) == len(labels) <= 6, labels
    drawn = [date.fromisoformat(str(x)[:10]) for trace in traces if trace.get("type", "scatter") in ("scatter", "bar")
             and trace.get("mode") != "lines" for x in (trace.get("x") or []) if x is not None]
    first, last = min(drawn), max(drawn)
    assert all(b - a >= (last - first) / 8 for a, b in zip(ticks, ticks[1:], strict=False)), labels
    assert ticks[0] - first <= timedelta(days=200) and last - ticks[-1] <= timedelta(days=200), labels


def test_a_chart_of_dfe_years_alone_keeps_five_years_beside_a_monthly_return(walsall_url):
    view = charts.trend_view(database_reads(connect(walsall_url)), scope(), "stab_3plus_pct")
    own = next(t for t in view.figure.data if t.meta == "own")
    assert [x.isoformat() for x in own.x] == [f"{year}-03-31" for year in range(2021, 2026)]
    assert len(own.x) == TREND_YEARS
    assert subtitle(view.figure.layout.title.text) == "Walsall, 2020-21 to 2024-25"
    assert view.caption.period == "2020-21 to 2024-25"
    assert list(view.figure.layout.xaxis.ticktext) == ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]


def test_a_period_chosen_in_dfe_years_is_kept():
    """A council on DfE's figures alone chose two years: the chart keeps to them."""
    chosen = Scope(WALSALL, date(2023, 4, 1), date(2025, 3, 31), by_year=True)
    assert chosen.years_start(date(2025, 3, 31)) == date(2023, 4, 1)
    assert Scope(WALSALL, *IN_VIEW).years_start(date(2025, 3, 31)) == date(2020, 4, 1)


def test_months_beside_dfe_years_share_an_axis_with_even_ticks_and_a_true_subtitle(walsall_url):
    view = charts.trend_view(database_reads(connect(walsall_url)), scope(), "cla_rate")
    whole = json.loads(view.figure.to_json())
    layout = whole["layout"]
    assert subtitle(layout["title"]["text"]) == "Walsall, 2023-24 to October 2026"  # DfE's years are drawn too
    assert_ticks_spread(layout, whole["data"])
    drawn = {t.meta: [x.isoformat() for x in t.x] for t in view.figure.data}
    assert drawn["own"][0] == "2026-04-30" and drawn["own"][-1] == "2026-10-31"
    assert drawn["published"] == ["2024-03-31", "2025-03-31"]


def test_the_flow_chart_draws_bars_and_line_at_one_frequency(published_url, tmp_path):
    """A return giving the number in care monthly but not the starts: DfE's yearly starts are not set beside
    a monthly line; the chart is yearly throughout, over five years, and says so."""
    url = with_return(published_url, tmp_path, {"Children looked after at the period end": ROWS[
        "Children looked after at the period end"]})
    view = charts.flow_view(database_reads(connect(url)), scope())
    ends = {t.meta: {x.isoformat()[5:] for x in t.x} for t in view.figure.data}
    assert ends["cla_starts"] == ends["cla_ceased"] == ends["cla_count"] == {"03-31"}
    assert len(view.figure.data[0].x) == TREND_YEARS
    assert subtitle(view.figure.layout.title.text) == "Walsall, 2020-21 to 2024-25"
    assert list(view.figure.layout.xaxis.ticktext) == ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"]


def test_the_children_in_care_page_after_a_monthly_return(walsall_url, monkeypatch):
    """The page as a member opens it: every chart's ticks spread and distinct, no chart of DfE's years cut to
    two, and no subtitle that stops at 2024-25 while the chart draws October 2026."""
    for key, value in environment(walsall_url, DASHBOARD_HOME_AREA="Walsall").items():
        monkeypatch.setenv(key, value)
    at = open_page("cla")
    assert not at.exception, [e.value for e in at.exception]
    figures = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert len(figures) >= 5
    for figure in figures:
        layout, traces = figure["layout"], figure["data"]
        assert_ticks_spread(layout, traces)
        last = max(str(x)[:10] for trace in traces for x in trace.get("x", []) if x is not None)
        if last == "2026-10-31":
            assert subtitle(layout["title"]["text"]).endswith("October 2026"), layout["title"]["text"]
        else:  # DfE's years alone
            own = traces[0]["x"]
            assert len(own) == TREND_YEARS, layout["title"]["text"]
            assert subtitle(layout["title"]["text"]).endswith("2020-21 to 2024-25"), layout["title"]["text"]

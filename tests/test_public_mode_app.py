"""Public mode in the real app: a small number planted in the database is nowhere on the page, in the
chart data or hover text, or in a table, while the switch is on; and is shown when it is off."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from db.engine import connect
from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch
from tests import app_database
from tests.app_database import HOME
from tests.databases import new_database
from tests.test_app_pages import APP, PAGES, TIMEOUT, environment, table_text, texts, use_env  # noqa: F401
from ui.filters import PUBLIC_MODE_LABEL, PUBLIC_SWITCH_KEY

LAST = date(2025, 3, 31)
SMALL_PERCENT = 300 / 7  # 3 of 7 initial health assessments on time: 42.857...%


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[str]:
    url = new_database(tmp_path_factory.mktemp('public') / 'dashboard.db')
    engine = connect(url)
    app_database.build(engine, url)
    planted = pd.DataFrame([
        dict(measure_code="cla_starts", area_code=HOME, period_type="month", period_end=LAST, dimension="",
             category="", value=3.0, numerator=None, denominator=None, status="value"),
        dict(measure_code="health_iha_pct", area_code=HOME, period_type="month", period_end=LAST, dimension="",
             category="", value=SMALL_PERCENT, numerator=3.0, denominator=7.0, status="value"),
        dict(measure_code="cla_count", area_code=HOME, period_type="month", period_end=LAST, dimension="age_band",
             category="Under 1", value=3.0, numerator=None, denominator=None, status="value"),
    ], columns=OBSERVATION_COLUMNS)
    apply_batch(engine, BatchInfo("small.xlsx", "1" * 64, "return", ["Return"], "tester"), planted)
    yield url


def _open(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page]).run()
    assert not at.exception, at.exception
    return at


def _chart_points(at: AppTest) -> list[tuple[str, float]]:
    """Every (x, y) a chart on the page plots, from the figure data sent to the browser."""
    points = []
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            xs, ys = trace.get("x") or [], trace.get("y") or []
            if isinstance(xs, list) and isinstance(ys, list):
                points += [(str(x), y) for x, y in zip(xs, ys, strict=False) if isinstance(y, (int, float))]
    return points


def _chart_text(at: AppTest) -> str:
    return "\n".join(chart.proto.spec for chart in at.get("plotly_chart"))


def _planted_visible(at: AppTest) -> dict[str, bool]:
    points = _chart_points(at)
    return {
        "count point": any(x.startswith(str(LAST)) and y == 3 for x, y in points),
        "percent point": any(abs(y - SMALL_PERCENT) < 0.06 for _, y in points),
        "percent text": any(text in _chart_text(at) + texts(at) + table_text(at) for text in ("42.9", "42.86")),
    }


@pytest.mark.parametrize("page", ["cla", "health", "measure"])
def test_public_mode_on_by_setting_hides_the_planted_small_numbers(built, use_env, page):  # noqa: F811
    use_env(environment(built, DASHBOARD_PUBLIC_MODE="1"))
    at = _open(page)
    assert "Public mode: small numbers are hidden" in texts(at)
    assert at.sidebar.toggle(key=PUBLIC_SWITCH_KEY).value is True
    assert not any(_planted_visible(at).values()), _planted_visible(at)


def test_without_public_mode_the_same_figures_are_shown(built, use_env):  # noqa: F811
    use_env(environment(built, DASHBOARD_PUBLIC_MODE="0"))
    cla, health = _open("cla"), _open("health")
    assert "Public mode: small numbers are hidden" not in texts(cla)
    assert _planted_visible(cla)["count point"]
    assert _planted_visible(health)["percent point"]


def test_the_sidebar_switch_turns_public_mode_on_for_the_session(built, use_env):  # noqa: F811
    use_env(environment(built, DASHBOARD_PUBLIC_MODE="0"))
    at = _open("cla")
    switch = at.sidebar.toggle(key=PUBLIC_SWITCH_KEY)
    assert switch.label == PUBLIC_MODE_LABEL
    switch.set_value(True).run()
    assert "Public mode: small numbers are hidden" in texts(at)
    assert not _planted_visible(at)["count point"]
    hovers = {trace.get("name"): trace["customdata"][-1] for chart in at.get("plotly_chart")
              for trace in json.loads(chart.proto.spec)["data"]
              if isinstance(trace.get("customdata"), list) and trace["customdata"]}
    assert hovers["Under 1"] == ["March 2025", "suppressed: fewer than 5"]
    assert hovers["1 to 4"] == ["March 2025", "suppressed"]  # else Under 1 is the total less the others


def test_public_mode_stays_on_from_page_to_page_and_on_the_benchmarking_page(built, use_env):  # noqa: F811
    use_env(environment(built, DASHBOARD_PUBLIC_MODE="0"))
    at = _open("cla")
    at.sidebar.toggle(key=PUBLIC_SWITCH_KEY).set_value(True).run()
    at.switch_page(PAGES["health"]).run()
    assert "Public mode: small numbers are hidden" in texts(at)
    assert not _planted_visible(at)["percent point"]
    at.switch_page("app_pages/benchmarking.py").run()
    assert not at.exception
    assert "Public mode: small numbers are hidden" in texts(at)
    assert at.sidebar.toggle(key=PUBLIC_SWITCH_KEY).value is True


def test_the_footnote_is_under_the_charts_a_suppression_touched(built, use_env):  # noqa: F811
    use_env(environment(built, DASHBOARD_PUBLIC_MODE="1"))
    at = _open("cla")
    captions = [str(c.value) for c in at.caption]
    assert any("suppressed to protect children's privacy" in c and "below 5" in c for c in captions)
    assert any("worked out from the total" in c for c in captions)  # the age band breakdown's second cell
    use_env(environment(built, DASHBOARD_PUBLIC_MODE="0"))
    assert not any("children's privacy" in str(c.value) for c in _open("cla").caption)

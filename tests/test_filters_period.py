"""The period in view, through the real app (AppTest) on a database with every council's yearly figures.

A council with DfE's yearly figures only (every real council before its first return) sees five years
by default, named as DfE names them (2024-25); a council with its own monthly return sees three years
of months. Choosing another council starts on that council's own period, and a link's period still wins.
A period nobody chose moves on when an editor loads a newer month; one a person or a link chose stays.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import connect
from tests import app_database
from tests.databases import new_database
from tests.test_app_pages import APP, PAGES, TIMEOUT, environment, texts

YEARLY_ONLY = "E06000049"  # Cheshire East: DfE's figures 2016 to 2025, no return of its own here
HOME = app_database.HOME  # the sample council: its own monthly return, April 2023 to March 2025
FIRST_YEAR, LAST_YEAR = 2016, 2025  # the national database's years ending 31 March


def dfe_year(year: int) -> str:
    """DfE's name for the year ending 31 March, written out here: 2025 -> '2024-25'."""
    return f"{year - 1}-{str(year)[2:]}"


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Iterator[str]:
    url = new_database(tmp_path_factory.mktemp('filters') / 'national.db')
    app_database.build(connect(url), url, national=True)
    yield url


@pytest.fixture
def app_env(national, monkeypatch) -> str:
    for key, value in environment(national).items():
        monkeypatch.setenv(key, value)
    return national


def run(page: str = "overview", params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def period_slider(at: AppTest):
    sliders = [s for s in at.sidebar.select_slider if s.label == "Period in view"]
    assert len(sliders) == 1
    return sliders[0]


def council(at: AppTest):
    return next(s for s in at.sidebar.selectbox if s.label == "Council")


def param(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def test_a_council_with_yearly_figures_only_sees_five_dfe_years(app_env):
    at = run(params={"area": YEARLY_ONLY})
    slider = period_slider(at)
    assert slider.options == [dfe_year(y) for y in range(FIRST_YEAR, LAST_YEAR + 1)]  # as the person reads them
    assert [slider.format_func(v) for v in slider.value] == [dfe_year(LAST_YEAR - 4), dfe_year(LAST_YEAR)]
    assert f"period in view **{dfe_year(LAST_YEAR - 4)} to {dfe_year(LAST_YEAR)}**" in texts(at)
    assert (param(at, "from"), param(at, "to")) == (f"{LAST_YEAR - 5}-04", f"{LAST_YEAR}-03")


def test_the_yearly_councils_trend_has_five_points_not_three(app_env):
    at = run("measure", {"area": YEARLY_ONLY, "measure": "cla_rate"})
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    ours = [t for c in charts for t in c["data"] if t.get("name", "").replace("<br>", " ") == "Cheshire East"]
    assert ours, "no line for Cheshire East"
    assert [x[:10] for x in ours[0]["x"]] == [f"{y}-03-31" for y in range(LAST_YEAR - 4, LAST_YEAR + 1)]


def test_a_council_with_its_own_monthly_return_sees_three_years_of_months(app_env):
    at = run()
    slider = period_slider(at)
    assert slider.value == ("2022-04", "2025-03")
    assert slider.options[-1] == "March 2025"


def test_changing_the_council_starts_on_that_councils_own_period(app_env):
    at = run()
    period_slider(at).set_value(("2024-10", "2025-03")).run()
    assert (param(at, "from"), param(at, "to")) == ("2024-10", "2025-03")
    council(at).set_value(YEARLY_ONLY).run()
    assert not at.exception
    assert [period_slider(at).format_func(v) for v in period_slider(at).value] == [dfe_year(2021), dfe_year(2025)]
    assert (param(at, "from"), param(at, "to")) == ("2020-04", "2025-03")
    council(at).set_value(HOME).run()
    assert period_slider(at).value == ("2022-04", "2025-03")  # its own default, not October 2024 from before


def test_a_link_with_a_council_and_a_period_opens_on_that_period(app_env):
    at = run(params={"area": YEARLY_ONLY, "from": "2017-04", "to": "2023-03"})
    assert [period_slider(at).format_func(v) for v in period_slider(at).value] == [dfe_year(2018), dfe_year(2023)]
    assert f"period in view **{dfe_year(2018)} to {dfe_year(2023)}**" in texts(at)


def test_the_period_follows_to_the_next_page_for_the_same_council(app_env):
    at = run(params={"area": YEARLY_ONLY})
    period_slider(at).set_value((2019, 2022)).run()
    at.switch_page(PAGES["measure"]).run()
    assert f"{dfe_year(2019)} to {dfe_year(2022)}" in texts(at)


@pytest.fixture
def monthly_env(tmp_path, monkeypatch) -> str:
    """A database of its own (these tests load a month into it): the sample council's months to March 2025."""
    url = new_database(tmp_path / "monthly.db")
    app_database.build(connect(url), url)
    for key, value in environment(url).items():
        monkeypatch.setenv(key, value)
    return url


def load_april(url: str, folder) -> None:
    """The editor loads April 2025's return through the command line while the page is open."""
    path = folder / "return_2025_04.csv"
    path.write_text("measure,period,value\ncla_count,2025-04,321\nstab_3plus_pct,2025-04,9\n")
    done = subprocess.run([sys.executable, "-m", "loaders", "import", str(path), "--area", HOME, "--db", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_period_nobody_chose_moves_on_to_the_month_an_editor_loads(monthly_env, tmp_path):
    at = run()
    assert period_slider(at).value == ("2022-04", "2025-03")
    load_april(monthly_env, tmp_path)
    at.run()
    assert not at.exception
    assert period_slider(at).value == ("2022-05", "2025-04")
    assert (param(at, "from"), param(at, "to")) == ("2022-05", "2025-04")
    at.switch_page(PAGES["measure"]).run()
    assert period_slider(at).value == ("2022-05", "2025-04")


def test_a_period_the_person_chose_stays_when_a_newer_month_is_loaded(monthly_env, tmp_path):
    at = run()
    period_slider(at).set_value(("2024-10", "2025-03")).run()
    load_april(monthly_env, tmp_path)
    at.run()
    assert period_slider(at).value == ("2024-10", "2025-03")
    assert "April 2025" in period_slider(at).options  # there to choose, not forced on the person
    at.switch_page(PAGES["measure"]).run()
    assert period_slider(at).value == ("2024-10", "2025-03")


def test_a_linked_period_stays_when_a_newer_month_is_loaded(monthly_env, tmp_path):
    at = run(params={"from": "2023-04", "to": "2024-03"})
    assert period_slider(at).value == ("2023-04", "2024-03")
    load_april(monthly_env, tmp_path)
    at.run()
    assert period_slider(at).value == ("2023-04", "2024-03")
    assert (param(at, "from"), param(at, "to")) == ("2023-04", "2024-03")

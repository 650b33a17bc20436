"""Every page of the real app, run through Streamlit's AppTest against a database the test builds.

Asserts what a committee member or officer would read: measure names, ratings in words, formatted
values, what needs attention, suppressed values shown as such, and that no page shows an exception.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from charts.wording import spell_out
from db.engine import connect
from db.writes import BatchInfo, apply_batch
from reference.areas import areas
from reference.catalogue import catalogue
from tests import app_database
from tests.app_database import HOME, NO_DATA_MEASURE, RED_MEASURE, SUPPRESSED
from tests.databases import new_database

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT = 120
PAGES = {
    "overview": "app_pages/overview.py",
    "cla": "app_pages/children_in_care.py",
    "stability": "app_pages/placement_stability.py",
    "care_leavers": "app_pages/care_leavers.py",
    "health": "app_pages/health.py",
    "measure": "app_pages/measure.py",
    "imports": "app_pages/imports.py",
}
THEME_PAGES = {"cla": "cla", "stability": "stability", "care_leavers": "care_leavers", "health": "health"}


def environment(url: str, **extra: str) -> dict[str, str]:
    return {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
            "DASHBOARD_HOME_AREA": HOME, **extra}


@pytest.fixture
def use_env():
    """Set the dashboard's environment for one test and restore it afterwards."""
    saved: dict[str, str | None] = {}

    def apply(values: dict[str, str]) -> None:
        for key, value in values.items():
            saved.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    yield apply
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[str]:
    url = new_database(tmp_path_factory.mktemp('app') / 'dashboard.db')
    app_database.build(connect(url), url)
    yield url


@pytest.fixture
def app_env(built, use_env) -> str:
    use_env(environment(built))
    return built


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    """Run the app, go to the page (with the URL's query parameters) and return the finished run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page]).run()
    return at


TEXT_KINDS = {"title", "header", "subheader", "markdown", "caption", "info", "success", "warning", "error"}


def walk(node):
    """Elements in the order the page draws them."""
    children = getattr(node, "children", None)
    if children:
        for child in children.values():
            yield from walk(child)
    else:
        yield node


MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def as_read(markdown: str) -> str:
    """Markdown as a person reads it: a backslash-escaped character is that character ('\\(' reads '(')."""
    return MARKDOWN_ESCAPE.sub(r"\1", markdown)


def texts(at: AppTest) -> str:
    """Everything the page says in titles, markdown, captions and alerts, in page order, as one string, with
    markdown's escapes read as the characters they show."""
    return "\n".join(as_read(str(e.value)) for root in (at.sidebar, at.main) for e in walk(root)
                     if e.type in TEXT_KINDS)


def chart_titles(at: AppTest) -> str:
    """The title of every chart on the page as it reads (markup and line breaks dropped), one a line: each
    names its measure, so no heading above it repeats that."""
    titles = (json.loads(chart.proto.spec)["layout"].get("title", {}).get("text", "") for chart in at.get("plotly_chart"))
    return "\n".join(" ".join(re.sub(r"<[^>]+>", " ", title).split()) for title in titles)


def table_text(at: AppTest) -> str:
    return "\n".join(frame.value.to_string() for frame in at.dataframe)


def table_with(at: AppTest, column: str):
    """The first table on the page with this column heading."""
    frames = [frame.value for frame in at.dataframe if column in frame.value.columns]
    assert frames, f"no table with a {column!r} column"
    return frames[0]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("overview", ["Overview", "What needs attention", "Northmoor", "Every measure", "Placement stability"]),
        ("cla", ["Children in care", "Children starting and leaving care", "In foster care", "Breakdowns",
                 "Children in care by age band"]),
        ("stability", ["Placement stability", "3 or more moves in a year", "Settled for 2 years or more"]),
        ("care_leavers", ["Care leavers", "Care leavers 17-18 in education or work",
                          "Care leavers 19-21 suitably housed"]),
        ("health", ["Health", "Initial health checks on time",
                    "Emotional wellbeing: SDQ (Strengths and Difficulties Questionnaire) score"]),
        ("measure", [catalogue().get("cla_rate").short_name, "How we compare",
                     "The figures behind the chart", "Commentary"]),
        ("imports", ["Imports", "python -m loaders import FILE"]),
    ],
)
def test_every_page_runs_and_says_what_it_shows(app_env, page, expected):
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at) + chart_titles(at)
    for text in expected:
        assert text in said, f"{text!r} not on the {page} page"
    assert "Period in view" in said or "period in view" in said or page == "imports"


@pytest.mark.parametrize("page", sorted(THEME_PAGES))
def test_theme_pages_show_every_catalogue_measure_with_a_chart_and_explanation(app_env, page):
    at = open_page(page)
    measures = catalogue().in_theme(THEME_PAGES[page])
    said = texts(at)
    titles = chart_titles(at)
    with_data = [m for m in measures if m.code != NO_DATA_MEASURE]
    for measure in with_data:
        assert spell_out(measure.short_name) in titles  # the chart's title names it
    for measure in measures:
        if measure.code == NO_DATA_MEASURE:
            assert f"**{measure.short_name}** · no data yet" in said
    charts = at.get("plotly_chart")
    assert len(charts) >= len(with_data)
    captions = "\n".join(c.value for c in at.caption)
    for measure in with_data:
        assert measure.polarity_text in captions or measure.polarity_text.lower() in captions.lower()


def test_overview_puts_the_measure_that_turned_red_under_what_needs_attention(app_env):
    at = open_page("overview")
    red = catalogue().get(RED_MEASURE)
    said = texts(at)
    attention = said[said.index("What needs attention"): said.index("Every measure")]
    assert red.short_name in attention
    assert "Off target" in attention
    assert "14%" in attention
    assert "was close to target" in attention


def test_overview_scorecard_rates_in_words_and_shows_missing_as_no_data(app_env):
    at = open_page("overview")
    table = table_text(at)
    assert "✖ Off target" in table
    assert "✔ On target" in table
    assert "no data" in table  # the measure never loaded
    assert catalogue().get(NO_DATA_MEASURE).short_name in table
    assert "of 10)" in table  # neighbour average says how many neighbours it used
    assert len(at.dataframe) == len(catalogue().themes)
    links = [v for frame in at.dataframe for v in frame.value.get("Details", [])]
    assert any(f"measure={RED_MEASURE}" in str(link) for link in links)


@pytest.mark.parametrize(
    ("params", "absent", "present"),
    [
        ({"comparators": "off"}, "Neighbours", "Trend"),
        ({"comparators": "on"}, None, "Neighbours"),
    ],
)
def test_comparators_switch_follows_the_url(app_env, params, absent, present):
    at = open_page("overview", params)
    columns = set().union(*[set(frame.value.columns) for frame in at.dataframe])
    assert present in columns
    if absent:
        assert absent not in columns
    assert at.query_params["comparators"] == [params["comparators"]] or at.query_params["comparators"] == params[
        "comparators"]


def test_measure_page_opens_on_the_measure_and_months_in_the_url(app_env):
    code, month = SUPPRESSED
    params = {"measure": code, "from": "2024-10", "to": f"{month:%Y-%m}", "comparators": "on", "area": HOME}
    at = open_page("measure", params)
    assert not at.exception
    measure = catalogue().get(code)
    assert measure.short_name in [t.value for t in at.title]
    values = table_with(at, "Source")
    december = values[values["Period"] == "December 2024"]
    assert list(december["Council's own figure"]) == ["suppressed"]
    assert list(december["Status"]) == ["suppressed"]
    assert "0%" not in list(values["Council's own figure"])
    assert list(values["Period"])[:3] == ["December 2024", "November 2024", "October 2024"]
    assert values["Source"].str.contains("Council return northmoor_monthly.xlsx").all()
    assert "No commentary yet." in texts(at)


def test_measure_page_shows_numerator_and_denominator_behind_a_percentage(app_env):
    at = open_page("measure", {"measure": RED_MEASURE, "from": "2025-03", "to": "2025-03"})
    values = table_with(at, "Source")
    march = values[values["Period"] == "March 2025"].iloc[0]
    assert (march["Council's own figure"], march["Numerator"], march["Denominator"]) == ("14%", "28", "200")
    said = texts(at)
    assert "Off target" in said
    assert "**Target.** 10% or less for March 2025" in said


def test_measure_page_names_an_unknown_measure(app_env):
    at = open_page("measure", {"measure": "no_such_measure"})
    assert not at.exception
    assert any("no_such_measure" in as_read(w.value) for w in at.warning)


def test_imports_page_lists_every_batch_with_its_counts(app_env):
    at = open_page("imports")
    table = table_with(at, "Values in file")
    assert set(table["File"]) == {"northmoor_monthly.xlsx", "northmoor_breakdowns.xlsx", "dfe_published.csv"}
    monthly = table[table["File"] == "northmoor_monthly.xlsx"].iloc[0]
    assert monthly["New"] == monthly["Values in file"] > 0
    assert (monthly["Replaced"], monthly["Unchanged"]) == (0, 0)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_empty_database_says_in_words_who_loads_returns(tmp_path, use_env, page):
    """A member reads what is missing and who loads it, never a command for a terminal."""
    use_env(environment(new_database(tmp_path / 'empty.db')))
    at = open_page(page)
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    assert "No figures are loaded yet" in said
    assert "An editor loads the council's returns" in said and "Imports page" in said
    if page != "imports":  # the Imports page's upload section is an editor's: it may name the command
        assert "python -m" not in said


def test_any_english_council_can_be_chosen_and_councils_with_their_own_figures_come_first(tmp_path, use_env):
    url = new_database(tmp_path / 'two.db')
    engine = connect(url)
    app_database.build(engine, url)
    use_env(environment(url))
    at = open_page("overview")
    chooser = [s for s in at.sidebar.selectbox if s.label == "Council"]
    assert chooser and chooser[0].value == HOME
    assert len(chooser[0].options) >= 150
    at = open_page("overview", {"area": "Cheshire East"})  # a link may name the council in words
    assert [s for s in at.sidebar.selectbox if s.label == "Council"][0].value == "E06000049"
    other = "E06000049"  # Cheshire East's own monthly figures as well
    frame = app_database.home_monthly(random.Random(7), home=other)
    apply_batch(engine, BatchInfo("cheshire_east.xlsx", "1" * 64, "return", ["Return"], "tester"), frame)
    at = open_page("overview", {"area": other})
    chooser = [s for s in at.sidebar.selectbox if s.label == "Council"]
    assert chooser and chooser[0].value == other
    assert chooser[0].options[:2] == [areas().get(HOME).name, "Cheshire East"]
    assert "Cheshire East" in texts(at)


def test_the_councils_own_words_for_children_in_care(app_env, use_env):
    use_env({"DASHBOARD_CHILDREN_TERM": "cared for children"})
    at = open_page("cla")
    assert "Cared for children" in [t.value for t in at.title]


def test_a_changed_filter_goes_into_the_url_and_follows_to_the_next_page(app_env):
    at = open_page("overview")
    at.sidebar.toggle[0].set_value(False).run()
    at.sidebar.select_slider[0].set_value(("2024-04", "2025-03")).run()
    assert (at.query_params["comparators"], at.query_params["from"], at.query_params["to"]) in [
        ("off", "2024-04", "2025-03"), (["off"], ["2024-04"], ["2025-03"])]
    at.switch_page(PAGES["measure"]).run()
    said = texts(at)
    assert "April 2024 to March 2025" in said
    assert "Comparators are switched off in the sidebar." in said


def test_measure_page_says_why_a_local_measure_has_no_comparators(app_env):
    at = open_page("measure", {"measure": "health_iha_pct", "comparators": "on"})
    assert not at.exception
    assert "Not published by DfE" in texts(at)
    at = open_page("measure", {"measure": RED_MEASURE, "comparators": "on"})
    assert "Not published by DfE" not in texts(at)

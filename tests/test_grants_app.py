"""The real app with grants in the database, through Streamlit's AppTest: each person sees their own
councils' figures, DfE's published ones for any other council, and the grants page only as an editor.

The database is the app test council's (A, fictional) with DfE's figures for its neighbours; jsmith is the
operating-system login the app runs as (local mode), so their grants decide what they see.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from access.grants import grant
from db.engine import connect
from tests import app_database
from tests.databases import new_database
from tests.test_app_pages import APP, HOME, TIMEOUT, texts
from ui.filters import NO_ACCESS_TEXT, NO_GRANT_TEXT

PEOPLE = "app_pages/people.py"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[tuple[str, str]]:
    url = new_database(tmp_path_factory.mktemp('grants_app') / 'dashboard.db')
    made = app_database.build(connect(url), url)
    yield url, made.neighbours[0], made.neighbours[1]


@pytest.fixture
def app_env(built, monkeypatch, tmp_path) -> tuple[str, str]:
    url = app_database.copy_database(built[0], tmp_path / "dashboard.db")
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": HOME, "DASHBOARD_USER": "jsmith"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    yield url, *built[1:]
    connect.cache_clear()


def run(params: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def test_a_viewer_of_their_council_sees_its_own_figures_and_is_a_viewer(app_env):
    url = app_env[0]
    grant(connect(url), "jsmith", "viewer", HOME, "admin")
    at = run()
    assert not at.exception
    assert "What needs attention" in texts(at) and NO_ACCESS_TEXT not in texts(at)
    assert "(viewer)" in "\n".join(str(c.value) for c in at.sidebar.caption)


def test_asking_by_url_for_another_council_s_own_figures_says_so_and_shows_its_published_ones(app_env):
    url, mine, other = app_env
    grant(connect(url), "jsmith", "editor", mine, "admin")
    at = run({"area": other})
    assert not at.exception
    assert NO_ACCESS_TEXT in texts(at)
    assert at.query_params["area"] == other  # the council asked for, as DfE published its figures
    assert NO_ACCESS_TEXT not in texts(run({"area": mine}))


def test_someone_with_no_grant_is_told_so_and_sees_published_figures_only(app_env):
    url, mine, _other = app_env
    grant(connect(url), "ria@region.org.uk", "editor", mine, "admin")  # scoping on; jsmith holds nothing
    at = run()
    assert not at.exception
    said = texts(at)
    assert NO_GRANT_TEXT in said and NO_ACCESS_TEXT not in said


def test_the_fictional_sample_never_loads_into_a_database_with_grants(tmp_path, monkeypatch):
    from loaders.sample import load_sample_if_empty
    from tests.returns_files import dump_tables

    monkeypatch.setenv("DASHBOARD_LOAD_SAMPLE", "1")
    alone = connect(new_database(tmp_path / "alone.db"))
    assert load_sample_if_empty(alone)  # one council's install, nobody granted anything: the sample loads
    engine = connect(new_database(tmp_path / "shared.db"))
    grant(engine, "ria@region.org.uk", "editor", "E08000003", "admin")
    before = dump_tables(engine)
    assert load_sample_if_empty(engine) == []
    assert dump_tables(engine) == before


def test_the_people_page_lists_grants_for_editors_only(app_env):
    engine = connect(app_env[0])
    grant(engine, "jsmith", "viewer", HOME, "admin")
    viewer = run(page=PEOPLE)
    assert "Only editors can see who has access" in texts(viewer)
    grant(engine, "jsmith", "editor", HOME, "admin")
    grant(engine, "ria@region.org.uk", "regional", None, "admin")
    editor = run(page=PEOPLE)
    assert not editor.exception
    shown = editor.dataframe[0].value
    assert shown["Person"].tolist() == ["jsmith", "ria@region.org.uk"]
    assert shown["Council"].tolist()[1] == "every member council"

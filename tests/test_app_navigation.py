"""The menu and the app's addresses, through the real app (AppTest).

The app's root address moves on to the Overview, keeping a link's parameters; every page, the Overview
included, has its own address; the Benchmarking page links on to the measure page with the same view.
What the browser shows at each address after a fresh start is in tests/test_e2e_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import connect
from reference.areas import areas
from tests import app_database
from tests.app_database import HOME
from tests.databases import new_database
from tests.test_app_pages import APP, PAGES, TIMEOUT, environment, texts
from ui.navigation import HOME_URL_PATH, page_specs


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[str]:
    url = new_database(tmp_path_factory.mktemp('navigation') / 'dashboard.db')
    app_database.build(connect(url), url)
    yield url


@pytest.fixture
def app_env(built, monkeypatch) -> str:
    for key, value in environment(built).items():
        monkeypatch.setenv(key, value)
    return built


def test_the_root_address_opens_the_overview_with_the_links_parameters(app_env):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["area"] = "E06000049"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Overview" in [t.value for t in at.title]
    assert "What needs attention" in texts(at)
    assert next(s for s in at.sidebar.selectbox if s.label == "Council").value == "E06000049"
    assert "Cheshire East · corporate parenting dashboard" in texts(at)


def test_every_page_has_its_own_address_named_after_its_file():
    specs = page_specs()
    addresses = [spec.url_path for spec in specs]
    assert len(set(addresses)) == len(addresses)
    assert HOME_URL_PATH not in addresses
    for spec in specs:
        assert spec.url_path == spec.path.removeprefix("app_pages/").removesuffix(".py")
    assert "overview" in addresses  # the Overview is a page like any other, not only the root address


def test_every_page_opens_by_its_file_as_the_menu_opens_it(app_env):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    for path in PAGES.values():
        at.switch_page(path).run()
        assert not at.exception, (path, [e.value for e in at.exception])
    at.switch_page("app_pages/overview.py").run()
    assert "Overview" in [t.value for t in at.title]
    assert f"{areas().get(HOME).name} · corporate parenting dashboard" in texts(at)

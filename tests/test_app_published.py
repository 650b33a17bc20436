"""A new council sees its real published figures beside its real neighbours before loading any return."""

from __future__ import annotations

import csv
from collections.abc import Iterator

import pytest

from db.engine import connect
from settings import DATA_DIR
from tests.app_database import published_database
from tests.test_app_pages import PAGES, environment, open_page, table_text, texts

CHESHIRE_EAST = "E06000049"


def published_row(population_type: str, area: str = CHESHIRE_EAST, year: str = "2025") -> dict[str, str]:
    with (DATA_DIR / "dfe" / "cla_number_and_rate_per_10k_children.csv").open(encoding="utf-8-sig") as handle:
        return next(r for r in csv.DictReader(handle)
                    if r["new_la_code"] == area and r["time_period"] == year and r["population_type"] == population_type)


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> Iterator[str]:
    url = published_database(tmp_path_factory.mktemp('published') / 'dashboard.db')
    yield url
    connect(url).dispose()
    connect.cache_clear()
    connect.cache_clear()


@pytest.fixture
def cheshire_east(published_url, monkeypatch) -> str:
    for key, value in environment(published_url, DASHBOARD_HOME_AREA="Cheshire East").items():
        monkeypatch.setenv(key, value)
    return published_url


def test_the_overview_shows_the_councils_published_figures_with_its_neighbours(cheshire_east):
    at = open_page("overview")
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at) + table_text(at)
    assert "Cheshire East" in said
    looked_after = published_row("Children looked after on 31 March each year")
    assert f"{int(looked_after['children_count']):,}" in said  # 550 at 31 March 2025
    assert "of 10" in said  # the statistical neighbour average says how many neighbours it used


@pytest.mark.parametrize("page", [p for p in PAGES if p != "overview"])
def test_every_page_works_for_a_council_with_only_published_figures(cheshire_east, page):
    at = open_page(page, {"measure": "cla_rate"})
    assert not at.exception, [e.value for e in at.exception]
    assert "Traceback" not in texts(at)

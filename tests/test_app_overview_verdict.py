"""The Overview as a committee reads it, run through Streamlit's AppTest on real databases.

Cheshire East with DfE's published figures only (no targets) must be told in words that long-term
stability needs attention and must never see an all-clear; a council with targets is rated against
them; a figure is shown with the places its rating needs; an all-clear appears only when it is true.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from db.engine import connect
from reference.catalogue import catalogue
from tests import app_database
from tests.databases import new_database
from tests.test_app_pages import environment, open_page, table_text, texts
from tests.test_verdict import (
    CHESHIRE_EAST,
    SAMPLE_COUNCIL,
    add_targets,
    expected_stability_line,
    published_batch,
    stability_basis,
)

ALL_CLEAR = "Every measure with a figure is on target"
STABILITY = catalogue().get("stab_long_pct").short_name


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> Iterator[str]:
    url = app_database.published_database(tmp_path_factory.mktemp('overview_verdict') / 'published.db')
    yield url
    connect(url).dispose()


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> Iterator[str]:
    """DfE's figures and the fictional sample council's own returns, as the app loads them on first start."""
    url = app_database.sample_database(tmp_path_factory.mktemp("overview_sample") / "sample.db")
    yield url
    connect(url).dispose()


def use(monkeypatch, url: str, home: str) -> None:
    for key, value in environment(url, DASHBOARD_HOME_AREA=home).items():
        monkeypatch.setenv(key, value)


def attention_text(at) -> str:
    """What the page says between 'What needs attention' and 'Every measure', bold marks dropped."""
    said = texts(at)
    return said[said.index("What needs attention"): said.index("Every measure")].replace("**", "")


def row_of(at, short_name: str):
    """The scorecard table row for a measure."""
    for frame in at.dataframe:
        rows = frame.value[frame.value["Measure"] == short_name]
        if len(rows):
            return rows.iloc[0]
    raise AssertionError(f"{short_name!r} is in no table")


def test_cheshire_east_on_published_figures_is_told_long_term_stability_needs_attention(published_url, monkeypatch):
    use(monkeypatch, published_url, CHESHIRE_EAST)
    at = open_page("overview")
    assert not at.exception, [e.value for e in at.exception]
    attention = attention_text(at)
    assert expected_stability_line() in attention  # the measure named, the reason in the same line
    assert "D · Bottom quartile nationally" in attention
    assert "no targets are loaded" in attention
    assert not at.success
    assert ALL_CLEAR not in texts(at) and "No measure is off target." not in texts(at)
    row = row_of(at, STABILITY)
    assert list(row["Rating"]) == ["D · Bottom quartile nationally"]
    assert row["Rated against"] == stability_basis()  # joint 112th, and why that is band D
    assert "Off target" not in table_text(at)  # no target, so nothing is called off target


def test_a_council_with_targets_is_rated_against_them_and_told_which(published_url, tmp_path, monkeypatch):
    url = app_database.copy_database(published_url, tmp_path / "targets.db")
    add_targets(url, {"stab_long_pct": 60.0, "stab_3plus_pct": 8.0})
    use(monkeypatch, url, CHESHIRE_EAST)
    at = open_page("overview")
    assert not at.exception, [e.value for e in at.exception]
    stability = row_of(at, STABILITY)
    assert list(stability["Rating"]) == ["✔ On target"]
    assert stability["Rated against"] == "Target 60% or more; DfE 2024-25: band D"
    moves = row_of(at, "3 or more moves in a year")
    assert list(moves["Rating"]) == ["✖ Off target"]
    attention = attention_text(at)
    assert "3 or more moves in a year: 11% in 2024-25, off target (target 8% or less)" in attention
    assert expected_stability_line() in attention  # on target, still in the bottom quartile nationally
    assert "1 off target, 1 in the bottom quartile nationally" in attention


def test_the_built_council_with_monthly_figures_and_targets(tmp_path, monkeypatch):
    url = new_database(tmp_path / 'built.db')
    app_database.build(connect(url), url)
    use(monkeypatch, url, app_database.HOME)
    at = open_page("overview")
    assert not at.exception, [e.value for e in at.exception]
    red = catalogue().get(app_database.RED_MEASURE)
    attention = attention_text(at)
    assert f"{red.short_name}: 14% in March 2025, off target (target 10% or less; was close to target)" in attention
    row = row_of(at, red.short_name)
    assert list(row["Rating"]) == ["✖ Off target"]
    assert row["Rated against"].startswith("Target 10% or less")


def test_the_sample_council_sees_each_figure_with_the_places_its_rating_needs(sample_url, monkeypatch):
    use(monkeypatch, sample_url, SAMPLE_COUNCIL)
    at = open_page("overview")
    assert not at.exception, [e.value for e in at.exception]
    row = row_of(at, STABILITY)
    assert (row["Latest"], list(row["Rating"]), row["Rated against"]) == ("69.9%", ["▲ Close to target"],
                                                                          "Target 70% or more")
    for code in ("health_sdq_concern_pct", "health_dev_pct"):
        shown = row_of(at, catalogue().get(code).short_name)
        assert "." in shown["Latest"] and list(shown["Rating"]) == ["▲ Close to target"]
    attention = attention_text(at)
    assert f"{STABILITY}: 69.9% in October 2026, target 70% or more" in attention  # listed as close to target
    assert "DfE publishes no figures for this council" in attention
    assert not at.success


@pytest.mark.parametrize(("home_value", "clear"), [(80.0, True), (40.0, False)])
def test_the_all_clear_appears_only_when_it_is_true(db_url, engine, monkeypatch, home_value, clear):
    published_batch(db_url, home_value)
    add_targets(db_url, {"stab_long_pct": 30.0})  # on target either way
    use(monkeypatch, db_url, CHESHIRE_EAST)
    at = open_page("overview")
    assert not at.exception, [e.value for e in at.exception]
    assert bool(at.success) is clear
    assert (ALL_CLEAR in texts(at)) is clear
    if not clear:
        assert f"{STABILITY}: 40% in 2024-25, bottom quartile nationally" in attention_text(at)


def test_a_measure_worse_than_both_comparators_is_badged_as_the_attention_list_says(published_url, monkeypatch):
    """Blackburn with Darwen's SDQ 'cause for concern' (lower is better) is band B but worse than England and its
    neighbours: the scorecard's badge and the attention list give the same verdict, not a green B beside it."""
    use(monkeypatch, published_url, "E06000008")
    at = open_page("overview")
    assert not at.exception, [e.value for e in at.exception]
    short = catalogue().get("health_sdq_concern_pct").short_name
    [line] = [line for line in attention_text(at).splitlines() if "a cause for concern: 44%" in line]
    assert "▼ Worse than England and neighbours</span>" in line and "worse than England (42%)" in line
    row = row_of(at, short)
    assert list(row["Rating"]) == ["▼ Worse than England and neighbours"]
    assert row["Rated against"].startswith("DfE 2024-25: 44%, joint 72nd of 149") and "band B" in row["Rated against"]

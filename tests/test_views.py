"""The view builders in views/ on real databases, with plain pytest and no Streamlit.

The committee pack and the pages both render these views, so what they say must be true on their own:
the Cheshire East Overview from DfE's published figures alone names long-term stability as needing
attention, a council with a target is rated against it, and neither views/ nor metrics/ ever imports
Streamlit (the pack runs from the command line).
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from db.engine import connect
from reference.catalogue import catalogue
from tests import app_database
from tests.databases import new_database
from views.measure import measure_view
from views.overview import overview_view
from views.reads import database_reads
from views.scope import Scope

ROOT = Path(__file__).resolve().parents[1]
CHESHIRE_EAST = "E06000049"
STABILITY = catalogue().get("stab_long_pct")


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> str:
    return app_database.published_database(tmp_path_factory.mktemp("views") / "published.db")


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> str:
    url = new_database(tmp_path_factory.mktemp('views_sample') / 'sample.db')
    app_database.build(connect(url), url)
    return url


def test_no_module_in_views_or_metrics_imports_streamlit():
    offenders = []
    for folder in ("views", "metrics", "charts", "reports"):
        for path in sorted((ROOT / folder).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
                if any(name.split(".")[0] in ("streamlit", "ui") for name in names):
                    offenders.append(f"{path.relative_to(ROOT)}: {names}")
    assert offenders == []


def test_a_real_council_on_published_figures_is_told_where_it_stands(published_url):
    view = overview_view(connect(published_url), Scope(CHESHIRE_EAST, date(2020, 4, 1), date(2025, 3, 31)))
    assert not view.verdict.all_clear
    assert "need attention" in view.summary and "no targets are loaded" in view.summary
    stability = [line for line in view.attention_lines if line.startswith(STABILITY.short_name)]
    assert len(stability) == 1
    from tests.test_verdict import expected_stability_line, stability_basis

    assert stability[0] == expected_stability_line()
    row = next(r for r in view.rows if r.measure_code == "stab_long_pct")
    assert (row.latest, row.period, row.rating.word) == ("63%", "2024-25", "Bottom quartile nationally")
    assert row.basis == stability_basis()
    assert row.neighbours not in ("", "–") and row.england not in ("", "–")
    count = next(r for r in view.rows if r.measure_code == "cla_count")
    assert (count.neighbours, count.england) == ("see rate", "see rate")  # never beside England's total


def test_a_council_with_targets_is_rated_against_them(sample_url):
    scope = Scope(app_database.HOME, date(2023, 4, 1), date(2025, 3, 31))
    view = overview_view(database_reads(connect(sample_url)), scope)
    red = next(r for r in view.rows if r.measure_code == app_database.RED_MEASURE)
    assert red.rating.word == "Off target" and red.basis.startswith("Target 10% or less")
    assert red.latest == "14%" and red.period == "March 2025"
    assert any(line.startswith(catalogue().get(app_database.RED_MEASURE).short_name)
               and "off target" in line for line in view.attention_lines)
    missing = next(r for r in view.rows if r.measure_code == app_database.NO_DATA_MEASURE)
    assert missing.latest == "no data"


def test_the_measure_view_has_the_trend_the_neighbours_and_the_tables(published_url):
    reads = database_reads(connect(published_url))
    scope = Scope(CHESHIRE_EAST, date(2020, 4, 1), date(2025, 3, 31))
    view = measure_view(reads, scope, "stab_long_pct")
    assert view.trend.has_data and view.missing == ""
    names = [trace.name for trace in view.trend.figure.data]
    assert "Cheshire East" in names and "England" in names
    assert view.neighbours is not None and view.neighbours.has_data
    assert "DfE" in view.trend.source and ".parquet" not in view.trend.source
    assert "2024-25" in set(view.tables.values["Period"])
    assert view.verdict.rating.word == "Bottom quartile nationally"


def test_a_count_is_compared_on_its_rate(published_url):
    scope = Scope(CHESHIRE_EAST, date(2020, 4, 1), date(2025, 3, 31))
    view = measure_view(connect(published_url), scope, "cla_count")
    assert view.compared is not None and view.compared.code == "cla_rate"
    assert view.neighbours is not None and view.neighbours.has_data
    assert view.compared.short_name in view.neighbours.figure.layout.title.text
    assert "Period" in view.comparator_table.columns or len(view.comparator_table.columns)
    assert view.comparator_table.equals(measure_view(connect(published_url), scope, "cla_rate").tables.comparators)


def test_a_local_measure_says_dfe_does_not_publish_it(published_url):
    scope = Scope(CHESHIRE_EAST, date(2020, 4, 1), date(2025, 3, 31))
    view = measure_view(connect(published_url), scope, "health_iha_pct")
    assert not view.trend.has_data
    assert view.missing.startswith("Not published by DfE: the health provider's figures have not been loaded")
    assert "python -m" not in view.missing
    row = next(r for r in overview_view(connect(published_url), scope).rows if r.measure_code == "health_iha_pct")
    assert row.basis.startswith("Not published by DfE")


def test_comparators_off_leaves_them_out(published_url):
    scope = Scope(CHESHIRE_EAST, date(2020, 4, 1), date(2025, 3, 31), comparators=False)
    view = measure_view(connect(published_url), scope, "stab_long_pct")
    assert view.neighbours is None
    assert [trace.name for trace in view.trend.figure.data if trace.name == "England"] == []

"""'Earlier values' lists only figures that a later return or an undo really changed: never 81 replaced by 81."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from db import queries
from db.engine import connect
from loaders.importer import import_file
from tests import app_database
from tests.returns_files import write_xlsx
from tests.test_app_pages import environment, open_page
from views.charts import measure_tables
from views.reads import database_reads
from views.scope import Scope

CHESHIRE_EAST = "E06000049"
HOME = app_database.HOME
MEASURE = "cla_foster_pct"


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> str:
    return app_database.published_database(tmp_path_factory.mktemp("earlier") / "published.db")


def test_a_fresh_install_lists_no_figure_dfe_gave_again_unchanged(published_url):
    """LAIT's and DfE's newer table both give Cheshire East's rate; the newer adds its denominator only."""
    engine = connect(published_url)
    kept = queries.history(engine, "cla_rate", CHESHIRE_EAST)
    assert len(kept) == 5  # the record of what was replaced stays in the database ...
    current = queries.observations(engine, measures=["cla_rate"], areas=[CHESHIRE_EAST])
    same = kept.merge(current, on=["period_type", "period_end", "origin"], suffixes=("", "_now"))
    assert (same["value"] == same["value_now"]).all()  # ... and every one of them was given again unchanged
    scope = Scope(CHESHIRE_EAST, date(2016, 4, 1), date(2025, 3, 31), by_year=True)
    assert measure_tables(database_reads(engine), scope, "cla_rate").replaced.empty  # so none is an earlier value


def tracker(path: Path, rows: list[tuple[float, int, int]]) -> Path:
    """A tidy return for the sample council: one row per month of foster care (value, numerator, denominator)."""
    months = ["2024-04", "2024-05", "2024-06"]
    body = [[MEASURE, HOME, month, value, numerator, denominator]
            for month, (value, numerator, denominator) in zip(months, rows, strict=True)]
    return write_xlsx(path, {"Return": [["measure", "area", "period", "value", "numerator", "denominator"], *body]})


@pytest.fixture(scope="module")
def returns_url(published_url, tmp_path_factory) -> str:
    """April: 81% then 81% again with a corrected count behind it; May: 70% then 72%; June: 60% then 65% and back."""
    folder = tmp_path_factory.mktemp("returns")
    url = app_database.copy_database(published_url, folder / "returns.db")
    engine = connect(url)
    for n, rows in enumerate([[(81, 81, 100), (70, 70, 100), (60, 60, 100)],
                              [(81, 162, 200), (72, 72, 100), (65, 65, 100)],
                              [(81, 162, 200), (72, 72, 100), (60, 60, 100)]]):
        assert import_file(engine, tracker(folder / f"tracker_{n}.xlsx", rows)).status == "loaded"
    return url


def test_only_figures_that_changed_are_earlier_values(returns_url):
    engine = connect(returns_url)
    assert len(queries.history(engine, MEASURE, HOME)) == 4  # April's 81, May's 70, June's 60 and 65
    scope = Scope(HOME, date(2024, 4, 1), date(2024, 6, 30))
    replaced = measure_tables(database_reads(engine), scope, MEASURE).replaced
    assert sorted(zip(replaced["Period"], replaced["Value then"], strict=True)) == [
        ("June 2024", "60%"), ("June 2024", "65%"), ("May 2024", "70%")]  # 60 to 65 and back is two changes


def test_the_measure_page_counts_only_the_changed_figures(returns_url, monkeypatch):
    for key, value in environment(returns_url).items():
        monkeypatch.setenv(key, value)
    at = open_page("measure", {"measure": MEASURE, "from": "2024-04", "to": "2024-06"})
    assert not at.exception, [e.value for e in at.exception]
    labels = [e.label for e in at.expander]
    assert "Earlier values, replaced by a later return or an undo (3)" in labels, labels
    table = next(t.value for t in at.dataframe if "Value then" in t.value.columns)
    assert "81%" not in set(table["Value then"])

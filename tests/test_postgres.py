"""The same schema, writes and reads work on PostgreSQL, for a department or region outgrowing one file."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from db import queries
from db.engine import connect, is_current
from db.writes import BatchInfo, apply_batch
from tests.postgres_server import throwaway_postgres, unavailable_reason

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(unavailable_reason() is not None, reason=unavailable_reason() or ""),
]


@pytest.fixture(scope="module")
def pg_engine():
    with throwaway_postgres() as url:
        engine = connect(url)
        yield engine
        engine.dispose()
        connect.cache_clear()


def rows(value: float, status: str = "value") -> pd.DataFrame:
    return pd.DataFrame([dict(
        measure_code="cla_count", area_code="E06000049", period_type="year", period_end=date(2025, 3, 31),
        dimension="", category="", value=value if status == "value" else None, numerator=None,
        denominator=None, status=status,
    )])


def test_migrations_run_on_postgres(pg_engine):
    assert is_current(pg_engine)


def test_writes_replace_and_keep_history_on_postgres(pg_engine):
    info = BatchInfo("published.csv", "1" * 64, "published", ["csv"], "tester")
    first = apply_batch(pg_engine, info, rows(550.0))
    assert apply_batch(pg_engine, info, rows(550.0)).batch_id is None
    second = apply_batch(pg_engine, info, rows(0.0, "c"))
    current = queries.observations(pg_engine, measures=["cla_count"])
    assert current["status"].tolist() == ["c"] and current["value"].isna().all()
    old = queries.history(pg_engine, "cla_count", "E06000049")
    assert old["value"].tolist() == [550.0]
    assert (old["batch_id"].iloc[0], old["replaced_by_batch_id"].iloc[0]) == (first.batch_id, second.batch_id)


def test_a_return_s_commentary_loads_and_its_undo_restores_the_earlier_one_on_postgres(pg_engine):
    from access import User
    from db.commentary_writes import save_commentary
    from db.undo import undo_batch
    from loaders.importer import import_file

    editor = User("jo@council.gov.uk", "Jo", True)
    march = date(2025, 3, 31)
    save_commentary(pg_engine, "cla_foster_pct", "E06000049", march, "Written in the app.", editor)
    content = b"measure,area,period,value,commentary\ncla_foster_pct,E06000049,2024-25,71,From the return.\n"
    report = import_file(pg_engine, data=content, file_name="year.csv", user=editor)
    assert report.status == "loaded" and report.outcome.commentary_set == 1
    current = {n.period_end: n.text for n in queries.current_commentary(pg_engine, ["cla_foster_pct"])}
    assert current == {march: "From the return."}
    undo_batch(pg_engine, report.outcome.batch_id, editor)
    current = {n.period_end: n.text for n in queries.current_commentary(pg_engine, ["cla_foster_pct"])}
    assert current == {march: "Written in the app."}


def test_a_category_longer_than_the_schema_holds_is_refused_as_on_sqlite(pg_engine, tmp_path):
    """The loader refuses it naming sheet and cell, before PostgreSQL could refuse it with a driver error."""
    from loaders.importer import import_file
    from tests.test_returns_text_limits import HOME, long_breakdown_return

    before = queries.observations(pg_engine)
    report = import_file(pg_engine, long_breakdown_return(tmp_path / "long.xlsx"), default_area=HOME,
                         imported_by="tester")
    assert report.status == "rejected"
    assert [(p.sheet, p.cell, p.rule.value) for p in report.problems] == [("Return", "D3", "unreadable breakdown")]
    assert queries.observations(pg_engine).equals(before)

"""The database keeps every value traceable: new, replaced (with history), unchanged, or nothing at all."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from db import queries
from db.models import Base
from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch

HOME = "E06999901"


def frame(*rows: tuple) -> pd.DataFrame:
    """Rows of (measure, period_end, value, status[, dimension, category])."""
    records = []
    for measure, end, value, status, *breakdown in rows:
        dimension, category = breakdown or ("", "")
        records.append(dict(
            measure_code=measure, area_code=HOME, period_type="month", period_end=end, dimension=dimension,
            category=category, value=value, numerator=None, denominator=None, status=status,
        ))
    return pd.DataFrame(records, columns=OBSERVATION_COLUMNS)


def info(name: str = "march.xlsx") -> BatchInfo:
    return BatchInfo(name, "0" * 64, "return", ["Return"], "tester")


def dump(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table: [tuple(r) for r in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
            for table in inspect(engine).get_table_names()
        }


def test_migrations_build_exactly_the_models_schema(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_new_values_are_written_with_their_batch(engine):
    outcome = apply_batch(engine, info(), frame(("cla_count", date(2025, 3, 31), 412.0, "value")))
    assert (outcome.inserted, outcome.replaced, outcome.unchanged) == (1, 0, 0)
    stored = queries.observations(engine)
    assert stored["value"].tolist() == [412.0]
    assert stored["batch_id"].tolist() == [outcome.batch_id]
    assert queries.batches(engine)["file_name"].tolist() == ["march.xlsx"]


def test_the_same_values_twice_change_nothing(engine):
    rows = frame(("cla_count", date(2025, 3, 31), 412.0, "value"), ("cla_rate", date(2025, 3, 31), None, "c"))
    apply_batch(engine, info(), rows)
    before = dump(engine)
    outcome = apply_batch(engine, info(), rows)
    assert outcome.batch_id is None and outcome.unchanged == 2
    assert dump(engine) == before


def test_a_later_value_replaces_and_the_old_one_is_kept(engine):
    first = apply_batch(engine, info("march.xlsx"), frame(("cla_count", date(2025, 3, 31), 412.0, "value")))
    second = apply_batch(engine, info("march-revised.xlsx"), frame(("cla_count", date(2025, 3, 31), 415.0, "value")))
    assert second.replaced == 1
    assert queries.observations(engine)["value"].tolist() == [415.0]
    old = queries.history(engine, "cla_count", HOME)
    assert old["value"].tolist() == [412.0]
    assert old["batch_id"].tolist() == [first.batch_id]
    assert old["replaced_by_batch_id"].tolist() == [second.batch_id]
    assert queries.batches(engine)["file_name"].tolist() == ["march-revised.xlsx", "march.xlsx"]


def test_a_suppressed_value_is_never_zero(engine):
    apply_batch(engine, info(), frame(("cla_starts", date(2025, 3, 31), None, "c")))
    stored = queries.observations(engine)
    assert stored["status"].tolist() == ["c"]
    assert stored["value"].isna().all()


def test_breakdowns_are_separate_from_the_headline(engine):
    apply_batch(engine, info(), frame(
        ("cla_count", date(2025, 3, 31), 412.0, "value"),
        ("cla_count", date(2025, 3, 31), 80.0, "value", "age", "10-15"),
    ))
    assert len(queries.observations(engine)) == 1
    split = queries.observations(engine, dimension="age")
    assert split["category"].tolist() == ["10-15"]


def test_a_failing_batch_writes_nothing(engine):
    apply_batch(engine, info(), frame(("cla_count", date(2025, 3, 31), 412.0, "value")))
    before = dump(engine)
    broken = frame(("cla_count", date(2025, 3, 31), 500.0, "value"), ("cla_rate", date(2025, 3, 31), 60.0, "value"))
    broken.loc[1, "status"] = None  # violates NOT NULL after the first row has been replaced
    with pytest.raises(Exception):  # noqa: B017 - any database error will do; what matters is what is left
        apply_batch(engine, info("broken.xlsx"), broken)
    assert dump(engine) == before


def test_targets_replace_and_keep_the_old_one(engine):
    target = pd.DataFrame([dict(measure_code="stab_3plus_pct", area_code=HOME, period_start=date(2025, 4, 1),
                                period_end=date(2026, 3, 31), value=10.0)])
    apply_batch(engine, info(), frame(), target)
    apply_batch(engine, info("new-target.xlsx"), frame(), target.assign(value=9.0))
    current = queries.targets(engine)
    assert current["value"].tolist() == [9.0]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM target")).scalar_one() == 2


def test_data_version_moves_with_every_batch(engine):
    assert queries.data_version(engine) == 0
    apply_batch(engine, info(), frame(("cla_count", date(2025, 3, 31), 412.0, "value")))
    assert queries.data_version(engine) == 1

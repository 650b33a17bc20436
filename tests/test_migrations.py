"""Upgrading a database that already holds figures keeps every one of them and gives each its origin.

A database is built at the first schema (revision 0001) with real rows written by SQL as that schema
stored them: a DfE batch and a council's return batch, current values and a replaced one. Upgrading
must keep every row, set origin from each row's batch, widen the unique key and leave the schema
exactly as the models describe it, on SQLite and (where a server can be started) on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from db.engine import alembic_config, create, is_current, migrate
from db.models import Base
from tests.postgres_server import throwaway_postgres, unavailable_reason

NOW = datetime(2025, 10, 1, 9, 30, tzinfo=UTC)
BATCHES = [  # id, file, source
    (1, "cla_number_and_rate_per_10k_children.csv", "published"),
    (2, "cheshire_east_year_end.xlsx", "return"),
    (3, "northmoor_monthly_return.xlsx", "sample"),
]
OBSERVATIONS = [  # id, measure, area, period type, end, value, status, batch
    (1, "cla_count", "E06000049", "year", date(2024, 3, 31), 585.0, "value", 1),
    (2, "cla_count", "E06000049", "year", date(2025, 3, 31), 560.0, "value", 2),
    (3, "cla_count", "E06999901", "month", date(2025, 4, 30), None, "c", 3),
]
HISTORY = [  # id, observation id, measure, area, type, end, value, status, batch, replaced by
    (1, 2, "cla_count", "E06000049", "year", date(2025, 3, 31), 555.0, "value", 1, 2),
]


def at_first_schema(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as connection:
        for id_, name, source in BATCHES:
            connection.execute(text(
                "INSERT INTO import_batch (id, file_name, sha256, source, sheets, rows, inserted, replaced, "
                "unchanged, imported_by, imported_at, result, note) VALUES (:id, :name, :sha, :source, '[]', 1, 1, "
                "0, 0, 'tester', :now, 'loaded', '')"), {"id": id_, "name": name, "sha": f"{id_:064d}",
                                                        "source": source, "now": NOW})
        for id_, measure, area, kind, end, value, status, batch in OBSERVATIONS:
            connection.execute(text(
                "INSERT INTO observation (id, measure_code, area_code, period_type, period_end, dimension, category, "
                "value, status, batch_id) VALUES (:id, :m, :a, :k, :e, '', '', :v, :s, :b)"),
                {"id": id_, "m": measure, "a": area, "k": kind, "e": end, "v": value, "s": status, "b": batch})
        for id_, obs, measure, area, kind, end, value, status, batch, by in HISTORY:
            connection.execute(text(
                "INSERT INTO observation_history (id, observation_id, measure_code, area_code, period_type, "
                "period_end, dimension, category, value, status, batch_id, replaced_by_batch_id) VALUES "
                "(:id, :o, :m, :a, :k, :e, '', '', :v, :s, :b, :r)"),
                {"id": id_, "o": obs, "m": measure, "a": area, "k": kind, "e": end, "v": value, "s": status,
                 "b": batch, "r": by})
        if engine.dialect.name == "postgresql":  # rows written with their ids: move each id sequence past them
            for table in ("import_batch", "observation", "observation_history"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"))


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request, tmp_path):
    """An engine on a database at revision 0001 holding the rows above."""
    if request.param == "sqlite":
        engine = create(f"sqlite:///{tmp_path / 'old.db'}")
        at_first_schema(engine)
        yield engine
        engine.dispose()
        return
    if unavailable_reason() is not None:
        pytest.skip(unavailable_reason() or "")
    with throwaway_postgres() as url:
        engine = create(url)
        at_first_schema(engine)
        yield engine
        engine.dispose()


def rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def test_upgrade_keeps_every_row_and_sets_origin_from_its_batch(old_database):
    engine = old_database
    assert not is_current(engine)
    migrate(engine)
    assert is_current(engine)
    found = rows(engine, "SELECT id, measure_code, area_code, period_type, period_end, value, status, batch_id, "
                         "origin FROM observation ORDER BY id")
    origins = {1: "published", 2: "local", 3: "local"}  # from batch 1 (published), 2 (return), 3 (sample)
    assert [(r[0], r[1], r[2], r[3], str(r[4]), r[5], r[6], r[7], r[8]) for r in found] == [
        (o[0], o[1], o[2], o[3], str(o[4]), o[5], o[6], o[7], origins[o[0]]) for o in OBSERVATIONS]
    # the replaced value was loaded by DfE's batch 1, so it was a published figure
    assert rows(engine, "SELECT id, value, batch_id, replaced_by_batch_id, origin FROM observation_history") == [
        (1, 555.0, 1, 2, "published")]
    assert rows(engine, "SELECT id, reader_version, default_area, undone_by_batch_id FROM import_batch ORDER BY id") == [
        (1, "", "", None), (2, "", "", None), (3, "", "", None)]


def test_the_unique_key_now_includes_origin(old_database):
    engine = old_database
    migrate(engine)
    insert = text("INSERT INTO observation (measure_code, area_code, period_type, period_end, dimension, category, "
                  "value, status, batch_id, origin) VALUES ('cla_count', 'E06000049', 'year', :e, '', '', 1, "
                  "'value', 1, :origin)")
    with engine.begin() as connection:  # DfE's figure for 2025 beside the council's own
        connection.execute(insert, {"e": date(2025, 3, 31), "origin": "published"})
    with pytest.raises(IntegrityError), engine.begin() as connection:  # but never two of one kind
        connection.execute(insert, {"e": date(2025, 3, 31), "origin": "local"})
    indexes = {i["name"] for i in inspect(engine).get_indexes("observation")}
    assert not indexes & {"ix_observation_measure_period", "ix_observation_batch_id", "ix_observation_area_measure"}


def test_migrated_schema_is_exactly_what_the_models_describe(old_database):
    engine = old_database
    migrate(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_downgrade_restores_the_first_schema_while_no_key_has_both(old_database):
    engine = old_database
    migrate(engine)
    command.downgrade(alembic_config(engine), "0001")
    assert "origin" not in {c["name"] for c in inspect(engine).get_columns("observation")}
    assert len(rows(engine, "SELECT id FROM observation")) == len(OBSERVATIONS)
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO observation (measure_code, area_code, period_type, period_end, dimension, category, value, "
            "status, batch_id, origin) VALUES ('cla_count', 'E06000049', 'year', :e, '', '', 1, 'value', 1, "
            "'published')"), {"e": date(2025, 3, 31)})
    with pytest.raises(RuntimeError, match="both a council's own and DfE's published value"):
        command.downgrade(alembic_config(engine), "0001")
    assert is_current(engine)  # refused whole: the schema stayed as it was

"""When a file was loaded is said in UK clock time, the same on SQLite and on a PostgreSQL server set to another
time zone: the history a performance officer checks against their own notes must not be an hour out all
summer, nor differ between the two databases."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import make_url, update

from db.engine import connect
from db.models import ImportBatch
from db.writes import BatchInfo, apply_batch
from metrics.formatting import moment_text
from tests.cli import run_main

SUMMER, WINTER = datetime(2026, 7, 1, 23, 30, tzinfo=UTC), datetime(2026, 12, 1, 9, 15, tzinfo=UTC)


def _two_batches(db_url: str) -> None:
    engine = connect(db_url)
    for number, moment in ((1, SUMMER), (2, WINTER)):
        name = f"return_{number}.csv"
        row = dict(measure_code="cla_count", area_code="E06000049", period_type="month", period_end=date(2026, number, 28),
                   dimension="", category="", value=100.0 + number, numerator=None, denominator=None, status="value")
        apply_batch(engine, BatchInfo(name, hashlib.sha256(name.encode()).hexdigest(), "return", [], "jo"),
                    pd.DataFrame([row]))
        with engine.begin() as connection:
            connection.execute(update(ImportBatch).where(ImportBatch.id == number).values(imported_at=moment))
    if engine.dialect.name == "postgresql":  # the server's zone is far from the UK's: it must not show
        with engine.begin() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{make_url(db_url).database}" SET timezone TO \'Asia/Tokyo\'')
        engine.dispose()


def test_the_history_says_when_each_file_was_loaded_in_uk_time(db_url):
    _two_batches(db_url)
    ran = run_main("loaders", "history", "--db", db_url)
    assert ran.returncode == 0, ran.stderr
    assert "02 Jul 2026 00:30" in ran.stdout  # 23:30 UTC in July is half past midnight, British Summer Time
    assert "01 Dec 2026 09:15" in ran.stdout  # and in December the UK's clock is UTC's


def test_a_moment_reads_the_same_with_or_without_its_zone():
    assert moment_text(SUMMER) == moment_text(SUMMER.replace(tzinfo=None)) == "02 Jul 2026 00:30"
    assert moment_text(pd.Timestamp(SUMMER).tz_convert("Asia/Tokyo")) == "02 Jul 2026 00:30"
    assert moment_text(None) == "" and moment_text(pd.NaT) == ""

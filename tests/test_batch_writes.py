"""A batch is stored exactly as given, however the writer packs it into statements.

The writer puts values that are the same in every row into the statement itself and sends SQLite
blocks of many rows a statement; these tests read every stored row back and compare it with what was
handed over, on batches shaped to reach the edges: a text with quotes the same in every row, a
number of rows that does not fill the last block, a column of NULLs, a single row.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select, text

from db.models import Observation
from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch


def observations(rows: int, category: str = "", dimension: str = "", measure: str = "cla_count") -> pd.DataFrame:
    """``rows`` figures for one measure: areas and months varying, some suppressed, given out of order."""
    frame = pd.DataFrame({
        "measure_code": [measure] * rows,
        "area_code": [f"E0{6999000 + i % 7:07d}" for i in range(rows)],
        "period_type": ["month"] * rows,
        "period_end": [date(2020 + (i // 7) // 12, (i // 7) % 12 + 1, 1) for i in range(rows)],
        "dimension": [dimension] * rows,
        "category": [category] * rows,
        "value": [math.nan if i % 5 == 0 else i * 1.5 + 0.1 for i in range(rows)],
        "numerator": [math.nan] * rows,
        "denominator": [math.nan] * rows,
        "status": ["c" if i % 5 == 0 else "value" for i in range(rows)],
    })
    return frame.iloc[::-1].reset_index(drop=True)  # newest first: the writer must sort, not assume


def stored(engine) -> list[tuple]:
    """Every stored row, read through the schema's column types (a date is a date on either database)."""
    t = Observation.__table__
    columns = ["measure_code", "area_code", "period_type", "period_end", "dimension", "category", "value",
               "numerator", "denominator", "status", "origin"]
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(*[t.c[c] for c in columns])
                                                     .order_by(t.c.area_code, t.c.period_end))]


def expected(frame: pd.DataFrame) -> list[tuple]:
    out = []
    for row in frame[OBSERVATION_COLUMNS].itertuples(index=False):
        values = [None if isinstance(v, float) and math.isnan(v) else v for v in row]
        out.append((*values, "local"))
    return sorted(out, key=lambda r: (r[1], r[3]))


def load(engine, frame: pd.DataFrame):
    info = BatchInfo("return.xlsx", "0" * 64, "return", ["Return"], "officer")
    return apply_batch(engine, info, frame)


@pytest.mark.parametrize("rows", [1, 2, 199, 200, 1001])
def test_every_row_is_stored_exactly_whatever_the_block_size(engine, rows):
    frame = observations(rows)
    outcome = load(engine, frame)
    assert outcome.inserted == rows
    assert stored(engine) == expected(frame)


def test_a_breakdown_with_quotes_the_same_in_every_row_is_stored_as_written(engine):
    frame = observations(450, category="children's homes; \"other\" settings", dimension="placement: type")
    load(engine, frame)
    assert {(r[4], r[5]) for r in stored(engine)} == {("placement: type", "children's homes; \"other\" settings")}
    assert stored(engine) == expected(frame)


def test_numerators_and_denominators_given_for_some_rows_are_kept_with_their_rows(engine):
    frame = observations(300, measure="cla_foster_pct")
    frame.loc[::3, "numerator"] = 12.0
    frame.loc[::3, "denominator"] = 40.0
    load(engine, frame)
    assert stored(engine) == expected(frame)


def test_the_rows_are_stored_in_key_order(engine):
    load(engine, observations(500))
    with engine.connect() as connection:
        keys = [tuple(r) for r in connection.execute(text(
            "SELECT measure_code, area_code, period_end FROM observation ORDER BY id"))]
    assert keys == sorted(keys)


def test_a_second_batch_replacing_some_figures_keeps_the_old_ones_in_history(engine):
    first = observations(420)
    load(engine, first)
    second = first.copy()
    second["value"] = np.where(second.index % 50 == 1, 999.0, second["value"])
    outcome = load(engine, second)
    assert outcome.replaced == (second.index % 50 == 1).sum() and outcome.inserted == 0
    assert stored(engine) == expected(second)
    with engine.connect() as connection:
        history = connection.execute(text("SELECT count(*) FROM observation_history")).scalar_one()
    assert history == outcome.replaced

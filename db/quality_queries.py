"""The reads behind the Data quality page: a council's figures with the batch that loaded each, and the
latest year DfE published each measure for.

Kept apart from db/queries.py because only the data quality checks need a figure joined to its batch
(file name, when, who): every other page reads figures alone. Bound parameters only.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from db.models import NO_BREAKDOWN, PUBLISHED, ImportBatch, Observation

FIGURE_COLUMNS = [
    "measure_code", "area_code", "period_type", "period_end", "dimension", "category", "value", "numerator",
    "denominator", "status", "origin", "batch_id",
]
BATCH_COLUMNS = ["file_name", "imported_at", "imported_by"]


def figures_with_batches(engine: Engine, area: str) -> pd.DataFrame:
    """Every current figure for one area (headline and breakdowns, both origins) with its batch's file
    name, load time and who loaded it, ordered by measure, breakdown, origin, period type and period end."""
    o, b = Observation.__table__, ImportBatch.__table__
    stored = o.alias("stored")  # measure IN (every stored measure): lets a read by area use the unique index
    query = (
        select(*[o.c[c] for c in FIGURE_COLUMNS], *[b.c[c] for c in BATCH_COLUMNS])
        .join(b, b.c.id == o.c.batch_id)
        .where(o.c.area_code == area, o.c.measure_code.in_(select(stored.c.measure_code).distinct()))
        .order_by(o.c.measure_code, o.c.dimension, o.c.category, o.c.origin, o.c.period_type, o.c.period_end)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=[*FIGURE_COLUMNS, *BATCH_COLUMNS])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    frame["imported_at"] = pd.to_datetime(frame["imported_at"])
    for column in ("value", "numerator", "denominator"):
        frame[column] = frame[column].astype("float64")
    return frame


def latest_published_years(engine: Engine) -> dict[str, pd.Timestamp]:
    """Per measure, the last year end DfE published a headline figure for any area (a symbol counts:
    DfE published that year, even where it suppressed a council's figure)."""
    o = Observation.__table__
    query = (
        select(o.c.measure_code, func.max(o.c.period_end))
        .where(o.c.origin == PUBLISHED, o.c.period_type == "year", o.c.dimension == NO_BREAKDOWN)
        .group_by(o.c.measure_code)
    )
    with engine.connect() as connection:
        return {code: pd.Timestamp(last) for code, last in connection.execute(query).all()}

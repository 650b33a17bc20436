"""Writing a checked batch of observations and targets in one transaction.

Loaders hand over tidy frames that have already passed validation; this module decides what is new,
what replaces an earlier value (keeping the old one in history) and what is unchanged. A batch that
changes nothing writes nothing, so importing the same file twice leaves the database as it was.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Engine, bindparam, insert, select, update

from db.models import ImportBatch, Observation, ObservationHistory, Target

KEY = ["measure_code", "area_code", "period_type", "period_end", "dimension", "category"]
FIELDS = ["value", "numerator", "denominator", "status"]
OBSERVATION_COLUMNS = KEY + FIELDS
TARGET_COLUMNS = ["measure_code", "area_code", "period_start", "period_end", "value"]


@dataclass(frozen=True)
class BatchInfo:
    """What is known about a file before it is written."""

    file_name: str
    sha256: str
    source: str
    sheets: list[str]
    imported_by: str
    note: str = ""


@dataclass
class BatchOutcome:
    batch_id: int | None
    rows: int
    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0
    targets_set: int = 0
    replaced_rows: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.batch_id is not None


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [
        {c: _clean(v) for c, v in zip(columns, row, strict=False)}
        for row in frame[columns].itertuples(index=False, name=None)
    ]


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def _existing(connection, frame: pd.DataFrame) -> dict[tuple, dict]:
    """Current observations that share measure and area with the frame, keyed like the frame."""
    table = Observation.__table__
    out: dict[tuple, dict] = {}
    measures = sorted(frame["measure_code"].unique())
    areas = sorted(frame["area_code"].unique())
    for start in range(0, len(areas), 500):
        query = select(table).where(
            table.c.measure_code.in_(measures), table.c.area_code.in_(areas[start : start + 500])
        )
        for row in connection.execute(query).mappings():
            out[tuple(row[k] for k in KEY)] = dict(row)
    return out


def _target_changes(connection, targets: pd.DataFrame) -> tuple[list[dict], list[int]]:
    table = Target.__table__
    new, replaced = [], []
    current = {
        (r.measure_code, r.area_code, r.period_start): r
        for r in connection.execute(select(table).where(table.c.replaced_by_batch_id.is_(None)))
    }
    for record in _records(targets, TARGET_COLUMNS):
        old = current.get((record["measure_code"], record["area_code"], record["period_start"]))
        if old is not None and old.period_end == record["period_end"] and _same(old.value, record["value"]):
            continue
        if old is not None:
            replaced.append(old.id)
        new.append(record)
    return new, replaced


def apply_batch(
    engine: Engine,
    info: BatchInfo,
    observations: pd.DataFrame,
    targets: pd.DataFrame | None = None,
) -> BatchOutcome:
    """Write a validated batch atomically; returns what changed.

    ``observations`` needs the columns in OBSERVATION_COLUMNS (period_end a date, dimension and
    category '' for a headline figure, value NaN when status is a symbol); ``targets`` the columns in
    TARGET_COLUMNS. Either the whole batch is written or, on any error, nothing is.
    """
    outcome = BatchOutcome(batch_id=None, rows=len(observations))
    with engine.begin() as connection:
        existing = _existing(connection, observations) if len(observations) else {}
        new_rows, changed = [], []
        for record in _records(observations, OBSERVATION_COLUMNS):
            old = existing.get(tuple(record[k] for k in KEY))
            if old is None:
                new_rows.append(record)
            elif all(_same(old[f], record[f]) for f in FIELDS):
                outcome.unchanged += 1
            else:
                changed.append((old, record))
        new_targets, replaced_targets = (
            _target_changes(connection, targets) if targets is not None and len(targets) else ([], [])
        )
        if not new_rows and not changed and not new_targets:
            return outcome
        now = datetime.now(UTC)
        outcome.inserted, outcome.replaced, outcome.targets_set = len(new_rows), len(changed), len(new_targets)
        batch_id = connection.execute(
            insert(ImportBatch).values(
                file_name=info.file_name, sha256=info.sha256, source=info.source,
                sheets=json.dumps(info.sheets), rows=len(observations), inserted=outcome.inserted,
                replaced=outcome.replaced, unchanged=outcome.unchanged, imported_by=info.imported_by,
                imported_at=now, result="loaded", note=info.note,
            )
        ).inserted_primary_key[0]
        outcome.batch_id = batch_id
        if new_rows:
            connection.execute(insert(Observation), [{**r, "batch_id": batch_id} for r in new_rows])
        if changed:
            history = [
                {**{k: old[k] for k in OBSERVATION_COLUMNS}, "observation_id": old["id"],
                 "batch_id": old["batch_id"], "replaced_by_batch_id": batch_id}
                for old, _ in changed
            ]
            connection.execute(insert(ObservationHistory), history)
            table = Observation.__table__
            connection.execute(
                update(table).where(table.c.id == bindparam("obs_id")).values(
                    value=bindparam("new_value"), numerator=bindparam("new_numerator"),
                    denominator=bindparam("new_denominator"), status=bindparam("new_status"),
                    batch_id=bindparam("new_batch"),
                ),
                [
                    {"obs_id": old["id"], "new_value": r["value"], "new_numerator": r["numerator"],
                     "new_denominator": r["denominator"], "new_status": r["status"], "new_batch": batch_id}
                    for old, r in changed
                ],
            )
            outcome.replaced_rows = [{**{k: old[k] for k in OBSERVATION_COLUMNS}} for old, _ in changed]
        if replaced_targets:
            table = Target.__table__
            connection.execute(
                update(table).where(table.c.id.in_(replaced_targets)).values(replaced_by_batch_id=batch_id)
            )
        if new_targets:
            connection.execute(
                insert(Target),
                [{**t, "batch_id": batch_id, "set_by": info.imported_by, "set_at": now} for t in new_targets],
            )
    return outcome

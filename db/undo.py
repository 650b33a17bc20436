"""Undoing an import: the figures a batch replaced come back exactly as they were, the ones it added go.

An undo is itself a batch (source "undo", naming the batch it undid in its note), so it appears in the
history with who did it and when, and every cache keyed on the highest batch id sees it. The undone
batch is marked ``undone_by_batch_id``; the values it had set move to ``observation_history`` as
replaced by the undo, so nothing disappears without a record. A batch is refused, naming the later
batch and what it did, while a later batch changed any of its figures, targets or commentaries, or gave
its figures or targets again unchanged: undo that one first. So the newest batch can always be undone,
and undoing newest first always works down to the first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select, update

from access import User, require_council, require_editor
from db.commentary_writes import later_batch_replacing, withdraw_loaded_commentary
from db.locks import write_transaction
from db.models import (
    AreaList,
    ImportBatch,
    NeighbourRelease,
    Observation,
    ObservationHistory,
    RepeatedTarget,
    RepeatedValue,
    Target,
)
from db.target_writes import target_words
from metrics.formatting import count_words, format_period
from reference.areas import areas
from reference.catalogue import catalogue

UNDO_SOURCE = "undo"
VALUE_FIELDS = ("value", "numerator", "denominator", "status")
KEY_FIELDS = ("measure_code", "area_code", "period_type", "period_end", "dimension", "category", "origin")


class UndoRefused(Exception):
    """The batch cannot be undone; the message says why and what to do instead."""


@dataclass(frozen=True)
class UndoOutcome:
    undone_batch_id: int
    undo_batch_id: int
    restored: int  # values it had replaced, back as they were
    removed: int  # values it had added, gone
    targets_removed: int
    targets_restored: int
    commentary_withdrawn: int = 0  # commentaries it loaded, still readable as earlier versions
    commentary_restored: int = 0  # the commentaries they had replaced, current again

    def summary(self) -> str:
        return (f"Batch {self.undone_batch_id} undone (recorded as batch {self.undo_batch_id}): "
                f"{count_words(self.restored, 'value')} put back as before, {count_words(self.removed, 'value')} it "
                f"added removed, {count_words(self.targets_removed, 'target')} it set withdrawn, "
                f"{count_words(self.targets_restored, 'earlier target')} back"
                + (f", {count_words(self.commentary_withdrawn, 'commentary', 'commentaries')} it loaded withdrawn, "
                   f"{self.commentary_restored:,} earlier back" if self.commentary_withdrawn else "") + ".")


def undo_batch(engine: Engine, batch_id: int, user: User) -> UndoOutcome:
    """Undo one batch in one transaction, or raise UndoRefused (NotAnEditor for a viewer)."""
    require_editor(user, "undo an import")
    with write_transaction(engine) as connection:
        batch = connection.execute(select(ImportBatch).where(ImportBatch.id == batch_id)).first()
        if batch is not None and batch.council_code:
            require_council(user, batch.council_code, "undo an import")
        elif batch is not None and user.edits is not None:  # DfE's figures, shared by every member council
            raise UndoRefused(f"Batch {batch_id} ({batch.file_name}) belongs to no one council (DfE's published "
                              "figures and lists are every member council's), so no council's editor can undo it; "
                              "load the earlier file again instead.")
        _check(connection, batch, batch_id)
        obs, hist, targets = Observation.__table__, ObservationHistory.__table__, Target.__table__
        now = datetime.now(UTC)
        undo_id = connection.execute(insert(ImportBatch).values(
            file_name=batch.file_name, sha256=batch.sha256, source=UNDO_SOURCE, sheets=json.dumps([]), rows=0,
            inserted=0, replaced=0, unchanged=0, imported_by=user.login, imported_at=now, result="undo",
            note=f"undid batch {batch_id} ({batch.file_name})", council_code=batch.council_code,
        )).inserted_primary_key[0]
        current = connection.execute(select(obs).where(obs.c.batch_id == batch_id)).mappings().all()
        earlier = {row["observation_id"]: row for row in connection.execute(
            select(hist).where(hist.c.replaced_by_batch_id == batch_id)).mappings()}
        if current:  # what the batch had set stays readable in the history, replaced by the undo
            connection.execute(insert(ObservationHistory), [
                {**{k: row[k] for k in (*KEY_FIELDS, *VALUE_FIELDS)}, "observation_id": row["id"],
                 "batch_id": batch_id, "replaced_by_batch_id": undo_id} for row in current])
        restored = [row for row in current if row["id"] in earlier]
        removed = [row["id"] for row in current if row["id"] not in earlier]
        for row in restored:
            old = earlier[row["id"]]
            connection.execute(update(obs).where(obs.c.id == row["id"]).values(
                **{k: old[k] for k in VALUE_FIELDS}, batch_id=old["batch_id"]))
        if earlier:  # current again: no longer a replaced value
            connection.execute(delete(hist).where(hist.c.replaced_by_batch_id == batch_id))
        for start in range(0, len(removed), 500):
            connection.execute(delete(obs).where(obs.c.id.in_(removed[start:start + 500])))
        withdrawn = connection.execute(update(targets).where(
            targets.c.batch_id == batch_id, targets.c.replaced_by_batch_id.is_(None)).values(
            replaced_by_batch_id=undo_id)).rowcount
        back = connection.execute(update(targets).where(targets.c.replaced_by_batch_id == batch_id).values(
            replaced_by_batch_id=None)).rowcount
        notes = withdraw_loaded_commentary(connection, batch_id, undo_id)
        connection.execute(delete(RepeatedValue.__table__).where(RepeatedValue.batch_id == batch_id))
        connection.execute(delete(RepeatedTarget.__table__).where(RepeatedTarget.batch_id == batch_id))
        connection.execute(update(ImportBatch.__table__).where(ImportBatch.id == undo_id).values(
            rows=len(current), replaced=len(restored), inserted=0,
            # the counts columns fit a load, not an undo: its note says what it did in words
            note=f"undid batch {batch_id} ({batch.file_name}): {count_words(len(restored), 'value')} put back as "
                 f"before, {count_words(len(removed), 'value')} it added removed"))
        connection.execute(update(ImportBatch.__table__).where(ImportBatch.id == batch_id).values(
            undone_by_batch_id=undo_id))
    return UndoOutcome(batch_id, int(undo_id), len(restored), len(removed), int(withdrawn), int(back),
                       notes.withdrawn, notes.restored)


def _check(connection, batch, batch_id: int) -> None:
    """Refuse what cannot be undone exactly, with the reason and what to do."""
    if batch is None:
        raise UndoRefused(f"There is no batch {batch_id}; the Imports page lists every batch.")
    if batch.source == UNDO_SOURCE:
        raise UndoRefused(f"Batch {batch_id} is itself an undo; load the file again to put its figures back.")
    if batch.undone_by_batch_id is not None:
        raise UndoRefused(f"Batch {batch_id} was already undone by batch {batch.undone_by_batch_id}.")
    for table in (NeighbourRelease, AreaList):
        if connection.execute(select(table.id).where(table.batch_id == batch_id).limit(1)).first() is not None:
            raise UndoRefused(f"Batch {batch_id} ({batch.file_name}) loaded DfE's reference lists (statistical "
                              "neighbours or areas), which cannot be undone here; load the earlier file again.")
    blockers = [found for found in (finder(connection, batch_id) for finder in _BLOCKER_FINDERS) if found is not None]
    if blockers:
        first = min(blockers)  # the earliest later batch; within it, a change before a repeat
        name = connection.execute(select(ImportBatch.file_name).where(ImportBatch.id == first.batch_id)).scalar()
        raise UndoRefused(f"Batch {batch_id} cannot be undone: the later batch {first.batch_id} ({name or ''}) "
                          f"{first.what}. Undo batch {first.batch_id} first, then batch {batch_id}.")


@dataclass(frozen=True, order=True)
class _Blocker:
    """A later batch that changed or gave again something this batch set, and what, in words."""

    batch_id: int
    repeat: bool  # a change is named before a repeat by the same batch
    what: str = field(compare=False)


def _figure_words(row) -> str:
    """'In foster care, Northmoor, September 2024' for a stored figure's key."""
    measure = catalogue().get(row.measure_code).short_name if row.measure_code in catalogue() else row.measure_code
    area = areas().get(row.area_code).name if row.area_code in areas() else row.area_code
    breakdown = f" ({row.dimension}: {row.category})" if row.dimension else ""
    return f"{measure}{breakdown}, {area}, {format_period(row.period_type, row.period_end)}"


def _later_change(connection, batch_id: int) -> _Blocker | None:
    """The earliest later batch that replaced a figure this batch set."""
    hist = ObservationHistory.__table__
    row = connection.execute(select(hist).where(hist.c.batch_id == batch_id)
                             .order_by(hist.c.replaced_by_batch_id, hist.c.id).limit(1)).first()
    if row is None:
        return None
    return _Blocker(int(row.replaced_by_batch_id), False,
                    f"changed some of the same figures (such as {_figure_words(row)})")


def _later_repeat(connection, batch_id: int) -> _Blocker | None:
    """The earliest later batch, not undone, whose file gave again unchanged a figure this batch set.

    Only a later batch counts: a repeat recorded by an earlier batch was of the figure an earlier batch
    set, which undoing this one puts back.
    """
    obs, repeated, batches = Observation.__table__, RepeatedValue.__table__, ImportBatch.__table__
    row = connection.execute(
        select(repeated.c.batch_id.label("repeating_batch"), obs)
        .select_from(obs.join(repeated, repeated.c.observation_id == obs.c.id)
                     .join(batches, batches.c.id == repeated.c.batch_id))
        .where(obs.c.batch_id == batch_id, repeated.c.batch_id > batch_id, batches.c.undone_by_batch_id.is_(None))
        .order_by(repeated.c.batch_id, obs.c.id).limit(1)).first()
    if row is None:
        return None
    return _Blocker(int(row.repeating_batch), True, f"gives some of the same figures again (such as {_figure_words(row)}), "
                                             "and undoing this one would remove them")


def _later_target_change(connection, batch_id: int) -> _Blocker | None:
    """The earliest later batch (a file or the Targets page) that replaced or removed a target this batch set."""
    targets = Target.__table__
    row = connection.execute(select(targets).where(
        targets.c.batch_id == batch_id, targets.c.replaced_by_batch_id.is_not(None))
        .order_by(targets.c.replaced_by_batch_id, targets.c.id).limit(1)).first()
    if row is None:
        return None
    return _Blocker(int(row.replaced_by_batch_id), False, f"changed the target for {target_words(row)}")


def _later_target_repeat(connection, batch_id: int) -> _Blocker | None:
    """The earliest later batch, not undone, whose file gave again unchanged a target this batch set."""
    targets, repeated, batches = Target.__table__, RepeatedTarget.__table__, ImportBatch.__table__
    row = connection.execute(
        select(repeated.c.batch_id.label("repeating_batch"), targets)
        .select_from(targets.join(repeated, repeated.c.target_id == targets.c.id)
                     .join(batches, batches.c.id == repeated.c.batch_id))
        .where(targets.c.batch_id == batch_id, targets.c.replaced_by_batch_id.is_(None),
               repeated.c.batch_id > batch_id, batches.c.undone_by_batch_id.is_(None))
        .order_by(repeated.c.batch_id, targets.c.id).limit(1)).first()
    if row is None:
        return None
    return _Blocker(int(row.repeating_batch), True, f"gives the target for {target_words(row)} again, and undoing this one "
                                             "would withdraw it")


def _later_commentary(connection, batch_id: int) -> _Blocker | None:
    later = later_batch_replacing(connection, batch_id)
    return None if later is None else _Blocker(int(later), False, "replaced a commentary this batch loaded")


_BLOCKER_FINDERS = (_later_change, _later_repeat, _later_target_change, _later_target_repeat, _later_commentary)


def undone_batches(engine: Engine) -> dict[int, int]:
    """Each undone batch -> the batch that recorded its undo, for the history listings."""
    table = ImportBatch.__table__
    with engine.connect() as connection:
        rows = connection.execute(select(table.c.id, table.c.undone_by_batch_id)
                                  .where(table.c.undone_by_batch_id.is_not(None))).all()
    return {int(a): int(b) for a, b in rows}

"""Targets edited in the app, checked like an import's and written as one batch with source "targets".

A changed or removed target is never deleted: it is marked replaced by the batch that changed it, so the
history keeps every target that was ever in force, with who set it and when. Writing a batch moves the
data version on (db.queries.data_version), so the scorecard and charts use the new targets at once.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Engine, insert, select, update

from access import User, require_council, require_editor
from db.locks import write_transaction
from db.models import ImportBatch, Target
from reference.catalogue import catalogue, number_words

TARGETS_SOURCE = "targets"  # the batch source of targets edited in the app
TARGETS_FILE_NAME = "Targets page"  # what the import history shows as the batch's file


@dataclass(frozen=True)
class TargetEdit:
    """One target as the officer wants it: ``replaces`` names the stored target it changes (None for a
    new one); ``remove`` withdraws that stored target without a successor."""

    measure_code: str
    area_code: str
    period_start: date
    period_end: date
    value: float | None
    tolerance: float | None = None
    replaces: int | None = None
    remove: bool = False


@dataclass(frozen=True)
class TargetsSaved:
    batch_id: int | None  # None when nothing changed
    set: int
    withdrawn: int


class TargetProblems(ValueError):
    """The edits were refused: each problem is a sentence; nothing was saved."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


def _missing(number: float | None) -> bool:
    return number is None or (isinstance(number, float) and math.isnan(number))


def target_words(target) -> str:
    """'In foster care for E06999901 from 01 April 2025 to 31 March 2026': which target, for any row or edit
    with a measure, area and range (the Targets page names councils by code, as its table does)."""
    name = catalogue().get(target.measure_code).short_name if target.measure_code in catalogue() else target.measure_code
    start, end = pd.Timestamp(target.period_start), pd.Timestamp(target.period_end)
    return f"{name} for {target.area_code} from {start:%d %B %Y} to {end:%d %B %Y}"


def _label(edit: TargetEdit) -> str:
    return target_words(edit)


def _edit_problems(edit: TargetEdit) -> list[str]:
    if edit.measure_code not in catalogue():
        return [f"'{edit.measure_code}' is not a measure in the catalogue: choose one from the list."]
    measure = catalogue().get(edit.measure_code)
    where = _label(edit)
    problems = []
    if not edit.area_code:
        problems.append(f"A target for {measure.short_name} has no council: give its code.")
    if edit.period_start > edit.period_end:
        problems.append(f"The target for {where} starts after it ends: swap the dates.")
    if _missing(edit.value):
        problems.append(f"The target for {where} has no value: give one, or remove the row.")
    elif not measure.minimum <= float(edit.value) <= measure.maximum:
        problems.append(f"The target {number_words(float(edit.value))} for {where} is not possible: "
                        f"it must be {measure.accepted_range}.")
    if not _missing(edit.tolerance) and float(edit.tolerance) < 0:
        problems.append(f"The tolerance for {where} is negative: give how far from the target still counts "
                        "as close (amber), or leave it empty to use the measure's usual tolerance.")
    return problems


def _overlaps(kept: list[TargetEdit]) -> list[str]:
    problems = []
    by_key: dict[tuple[str, str], list[TargetEdit]] = {}
    for edit in kept:
        by_key.setdefault((edit.measure_code, edit.area_code), []).append(edit)
    for rows in by_key.values():
        rows.sort(key=lambda e: (e.period_start, e.period_end))
        for before, after in zip(rows, rows[1:], strict=False):
            if after.period_start <= before.period_end:
                problems.append(f"The targets {_label(before)} and {_label(after)} overlap: a figure can be "
                                "judged against one target only, so end one before the other starts.")
    return problems


def check_targets(current: list[TargetEdit], edits: list[TargetEdit]) -> list[str]:
    """Every reason the edits cannot be saved, as sentences (empty when they can)."""
    problems = [p for edit in edits if not edit.remove for p in _edit_problems(edit)]
    known = {c.replaces for c in current}
    problems += [f"The target {e.replaces} no longer exists (someone else may have changed it): reload the page."
                 for e in edits if e.replaces is not None and e.replaces not in known]
    gone = {e.replaces for e in edits if e.replaces is not None}
    kept = [c for c in current if c.replaces not in gone] + [e for e in edits if not e.remove]
    return problems + _overlaps([k for k in kept if not _edit_problems(k)])


def _current(connection) -> list[TargetEdit]:
    t = Target.__table__
    rows = connection.execute(select(t).where(t.c.replaced_by_batch_id.is_(None))).all()
    return [TargetEdit(r.measure_code, r.area_code, pd.Timestamp(r.period_start).date(),
                       pd.Timestamp(r.period_end).date(), r.value, r.tolerance, replaces=r.id) for r in rows]


def _unchanged(edit: TargetEdit, stored: dict[int, TargetEdit]) -> bool:
    old = stored.get(edit.replaces) if edit.replaces is not None else None
    if old is None or edit.remove:
        return False
    same_tolerance = (_missing(old.tolerance) and _missing(edit.tolerance)) or (
        not _missing(old.tolerance) and not _missing(edit.tolerance)
        and math.isclose(float(old.tolerance), float(edit.tolerance)))
    return (old.measure_code, old.area_code, old.period_start, old.period_end) == (
        edit.measure_code, edit.area_code, edit.period_start, edit.period_end
    ) and math.isclose(float(old.value), float(edit.value)) and same_tolerance


def save_targets(engine: Engine, changes: list[TargetEdit], user: User) -> TargetsSaved:
    """Check and write the edits in one transaction, recording who and when; raises TargetProblems
    (nothing saved) when any edit is impossible, NotAnEditor for a viewer, NotYourCouncil when an edit (or
    the target it replaces) is another council's."""
    require_editor(user, "edit targets")
    with write_transaction(engine) as connection:
        current = _current(connection)
        by_id = {c.replaces: c for c in current}
        councils = {c.area_code for c in changes} | {by_id[c.replaces].area_code for c in changes
                                                    if c.replaces in by_id}
        for council in sorted(councils):
            require_council(user, council, "edit targets")
        problems = check_targets(current, changes)
        if problems:
            raise TargetProblems(problems)
        stored = {c.replaces: c for c in current}
        changes = [c for c in changes if not _unchanged(c, stored)]
        if not changes:
            return TargetsSaved(None, 0, 0)
        now = datetime.now(UTC)
        new = [c for c in changes if not c.remove]
        replaced = sorted({c.replaces for c in changes if c.replaces is not None})
        batch_id = connection.execute(insert(ImportBatch).values(
            file_name=TARGETS_FILE_NAME, sha256="", source=TARGETS_SOURCE, sheets=json.dumps([]), rows=len(changes),
            inserted=0, replaced=0, unchanged=0, imported_by=user.login, imported_at=now, result="loaded",
            council_code=next(iter(councils)) if len(councils) == 1 else "",
            note=f"{len(new)} targets set, {len(replaced)} earlier targets kept in the history",
        )).inserted_primary_key[0]
        table = Target.__table__
        if replaced:
            connection.execute(update(table).where(table.c.id.in_(replaced)).values(replaced_by_batch_id=batch_id))
        if new:
            connection.execute(insert(Target), [
                {"measure_code": c.measure_code, "area_code": c.area_code, "period_start": c.period_start,
                 "period_end": c.period_end, "value": float(c.value),
                 "tolerance": None if _missing(c.tolerance) else float(c.tolerance),
                 "batch_id": batch_id, "set_by": user.login, "set_at": now}
                for c in new
            ])
    return TargetsSaved(batch_id, len(new), sum(1 for c in changes if c.remove))


def target_history(engine: Engine, measure: str | None = None, area: str | None = None) -> pd.DataFrame:
    """Every target ever set, newest first, with who set it, when, and the batch that replaced it."""
    t = Target.__table__
    columns = ["id", "measure_code", "area_code", "period_start", "period_end", "value", "tolerance",
               "set_by", "set_at", "batch_id", "replaced_by_batch_id"]
    query = select(*[t.c[c] for c in columns])
    if measure is not None:
        query = query.where(t.c.measure_code == measure)
    if area is not None:
        query = query.where(t.c.area_code == area)
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(t.c.id.desc())).all()
    return pd.DataFrame(rows, columns=columns)

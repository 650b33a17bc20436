"""Writing a commentary on a measure's figure for a period: each edit is a new version, the old one kept.

Nothing is ever overwritten: the new text is a new row, and the version it replaces is marked with the
new row's id, so "Earlier versions" can show every text with who wrote it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, and_, insert, not_, select, update

from access import User, require_council
from db.locks import write_transaction
from db.models import Commentary
from reference.catalogue import catalogue

MAX_LENGTH = 2000  # a short commentary: a paragraph or two for a committee paper
# What a return's commentary column gives: one text per measure, area and period end.
COMMENTARY_COLUMNS = ["measure_code", "area_code", "period_end", "text"]


class CommentaryRefused(ValueError):
    """The commentary cannot be saved; the message says why in a sentence. Nothing was saved."""


@dataclass(frozen=True)
class CommentarySaved:
    id: int | None  # None when the text was the same as the current version
    replaced: int | None  # the version it replaced


def save_commentary(engine: Engine, measure: str, area: str, period: date, text: str, user: User,
                    batch_id: int | None = None) -> CommentarySaved:
    """Save ``text`` as the current commentary for the measure, area and period end; raises NotAnEditor
    for a viewer, NotYourCouncil for another council's figures and CommentaryRefused for an unknown measure,
    empty or over-long text."""
    require_council(user, area, "write commentary")
    if measure not in catalogue():
        raise CommentaryRefused(f"'{measure}' is not a measure in the catalogue: commentary was not saved.")
    text = (text or "").strip()
    if not text:
        raise CommentaryRefused("The commentary is empty: write what moved the figure and what is being done.")
    if len(text) > MAX_LENGTH:
        raise CommentaryRefused(f"The commentary is {len(text):,} characters long: keep it to {MAX_LENGTH:,} "
                                "so it fits a committee paper.")
    table = Commentary.__table__
    with write_transaction(engine) as connection:
        current = connection.execute(select(table.c.id, table.c.text).where(
            table.c.measure_code == measure, table.c.area_code == area, table.c.period_end == period,
            *is_current()).order_by(table.c.id.desc())).all()
        if current and current[0].text == text:
            return CommentarySaved(None, current[0].id)
        new_id = connection.execute(insert(table).values(
            measure_code=measure, area_code=area, period_end=period, text=text, author=user.login,
            written_at=datetime.now(UTC), batch_id=batch_id)).inserted_primary_key[0]
        if current:
            connection.execute(update(table).where(table.c.id.in_([r.id for r in current]))
                               .values(replaced_by_id=new_id))
    return CommentarySaved(int(new_id), current[0].id if current else None)


def is_current() -> tuple:
    """The conditions of a current version: nothing replaced it and no undo withdrew it."""
    table = Commentary.__table__
    return table.c.replaced_by_id.is_(None), table.c.withdrawn_by_batch_id.is_(None)


@dataclass(frozen=True)
class CommentaryChange:
    """A commentary a return would write: new for its period, or replacing the current text."""

    measure_code: str
    area_code: str
    period_end: date
    text: str
    old_text: str | None  # the current version it replaces; None when the period has none
    old_ids: tuple[int, ...] = ()


def commentary_changes(connection: Connection, frame: pd.DataFrame | None) -> list[CommentaryChange]:
    """The commentaries in a return that differ from the current ones; the same text is no change."""
    if frame is None or not len(frame):
        return []
    table = Commentary.__table__
    measures = sorted(set(frame["measure_code"]))
    areas = sorted(set(frame["area_code"]))
    current: dict[tuple, list] = {}
    rows = connection.execute(select(table.c.id, table.c.measure_code, table.c.area_code, table.c.period_end,
                                     table.c.text).where(table.c.measure_code.in_(measures),
                                                         table.c.area_code.in_(areas), *is_current())
                              .order_by(table.c.id.desc())).all()
    for row in rows:
        current.setdefault((row.measure_code, row.area_code, pd.Timestamp(row.period_end).date()), []).append(row)
    changes = []
    for measure, area, end, text in frame[COMMENTARY_COLUMNS].itertuples(index=False, name=None):
        end = pd.Timestamp(end).date()
        versions = current.get((measure, area, end), [])
        if versions and versions[0].text == text:
            continue
        changes.append(CommentaryChange(measure, area, end, text, versions[0].text if versions else None,
                                        tuple(int(v.id) for v in versions)))
    return changes


def write_loaded_commentary(connection: Connection, changes: list[CommentaryChange], batch_id: int,
                            author: str, written_at: datetime) -> None:
    """Each change as a new version loaded by the batch, inside the batch's own transaction; the
    versions it replaces stay readable, marked with the new one's id."""
    table = Commentary.__table__
    for change in changes:
        new_id = connection.execute(insert(table).values(
            measure_code=change.measure_code, area_code=change.area_code, period_end=change.period_end,
            text=change.text, author=author, written_at=written_at, batch_id=batch_id)).inserted_primary_key[0]
        if change.old_ids:
            connection.execute(update(table).where(table.c.id.in_(change.old_ids)).values(replaced_by_id=new_id))


@dataclass(frozen=True)
class CommentaryUndone:
    withdrawn: int  # versions the batch loaded that are no longer current
    restored: int  # the versions they had replaced, current again


def later_batch_replacing(connection: Connection, batch_id: int) -> int | None:
    """The earliest later batch whose commentary replaced one this batch loaded (then undo must wait)."""
    mine, later = Commentary.__table__.alias("mine"), Commentary.__table__.alias("later")
    return connection.execute(
        select(later.c.batch_id).select_from(mine.join(later, later.c.id == mine.c.replaced_by_id))
        .where(mine.c.batch_id == batch_id, later.c.batch_id.is_not(None), later.c.batch_id != batch_id)
        .order_by(later.c.batch_id).limit(1)).scalar()


def withdraw_loaded_commentary(connection: Connection, batch_id: int, undo_id: int) -> CommentaryUndone:
    """Undo a batch's commentary: each version it loaded is withdrawn (still readable), and where it was
    current the version it replaced is current again. A version written in the app since stays current."""
    table = Commentary.__table__
    loaded = connection.execute(select(table.c.id, table.c.replaced_by_id).where(
        table.c.batch_id == batch_id, table.c.withdrawn_by_batch_id.is_(None))).all()
    if not loaded:
        return CommentaryUndone(0, 0)
    ids = [int(row.id) for row in loaded]
    current_ids = [int(row.id) for row in loaded if row.replaced_by_id is None]
    connection.execute(update(table).where(table.c.id.in_(ids)).values(withdrawn_by_batch_id=undo_id))
    restored = 0
    if current_ids:
        restored = connection.execute(update(table).where(
            table.c.replaced_by_id.in_(current_ids), table.c.withdrawn_by_batch_id.is_(None)).values(
            replaced_by_id=None)).rowcount
    return CommentaryUndone(len(ids), int(restored))


def commentary_untouched(connection: Connection, batch_id: int) -> bool:
    """Whether every commentary a batch loaded is still the current version (for the unchanged-file check)."""
    table = Commentary.__table__
    return connection.execute(select(table.c.id).where(
        table.c.batch_id == batch_id, not_(and_(*is_current()))).limit(1)).first() is None

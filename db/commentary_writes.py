"""Writing a commentary on a measure's figure for a period: each edit is a new version, the old one kept.

Nothing is ever overwritten: the new text is a new row, and the version it replaces is marked with the
new row's id, so "Earlier versions" can show every text with who wrote it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, insert, select, update

from access import User, require_editor
from db.locks import write_transaction
from db.models import Commentary
from reference.catalogue import catalogue

MAX_LENGTH = 2000  # a short commentary: a paragraph or two for a committee paper


class CommentaryRefused(ValueError):
    """The commentary cannot be saved; the message says why in a sentence. Nothing was saved."""


@dataclass(frozen=True)
class CommentarySaved:
    id: int | None  # None when the text was the same as the current version
    replaced: int | None  # the version it replaced


def save_commentary(engine: Engine, measure: str, area: str, period: date, text: str, user: User,
                    batch_id: int | None = None) -> CommentarySaved:
    """Save ``text`` as the current commentary for the measure, area and period end; raises NotAnEditor
    for a viewer and CommentaryRefused for an unknown measure, empty or over-long text."""
    require_editor(user, "write commentary")
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
            table.c.replaced_by_id.is_(None)).order_by(table.c.id.desc())).all()
        if current and current[0].text == text:
            return CommentarySaved(None, current[0].id)
        new_id = connection.execute(insert(table).values(
            measure_code=measure, area_code=area, period_end=period, text=text, author=user.login,
            written_at=datetime.now(UTC), batch_id=batch_id)).inserted_primary_key[0]
        if current:
            connection.execute(update(table).where(table.c.id.in_([r.id for r in current]))
                               .values(replaced_by_id=new_id))
    return CommentarySaved(int(new_id), current[0].id if current else None)

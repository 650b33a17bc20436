"""The files of each batch that loaded a set of files, for the history."""

from __future__ import annotations

from sqlalchemy import Engine, select

from db.models import BatchFile
from db.writes import FileInBatch


def files_by_batch(engine: Engine) -> dict[int, list[FileInBatch]]:
    """Batch id -> its files in the set's order; batches of one file are not listed."""
    table = BatchFile.__table__
    query = select(table.c.batch_id, table.c.file_name, table.c.size_bytes, table.c.sha256).order_by(
        table.c.batch_id, table.c.position)
    found: dict[int, list[FileInBatch]] = {}
    with engine.connect() as connection:
        for batch_id, name, size, sha in connection.execute(query):
            found.setdefault(int(batch_id), []).append(FileInBatch(name, int(size), sha))
    return found

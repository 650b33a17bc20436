"""Writing a checked reference release (neighbour groupings, an area list) as one batch in one transaction.

A reference file goes into the same batch history as a return: one ``import_batch`` row naming the
file, who loaded it and what it held. A file that changes nothing writes nothing, so loading the
same file twice leaves the database as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, insert, select, update

from db.locks import write_transaction
from db.models import AreaList, ImportBatch, ListedArea, NeighbourRelease, StatisticalNeighbour


@dataclass(frozen=True)
class ReferenceBatch:
    """What is known about the file before it is written."""

    file_name: str
    sha256: str
    source: str
    sheet: str
    imported_by: str
    note: str


@dataclass(frozen=True)
class NeighbourLink:
    dfe_number: str
    council_name: str
    rank: int
    neighbour_dfe_number: str
    closeness: str


@dataclass(frozen=True)
class ListedRow:
    dfe_number: str
    name: str
    region_name: str
    la_type: str


@dataclass
class ReferenceOutcome:
    batch_id: int | None  # None when the database already held exactly this
    rows: int
    replaced_file: str = ""  # a correction: the file whose release under the same date it replaces
    replaced_batch: int | None = None

    @property
    def changed(self) -> bool:
        return self.batch_id is not None


def _batch(connection: Connection, info: ReferenceBatch, rows: int, replaced: int) -> int:
    return connection.execute(insert(ImportBatch).values(
        file_name=info.file_name, sha256=info.sha256, source=info.source, sheets=json.dumps([info.sheet]),
        rows=rows, inserted=rows, replaced=replaced, unchanged=0, imported_by=info.imported_by,
        imported_at=datetime.now(UTC), result="loaded", note=info.note,
    )).inserted_primary_key[0]


def _stored_links(connection: Connection, release_id: int) -> set[NeighbourLink]:
    n = StatisticalNeighbour.__table__
    return {NeighbourLink(r.dfe_number, r.council_name, int(r.rank), r.neighbour_dfe_number, r.closeness)
            for r in connection.execute(select(n).where(n.c.release_id == release_id))}


def write_neighbour_release(engine: Engine, info: ReferenceBatch, released: date, dated_by: str,
                            links: list[NeighbourLink]) -> ReferenceOutcome:
    """Store a release; unchanged when the release of that month already holds exactly these links.

    A different grouping under a month already loaded (DfE corrected its file) becomes the release of
    that month; the earlier one is kept, marked as replaced by this batch.
    """
    r = NeighbourRelease.__table__
    outcome = ReferenceOutcome(None, len(links))
    with write_transaction(engine) as connection:
        old = connection.execute(
            select(r.c.id, r.c.file_name, r.c.batch_id).where(r.c.released == released,
                                                                r.c.replaced_by_batch_id.is_(None))
        ).first()
        if old is not None and _stored_links(connection, old.id) == set(links):
            return outcome
        batch_id = _batch(connection, info, len(links), len(links) if old is not None else 0)
        if old is not None:
            connection.execute(update(r).where(r.c.id == old.id).values(replaced_by_batch_id=batch_id))
            outcome.replaced_file, outcome.replaced_batch = old.file_name, old.batch_id
        release_id = connection.execute(insert(r).values(
            released=released, file_name=info.file_name, sha256=info.sha256, dated_by=dated_by, batch_id=batch_id,
        )).inserted_primary_key[0]
        connection.execute(insert(StatisticalNeighbour), [
            {"release_id": release_id, "dfe_number": link.dfe_number, "council_name": link.council_name,
             "rank": link.rank, "neighbour_dfe_number": link.neighbour_dfe_number, "closeness": link.closeness}
            for link in links
        ])
        outcome.batch_id = batch_id
    return outcome


def write_area_list(engine: Engine, info: ReferenceBatch, rows: list[ListedRow]) -> ReferenceOutcome:
    """Store an area list; unchanged when the latest stored list holds exactly these councils."""
    a, la = AreaList.__table__, ListedArea.__table__
    outcome = ReferenceOutcome(None, len(rows))
    with write_transaction(engine) as connection:
        latest = connection.execute(select(a.c.id, a.c.file_name, a.c.batch_id).order_by(a.c.id.desc())).first()
        if latest is not None:
            stored = {ListedRow(x.dfe_number, x.name, x.region_name, x.la_type)
                      for x in connection.execute(select(la).where(la.c.area_list_id == latest.id))}
            if stored == set(rows):
                return outcome
            outcome.replaced_file, outcome.replaced_batch = latest.file_name, latest.batch_id
        batch_id = _batch(connection, info, len(rows), 0)
        list_id = connection.execute(insert(a).values(file_name=info.file_name, sha256=info.sha256,
                                                      batch_id=batch_id)).inserted_primary_key[0]
        connection.execute(insert(ListedArea), [
            {"area_list_id": list_id, "dfe_number": row.dfe_number, "name": row.name,
             "region_name": row.region_name, "la_type": row.la_type}
            for row in rows
        ])
        outcome.batch_id = batch_id
    return outcome

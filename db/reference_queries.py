"""Reads of the reference releases: statistical neighbour groupings and area lists loaded as batches."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from db.models import AreaList, ListedArea, NeighbourRelease, StatisticalNeighbour
from reference.neighbours import Groups
from reference.neighbours import NeighbourRelease as Release


@dataclass(frozen=True)
class ListedCouncil:
    """A council as the stored area list gives it."""

    dfe_number: str
    name: str
    region_name: str
    la_type: str


@dataclass(frozen=True)
class StoredAreaList:
    file_name: str
    batch_id: int
    councils: tuple[ListedCouncil, ...]


def neighbour_releases(engine: Engine) -> list[Release]:
    """Every release in force (not replaced by a correction), oldest first, with its groupings."""
    r, n = NeighbourRelease.__table__, StatisticalNeighbour.__table__
    with engine.connect() as connection:
        releases = connection.execute(
            select(r.c.id, r.c.released, r.c.file_name).where(r.c.replaced_by_batch_id.is_(None))
            .order_by(r.c.released, r.c.id)
        ).all()
        links = connection.execute(
            select(n.c.release_id, n.c.dfe_number, n.c.rank, n.c.neighbour_dfe_number, n.c.closeness)
            .where(n.c.release_id.in_([row.id for row in releases])).order_by(n.c.release_id, n.c.dfe_number, n.c.rank)
        ).all() if releases else []
    groups: dict[int, Groups] = {row.id: {} for row in releases}
    for link in links:
        groups[link.release_id].setdefault(link.dfe_number, []).append(
            (int(link.rank), link.neighbour_dfe_number, link.closeness))
    return [Release(row.released, row.file_name, groups[row.id], row.id) for row in releases]


def has_neighbour_release(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(NeighbourRelease)).scalar_one() > 0


def latest_area_list(engine: Engine) -> StoredAreaList | None:
    """The area list loaded last (it overlays the shipped areas), or None when none was loaded."""
    a, la = AreaList.__table__, ListedArea.__table__
    with engine.connect() as connection:
        latest = connection.execute(select(a.c.id, a.c.file_name, a.c.batch_id).order_by(a.c.id.desc())).first()
        if latest is None:
            return None
        rows = connection.execute(
            select(la.c.dfe_number, la.c.name, la.c.region_name, la.c.la_type)
            .where(la.c.area_list_id == latest.id).order_by(la.c.id)
        ).all()
    return StoredAreaList(latest.file_name, latest.batch_id,
                          tuple(ListedCouncil(r.dfe_number, r.name, r.region_name, r.la_type) for r in rows))

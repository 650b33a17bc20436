"""The shipped areas overlaid with what the database holds: the latest area list and neighbour release.

``data/reference`` stays the default (and the only source on a database with no reference batches).
An area list loaded later renames councils, changes their type or region and adds new ones; the
current statistical neighbour release replaces the shipped groupings. Nothing is ever dropped: an
area the list leaves out keeps its shipped entry, and the fictional sample council stays.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine

from db.reference_queries import StoredAreaList, latest_area_list, neighbour_releases
from reference.areas import Area, AreaDirectory, shipped_areas, use_directory
from reference.neighbours import Groups, current_release, directory_with

LONDON_PARTS = {"inner london", "outer london", "london inner", "london outer"}  # LAIT's regions for boroughs
LONDON_NAME = "london"
STAND_IN_PREFIX = "DfE-"  # a council new in the area list has no ONS code yet: 'DfE-942' stands in for it
FORMER_MARKERS = ("(pre lg)",)  # how DfE's lists name councils abolished in a reorganisation
COUNCIL_TYPES = ("UA", "MD", "OLB", "ILB", "SC")
NOT_A_COUNCIL = "NA"  # the type LAIT gives England and the regions (its numbers 970-990)


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower().replace("&", "and")).strip()


def region_for(directory: AreaDirectory, name: str) -> Area | None:
    """The region an area list names ('Outer London' is London), or None when it is not a region."""
    wanted = _plain(name)
    if wanted in LONDON_PARTS:
        wanted = LONDON_NAME
    return next((r for r in directory.regions() if _plain(r.name) == wanted), None)


def stand_in_code(dfe_number: str) -> str:
    return f"{STAND_IN_PREFIX}{dfe_number}"


class StoredAreaDirectory(AreaDirectory):
    """Areas with the database's changes; a council's name before a rename still finds it."""

    def __init__(self, areas: list[Area], neighbours: Groups, former: AreaDirectory):
        super().__init__(areas, neighbours)
        self._former = former

    def resolve(self, text: object) -> Area | None:
        found = super().resolve(text)
        if found is not None:
            return found
        before = self._former.resolve(text)
        return self.get(before.code) if before is not None and before.code in self else None

    def with_neighbours(self, groups: Groups) -> StoredAreaDirectory:
        return StoredAreaDirectory(self.areas, groups, self._former)


def overlay_areas(base: AreaDirectory, listed: StoredAreaList | None) -> list[Area]:
    """The base areas changed by the area list: names, types and regions by DfE number, new councils added."""
    if listed is None:
        return list(base.areas)
    by_number = {a.dfe_number: a for a in base.areas if a.is_la and a.dfe_number}
    changed: dict[str, Area] = {}
    added: list[Area] = []
    for council in listed.councils:
        if council.la_type == NOT_A_COUNCIL:
            continue
        region = region_for(base, council.region_name)
        old = by_number.get(council.dfe_number)
        if old is not None:
            changed[old.code] = Area(
                code=old.code, dfe_number=old.dfe_number, name=council.name,
                region_code=region.code if region else old.region_code,
                region_name=region.name if region else old.region_name, kind=old.kind,
                la_type=council.la_type or old.la_type, current=old.current, fictional=old.fictional,
            )
        else:
            added.append(Area(
                code=stand_in_code(council.dfe_number), dfe_number=council.dfe_number, name=council.name,
                region_code=region.code if region else "", region_name=region.name if region else "", kind="la",
                la_type=council.la_type, current=not any(m in council.name.lower() for m in FORMER_MARKERS),
                fictional=False,
            ))
    return [changed.get(a.code, a) for a in base.areas] + added


def stored_directory(engine: Engine, base: AreaDirectory | None = None) -> AreaDirectory:
    """The areas in use for this database: shipped, overlaid with its latest area list and current release."""
    base = base or shipped_areas()
    listed = latest_area_list(engine)
    release = current_release(neighbour_releases(engine))
    if listed is None and release is None:
        return base
    # Without a release of its own the database keeps the shipped groupings.
    directory = StoredAreaDirectory(overlay_areas(base, listed), dict(base._neighbours), base)
    return directory_with(directory, release)


def _cache_key(engine: Engine, version: int | None = None) -> tuple[str, int] | None:
    """(database URL, data version): the directory changes only with a batch (an area list, a release, an undo).
    None for an in-memory database, whose URL names no one database."""
    from db.queries import data_version

    if engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return None
    return engine.url.render_as_string(hide_password=False), data_version(engine) if version is None else version


_directories: dict[tuple[str, int], AreaDirectory] = {}  # newest few, by database URL and data version
DIRECTORIES_KEPT = 8


def directory_for(engine: Engine, version: int | None = None) -> AreaDirectory:
    """The database's directory, built explicitly from it and kept by database URL and data version: reading
    it changes nothing anyone else reads (unlike ``use_stored_reference``, which also puts it in use)."""
    key = _cache_key(engine)
    if key is None:
        return stored_directory(engine)
    found = _directories.get(key)
    if found is None:
        found = stored_directory(engine)
        _directories[key] = found
        while len(_directories) > DIRECTORIES_KEPT:
            _directories.pop(next(iter(_directories)))
    return found


def use_stored_reference(engine: Engine) -> AreaDirectory:
    """Put the database's directory in use for ``reference.areas.areas()`` in the current context (this page
    run, command or pack), and return it."""
    directory = directory_for(engine)
    use_directory(None if directory is shipped_areas() else directory)
    return directory

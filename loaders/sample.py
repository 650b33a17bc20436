"""First start: load the fictional sample council's returns so the dashboard has something to show.

The files in ``data/sample/`` are written by ``scripts/make_sample.py`` and go in through the same
import path as any council's return, so the sample also proves that path works end to end.
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine

import settings
from access.grants import scoping_on
from access.users import os_login
from db import queries
from db.models import PUBLISHED_SOURCE  # DfE's tables for every council: loaded alongside the sample, not instead of it
from loaders.importer import ImportReport, import_file
from reference.areas import areas

SAMPLE_DIR = settings.DATA_DIR / "sample"
SAMPLE_AREA = "E06999901"  # Northmoor, the fictional sample council
SAMPLE_SOURCE = "sample"
RETURN_SUFFIXES = (".xlsx", ".csv")
SWITCHED_ON = {"1", "true", "yes", "on"}
_loading = threading.Lock()  # two sessions starting at once must not both load the sample


def sample_files(directory: Path = SAMPLE_DIR) -> list[Path]:
    """The sample returns, in name order (the folder's read-me is not a return)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in RETURN_SUFFIXES)


def sample_wanted() -> bool:
    """Whether first start should load the fictional council: as set, else only when it is the home area.

    A council that names itself in DASHBOARD_HOME_AREA is setting up its own dashboard; fictional
    Northmoor in its council list and Imports page would be figures nobody should ever quote.
    """
    chosen = settings.LOAD_SAMPLE.value().strip().lower()
    if chosen:
        return chosen in SWITCHED_ON
    home = areas().resolve(settings.HOME_AREA.value())
    return home is not None and home.code == SAMPLE_AREA


def needs_sample(engine: Engine) -> bool:
    """True when no council's own figures are loaded yet: the database is empty, or holds only DfE's tables.

    Checking for DfE's tables as well means the app may load the published figures and the sample in
    either order on first start and still show the sample council.
    """
    if queries.is_empty(engine):
        return True
    return set(queries.batches(engine)["source"]) <= {PUBLISHED_SOURCE}


def load_sample_if_empty(engine: Engine, directory: Path = SAMPLE_DIR) -> list[ImportReport]:
    """Import every sample file when the setting is on and no council's own figures are loaded yet.

    Returns one report per file, or an empty list when nothing was needed; cheap to call on every start
    (two small queries). Files with no area take the sample council's.
    """
    # Once grants keep councils apart, a shared database never gets a fictional council, whatever the setting:
    # nobody could be granted it, and its figures would sit beside real councils' in every list.
    if not sample_wanted() or scoping_on(engine) or not needs_sample(engine):
        return []

    with _loading:
        if not needs_sample(engine):
            return []
        return [
            import_file(engine, path, default_area=SAMPLE_AREA, source=SAMPLE_SOURCE, imported_by=os_login())
            for path in sample_files(directory)
        ]

"""Every setting the dashboard reads, declared once with its default and help.

Settings come from the environment so that the same code serves a laptop, a council server
and a regional PostgreSQL database without edits. Secrets never live here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: str
    help: str

    def value(self) -> str:
        return os.environ.get(self.env, "").strip() or self.default


DB_URL = Setting(
    "db_url",
    "DASHBOARD_DB_URL",
    f"sqlite:///{DATA_DIR / 'dashboard.db'}",
    "SQLAlchemy URL of the database; SQLite file in data/ unless set "
    "(for example postgresql+psycopg://user@host/dashboard).",
)
HOME_AREA = Setting(
    "home_area",
    "DASHBOARD_HOME_AREA",
    "E06999901",
    "The council the dashboard is about, by ONS code, DfE number or name. "
    "Rows of a return without an area are filed under it.",
)
LOAD_SAMPLE = Setting(
    "load_sample",
    "DASHBOARD_LOAD_SAMPLE",
    "",
    "Load the fictional sample council's returns when the app starts on an empty database (1 or 0). "
    "Unset, they load only while the home area is the sample council: a real council's install never "
    "shows fictional figures unless this is set to 1.",
)
LOAD_PUBLISHED = Setting(
    "load_published",
    "DASHBOARD_LOAD_PUBLISHED",
    "1",
    "Load DfE's published figures for every council from data/dfe when the app starts without them (1 or 0).",
)
CHILDREN_TERM = Setting(
    "children_term",
    "DASHBOARD_CHILDREN_TERM",
    "children in care",
    "The words the dashboard uses for children looked after (for example 'cared for children').",
)
IMPORTED_BY = Setting(
    "imported_by",
    "DASHBOARD_USER",
    "",
    "Who is recorded as loading a return; defaults to the operating system user.",
)
MAX_UNCOMPRESSED_MB = Setting(
    "max_uncompressed_mb",
    "DASHBOARD_MAX_UNCOMPRESSED_MB",
    "200",
    "Largest size, in MB, a workbook may unpack to; bigger ones (zip bombs, sheets bloated with "
    "empty formatted rows) are refused before they can exhaust the computer's memory.",
)

LOCK_TIMEOUT = Setting(
    "lock_timeout",
    "DASHBOARD_LOCK_TIMEOUT_SECONDS",
    "30",
    "How long an import (or a schema upgrade) waits for another one to finish before saying "
    "'another import is in progress; try again', in seconds.",
)

ALL_SETTINGS: tuple[Setting, ...] = (
    DB_URL, HOME_AREA, LOAD_SAMPLE, LOAD_PUBLISHED, CHILDREN_TERM, IMPORTED_BY, MAX_UNCOMPRESSED_MB, LOCK_TIMEOUT,
)


def lock_timeout_seconds() -> float:
    """The lock timeout as a number; an unreadable or negative setting falls back to the default."""
    try:
        seconds = float(LOCK_TIMEOUT.value())
    except ValueError:
        return float(LOCK_TIMEOUT.default)
    return seconds if seconds >= 0 else float(LOCK_TIMEOUT.default)


def current_user() -> str:
    """Name recorded on import batches: the configured user, else the login name."""
    configured = IMPORTED_BY.value()
    if configured:
        return configured
    for var in ("USER", "USERNAME", "LOGNAME"):
        if os.environ.get(var):
            return os.environ[var]
    return "unknown"

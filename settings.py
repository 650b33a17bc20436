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
OWNER_DB_URL = Setting(
    "owner_db_url",
    "DASHBOARD_OWNER_DB_URL",
    "",
    "PostgreSQL only: the URL of the role that owns the schema (runs the migrations, grants, backups). With "
    "it and DASHBOARD_DB_URL (the app's role, which owns nothing) both set, every command brings the "
    "schema up to date as the owner and grants the app's role what it needs.",
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
    "The login the dashboard takes the person running it to be, where nobody signs in (local mode and "
    "the command line): recorded on every change and checked against DASHBOARD_EDITORS; defaults to the "
    "operating system login.",
)
EDITORS = Setting(
    "editors",
    "DASHBOARD_EDITORS",
    "",
    "Who may change figures (import, undo, targets, commentary), comma-separated: e-mail addresses under "
    "sign-in, operating system logins in local mode; case does not matter. Unset: in local mode the "
    "person running the app is an editor; under sign-in the [dashboard] editors list in "
    ".streamlit/secrets.toml is used, and without one nobody is. A list that names nobody else "
    "(for example 'none') makes the dashboard view-only.",
)
ENTRA_TENANT = Setting(
    "entra_tenant",
    "DASHBOARD_ENTRA_TENANT_ID",
    "",
    "Under sign-in with Microsoft Entra ID, the council's tenant (its Directory (tenant) ID): a person's "
    "sign-in name (preferred_username) identifies them only when Microsoft says they signed in from this "
    "tenant. Unset: the tenant named in server_metadata_url in .streamlit/secrets.toml.",
)
MAX_UNCOMPRESSED_MB = Setting(
    "max_uncompressed_mb",
    "DASHBOARD_MAX_UNCOMPRESSED_MB",
    "200",
    "Largest size, in MB, a workbook may unpack to; bigger ones (zip bombs, sheets bloated with "
    "empty formatted rows) are refused before they can exhaust the computer's memory.",
)
MAX_UPLOAD_MB = Setting(
    "max_upload_mb",
    "DASHBOARD_MAX_UPLOAD_MB",
    "20",
    "Largest return, in MB, that may be uploaded on the Imports page; a bigger file is refused with a "
    "sentence before it is read (the upload widget is given the same limit).",
)

LOCK_TIMEOUT = Setting(
    "lock_timeout",
    "DASHBOARD_LOCK_TIMEOUT_SECONDS",
    "30",
    "How long an import (or a schema upgrade) waits for another one to finish before saying "
    "'another import is in progress; try again', in seconds.",
)

JUMP_THRESHOLD_PERCENT = Setting(
    "jump_threshold_percent",
    "DASHBOARD_JUMP_THRESHOLD_PERCENT",
    "50",
    "The Data quality page lists a monthly figure that moved by more than this, as a percentage of the "
    "month before (50: up by half or down by half). A slip in a return (a digit lost or added, a "
    "percentage typed as 0.54, a figure in the wrong row) moves a figure by half or more; small counts "
    "such as children starting care in a month often move by 20-30% for real, and a lower threshold "
    "would bury the slips among them.",
)
PUBLIC_MODE = Setting(
    "public_mode",
    "DASHBOARD_PUBLIC_MODE",
    "0",
    "Start the app in public mode (1) for Part 1 public papers: small numbers are hidden on every page, "
    "chart and table; anyone can switch it in the sidebar for their own session.",
)
PUBLIC_THRESHOLD = Setting(
    "public_threshold",
    "DASHBOARD_PUBLIC_THRESHOLD",
    "5",
    "In public mode (and export --public), counts below this, and percentages whose numerator or "
    "denominator is below it, are shown as 'c' (suppressed) instead of the figure.",
)

ALL_SETTINGS: tuple[Setting, ...] = (
    DB_URL, OWNER_DB_URL, HOME_AREA, LOAD_SAMPLE, LOAD_PUBLISHED, CHILDREN_TERM, IMPORTED_BY, EDITORS, ENTRA_TENANT,
    MAX_UNCOMPRESSED_MB, MAX_UPLOAD_MB,
    LOCK_TIMEOUT, JUMP_THRESHOLD_PERCENT, PUBLIC_MODE, PUBLIC_THRESHOLD,
)


def lock_timeout_seconds() -> float:
    """The lock timeout as a number; an unreadable or negative setting falls back to the default."""
    try:
        seconds = float(LOCK_TIMEOUT.value())
    except ValueError:
        return float(LOCK_TIMEOUT.default)
    return seconds if seconds >= 0 else float(LOCK_TIMEOUT.default)


def jump_threshold_percent() -> float:
    """The jump threshold as a number; an unreadable, negative or zero setting falls back to the default."""
    try:
        percent = float(JUMP_THRESHOLD_PERCENT.value())
    except ValueError:
        return float(JUMP_THRESHOLD_PERCENT.default)
    return percent if percent > 0 and percent != float("inf") else float(JUMP_THRESHOLD_PERCENT.default)


def current_user() -> str:
    """Who a change made outside the browser records (first-start loads, scripts): DASHBOARD_USER, else
    the operating system login. Pages record ``ui.signin.current_user().login`` instead."""
    from access.users import os_login  # access reads settings-free environment only; no import cycle

    return os_login()

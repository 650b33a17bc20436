"""Engines for the configured database URL, brought to the newest schema through Alembic.

Several processes may open a new or old database at the same moment (three imports started at once,
the app and an import): the upgrade runs inside the same write-locked transaction as an import, and
Alembic reads the revision again once the lock is held, so only the first process changes the schema
and the others find it done.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, make_url

import settings
from db.locks import install_sqlite_hooks, write_transaction
from db.roles import grant_app_role
from db.scope import install_scope_hook

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def database_url(url: str | None = None) -> str:
    """The URL given, else the configured one."""
    return url or settings.DB_URL.value()


def create(url: str | None = None) -> Engine:
    """A new engine for the URL (no schema changes)."""
    url = database_url(url)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        install_sqlite_hooks(engine)
    install_scope_hook(engine)
    return engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


def migrate(engine: Engine, app_role: str | None = None) -> None:
    """Bring the schema to the newest migration; a no-op when it is already there.

    The upgrade holds the write lock (raising db.locks.ImportBusy if it cannot be had in time), so
    two processes never run the same migration; both databases change their schema transactionally,
    so a failed upgrade leaves the schema as it was.
    """
    current = is_current(engine)
    if current and not app_role:
        return
    with write_transaction(engine) as connection:
        if not current:
            config = alembic_config(engine)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        if app_role:  # every table the migrations made, the new ones too
            grant_app_role(connection, app_role)


def owner_url() -> str:
    """DASHBOARD_OWNER_DB_URL: the role that owns the schema and runs the migrations ('' when not set)."""
    return settings.OWNER_DB_URL.value()


@lru_cache(maxsize=8)
def connect(url: str | None = None) -> Engine:
    """The engine for a URL, migrated, shared within the process.

    With DASHBOARD_OWNER_DB_URL set to another URL of the same PostgreSQL database, the schema is brought
    up to date as the owner, which then grants the app's role (this URL's user) what it needs; the engine
    returned connects as the app's role, which owns nothing.
    """
    engine = create(url)
    owner = owner_url()
    if owner and engine.dialect.name == "postgresql" and owner != database_url(url):
        upgrade_as_owner(owner, engine.url.username or "")
    else:
        migrate(engine)
    return engine


def upgrade_as_owner(owner: str, app_role: str) -> None:
    """Bring the schema up to date through the owner's URL, granting ``app_role`` what it needs."""
    engine = create(owner)
    try:
        migrate(engine, app_role)
    finally:
        engine.dispose()


def owner_engine_for(engine: Engine) -> Engine | None:
    """The owner's engine (DASHBOARD_OWNER_DB_URL) when it names the same database as ``engine``, else None.

    DfE's figures and lists are every council's: once anyone holds a grant, only the owner may write them
    (migration 0012), so the first-start load and the administrator's command line write them through it.
    """
    owner = owner_url()
    if not owner:
        return None
    mine, theirs = engine.url, make_url(owner)
    same = (mine.get_backend_name(), mine.host, mine.port, mine.database) == (
        theirs.get_backend_name(), theirs.host, theirs.port, theirs.database)
    return connect(owner) if same else None


def owner_engine(url: str | None = None) -> Engine:
    """The engine that may change who sees what (``python -m access``): the URL given, else the owner's,
    else the app's; migrated."""
    return connect(url or owner_url() or None)

"""Whose own figures the database lets this transaction see and change, on PostgreSQL.

Row-level security (migration 0011) reads two settings, set at the start of every transaction with
``set_config(..., true)`` so they end with it and a pooled connection never carries one person's scope
into another's request:

- ``dashboard.councils``: the ONS codes, comma-separated, whose own figures may be read;
- ``dashboard.edits``: those whose figures, targets, commentary and batches may be written.

No setting, or an empty one, shows and changes no council's own rows (DfE's published figures stay
visible). ``*`` means every council, and the database honours it only while no grant exists: the one-council
install, the command line and first-start loads before anyone is granted anything. The scope in force is
this context's (``use_scope``: a page run, a command), else ``*``.

Reading and writing are two settings rather than a "regional" flag: a regional person's write list is
empty, as a viewer's is, and an editor's names their own councils, so the database refuses a regional
person's, a viewer's and another council's editor's writes by the same rule. Both are set by the app's own
code: they guard against the code above the database getting a read or a write wrong; the app role's
privileges (it owns nothing and may only read the grants) guard the rest.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, event

COUNCILS_SETTING = "dashboard.councils"
EDITS_SETTING = "dashboard.edits"
EVERY_COUNCIL = "*"  # honoured by the database only while no grant exists


@dataclass(frozen=True)
class DatabaseScope:
    """ONS codes a transaction may read and write; None for every council (no grants)."""

    sees: frozenset[str] | None = None
    edits: frozenset[str] | None = None

    @staticmethod
    def _setting(codes: frozenset[str] | None) -> str:
        return EVERY_COUNCIL if codes is None else ",".join(sorted(codes))

    @property
    def councils_setting(self) -> str:
        return self._setting(self.sees)

    @property
    def edits_setting(self) -> str:
        return self._setting(self.edits)


UNSCOPED = DatabaseScope()
_current: ContextVar[DatabaseScope] = ContextVar("dashboard_scope", default=UNSCOPED)


def current_scope() -> DatabaseScope:
    return _current.get()


def set_scope(scope: DatabaseScope) -> None:
    """The scope for this context from now on (a page run sets its viewer's at its start)."""
    _current.set(scope)


@contextmanager
def use_scope(scope: DatabaseScope) -> Iterator[None]:
    """The scope for the transactions begun inside the block (a command, a test)."""
    token = _current.set(scope)
    try:
        yield
    finally:
        _current.reset(token)


def _on_begin(connection: Connection) -> None:
    scope = _current.get()
    connection.exec_driver_sql(
        "SELECT set_config(%(councils_name)s, %(councils)s, true), set_config(%(edits_name)s, %(edits)s, true)",
        {"councils_name": COUNCILS_SETTING, "councils": scope.councils_setting,
         "edits_name": EDITS_SETTING, "edits": scope.edits_setting})


def install_scope_hook(engine: Engine) -> None:
    """Every transaction on a PostgreSQL engine starts by setting the scope in force (SQLite has no
    row-level security and one council per file)."""
    if engine.dialect.name == "postgresql" and not event.contains(engine, "begin", _on_begin):
        event.listen(engine, "begin", _on_begin)

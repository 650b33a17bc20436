"""Who may see and change which council's own figures, stored in the database so every instance agrees.

A grant gives one person (an e-mail address under sign-in, a login on the command line) one council's own
figures as a viewer or an editor, or every member council's as a regional person (reads all, changes none).
A member council is one somebody holds a viewer or editor grant for.

With no grants at all the dashboard works as a one-council install always has (``DASHBOARD_HOME_AREA``,
the editors list in the settings); the first grant switches scoping on, and from then on a person's grants
alone decide what they see and change: someone with none sees DfE's published figures only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, insert, select, update

from access.policy import normalise_login
from access.users import User, council_words, os_login
from access.viewer import LOCAL_VIEWER, Viewer
from db.models import AccessGrant
from db.scope import DatabaseScope, set_scope
from reference.areas import areas

VIEWER, EDITOR, REGIONAL = "viewer", "editor", "regional"
COUNCIL_ROLES = (VIEWER, EDITOR)
ROLES = (*COUNCIL_ROLES, REGIONAL)
REGIONAL_COUNCIL = ""  # access_grant.council_code of a regional grant


class GrantRefused(ValueError):
    """A grant or revoke that cannot be done as asked: the message says why and what is accepted."""


@dataclass(frozen=True)
class Grant:
    login: str
    council_code: str  # '' for a regional grant
    role: str
    granted_by: str
    granted_at: datetime

    def line(self) -> str:
        """One line of ``python -m access list``: 'jo@a.gov.uk  editor  E08000003 Manchester'."""
        where = "every member council" if self.role == REGIONAL else council_words(self.council_code)
        return f"{self.login}\t{self.role}\t{where}\t(granted by {self.granted_by} on {self.granted_at:%Y-%m-%d})"


@dataclass(frozen=True)
class Access:
    """What one person may do: ``sees`` and ``edits`` are ONS codes, None for 'as a one-council install'."""

    login: str
    sees: frozenset[str] | None
    edits: frozenset[str] | None
    regional: bool = False

    @property
    def viewer(self) -> Viewer:
        return LOCAL_VIEWER if self.sees is None else Viewer.of(self.login, self.sees)

    @property
    def database_scope(self) -> DatabaseScope:
        """What the database lets this person's transactions read and write (db.scope)."""
        return DatabaseScope(self.sees, self.edits)


UNSCOPED = Access("", None, None)


def resolve_council(text: str) -> str:
    """The ONS code of a council given by ONS code, DfE number or name; GrantRefused for anything else."""
    area = areas().resolve(text)
    if area is None or not area.is_la:
        suggestions = ", ".join(a.name for a in areas().suggest(text))
        hint = f" (did you mean {suggestions}?)" if suggestions else ""
        raise GrantRefused(f"{text!r} is not a council{hint}: give its ONS code (E08000003), DfE number (352) "
                           "or name (Manchester)")
    return area.code


def grants(engine: Engine) -> list[Grant]:
    """Every grant, by login then council."""
    t = AccessGrant.__table__
    with engine.connect() as connection:
        rows = connection.execute(select(t.c.login, t.c.council_code, t.c.role, t.c.granted_by, t.c.granted_at)
                                  .order_by(t.c.login, t.c.council_code)).all()
    return [Grant(*row) for row in rows]


def scoping_on(engine: Engine) -> bool:
    """True once any grant exists: from then on grants alone decide who sees and changes what."""
    with engine.connect() as connection:
        return bool(connection.execute(select(func.count()).select_from(AccessGrant)).scalar_one())


def grant(engine: Engine, login: str, role: str, council: str | None, granted_by: str) -> Grant:
    """Give ``login`` a role: viewer or editor of ``council`` (ONS code, DfE number or name), or regional
    (no council). A second grant for the same person and council replaces the first's role."""
    if role not in ROLES:
        raise GrantRefused(f"role {role!r} is not one of {', '.join(ROLES)}")
    who = normalise_login(login)
    if not who:
        raise GrantRefused("give the person's e-mail address or login")
    if role == REGIONAL:
        if council:
            raise GrantRefused("a regional grant covers every member council: give no --council")
        code = REGIONAL_COUNCIL
    elif not council:
        raise GrantRefused(f"a {role} grant needs --council (an ONS code, DfE number or name)")
    else:
        code = resolve_council(council)
    now = datetime.now(UTC)
    t = AccessGrant.__table__
    with engine.begin() as connection:
        found = connection.execute(select(t.c.id).where(t.c.login == who, t.c.council_code == code)).scalar()
        values = {"role": role, "granted_by": granted_by, "granted_at": now}
        if found is None:
            connection.execute(insert(t).values(login=who, council_code=code, **values))
        else:
            connection.execute(update(t).where(t.c.id == found).values(**values))
    return Grant(who, code, role, granted_by, now)


def revoke(engine: Engine, login: str, council: str | None = None, regional: bool = False) -> int:
    """Take away ``login``'s grant for ``council`` (or their regional grant); how many grants went."""
    if regional == bool(council):
        raise GrantRefused("say which grant to revoke: --council CODE or --role regional")
    code = REGIONAL_COUNCIL if regional else resolve_council(str(council))
    t = AccessGrant.__table__
    with engine.begin() as connection:
        return connection.execute(delete(t).where(t.c.login == normalise_login(login),
                                                  t.c.council_code == code)).rowcount


def access_in(found: list[Grant], login: str) -> Access:
    """What ``login`` may see and change, given every grant (``UNSCOPED`` when there are none)."""
    if not found:
        return replace(UNSCOPED, login=login)
    who = normalise_login(login)
    members = frozenset(g.council_code for g in found if g.role in COUNCIL_ROLES)
    mine = [g for g in found if g.login == who]
    regional = any(g.role == REGIONAL for g in mine)
    sees = members if regional else frozenset(g.council_code for g in mine if g.role in COUNCIL_ROLES)
    edits = frozenset(g.council_code for g in mine if g.role == EDITOR)
    return Access(who, sees, edits, regional)


def access_for(engine: Engine, login: str) -> Access:
    return access_in(grants(engine), login)


def scoped_user(user: User, access: Access) -> User:
    """The person with their grants applied: without grants unchanged (the editors list decides); with
    grants an editor exactly when they hold an editor grant, for those councils only."""
    if access.edits is None:
        return user
    return replace(user, is_editor=bool(access.edits), edits=access.edits)


def command_line_user(engine: Engine, login: str | None = None) -> User:
    """Who the command line acts as: ``login``, else DASHBOARD_USER, else the operating-system login; an
    editor of every council without grants (as always), else of the councils their grants name. Their
    scope is in force in the database for the rest of the command."""
    login = login or os_login()
    access = access_for(engine, login)
    set_scope(access.database_scope)
    return scoped_user(User(login=login, display_name=login, is_editor=True), access)

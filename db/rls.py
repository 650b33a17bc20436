"""The catalogue check: every PostgreSQL table but the grants and the schema's revision has row-level security
enabled and forced, and every view runs with the reader's rights (security_invoker).

A table holding a council's own rows without row-level security would let every council read every other's
rows, whatever the policies on the others say; one holding rows every council shares (DfE's figures and
lists) would let any council's editor change what every other is compared with. This check names either.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from db.roles import READ_ONLY_TABLES as NOT_SCOPED  # the app's role may only read them

UNPROTECTED = text("""
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
      AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
      AND c.relname <> ALL (:exempt)
    ORDER BY c.relname""")
DEFINER_VIEWS = text("""
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'v'
      AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
    ORDER BY c.relname""")


def unprotected_tables(connection: Connection) -> list[str]:
    """Tables (but the read-only two) lacking enabled and forced row-level security."""
    return list(connection.execute(UNPROTECTED, {"exempt": list(NOT_SCOPED)}).scalars())


def definer_views(connection: Connection) -> list[str]:
    """Views that would read with their owner's rights (and so past row-level security)."""
    return list(connection.execute(DEFINER_VIEWS).scalars())


ROLE_FACTS = text("""
    SELECT r.rolsuper, r.rolbypassrls,
           EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = current_schema() AND c.relowner = r.oid) AS owns
    FROM pg_roles r WHERE r.rolname = current_user""")


def unsafe_role(connection: Connection) -> str:
    """Why the role connected cannot be kept to one council's rows by the database ('' when it can): a
    superuser or BYPASSRLS role passes every policy, and the schema's owner reads every row (for backups)."""
    if connection.dialect.name != "postgresql":
        return ""
    superuser, bypasses, owns = connection.execute(ROLE_FACTS).one()
    reasons = [words for flag, words in ((superuser, "is a superuser"), (bypasses, "can bypass row-level security"),
                                         (owns, "owns the dashboard's tables")) if flag]
    if not reasons:
        return ""
    role = connection.exec_driver_sql("SELECT current_user").scalar_one()
    return (f"The dashboard connects to PostgreSQL as {role}, which {' and '.join(reasons)}, so the database does "
            "not keep councils' own figures apart: set DASHBOARD_DB_URL to the app's role and "
            "DASHBOARD_OWNER_DB_URL to the owner's (see the README's 'Who may change what').")

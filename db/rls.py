"""The catalogue check: every PostgreSQL table that holds a council's own rows has row-level security
enabled and forced, and every view runs with the reader's rights (security_invoker).

A table holds a council's own rows when it has a column saying whose they are (OWNERSHIP_COLUMNS). A new
table added without row-level security would let every council read every other's rows, whatever the
policies on the others say; this check names it.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

OWNERSHIP_COLUMNS = ("area_code", "council_code", "batch_id")
NOT_SCOPED = ("access_grant",)  # who may see what: the app's role may only read it (db.roles)

UNPROTECTED = text("""
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND NOT a.attisdropped
                  AND a.attname = ANY (:columns))
      AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
      AND c.relname <> ALL (:exempt)
    ORDER BY c.relname""")
DEFINER_VIEWS = text("""
    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'v'
      AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
    ORDER BY c.relname""")


def unprotected_tables(connection: Connection) -> list[str]:
    """Tables with a council, area or batch column lacking enabled and forced row-level security."""
    return list(connection.execute(UNPROTECTED, {"columns": list(OWNERSHIP_COLUMNS),
                                                 "exempt": list(NOT_SCOPED)}).scalars())


def definer_views(connection: Connection) -> list[str]:
    """Views that would read with their owner's rights (and so past row-level security)."""
    return list(connection.execute(DEFINER_VIEWS).scalars())

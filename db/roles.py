"""What the app's database role may do on PostgreSQL, granted by the owner after every upgrade.

The app's role owns nothing, is not a superuser and cannot bypass row-level security: it reads and writes
the figures' tables (row-level security decides which rows), reads the grants and the schema's revision,
and changes neither. Granted again after each upgrade, so a table a later migration adds is covered too.
"""

from __future__ import annotations

from sqlalchemy import Connection

READ_ONLY_TABLES = ("access_grant", "alembic_version")  # who may see what, and the schema's revision


def grant_app_role(connection: Connection, role: str) -> None:
    quoted = connection.dialect.identifier_preparer.quote(role)
    schema = connection.exec_driver_sql("SELECT current_schema()").scalar_one()
    in_schema = connection.dialect.identifier_preparer.quote(schema)
    connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA {in_schema} TO {quoted}")
    connection.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {in_schema} TO {quoted}")
    connection.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {in_schema} TO {quoted}")
    tables = ", ".join(READ_ONLY_TABLES)
    connection.exec_driver_sql(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {tables} FROM {quoted}")

"""row-level security: on PostgreSQL each council's own rows are seen and changed only within its scope

Revision ID: 0011
Revises: 0010

PostgreSQL only (SQLite has no row-level security: one council per file). Every table holding a council's
own figures, targets, commentary, batches or their history gets row-level security ENABLED and FORCED (the
owner is subject to it too), with policies on the settings ``dashboard.councils`` (read) and
``dashboard.edits`` (write), comma-separated ONS codes set per transaction (db.scope). No setting, or an
empty one: no council's own rows. ``*``: every council, honoured only while ``access_grant`` is empty (the
one-council install). DfE's published figures and batches are visible to all; writing them needs a
non-empty write scope. The owner (the role running this migration) reads and writes every row, so backups
and later migrations see the whole database.

Which tables, and how, is decided by their columns, so tables an earlier migration added for other
figures are covered by the same rules: ``area_code`` with ``origin`` (figures: published rows are
everyone's), ``area_code`` alone (a council's targets and commentary), ``council_code`` (batches: '' is
DfE's), ``batch_id`` alone (a batch's parts: visible with the batch).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

NOT_SCOPED = ("access_grant",)  # read-only to the app's role (db.roles): who may see what
POLICIES = ("scoped_read", "scoped_insert", "scoped_update", "scoped_delete", "owner_all")


def _setting(name: str) -> str:
    return f"NULLIF(current_setting('{name}', true), '')"


def may(setting: str, column: str) -> str:
    """``column`` is one of the setting's councils, or the setting is '*' and nobody holds a grant."""
    value = _setting(setting)
    return (f"({column} = ANY (string_to_array({value}, ',')) "
            f"OR ({value} = '*' AND NOT EXISTS (SELECT 1 FROM access_grant)))")


READS, WRITES = "dashboard.councils", "dashboard.edits"
ANY_WRITE = f"({_setting(WRITES)} IS NOT NULL)"


def rules(table: str, columns: set[str]) -> tuple[str, str] | None:
    """(read rule, write rule) for a table, or None when it holds nothing of a council's own."""
    if table in NOT_SCOPED:
        return None
    if "area_code" in columns and "origin" in columns:
        return (f"(origin = 'published' OR {may(READS, 'area_code')})",
                f"((origin = 'published' AND {ANY_WRITE}) OR {may(WRITES, 'area_code')})")
    if "area_code" in columns:
        return may(READS, "area_code"), may(WRITES, "area_code")
    if "council_code" in columns:
        return (f"(council_code = '' OR {may(READS, 'council_code')})",
                f"((council_code = '' AND {ANY_WRITE}) OR {may(WRITES, 'council_code')})")
    if "batch_id" in columns:
        batch_write = (f"((b.council_code = '' AND {ANY_WRITE}) OR {may(WRITES, 'b.council_code')})")
        return (f"(EXISTS (SELECT 1 FROM import_batch b WHERE b.id = {table}.batch_id))",
                f"(EXISTS (SELECT 1 FROM import_batch b WHERE b.id = {table}.batch_id AND {batch_write}))")
    return None


def scoped_tables(connection) -> dict[str, tuple[str, str]]:
    inspector = sa.inspect(connection)
    found = {}
    for table in inspector.get_table_names():
        made = rules(table, {c["name"] for c in inspector.get_columns(table)})
        if made is not None:
            found[table] = made
    return found


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    owner = connection.dialect.identifier_preparer.quote(connection.exec_driver_sql("SELECT current_user").scalar_one())
    for table, (read, write) in scoped_tables(connection).items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY scoped_read ON {table} FOR SELECT USING {read}")
        op.execute(f"CREATE POLICY scoped_insert ON {table} FOR INSERT WITH CHECK {write}")
        op.execute(f"CREATE POLICY scoped_update ON {table} FOR UPDATE USING {write} WITH CHECK {write}")
        op.execute(f"CREATE POLICY scoped_delete ON {table} FOR DELETE USING {write}")
        op.execute(f"CREATE POLICY owner_all ON {table} TO {owner} USING (true) WITH CHECK (true)")


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    for table in scoped_tables(connection):
        for policy in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")

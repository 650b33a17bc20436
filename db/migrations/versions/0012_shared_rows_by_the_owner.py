"""row-level security: once anyone holds a grant, DfE's published figures and lists are written by the owner only

Revision ID: 0012
Revises: 0011

PostgreSQL only. Migration 0011 let any transaction with a write scope write DfE's published figures, the
batches that loaded them and their parts, because they belong to no one council. On a shared database
that let one council's editor (or the code above the database, getting it wrong) change the published
figure every other council is compared with. From this revision the rows everyone shares are written by
the app's role only while no grant exists (the one-council install, as before); once the first grant is
made, only the owner (``DASHBOARD_OWNER_DB_URL``: the database's administrator) writes them, as it loads
DfE's tables at first start and from the command line. The two tables that hold DfE's statistical
neighbours and area lists by release, which have no column saying whose they are, are covered too: every
role reads them, the same rule writes them.

A council's own rows keep 0011's rules: read within ``dashboard.councils``, written within
``dashboard.edits``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

NOT_SCOPED = ("access_grant", "alembic_version")  # read-only to the app's role (db.roles)
WRITE_POLICIES = ("scoped_insert", "scoped_update", "scoped_delete")
SHARED_ONLY = ("statistical_neighbour", "listed_area")  # DfE's lists by release: no council's column


def _setting(name: str) -> str:
    return f"NULLIF(current_setting('{name}', true), '')"


def may(setting: str, column: str) -> str:
    """``column`` is one of the setting's councils, or the setting is '*' and nobody holds a grant."""
    value = _setting(setting)
    return (f"({column} = ANY (string_to_array({value}, ',')) "
            f"OR ({value} = '*' AND NOT EXISTS (SELECT 1 FROM access_grant)))")


WRITES = "dashboard.edits"
ANY_WRITE = f"({_setting(WRITES)} IS NOT NULL)"
SHARED_WRITE = f"({ANY_WRITE} AND NOT EXISTS (SELECT 1 FROM access_grant))"  # the new rule
OLD_SHARED_WRITE = ANY_WRITE  # 0011's, for downgrade


def write_rule(table: str, columns: set[str], shared: str) -> str | None:
    """The write rule of a table 0011 scoped, with ``shared`` for the rows no one council owns."""
    if table in NOT_SCOPED:
        return None
    if "area_code" in columns and "origin" in columns:
        return f"((origin = 'published' AND {shared}) OR {may(WRITES, 'area_code')})"
    if "area_code" in columns:
        return None  # a council's targets and commentary: nothing shared, 0011's rule stands
    if "council_code" in columns:
        return f"((council_code = '' AND {shared}) OR {may(WRITES, 'council_code')})"
    if "batch_id" in columns:
        batch_write = f"((b.council_code = '' AND {shared}) OR {may(WRITES, 'b.council_code')})"
        return f"(EXISTS (SELECT 1 FROM import_batch b WHERE b.id = {table}.batch_id AND {batch_write}))"
    return None


def _tables(connection) -> dict[str, set[str]]:
    inspector = sa.inspect(connection)
    return {t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()}


def _write_policies(table: str, rule: str) -> None:
    for policy in WRITE_POLICIES:
        op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
    op.execute(f"CREATE POLICY scoped_insert ON {table} FOR INSERT WITH CHECK {rule}")
    op.execute(f"CREATE POLICY scoped_update ON {table} FOR UPDATE USING {rule} WITH CHECK {rule}")
    op.execute(f"CREATE POLICY scoped_delete ON {table} FOR DELETE USING {rule}")


def _owner(connection) -> str:
    return connection.dialect.identifier_preparer.quote(connection.exec_driver_sql("SELECT current_user").scalar_one())


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    tables = _tables(connection)
    for table, columns in tables.items():
        rule = write_rule(table, columns, SHARED_WRITE)
        if rule is not None:
            _write_policies(table, rule)
    owner = _owner(connection)
    for table in SHARED_ONLY:
        if table not in tables:
            continue
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY scoped_read ON {table} FOR SELECT USING (true)")
        _write_policies(table, SHARED_WRITE)
        op.execute(f"CREATE POLICY owner_all ON {table} TO {owner} USING (true) WITH CHECK (true)")


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    tables = _tables(connection)
    for table in SHARED_ONLY:
        if table not in tables:
            continue
        for policy in ("scoped_read", *WRITE_POLICIES, "owner_all"):
            op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for table, columns in tables.items():
        if table in SHARED_ONLY:
            continue
        rule = write_rule(table, columns, OLD_SHARED_WRITE)
        if rule is not None:
            _write_policies(table, rule)

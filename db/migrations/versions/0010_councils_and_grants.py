"""councils and grants: who may see and change which council's own figures; the council each batch belongs to

Revision ID: 0010
Revises: 0008

Adds ``access_grant`` (one row per person and council, or per regional person) and
``import_batch.council_code``. Existing data is kept: each batch already in the database is given the
council its rows were filed under (``default_area``), else the one council whose own figures it covered;
DfE's published batches and reference lists belong to no council (''), as they are everyone's.
With no grants, nothing changes for anyone: the first grant switches scoping on.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_grant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("login", sa.String(length=255), nullable=False),
        sa.Column("council_code", sa.String(length=16), nullable=False, server_default=""),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("granted_by", sa.String(length=128), nullable=False, server_default=""),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("login", "council_code", name="uq_access_grant"),
    )
    # added in place (ALTER TABLE ... ADD COLUMN): every other table refers to import_batch, so it is never rebuilt
    with op.batch_alter_table("import_batch") as batch:
        batch.add_column(sa.Column("council_code", sa.String(length=16), nullable=False, server_default=""))
    op.execute("UPDATE import_batch SET council_code = default_area "
               "WHERE source <> 'published' AND default_area <> ''")
    op.execute("""
        UPDATE import_batch SET council_code = (
            SELECT MIN(c.area_code) FROM batch_coverage c WHERE c.batch_id = import_batch.id AND c.origin = 'local')
        WHERE council_code = '' AND source <> 'published'
          AND (SELECT COUNT(DISTINCT c.area_code) FROM batch_coverage c
               WHERE c.batch_id = import_batch.id AND c.origin = 'local') = 1""")


def downgrade() -> None:
    # in place, as it was added: SQLite could only rebuild import_batch by dropping it first
    op.execute("ALTER TABLE import_batch DROP COLUMN council_code")
    op.drop_table("access_grant")

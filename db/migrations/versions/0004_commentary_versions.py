"""commentary versions: an edit adds a row and marks the one it replaces, so earlier versions stay readable

Revision ID: 0004
Revises: 0003_reference_releases

Existing commentary rows stay as they are and are all current (replaced_by_id NULL). batch_id names the
import batch a commentary came from when it was loaded from a return's commentary column (NULL when
written in the app). Both are added in place (ALTER TABLE ... ADD COLUMN) without foreign keys, so
SQLite never rebuilds the table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003_reference_releases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("commentary", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaced_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commentary", schema=None) as batch_op:
        batch_op.drop_column("batch_id")
        batch_op.drop_column("replaced_by_id")

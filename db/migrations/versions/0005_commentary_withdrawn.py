"""commentary withdrawn by an undo: the version an undone return loaded stays readable but is no longer current

Revision ID: 0005
Revises: 0004

A commentary loaded from a return's commentary column is withdrawn when that return's batch is undone:
``withdrawn_by_batch_id`` names the undo's batch, and the version it had replaced is current again.
Existing rows are all not withdrawn (NULL). Added in place, without a foreign key, so SQLite never
rebuilds the table.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("commentary", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawn_by_batch_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commentary", schema=None) as batch_op:
        batch_op.drop_column("withdrawn_by_batch_id")

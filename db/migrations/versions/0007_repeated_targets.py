"""repeated targets: which current targets a later batch gave again unchanged, so an undo cannot withdraw them

Revision ID: 0007
Revises: 0006

Only creates a table. Targets loaded before this migration have no record of being repeated: an undo
of an older batch behaves as before for them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "repeated_target",
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.PrimaryKeyConstraint("target_id", "batch_id"),
    )
    with op.batch_alter_table("repeated_target", schema=None) as batch_op:
        batch_op.create_index("ix_repeated_target_batch_id", ["batch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("repeated_target", schema=None) as batch_op:
        batch_op.drop_index("ix_repeated_target_batch_id")
    op.drop_table("repeated_target")

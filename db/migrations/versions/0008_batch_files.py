"""batch files: the files of a batch that loaded several files as one set

Revision ID: 0008
Revises: 0007

Only creates a table. Every batch loaded before this migration was one file, which its own
``import_batch.file_name`` and ``sha256`` still describe; the table holds the files of sets only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_file",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.PrimaryKeyConstraint("batch_id", "position"),
    )


def downgrade() -> None:
    op.drop_table("batch_file")

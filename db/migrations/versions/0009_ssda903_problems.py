"""903 problem counts: per batch, the problems each DfE rule found; per computed figure, its children with one

Revision ID: 0009
Revises: 0008

Only creates two tables; every existing row is kept as it is. Neither table holds a child: counts only.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_rule_problems",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=16), nullable=False),
        sa.Column("collection_year", sa.Integer(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.PrimaryKeyConstraint("batch_id", "rule", "collection_year"),
    )
    op.create_table(
        "figure_problem_children",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("measure_code", sa.String(length=64), nullable=False),
        sa.Column("area_code", sa.String(length=16), nullable=False),
        sa.Column("period_type", sa.String(length=8), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("with_problems", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.PrimaryKeyConstraint("batch_id", "measure_code", "area_code", "period_type", "period_end"),
    )


def downgrade() -> None:
    op.drop_table("figure_problem_children")
    op.drop_table("batch_rule_problems")

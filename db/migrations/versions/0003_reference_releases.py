"""reference releases: statistical neighbour groupings and area lists, each loaded as a batch

Only creates tables, so it can sit after any migration that alters existing ones.

Revision ID: 0003_reference_releases
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_reference_releases"
down_revision = "0002_origin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "neighbour_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("released", sa.Date(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("dated_by", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("replaced_by_batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.ForeignKeyConstraint(["replaced_by_batch_id"], ["import_batch.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("neighbour_release", schema=None) as batch_op:
        batch_op.create_index("ix_neighbour_release_released", ["released"], unique=False)
        batch_op.create_index(batch_op.f("ix_neighbour_release_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "statistical_neighbour",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("dfe_number", sa.String(length=8), nullable=False),
        sa.Column("council_name", sa.String(length=128), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("neighbour_dfe_number", sa.String(length=8), nullable=False),
        sa.Column("closeness", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["neighbour_release.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("release_id", "dfe_number", "rank", name="uq_statistical_neighbour"),
    )
    with op.batch_alter_table("statistical_neighbour", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statistical_neighbour_release_id"), ["release_id"], unique=False)

    op.create_table(
        "area_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("area_list", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_list_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "listed_area",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_list_id", sa.Integer(), nullable=False),
        sa.Column("dfe_number", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("region_name", sa.String(length=128), nullable=False),
        sa.Column("la_type", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["area_list_id"], ["area_list.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("area_list_id", "dfe_number", name="uq_listed_area"),
    )
    with op.batch_alter_table("listed_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listed_area_area_list_id"), ["area_list_id"], unique=False)


def downgrade() -> None:
    op.drop_table("listed_area")
    op.drop_table("area_list")
    op.drop_table("statistical_neighbour")
    op.drop_table("neighbour_release")

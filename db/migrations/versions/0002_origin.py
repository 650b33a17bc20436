"""origin of each figure (local or published) in its key; what each batch covered; one index fewer

Revision ID: 0002_origin
Revises: 0001

A council's own figure and DfE's published one for the same measure, area and period used to share a
key, so each replaced the other. Existing rows take their origin from their batch's source
(published -> "published", anything else -> "local"); tables and columns keep their names.

Three indexes go, as each cost time on every insert, leaving the unique key the only one:
ix_observation_measure_period (reads by measure, with or without a period range, are served by the
unique index, whose leading column is the measure), ix_observation_area_measure (reads by area
alone now name the stored measures, so they use the unique index too) and ix_observation_batch_id
(no query reads observations by batch; batches are never deleted, so the foreign key never needs it).

batch_coverage and import_batch.reader_version / default_area / undone_by_batch_id let an import
recognise a file that was loaded before and whose figures nothing has changed since.
"""

from alembic import op
import sqlalchemy as sa


revision = "0002_origin"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD_KEY = ["measure_code", "area_code", "period_type", "period_end", "dimension", "category"]
NEW_KEY = [*OLD_KEY, "origin"]
ORIGIN_FROM_SOURCE = (
    "CASE WHEN batch_id IN (SELECT id FROM import_batch WHERE source = 'published') "
    "THEN 'published' ELSE 'local' END"
)


def upgrade() -> None:
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=16), server_default="local", nullable=False))
        batch_op.drop_constraint("uq_observation_key", type_="unique")
        batch_op.create_unique_constraint("uq_observation_key", NEW_KEY)
        batch_op.drop_index("ix_observation_measure_period")
        batch_op.drop_index("ix_observation_batch_id")
        batch_op.drop_index("ix_observation_area_measure")
    op.execute(f"UPDATE observation SET origin = {ORIGIN_FROM_SOURCE}")

    with op.batch_alter_table("observation_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin", sa.String(length=16), server_default="local", nullable=False))
    # the batch that loaded the old value says where it came from
    op.execute(f"UPDATE observation_history SET origin = {ORIGIN_FROM_SOURCE}")

    # added in place (ALTER TABLE ... ADD COLUMN): every other table refers to import_batch, so it is
    # never rebuilt
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reader_version", sa.String(length=64), server_default="", nullable=False))
        batch_op.add_column(sa.Column("default_area", sa.String(length=16), server_default="", nullable=False))
        batch_op.add_column(sa.Column("undone_by_batch_id", sa.Integer(), nullable=True))

    op.create_table(
        "batch_coverage",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("measure_code", sa.String(length=64), nullable=False),
        sa.Column("area_code", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batch.id"]),
        sa.PrimaryKeyConstraint("batch_id", "measure_code", "area_code", "origin"),
    )
    with op.batch_alter_table("batch_coverage", schema=None) as batch_op:
        batch_op.create_index(
            "ix_batch_coverage_key", ["measure_code", "area_code", "origin", "batch_id"], unique=False
        )


def downgrade() -> None:
    """Back to one figure per key: refused while a key has both a local and a published figure."""
    both = op.get_bind().execute(sa.text(
        "SELECT COUNT(*) FROM (SELECT 1 FROM observation GROUP BY "
        + ", ".join(OLD_KEY) + " HAVING COUNT(*) > 1) AS doubled"
    )).scalar_one()
    if both:
        raise RuntimeError(
            f"{both} figures have both a council's own and DfE's published value; the older schema can "
            "hold only one of them, so it cannot be restored without losing figures"
        )
    with op.batch_alter_table("batch_coverage", schema=None) as batch_op:
        batch_op.drop_index("ix_batch_coverage_key")
    op.drop_table("batch_coverage")
    for column in ("undone_by_batch_id", "default_area", "reader_version"):
        # in place, as they were added: SQLite could only rebuild import_batch by dropping it first
        op.execute(f"ALTER TABLE import_batch DROP COLUMN {column}")
    with op.batch_alter_table("observation_history", schema=None) as batch_op:
        batch_op.drop_column("origin")
    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.create_index("ix_observation_measure_period", ["measure_code", "period_end"], unique=False)
        batch_op.create_index("ix_observation_batch_id", ["batch_id"], unique=False)
        batch_op.create_index("ix_observation_area_measure", ["area_code", "measure_code"], unique=False)
        batch_op.drop_constraint("uq_observation_key", type_="unique")
        batch_op.create_unique_constraint("uq_observation_key", OLD_KEY)
        batch_op.drop_column("origin")

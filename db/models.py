"""The schema. Every observation records the batch that loaded it; a replaced value moves to
``observation_history`` with the batch that replaced it, so any figure can be traced and undone.

Every figure has an ``origin``: "local" for a council's own returns (often provisional), "published" for
DfE's tables (final, what every council is compared on), "ssda903" for figures computed from the council's
child-level SSDA903 return (its own, as DfE would compute them). The origin is part of the key, so a council's
own year-end figure and DfE's published one for the same year are two rows that never replace each other.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NO_BREAKDOWN = ""  # dimension and category of a headline figure (empty, not NULL, so uniqueness holds)
LOCAL = "local"  # origin of a council's own figure (its returns, the sample council's files)
PUBLISHED = "published"  # origin of DfE's published figure
PUBLISHED_SOURCE = PUBLISHED  # import_batch.source of DfE's tables: their figures' origin, by the same word
SSDA903 = "ssda903"  # a council's figures computed from its SSDA903 return: the batch source and the origin
ORIGINS = (LOCAL, PUBLISHED, SSDA903)
OBSERVATION_KEY = (  # the unique key of a figure, in the order of the unique index (rows are inserted in it)
    "measure_code", "area_code", "period_type", "period_end", "dimension", "category", "origin",
)


class Base(DeclarativeBase):
    pass


class ImportBatch(Base):
    """One file (or one published table) that changed the database."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(32))  # return, sample, published
    sheets: Mapped[str] = mapped_column(Text)  # JSON list of the sheets read
    rows: Mapped[int] = mapped_column(Integer)  # values in the file
    inserted: Mapped[int] = mapped_column(Integer)
    replaced: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(String(128))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    result: Mapped[str] = mapped_column(String(32))  # loaded (rejected files are never written)
    note: Mapped[str] = mapped_column(Text, default="")
    # What the unchanged-file shortcut compares (see db.writes.unchanged_since): the version of the
    # reading and checking code that read the file, and the area rows without one were filed under.
    reader_version: Mapped[str] = mapped_column(String(64), default="", server_default="")
    default_area: Mapped[str] = mapped_column(String(16), default="", server_default="")
    # Set by the undo feature on the batch it undid, to the id of the batch recording the undo; batches
    # are never deleted, so ids are never reused. (No foreign key: SQLite could only add one by
    # rebuilding this table, which every other table refers to.)
    undone_by_batch_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The council whose own figures the batch holds (an import, a target edit, an undo); '' for DfE's
    # published tables and reference lists, which belong to everyone. Who may see or undo it follows it.
    council_code: Mapped[str] = mapped_column(String(16), default="", server_default="")


class BatchFile(Base):
    """One file of a batch that loaded several files as one set (a return's monthly trackers, the SSDA903's
    tables): its name as given (with its folder inside a zip or folder), size and sha256, in the set's order.

    A batch of one file has no rows here: ``import_batch.file_name`` and ``sha256`` describe it, as they
    always have. For a set they hold the set's name ("set of 3 files: ...") and a fingerprint of its files.
    """

    __tablename__ = "batch_file"

    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))


class BatchCoverage(Base):
    """Each (measure, area, origin) a batch's file gave figures or targets for, changed or not.

    A later batch covering any of them may have changed what this file set, so the unchanged-file
    shortcut does not trust an earlier load of the same bytes once one exists.
    """

    __tablename__ = "batch_coverage"
    __table_args__ = (Index("ix_batch_coverage_key", "measure_code", "area_code", "origin", "batch_id"),)

    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    origin: Mapped[str] = mapped_column(String(16), primary_key=True)


class RepeatedValue(Base):
    """A current figure that a later batch's file gave again, unchanged.

    The figure still belongs to the batch that set it, but undoing that batch would remove (or put back
    the older value of) a figure a later file still gives; so an undo waits until that later batch is
    undone, as it does for a later batch that changed the figure. No foreign key to the observation: an
    undo may remove it, and these rows go with the undo of the batch that repeated it.
    """

    __tablename__ = "repeated_value"
    __table_args__ = (Index("ix_repeated_value_batch_id", "batch_id"),)

    observation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), primary_key=True)


class RepeatedTarget(Base):
    """A current target that a later batch's file gave again, unchanged (same measure, council, range, value).

    As for a repeated figure: undoing the batch that set the target would withdraw one a later file still
    gives, so that undo waits until the later batch is undone. These rows go with the undo of the batch
    that repeated the target.
    """

    __tablename__ = "repeated_target"
    __table_args__ = (Index("ix_repeated_target_batch_id", "batch_id"),)

    target_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), primary_key=True)


class Observation(Base):
    """The current value of a measure for an area, period and optional breakdown."""

    __tablename__ = "observation"
    __table_args__ = (
        # The only index: it also serves every read by measure, or by measure and area (its leading
        # columns); reads by area alone name the measures stored (db.queries.observations), so they use
        # it too. Each further index cost time on every one of a big return's inserts.
        UniqueConstraint(*OBSERVATION_KEY, name="uq_observation_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(64))
    area_code: Mapped[str] = mapped_column(String(16))
    period_type: Mapped[str] = mapped_column(String(8))  # month, quarter, year
    period_end: Mapped[date] = mapped_column(Date)
    dimension: Mapped[str] = mapped_column(String(64), default=NO_BREAKDOWN)
    category: Mapped[str] = mapped_column(String(128), default=NO_BREAKDOWN)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    numerator: Mapped[float | None] = mapped_column(Float, nullable=True)
    denominator: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(8))  # value, or a published symbol: c, low, k, u, x, z, :, ..
    origin: Mapped[str] = mapped_column(String(16), default=LOCAL, server_default=LOCAL)  # local or published
    # No index on batch_id: nothing reads observations by batch often enough to pay for one on every
    # insert (batches are never deleted; an undo can afford one scan).
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))


class ObservationHistory(Base):
    """A value as it was before a later batch replaced it."""

    __tablename__ = "observation_history"
    __table_args__ = (Index("ix_history_key", "measure_code", "area_code", "period_end"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    observation_id: Mapped[int] = mapped_column(Integer, index=True)
    measure_code: Mapped[str] = mapped_column(String(64))
    area_code: Mapped[str] = mapped_column(String(16))
    period_type: Mapped[str] = mapped_column(String(8))
    period_end: Mapped[date] = mapped_column(Date)
    dimension: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(128))
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    numerator: Mapped[float | None] = mapped_column(Float, nullable=True)
    denominator: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(8))
    origin: Mapped[str] = mapped_column(String(16), default=LOCAL, server_default=LOCAL)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"))
    replaced_by_batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)


class Target(Base):
    """A target for a measure and area over a range of periods; replaced targets are kept."""

    __tablename__ = "target"
    __table_args__ = (Index("ix_target_measure_area", "measure_code", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(64))
    area_code: Mapped[str] = mapped_column(String(16))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    tolerance: Mapped[float | None] = mapped_column(Float, nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)
    replaced_by_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)
    set_by: Mapped[str] = mapped_column(String(128), default="")
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Commentary(Base):
    """What a head of service wrote about a measure for a period, one row per version.

    An edit adds a row and sets ``replaced_by_id`` on the one it replaces, so every earlier version, with
    its author and time, stays readable; the current version is the one nothing replaced.
    """

    __tablename__ = "commentary"
    __table_args__ = (Index("ix_commentary_measure_area", "measure_code", "area_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(64))
    area_code: Mapped[str] = mapped_column(String(16))
    period_end: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(128))
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # No foreign keys: both are added in place by migration 0004, which SQLite cannot do with one.
    replaced_by_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the version that replaced it
    batch_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the return it was loaded from, if any
    # the undo that withdrew it (a version loaded from a return whose batch was undone); it stays readable
    withdrawn_by_batch_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class AccessGrant(Base):
    """One person's right to one council's own figures (viewer or editor), or to every member council's
    (regional: read all, change none, ``council_code`` ''). Managed by ``python -m access``."""

    __tablename__ = "access_grant"
    __table_args__ = (UniqueConstraint("login", "council_code", name="uq_access_grant"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(255))  # an e-mail address or login, lower case
    council_code: Mapped[str] = mapped_column(String(16), default="", server_default="")
    role: Mapped[str] = mapped_column(String(16))  # viewer, editor or regional
    granted_by: Mapped[str] = mapped_column(String(128), default="", server_default="")
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NeighbourRelease(Base):
    """One release of DfE's statistical neighbour groupings, as loaded from one file.

    Older releases stay: a trend may be compared with the grouping in force each year. A release
    corrected under the same date is kept too, marked replaced by the batch that corrected it.
    """

    __tablename__ = "neighbour_release"
    __table_args__ = (Index("ix_neighbour_release_released", "released"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    released: Mapped[date] = mapped_column(Date)  # the first day of the month DfE named the release
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    dated_by: Mapped[str] = mapped_column(String(64))  # where the date came from: file name, workbook title...
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)
    replaced_by_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), nullable=True)


class StatisticalNeighbour(Base):
    """One council's neighbour of a given rank (1 closest) in one release, by DfE numbers."""

    __tablename__ = "statistical_neighbour"
    __table_args__ = (UniqueConstraint("release_id", "dfe_number", "rank", name="uq_statistical_neighbour"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("neighbour_release.id"), index=True)
    dfe_number: Mapped[str] = mapped_column(String(8))
    council_name: Mapped[str] = mapped_column(String(128))  # as the file names it
    rank: Mapped[int] = mapped_column(Integer)
    neighbour_dfe_number: Mapped[str] = mapped_column(String(8))
    closeness: Mapped[str] = mapped_column(String(32), default="")


class AreaList(Base):
    """One load of DfE's list of areas (LAIT's la_code_list): the latest one overlays the shipped areas."""

    __tablename__ = "area_list"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), index=True)


class ListedArea(Base):
    """A council as an area list gives it: DfE number, name, region and type, exactly as written."""

    __tablename__ = "listed_area"
    __table_args__ = (UniqueConstraint("area_list_id", "dfe_number", name="uq_listed_area"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_list_id: Mapped[int] = mapped_column(ForeignKey("area_list.id"), index=True)
    dfe_number: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(128))
    region_name: Mapped[str] = mapped_column(String(128))
    la_type: Mapped[str] = mapped_column(String(8))


class BatchRuleProblems(Base):
    """How many problems one of DfE's validation rules found in a 903 set a batch loaded, by collection year.

    Only the count is kept: each problem names a child, so the list is shown to editors and never stored.
    """

    __tablename__ = "batch_rule_problems"

    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), primary_key=True)
    rule: Mapped[str] = mapped_column(String(16), primary_key=True)  # DfE's rule code, "103"
    collection_year: Mapped[int] = mapped_column(Integer, primary_key=True)  # the year ending 31 March; 0 for the set
    problems: Mapped[int] = mapped_column(Integer)


class FigureProblemChildren(Base):
    """For a figure a 903 batch computed, how many of the children it counts have a problem that touches it.

    Kept per batch, so after an undo the figure put back finds its own count by its own batch; never a child.
    """

    __tablename__ = "figure_problem_children"

    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), primary_key=True)
    measure_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    area_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    period_type: Mapped[str] = mapped_column(String(8), primary_key=True)
    period_end: Mapped[date] = mapped_column(Date, primary_key=True)
    children: Mapped[int] = mapped_column(Integer)  # the children the figure counts (its cohort)
    with_problems: Mapped[int] = mapped_column(Integer)  # of them, those with a problem that touches it

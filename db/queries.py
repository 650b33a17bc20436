"""Every read the app makes, as functions returning tidy pandas frames. Bound parameters only."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, exists, func, or_, select

from db.commentary_writes import is_current
from db.models import NO_BREAKDOWN, ORIGINS, PUBLISHED, Commentary, ImportBatch, Observation, ObservationHistory, Target

OBSERVATION_FRAME_COLUMNS = [
    "measure_code", "area_code", "period_type", "period_end", "dimension", "category",
    "value", "numerator", "denominator", "status", "batch_id", "origin",
]


def _frame(engine: Engine, query, columns: list[str]) -> pd.DataFrame:
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("period_end", "period_start"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    for column in ("value", "numerator", "denominator"):
        if column in frame:
            frame[column] = frame[column].astype("float64")
    return frame


def _stored_measures():
    """``measure_code IN (every stored measure)``: true of every row, but it lets a read by area alone use
    the unique index (measure, area, ...), the observation table's only index."""
    stored = Observation.__table__.alias("stored")
    return Observation.__table__.c.measure_code.in_(select(stored.c.measure_code).distinct())


def data_version(engine: Engine) -> int:
    """Changes whenever a batch is written: cached reads use it as part of their key."""
    with engine.connect() as connection:
        return connection.execute(select(func.coalesce(func.max(ImportBatch.id), 0))).scalar_one()


def observations(
    engine: Engine,
    measures: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
    breakdowns: bool = False,
    dimension: str | None = None,
    start: date | None = None,
    end: date | None = None,
    origin: str | None = None,
    own_areas: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Current observations, headline figures only unless ``breakdowns`` or a ``dimension`` is asked for.

    value is NaN where the status is a symbol (suppressed, not available...): never zero. ``origin``
    ("local" or "published") keeps only a council's own or only DfE's published figures; without it
    both come, and a key may then have two rows, told apart by the ``origin`` column (ordered local
    before published for the same period). ``own_areas``, when given, are the councils whose own figures
    the reader may see: every other area's figures come as DfE published them, or not at all.
    """
    if origin is not None and origin not in ORIGINS:
        raise ValueError(f"origin {origin!r} is not one of {', '.join(ORIGINS)}")
    t = Observation.__table__
    query = select(*[t.c[c] for c in OBSERVATION_FRAME_COLUMNS])
    if measures is not None:
        query = query.where(t.c.measure_code.in_(list(measures)))
    if areas is not None:
        query = query.where(t.c.area_code.in_(list(areas)))
        if measures is None:
            query = query.where(_stored_measures())
    if dimension is not None:
        query = query.where(t.c.dimension == dimension)
    elif not breakdowns:
        query = query.where(t.c.dimension == NO_BREAKDOWN)
    if start is not None:
        query = query.where(t.c.period_end >= start)
    if end is not None:
        query = query.where(t.c.period_end <= end)
    if origin is not None:
        query = query.where(t.c.origin == origin)
    if own_areas is not None:
        query = query.where(or_(t.c.origin == PUBLISHED, t.c.area_code.in_(list(own_areas))))
    query = query.order_by(t.c.measure_code, t.c.area_code, t.c.period_end, t.c.origin)
    return _frame(engine, query, OBSERVATION_FRAME_COLUMNS)


def targets(engine: Engine, measures: Iterable[str] | None = None, areas: Iterable[str] | None = None) -> pd.DataFrame:
    """Current targets: measure_code, area_code, period_start, period_end, value, tolerance."""
    t = Target.__table__
    columns = ["measure_code", "area_code", "period_start", "period_end", "value", "tolerance", "batch_id"]
    query = select(*[t.c[c] for c in columns]).where(t.c.replaced_by_batch_id.is_(None))
    if measures is not None:
        query = query.where(t.c.measure_code.in_(list(measures)))
    if areas is not None:
        query = query.where(t.c.area_code.in_(list(areas)))
    return _frame(engine, query.order_by(t.c.measure_code, t.c.period_start), columns)


def batches(engine: Engine, councils: Iterable[str] | None = None) -> pd.DataFrame:
    """Import history, newest first: every batch, or with ``councils`` those councils' batches and DfE's
    (a batch of no council: published tables and reference lists, everyone's)."""
    t = ImportBatch.__table__
    columns = ["id", "file_name", "sha256", "source", "sheets", "rows", "inserted", "replaced", "unchanged",
               "imported_by", "imported_at", "result", "note", "council_code"]
    query = select(*[t.c[c] for c in columns]).order_by(t.c.id.desc())
    if councils is not None:
        query = query.where(or_(t.c.council_code == "", t.c.council_code.in_(list(councils))))
    frame = _frame(engine, query, columns)
    frame["sheets"] = frame["sheets"].map(lambda s: ", ".join(json.loads(s)) if s else "")
    c = Commentary.__table__
    with engine.connect() as connection:
        loaded = dict(connection.execute(select(c.c.batch_id, func.count()).where(c.c.batch_id.is_not(None))
                                         .group_by(c.c.batch_id)).all())
    frame["commentary"] = [int(loaded.get(int(b), 0)) for b in frame["id"]]  # commentaries the batch loaded
    return frame


def history(engine: Engine, measure: str, area: str, own_areas: Iterable[str] | None = None) -> pd.DataFrame:
    """Values that later batches replaced, for one measure and area (DfE's only, unless ``own_areas``
    is None or includes the area)."""
    t = ObservationHistory.__table__
    columns = ["period_type", "period_end", "dimension", "category", "value", "numerator", "denominator",
               "status", "batch_id", "replaced_by_batch_id", "origin"]
    query = select(*[t.c[c] for c in columns]).where(t.c.measure_code == measure, t.c.area_code == area)
    if own_areas is not None and area not in set(own_areas):
        query = query.where(t.c.origin == PUBLISHED)
    return _frame(engine, query.order_by(t.c.period_end, t.c.id), columns)


def coverage(engine: Engine) -> pd.DataFrame:
    """Per measure and area: how many headline values, first and last period end."""
    t = Observation.__table__
    query = (
        select(t.c.measure_code, t.c.area_code, func.count(), func.min(t.c.period_end), func.max(t.c.period_end))
        .where(t.c.dimension == NO_BREAKDOWN)
        .group_by(t.c.measure_code, t.c.area_code)
    )
    return _frame(engine, query, ["measure_code", "area_code", "values", "first", "last"]).assign(
        first=lambda f: pd.to_datetime(f["first"]), last=lambda f: pd.to_datetime(f["last"])
    )


def own_data_areas(engine: Engine, period_types: Iterable[str] = ("month", "quarter")) -> list[str]:
    """Areas with in-year figures of their own (monthly or quarterly), i.e. councils using the dashboard."""
    t = Observation.__table__
    query = select(t.c.area_code).where(t.c.period_type.in_(list(period_types))).distinct()
    with engine.connect() as connection:
        return sorted(connection.execute(query).scalars())


def commentary(engine: Engine, measure: str, area: str) -> pd.DataFrame:
    """Every version of the commentary on a measure for an area, newest period first and, within a
    period, newest version first; ``current`` is true of the version nothing replaced and no undo withdrew.
    ``batch_id`` names the return a version was loaded from (missing when written in the app)."""
    t = Commentary.__table__
    columns = ["id", "period_end", "text", "author", "written_at", "replaced_by_id", "batch_id",
               "withdrawn_by_batch_id"]
    query = select(*[t.c[c] for c in columns]).where(t.c.measure_code == measure, t.c.area_code == area)
    frame = _frame(engine, query.order_by(t.c.period_end.desc(), t.c.id.desc()), columns)
    frame["current"] = frame["replaced_by_id"].isna() & frame["withdrawn_by_batch_id"].isna()
    return frame


@dataclass(frozen=True)
class CommentaryNote:
    """The current commentary on one measure's figure for an area and period, for pages, charts and packs."""

    measure_code: str
    area_code: str
    period_end: date
    text: str
    author: str
    written_at: datetime
    figure_withdrawn: bool = False  # the council's figure for the period is gone (its return was undone)


def latest_in_view(notes: Iterable[CommentaryNote], start: date, end: date) -> dict[str, CommentaryNote]:
    """measure code -> its commentary on the latest period from ``start`` to ``end`` that has one."""
    latest: dict[str, CommentaryNote] = {}
    for note in sorted((n for n in notes if start <= n.period_end <= end), key=lambda n: n.period_end):
        latest[note.measure_code] = note
    return latest


def current_commentary(engine: Engine, measures: Iterable[str] | None = None,
                       areas: Iterable[str] | None = None) -> list[CommentaryNote]:
    """The current version of every commentary (for the measures and areas given), by measure and period."""
    t, obs = Commentary.__table__, Observation.__table__
    has_figure = exists().where(obs.c.measure_code == t.c.measure_code, obs.c.area_code == t.c.area_code,
                                obs.c.period_end == t.c.period_end)
    query = select(t.c.measure_code, t.c.area_code, t.c.period_end, t.c.text, t.c.author, t.c.written_at,
                   has_figure.label("has_figure")).where(*is_current())
    if measures is not None:
        query = query.where(t.c.measure_code.in_(list(measures)))
    if areas is not None:
        query = query.where(t.c.area_code.in_(list(areas)))
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(t.c.measure_code, t.c.area_code, t.c.period_end, t.c.id)).all()
    notes: dict[tuple, CommentaryNote] = {}
    for r in rows:  # should two current versions exist, the latest written wins
        period = pd.Timestamp(r.period_end).date()
        notes[(r.measure_code, r.area_code, period)] = CommentaryNote(
            r.measure_code, r.area_code, period, r.text, r.author, pd.Timestamp(r.written_at).to_pydatetime(),
            figure_withdrawn=not r.has_figure)
    return list(notes.values())


def commentary_version(engine: Engine) -> tuple[int, int]:
    """Changes whenever a commentary is written or an undo withdraws one, for caches of commentary."""
    t = Commentary.__table__
    with engine.connect() as connection:
        highest, withdrawn = connection.execute(select(func.coalesce(func.max(t.c.id), 0),
                                                       func.count(t.c.withdrawn_by_batch_id))).one()
    return int(highest), int(withdrawn)


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Observation)).scalar_one() == 0


def period_range(engine: Engine, areas: Iterable[str] | None = None,
                 own_areas: Iterable[str] | None = None) -> tuple[date | None, date | None]:
    """First and last period end of any headline figure (for the areas given; another council's own figures
    count only when ``own_areas`` is None or includes it); (None, None) when there is none."""
    t = Observation.__table__
    query = select(func.min(t.c.period_end), func.max(t.c.period_end)).where(t.c.dimension == NO_BREAKDOWN)
    if areas is not None:
        query = query.where(t.c.area_code.in_(list(areas)), _stored_measures())
    if own_areas is not None:
        query = query.where(or_(t.c.origin == PUBLISHED, t.c.area_code.in_(list(own_areas))))
    with engine.connect() as connection:
        first, last = connection.execute(query).one()
    return (pd.Timestamp(first).date() if first is not None else None,
            pd.Timestamp(last).date() if last is not None else None)

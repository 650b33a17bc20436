"""Writing a checked batch of observations and targets in one transaction.

Loaders hand over tidy frames that have already passed validation; this module decides what is new,
what replaces an earlier value (keeping the old one in history) and what is unchanged. A batch that
changes nothing writes nothing, so importing the same file twice leaves the database as it was.

A figure is compared only with figures of the same origin: a council's own figure never replaces
DfE's published one, nor the other way round.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import chain

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Float, bindparam, insert, literal_column, null, select, text, update
from sqlalchemy.exc import DBAPIError

from db.commentary_writes import CommentaryChange, commentary_changes, commentary_untouched, write_loaded_commentary
from db.locks import ImportBusy, write_transaction
from db.models import (
    LOCAL,
    PUBLISHED,
    PUBLISHED_SOURCE,
    SSDA903,
    BatchCoverage,
    BatchFile,
    BatchRuleProblems,
    FigureProblemChildren,
    ImportBatch,
    Observation,
    ObservationHistory,
    RepeatedTarget,
    RepeatedValue,
    Target,
)

__all__ = ["ImportBusy", "BatchInfo", "FileInBatch", "BatchOutcome", "LoadedBefore", "apply_batch", "origin_of", "unchanged_since"]

KEY = ["measure_code", "area_code", "period_type", "period_end", "dimension", "category"]
FIELDS = ["value", "numerator", "denominator", "status"]
OBSERVATION_COLUMNS = KEY + FIELDS
TARGET_COLUMNS = ["measure_code", "area_code", "period_start", "period_end", "value"]


@dataclass(frozen=True)
class FileInBatch:
    """One file of a set loaded as one batch, as the history names it."""

    file_name: str
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class RuleProblems:
    """How many problems one of DfE's 903 rules found in a collection year (0 for the whole set)."""

    rule: str
    collection_year: int
    problems: int


@dataclass(frozen=True)
class FigureChildren:
    """Of the children a computed figure counts, how many have a problem that touches it."""

    measure_code: str
    area_code: str
    period_type: str
    period_end: date
    children: int
    with_problems: int


@dataclass(frozen=True)
class BatchInfo:
    """What is known about a file before it is written."""

    file_name: str
    sha256: str
    source: str
    sheets: list[str]
    imported_by: str
    note: str = ""
    reader_version: str = ""  # the reading code's version (loaders.unchanged.reader_version); "" for no shortcut
    default_area: str = ""  # the area rows without one were filed under
    files: tuple[FileInBatch, ...] = ()  # the files of a set loaded as one batch; () for one file
    rule_problems: tuple[RuleProblems, ...] = ()  # a 903 set's problems counted by DfE rule
    figure_children: tuple[FigureChildren, ...] = ()  # a 903 set's figures' children with a problem
    council_code: str = ""  # the council the batch belongs to; "" to take it from its rows (batch_council)


@dataclass
class BatchOutcome:
    batch_id: int | None
    rows: int
    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0
    targets_set: int = 0
    commentary_set: int = 0  # commentaries loaded from the return's commentary column, new or changed
    replaced_rows: list[dict] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.batch_id is not None


def _clean(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [
        {c: _clean(v) for c, v in zip(columns, row, strict=False)}
        for row in frame[columns].itertuples(index=False, name=None)
    ]


_PLAIN_TYPES = {str, float, int, date, type(None)}


_PLAIN_INFERRED = {"string", "date", "empty"}  # pandas' word for a column of only those (not "integer": numpy ints)


def _column_values(frame: pd.DataFrame, column: str, order: np.ndarray | None = None) -> list:
    """A column as plain Python values (None for NaN/NaT/NA, dates for timestamps), fast for big frames;
    with ``order``, its rows in that order."""
    series = frame[column]
    plain = True
    if series.dtype == np.float64:  # figures: Python floats, None for NaN
        numbers = series.to_numpy()
        array = numbers.astype(object)
        array[np.isnan(numbers)] = None
    elif series.dtype == object and pd.api.types.infer_dtype(series, skipna=False) in _PLAIN_INFERRED:
        array = series.to_numpy()  # only text, dates or whole numbers: no NaN or NA to turn into None
    else:
        array = series.to_numpy(dtype=object, na_value=None)
        plain = False
    values = (array if order is None else array[order]).tolist()
    if plain or set(map(type, values)) <= _PLAIN_TYPES:
        return values
    return [_clean(v) for v in values]


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)
    return a == b


def _same_numbers(old: list, new: list) -> np.ndarray:
    """Element-wise _same for numbers, None meaning missing."""
    a = np.array(old, dtype=np.float64)
    b = np.array(new, dtype=np.float64)
    return (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=1e-12, atol=1e-12)


_EXISTING_COLUMNS = ["id", *OBSERVATION_COLUMNS, "batch_id"]
_EXISTING_SQL = (
    "SELECT " + ", ".join(_EXISTING_COLUMNS) + " FROM observation "
    "WHERE origin = :origin AND measure_code IN :measures AND area_code IN :areas"
)
_AREAS_PER_QUERY = 500


def _existing(connection, origin: str, measures: list[str], areas: list[str]) -> list[tuple]:
    """Current observations of this origin that share measure and area with the batch, as tuples of
    _EXISTING_COLUMNS, read raw (no per-row type conversion: dates stay as the driver gives them)."""
    query = text(_EXISTING_SQL).bindparams(
        bindparam("measures", expanding=True), bindparam("areas", expanding=True)
    )
    out: list[tuple] = []
    measures, areas = sorted(set(measures)), sorted(set(areas))
    for start in range(0, len(areas), _AREAS_PER_QUERY):
        chunk = areas[start : start + _AREAS_PER_QUERY]
        out.extend(connection.execute(query, {"origin": origin, "measures": measures, "areas": chunk}).all())
    return out


def _key_of(row) -> tuple:
    """A comparable key whatever form the date takes (a date object, or SQLite's 'YYYY-MM-DD' text)."""
    measure, area, period_type, period_end, dimension, category = row
    return measure, area, period_type, str(period_end), dimension, category


def _keys(columns: dict[str, list]) -> list[tuple]:
    """_key_of for every incoming row, converting each distinct date to text once."""
    as_text = {d: str(d) for d in set(columns["period_end"])}
    ends = [as_text[d] for d in columns["period_end"]]
    return list(zip(columns["measure_code"], columns["area_code"], columns["period_type"], ends,
                    columns["dimension"], columns["category"], strict=True))


def origin_of(source: str) -> str:
    """DfE's tables are published figures; figures computed from a 903 are the council's own, kept apart from
    those of its returns; a council's return or the sample council's files are its own."""
    if source == SSDA903:
        return SSDA903
    return PUBLISHED if source == PUBLISHED_SOURCE else LOCAL


_FLOATS = {float, type(None)}
_INLINED_TYPES = (str, int, date, type(None))  # never floats: a figure is always a bound parameter
_INLINED_TEXT_LIMIT = 200


def batch_council(origin: str, areas: list, targets: pd.DataFrame | None, commentary: pd.DataFrame | None,
                  default_area: str = "") -> str:
    """The council a batch belongs to: '' for DfE's published figures (everyone's); else the one council its
    figures, targets and commentary are for, or the area rows without one were filed under."""
    if origin == PUBLISHED:
        return ""
    found = set(areas)
    for frame in (targets, commentary):
        if frame is not None and not frame.empty:
            found.update(frame["area_code"])
    return next(iter(found)) if len(found) == 1 else default_area


def _inlinable(value) -> bool:
    """A value the same in every row that can be written into the statement itself, exactly."""
    if isinstance(value, bool) or not isinstance(value, _INLINED_TYPES):
        return False
    return not isinstance(value, str) or (len(value) <= _INLINED_TEXT_LIMIT and value.isprintable())


def _literal(table, column: str, value, dialect):
    """``value`` as the dialect writes it in SQL (quotes doubled), through the column's own type."""
    if value is None:
        return null()
    render = table.c[column].type.dialect_impl(dialect).literal_processor(dialect)
    return literal_column(render(value), type_=table.c[column].type)


def _insert_many(connection, table, rows: dict[str, list]) -> None:
    """INSERT many rows with the statement compiled once and each value converted by its column type.

    Equivalent to ``connection.execute(insert(table), list_of_dicts)`` (bound parameters, the
    dialect's own conversions), without building a dict and parameter set per row, which is what
    makes that slow for hundreds of thousands of rows. A column holding one and the same code, text,
    date or NULL in every row (the origin, the batch, a headline figure's empty breakdown) is written
    once into the statement as a literal instead of being bound again for each row: binding is a
    third of the cost of the insert. Figures (floats) are always bound. On SQLite the rows go in
    blocks of many rows a statement (``_insert_in_blocks``).
    """
    dialect = connection.dialect
    varying: dict[str, list] = {}
    constant: dict[str, object] = {}
    for column, values in rows.items():
        distinct = set(values)
        if len(distinct) == 1 and len(values) > 1 and _inlinable(value := next(iter(distinct))):
            constant[column] = value
        else:
            varying[column] = values
    if not varying:  # keep one bound column so the statement takes many parameter sets
        column = next(iter(constant))
        varying[column] = rows[column]
        del constant[column]
    statement = insert(table).values({c: _literal(table, c, v, dialect) for c, v in constant.items()})
    columns = list(varying)
    compiled = statement.compile(dialect=dialect, column_keys=columns)
    converted: dict[str, list] = {}
    for column in columns:
        processor = table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        values = varying[column]
        if processor is not None and isinstance(table.c[column].type, Float) and set(map(type, values)) <= _FLOATS:
            processor = None  # already floats: the conversion would hand back the same numbers
        if processor is not None:
            cache = {v: processor(v) for v in set(values)}
            values = [cache[v] for v in values]
        converted[column] = values
    if compiled.positional:  # SQLite
        literals = {c: _literal(table, c, v, dialect) for c, v in constant.items()}
        _insert_in_blocks(connection, table, literals, list(compiled.positiontup), converted, compiled.string)
    else:
        params = [dict(zip(columns, row, strict=True)) for row in zip(*converted.values(), strict=True)]
        connection.exec_driver_sql(compiled.string, params)


_MOST_PARAMETERS = 999  # the fewest parameters a SQLite statement may take (its limit before 3.32)


def _block_statement(table, literals: dict, order: list[str], count: int, dialect) -> str | None:
    """One INSERT of ``count`` rows in a single VALUES list, taking each row's parameters in ``order``;
    None if the dialect would not take them row after row in that order."""
    rows = [{**literals, **{c: bindparam(f"{c}__{i}", type_=table.c[c].type) for c in order}} for i in range(count)]
    compiled = insert(table).values(rows).compile(dialect=dialect)
    expected = [f"{c}__{i}" for i in range(count) for c in order]
    return compiled.string if compiled.positional and list(compiled.positiontup) == expected else None


def _insert_in_blocks(connection, table, literals: dict, order: list[str], converted: dict[str, list],
                      one_row: str) -> None:
    """The rows as INSERTs of many rows each, on the DBAPI connection of this same transaction.

    SQLite runs an INSERT of 150 rows in one VALUES list in about half the time of 150 single-row
    INSERTs, the same rows going into the same table and indexes.
    """
    count = len(converted[order[0]])
    per = max(1, min(count, _MOST_PARAMETERS // len(order)))
    flat = list(chain.from_iterable(zip(*(converted[name] for name in order), strict=True)))
    width = per * len(order)
    whole = count // per * per
    block = _block_statement(table, literals, order, per, connection.dialect) if per > 1 else None
    cursor = connection.connection.cursor()
    dbapi_error = connection.dialect.loaded_dbapi.Error
    statement = one_row
    try:
        if block is None:
            cursor.executemany(one_row, zip(*(converted[name] for name in order), strict=True))
            return
        statement = block
        cursor.executemany(block, (flat[i:i + width] for i in range(0, whole * len(order), width)))
        if whole < count:
            statement = _block_statement(table, literals, order, count - whole, connection.dialect) or one_row
            if statement is one_row:
                cursor.executemany(one_row, zip(*(converted[name][whole:] for name in order), strict=True))
            else:
                cursor.execute(statement, flat[whole * len(order):])
    except dbapi_error as error:  # as SQLAlchemy would have raised it
        raise DBAPIError.instance(statement, None, error, dbapi_error, dialect=connection.dialect) from error
    finally:
        cursor.close()


@dataclass
class _TargetChanges:
    """What a file's targets do to the targets in force."""

    new: list[dict] = field(default_factory=list)  # new or changed, to insert
    replaced: list[int] = field(default_factory=list)  # ids of current targets they take over from
    remainders: list[dict] = field(default_factory=list)  # what is left of those outside the file's periods
    repeated: list[int] = field(default_factory=list)  # ids of current targets the file gives again unchanged


def _target_changes(connection, targets: pd.DataFrame | None) -> _TargetChanges:
    """The file's targets that are new or changed, the current targets they replace, what is left of
    those outside the file's periods, and the current targets the file gives again unchanged.

    A later file's target wins over its own period: a current target for the same measure and area whose
    range overlaps it (set on the Targets page, or by an earlier file) is replaced, and the part of its
    range outside the new one is set again with its own value and tolerance. So no figure is ever judged
    against two targets, and no figure outside the file's periods loses its target. The replaced target
    stays in the history; an undo withdraws what the batch set and brings it back. The same range with
    the same value is unchanged, and recorded as repeated so that undoing the batch that set it waits.
    """
    changes = _TargetChanges()
    if targets is None or not len(targets):
        return changes
    table = Target.__table__
    new, replaced, remainders = changes.new, changes.replaced, changes.remainders
    current: dict[tuple[str, str], list] = {}
    for r in connection.execute(select(table).where(table.c.replaced_by_batch_id.is_(None))):
        current.setdefault((r.measure_code, r.area_code), []).append(r)
    for record in _records(targets, TARGET_COLUMNS):
        start, end = _as_date(record["period_start"]), _as_date(record["period_end"])
        overlapping = [old for old in current.get((record["measure_code"], record["area_code"]), [])
                       if old.id not in replaced and _as_date(old.period_start) <= end
                       and start <= _as_date(old.period_end)]
        if len(overlapping) == 1 and (_as_date(overlapping[0].period_start), _as_date(overlapping[0].period_end)) == (
                start, end) and _same(overlapping[0].value, record["value"]):
            changes.repeated.append(overlapping[0].id)
            continue
        for old in overlapping:
            replaced.append(old.id)
            old_start, old_end = _as_date(old.period_start), _as_date(old.period_end)
            kept = [(old_start, start - timedelta(days=1))] if old_start < start else []
            kept += [(end + timedelta(days=1), old_end)] if old_end > end else []
            remainders += [{"measure_code": old.measure_code, "area_code": old.area_code, "period_start": a,
                            "period_end": b, "value": old.value, "tolerance": old.tolerance} for a, b in kept]
        new.append(record)
    return changes


def _coverage(origin: str, observations: dict[str, list], *others: pd.DataFrame | None) -> list[dict]:
    """Each (measure, area) the file gives a figure, target or commentary for, with the batch's origin."""
    pairs = set(zip(observations["measure_code"], observations["area_code"], strict=True))
    for frame in others:
        if frame is not None and len(frame):
            pairs |= set(zip(_column_values(frame, "measure_code"), _column_values(frame, "area_code"), strict=True))
    return [{"measure_code": m, "area_code": a, "origin": origin} for m, a in sorted(pairs)]


def _key_order(frame: pd.DataFrame) -> np.ndarray | None:
    """The row order that sorts the frame by the unique key, so each insert lands next to the one
    before it in the index; None when the rows are in that order already.

    Inserting in key order is several times faster than in the order a wide return is read (a
    measure's rows in the catalogue's order, not the index's). A key column with one value throughout
    (a headline figure's empty breakdown) takes no part.
    """
    if len(frame) < 2:
        return None
    codes, span = [], 1
    for column in KEY:
        values = frame[column].to_numpy(dtype=object)
        if (values == values[0]).all():
            continue
        found, uniques = pd.factorize(values, sort=True)
        codes.append((found, len(uniques)))
        span *= len(uniques)
    if not codes:
        return None
    if span < 2**62:  # the key as one number: a stable sort of it uses the runs a return is already in
        combined = np.zeros(len(frame), dtype=np.int64)
        for found, count in codes:
            combined = combined * count + found
        order = np.argsort(combined, kind="stable")
    else:
        order = np.lexsort([found for found, _ in reversed(codes)])  # the last array is the primary key
    return None if (order[1:] > order[:-1]).all() else order


@dataclass
class _Difference:
    """How incoming rows compare with the stored ones: positions into ``existing`` (-1 for new rows),
    the matched row indexes, the new row indexes and, per matched row, whether it is the same."""

    existing: list[tuple]
    position: np.ndarray
    matched: np.ndarray
    new_index: np.ndarray
    same: np.ndarray


def _difference(connection, origin: str, incoming: dict[str, list], count: int) -> _Difference:
    """The one comparison of a batch with the database, shared by the write and the preview."""
    existing = _existing(connection, origin, incoming["measure_code"], incoming["area_code"]) if count else []
    if existing:
        where = {_key_of(row[1:7]): i for i, row in enumerate(existing)}
        position = np.array([where.get(key, -1) for key in _keys(incoming)], dtype=np.int64)
    else:  # nothing stored for these measures and areas yet: every row is new
        position = np.full(count, -1, dtype=np.int64)
    matched = np.flatnonzero(position >= 0)
    new_index = np.flatnonzero(position < 0)
    same = np.ones(matched.size, dtype=bool)
    if matched.size:
        old_rows = [existing[p] for p in position[matched]]
        for offset, column in enumerate(FIELDS, start=1 + len(KEY)):
            old = [row[offset] for row in old_rows]
            new = [incoming[column][i] for i in matched]
            if column == "status":
                same &= np.array([a == b for a, b in zip(old, new, strict=True)], dtype=bool)
            else:
                same &= _same_numbers(old, new)
    return _Difference(existing, position, matched, new_index, same)


@dataclass(frozen=True)
class ReplacedValue:
    """A stored figure a batch would replace: the key, then the old and new fields."""

    measure_code: str
    area_code: str
    period_type: str
    period_end: date
    dimension: str
    category: str
    old_value: float | None
    old_status: str
    new_value: float | None
    new_status: str
    old_batch_id: int


@dataclass
class Comparison:
    """What writing a batch would do, worked out without writing anything."""

    rows: int
    new: int
    unchanged: int
    replaced: list[ReplacedValue]
    targets_new: int
    commentary: list[CommentaryChange] = field(default_factory=list)  # new or changed, with the text replaced
    targets_replaced: int = 0  # targets in force whose period the file's targets take over (kept in the history)


def compare_batch(engine: Engine, source: str, observations: pd.DataFrame,
                  targets: pd.DataFrame | None = None, commentary: pd.DataFrame | None = None) -> Comparison:
    """What ``apply_batch`` would do with these frames, by the same comparison, in a read-only query."""
    origin = origin_of(source)
    incoming = {c: _column_values(observations, c) for c in OBSERVATION_COLUMNS}
    with engine.connect() as connection:
        diff = _difference(connection, origin, incoming, len(observations))
        target_changes = _target_changes(connection, targets)
        notes = commentary_changes(connection, commentary)
    replaced = []
    for p, i, same in zip(diff.position[diff.matched], diff.matched, diff.same, strict=True):
        if same:
            continue
        old = dict(zip(_EXISTING_COLUMNS, diff.existing[p], strict=True))
        replaced.append(ReplacedValue(
            incoming["measure_code"][i], incoming["area_code"][i], incoming["period_type"][i],
            _as_date(incoming["period_end"][i]), incoming["dimension"][i], incoming["category"][i],
            old["value"], old["status"], incoming["value"][i], incoming["status"][i], int(old["batch_id"]),
        ))
    return Comparison(len(observations), int(diff.new_index.size), int(diff.same.sum()), replaced,
                      len(target_changes.new), notes, len(target_changes.replaced))


def apply_batch(
    engine: Engine,
    info: BatchInfo,
    observations: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    commentary: pd.DataFrame | None = None,
) -> BatchOutcome:
    """Write a validated batch atomically; returns what changed.

    ``observations`` needs the columns in OBSERVATION_COLUMNS (period_end a date, dimension and
    category '' for a headline figure, value NaN when status is a symbol); ``targets`` the columns in
    TARGET_COLUMNS; ``commentary`` the columns in COMMENTARY_COLUMNS (a return's commentary column, each
    new or changed text a new version loaded by the batch). Every figure gets the origin of the batch's source (``origin_of``) and is compared
    only with figures of that origin. Either the whole batch is written or, on any error, nothing is.

    The current values are read and the difference written inside one transaction holding the
    database's write lock, so concurrent imports take turns and each sees the one before it.
    Raises ImportBusy when another import holds the lock for longer than the lock timeout.
    """
    with _without_cyclic_collection():
        return _apply_batch(engine, info, observations, targets, commentary)


@contextmanager
def _without_cyclic_collection() -> Iterator[None]:
    """Pause Python's cycle collector while a batch's rows are built and written.

    A big return makes hundreds of thousands of tuples and lists, none of them in a reference cycle;
    each allocation burst would otherwise set off collections that walk every object the process
    holds (the parsed frames, the reader's grids), which cost as much as the writing itself.
    Memory is still freed at once by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _apply_batch(engine: Engine, info: BatchInfo, observations: pd.DataFrame,
                 targets: pd.DataFrame | None, commentary: pd.DataFrame | None) -> BatchOutcome:
    outcome = BatchOutcome(batch_id=None, rows=len(observations))
    origin = origin_of(info.source)
    order = _key_order(observations)
    incoming = {c: _column_values(observations, c, order) for c in OBSERVATION_COLUMNS}
    with write_transaction(engine) as connection:
        diff = _difference(connection, origin, incoming, len(observations))
        existing, position, matched, new_index, same = (
            diff.existing, diff.position, diff.matched, diff.new_index, diff.same)
        changed = [(existing[position[i]], i) for i in matched[~same]]
        outcome.unchanged = int(same.sum())
        target_changes = _target_changes(connection, targets)
        new_targets, replaced_targets, kept_targets = (
            target_changes.new, target_changes.replaced, target_changes.remainders)
        notes = commentary_changes(connection, commentary)
        if not new_index.size and not changed and not new_targets and not notes:
            return outcome
        now = datetime.now(UTC)
        outcome.inserted, outcome.replaced, outcome.targets_set = int(new_index.size), len(changed), len(new_targets)
        outcome.commentary_set = len(notes)
        batch_id = connection.execute(
            insert(ImportBatch).values(
                file_name=info.file_name, sha256=info.sha256, source=info.source,
                sheets=json.dumps(info.sheets), rows=len(observations), inserted=outcome.inserted,
                replaced=outcome.replaced, unchanged=outcome.unchanged, imported_by=info.imported_by,
                imported_at=now, result="loaded", note=info.note, reader_version=info.reader_version,
                default_area=info.default_area,
                council_code=info.council_code or batch_council(origin, incoming["area_code"], targets, commentary,
                                                                info.default_area),
            )
        ).inserted_primary_key[0]
        outcome.batch_id = batch_id
        if info.files:
            connection.execute(insert(BatchFile), [
                {"batch_id": batch_id, "position": position, "file_name": f.file_name, "size_bytes": f.size_bytes,
                 "sha256": f.sha256} for position, f in enumerate(info.files)])
        _write_problem_counts(connection, info, batch_id)
        coverage = _coverage(origin, incoming, targets, commentary)
        if coverage:
            connection.execute(insert(BatchCoverage), [{**c, "batch_id": batch_id} for c in coverage])
        repeated = matched[same]
        if repeated.size:  # figures this file gives again unchanged: an undo of their batch must wait for this one
            _insert_many(connection, RepeatedValue.__table__, {
                "observation_id": [existing[position[i]][0] for i in repeated],
                "batch_id": [batch_id] * int(repeated.size)})
        if target_changes.repeated:  # targets it gives again unchanged: likewise
            connection.execute(insert(RepeatedTarget), [
                {"target_id": target_id, "batch_id": batch_id} for target_id in sorted(set(target_changes.repeated))])
        if new_index.size:
            every = new_index.size == len(observations)
            rows = {c: incoming[c] if every else [incoming[c][i] for i in new_index] for c in OBSERVATION_COLUMNS}
            rows["origin"] = [origin] * int(new_index.size)
            rows["batch_id"] = [batch_id] * int(new_index.size)
            _insert_many(connection, Observation.__table__, rows)
        if changed:
            old_records = [dict(zip(_EXISTING_COLUMNS, old, strict=True)) for old, _ in changed]
            history = {c: [old[c] for old in old_records] for c in OBSERVATION_COLUMNS}
            history["period_end"] = [_as_date(v) for v in history["period_end"]]
            history["origin"] = [origin] * len(old_records)
            history["observation_id"] = [old["id"] for old in old_records]
            history["batch_id"] = [old["batch_id"] for old in old_records]
            history["replaced_by_batch_id"] = [batch_id] * len(old_records)
            _insert_many(connection, ObservationHistory.__table__, history)
            table = Observation.__table__
            connection.execute(
                update(table).where(table.c.id == bindparam("obs_id")).values(
                    value=bindparam("new_value"), numerator=bindparam("new_numerator"),
                    denominator=bindparam("new_denominator"), status=bindparam("new_status"),
                    batch_id=bindparam("new_batch"),
                ),
                [
                    {"obs_id": old["id"], "new_value": incoming["value"][i],
                     "new_numerator": incoming["numerator"][i], "new_denominator": incoming["denominator"][i],
                     "new_status": incoming["status"][i], "new_batch": batch_id}
                    for old, (_, i) in zip(old_records, changed, strict=True)
                ],
            )
            outcome.replaced_rows = [
                {**{k: old[k] for k in OBSERVATION_COLUMNS}, "period_end": _as_date(old["period_end"])}
                for old in old_records
            ]
        if replaced_targets:
            table = Target.__table__
            connection.execute(
                update(table).where(table.c.id.in_(replaced_targets)).values(replaced_by_batch_id=batch_id)
            )
        if new_targets:
            connection.execute(
                insert(Target),
                [{"tolerance": None, **t, "batch_id": batch_id, "set_by": info.imported_by, "set_at": now}
                 for t in new_targets + kept_targets],
            )
        if notes:
            write_loaded_commentary(connection, notes, batch_id, info.imported_by, now)
    return outcome


def _write_problem_counts(connection, info: BatchInfo, batch_id: int) -> None:
    """A 903 set's problem counts, by rule and by figure, kept with the batch that loaded its figures."""
    if info.rule_problems:
        connection.execute(insert(BatchRuleProblems), [
            {"batch_id": batch_id, "rule": r.rule, "collection_year": r.collection_year, "problems": r.problems}
            for r in info.rule_problems])
    if info.figure_children:
        connection.execute(insert(FigureProblemChildren), [
            {"batch_id": batch_id, "measure_code": f.measure_code, "area_code": f.area_code,
             "period_type": f.period_type, "period_end": f.period_end, "children": f.children,
             "with_problems": f.with_problems} for f in info.figure_children])


def _as_date(value) -> date:
    """A period end read raw (SQLite gives 'YYYY-MM-DD' text) as a date."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# ---- the unchanged-file shortcut ----------------------------------------------------------------------

@dataclass(frozen=True)
class LoadedBefore:
    """The batch that last loaded the same file, whose figures are all still current."""

    batch_id: int
    rows: int


_CANDIDATE_SQL = text(
    "SELECT id, rows FROM import_batch WHERE sha256 = :sha256 AND source = :source "
    "AND reader_version = :reader_version AND default_area = :default_area AND reader_version <> '' "
    "AND undone_by_batch_id IS NULL ORDER BY id DESC LIMIT 1"
)
_TOUCHED_SINCE_SQL = text(
    "SELECT 1 FROM batch_coverage mine JOIN batch_coverage later "
    "ON later.measure_code = mine.measure_code AND later.area_code = mine.area_code "
    "AND later.origin = mine.origin AND later.batch_id > mine.batch_id "
    "WHERE mine.batch_id = :batch_id LIMIT 1"
)
_UNDONE_SINCE_SQL = text("SELECT 1 FROM import_batch WHERE undone_by_batch_id > :batch_id LIMIT 1")
# A target set, changed or removed since (on the Targets page, which covers nothing) for a measure and
# council the file covers, or a commentary written in the app since: reading the file again would put
# the file's own back.
_TARGETS_SINCE_SQL = text(
    "SELECT 1 FROM batch_coverage mine JOIN target t "
    "ON t.measure_code = mine.measure_code AND t.area_code = mine.area_code "
    "WHERE mine.batch_id = :batch_id AND mine.origin = :local "
    "AND (t.batch_id > :batch_id OR t.replaced_by_batch_id > :batch_id) LIMIT 1"
)
_COMMENTARY_SINCE_SQL = text(
    "SELECT 1 FROM batch_coverage mine JOIN commentary c "
    "ON c.measure_code = mine.measure_code AND c.area_code = mine.area_code "
    "JOIN import_batch b ON b.id = mine.batch_id "
    "WHERE mine.batch_id = :batch_id AND mine.origin = :local AND c.written_at > b.imported_at LIMIT 1"
)


def unchanged_since(
    engine: Engine, sha256: str, source: str, reader_version: str, default_area: str
) -> LoadedBefore | None:
    """The earlier load of exactly this file if importing it again could change nothing, else None.

    True only when the same bytes (sha256), read by the same version of the reading and checking code,
    with the same default area and source, were loaded by a batch that has not been undone, and since
    then no batch has covered any (measure, area, origin) that batch covered, nothing has been undone,
    and no target or commentary for a measure and council it covered was set or changed in the app. A later batch covering one of them may have replaced one of this file's figures (then the
    import must put it back), so the file is then read and compared in full. An empty
    ``reader_version`` never matches: a caller that cannot say which reader it used gets no shortcut.
    """
    if not reader_version:
        return None
    with engine.connect() as connection:
        found = connection.execute(_CANDIDATE_SQL, {
            "sha256": sha256, "source": source, "reader_version": reader_version, "default_area": default_area,
        }).first()
        if found is None:
            return None
        batch_id, rows = int(found[0]), int(found[1])
        if connection.execute(_TOUCHED_SINCE_SQL, {"batch_id": batch_id}).first() is not None:
            return None
        if connection.execute(_UNDONE_SINCE_SQL, {"batch_id": batch_id}).first() is not None:
            return None
        for edited_since in (_TARGETS_SINCE_SQL, _COMMENTARY_SINCE_SQL):
            if connection.execute(edited_since, {"batch_id": batch_id, "local": LOCAL}).first() is not None:
                return None
        if not commentary_untouched(connection, batch_id):  # a commentary it loaded was edited since
            return None
    return LoadedBefore(batch_id, rows)

"""Where a view's figures come from: the few reads every view builder needs, as plain functions.

The app passes reads backed by its caches (ui.data.reads), so a page run reads each frame once per data
version; the committee pack and the tests pass ``database_reads(engine)``, which reads straight from the
database and remembers each frame for the life of the object. The builders cannot tell the two apart.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import Engine

from db import queries
from views.scope import comparison_areas


@dataclass(frozen=True)
class Reads:
    observations: Callable[[str], pd.DataFrame]  # headline figures for a council's comparison areas
    breakdowns: Callable[[str], pd.DataFrame]  # the council's figures split by a dimension
    targets: Callable[[str], pd.DataFrame]  # the council's targets
    batches: Callable[[], pd.DataFrame]  # every import batch, newest first
    history: Callable[[str, str], pd.DataFrame]  # values later batches replaced, for a measure and council
    published: Callable[[], pd.DataFrame]  # DfE's yearly figures for every area (ranks and quartiles)


def read_breakdowns(engine: Engine, home: str) -> pd.DataFrame:
    """The council's figures split by a dimension (placement type, age band...), headline figures left out."""
    frame = queries.observations(engine, areas=[home], breakdowns=True)
    return frame[frame["dimension"] != ""].reset_index(drop=True)


def read_published(engine: Engine, batches: pd.DataFrame) -> pd.DataFrame:
    """DfE's published yearly figures for every area: benchmarks rank every council, not only the
    comparison areas a view reads."""
    from metrics.verdict import published_figures

    return published_figures(queries.observations(engine), batches).reset_index(drop=True)


def database_reads(engine: Engine) -> Reads:
    """Reads straight from the database, each frame remembered by this object (one pack, one test).

    The areas and neighbours come from the database's own area list and releases, as in the app.
    """
    from reference.stored import use_stored_reference

    use_stored_reference(engine)

    @functools.cache
    def observations(home: str) -> pd.DataFrame:
        return queries.observations(engine, areas=list(comparison_areas(home)))

    @functools.cache
    def breakdowns(home: str) -> pd.DataFrame:
        return read_breakdowns(engine, home)

    @functools.cache
    def targets(home: str) -> pd.DataFrame:
        return queries.targets(engine, areas=[home])

    @functools.cache
    def batches() -> pd.DataFrame:
        return queries.batches(engine)

    @functools.cache
    def history(measure: str, area: str) -> pd.DataFrame:
        return queries.history(engine, measure, area)

    @functools.cache
    def published() -> pd.DataFrame:
        return read_published(engine, batches())

    return Reads(observations, breakdowns, targets, batches, history, published)


def public_reads(reads: Reads, threshold: int) -> Reads:
    """The same reads as a public paper shows them (metrics.suppression's one rule): headlines and
    breakdowns decided together, replaced values hidden alike; DfE's published figures as published."""
    from metrics.suppression import public_history, suppress_together

    @functools.cache
    def both(home: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        return suppress_together(reads.observations(home), reads.breakdowns(home), threshold)

    return replace(reads, observations=lambda home: both(home)[0], breakdowns=lambda home: both(home)[1],
                   history=lambda measure, area: public_history(reads.history(measure, area), measure, area, threshold))


def reads_of(source: Reads | Engine) -> Reads:
    """Accept either reads or an engine, so a caller with only an engine can ask for a view."""
    return source if isinstance(source, Reads) else database_reads(source)

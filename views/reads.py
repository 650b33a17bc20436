"""Where a view's figures come from: the one way the app, the views and the pack read figures.

Reads are built for a viewer (``access.viewer.Viewer``): who asks and whose own figures they may see. Every
method returns the own figures of those councils only; any other area (a neighbour, the region, England,
another council in a shared database) comes as DfE published it, or not at all, so nothing above a read
can put another council's provisional figure on a page. Which council a page is about is each method's
``home`` (or ``area``) argument.

The app passes reads backed by its caches (ui.data.reads), so a page run reads each frame once per data
version and viewer; the committee pack and the tests pass ``database_reads(engine)``, which reads straight
from the database and remembers each frame for the life of the object. The builders cannot tell the two apart.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import Engine

from access.viewer import LOCAL_VIEWER, Viewer
from db import queries
from db.models import PUBLISHED
from db.queries import CommentaryNote
from reference.areas import AreaDirectory
from views.scope import comparison_areas


@dataclass(frozen=True)
class Reads:
    observations: Callable[[str], pd.DataFrame]  # headline figures for a council's comparison areas
    breakdowns: Callable[[str], pd.DataFrame]  # the council's figures split by a dimension
    targets: Callable[[str], pd.DataFrame]  # the council's targets
    batches: Callable[[], pd.DataFrame]  # every import batch, newest first
    history: Callable[[str, str], pd.DataFrame]  # values later batches replaced, for a measure and council
    published: Callable[[], pd.DataFrame]  # DfE's yearly figures for every area (ranks and quartiles)
    # Added for one way into the data; defaults keep a Reads built with the six reads above working.
    measure: Callable[[str, str], pd.DataFrame] = lambda home, code: _not_given("measure")  # noqa: E731
    commentary: Callable[[str, str], pd.DataFrame] = lambda measure, area: _not_given("commentary")  # noqa: E731
    notes: Callable[[str], list[CommentaryNote]] = lambda home: _not_given("notes")  # noqa: E731
    viewer: Viewer = LOCAL_VIEWER  # who these reads are for
    directory: AreaDirectory | None = None  # the database's areas and neighbours (reference.stored.directory_for)


def _not_given(name: str) -> pd.DataFrame:
    raise NotImplementedError(f"these reads were built without a {name} read")


def own_only(frame: pd.DataFrame, own: frozenset[str], area: str | None = None) -> pd.DataFrame:
    """The rows a viewer may see: any area's published figures, and own figures of ``own`` councils only.

    ``area`` names the council of a frame without an area column (history). A frame without an origin
    column holds own figures only (targets): rows of councils outside ``own`` are dropped."""
    if frame.empty:
        return frame
    areas = frame["area_code"] if "area_code" in frame else pd.Series(area, index=frame.index)
    mine = areas.isin(own)
    keep = mine | (frame["origin"] == PUBLISHED) if "origin" in frame else mine
    return frame if bool(keep.all()) else frame[keep].reset_index(drop=True)


def read_breakdowns(engine: Engine, home: str, own: frozenset[str] | None = None) -> pd.DataFrame:
    """The council's figures split by a dimension (placement type, age band...), headline figures left out."""
    frame = queries.observations(engine, areas=[home], breakdowns=True, own_areas=own)
    return frame[frame["dimension"] != ""].reset_index(drop=True)


def read_published(engine: Engine, batches: pd.DataFrame) -> pd.DataFrame:
    """DfE's published yearly figures for every area: benchmarks rank every council, not only the
    comparison areas a view reads."""
    from metrics.verdict import published_figures

    return published_figures(queries.observations(engine, origin=PUBLISHED), batches).reset_index(drop=True)


def read_measure(engine: Engine, code: str, own: frozenset[str] | tuple[str, ...]) -> pd.DataFrame:
    """Every area's headline figures for one measure (a benchmark ranks every council): DfE's published
    ones, and the own figures of ``own`` councils only."""
    return queries.observations(engine, measures=[code], own_areas=own)


def read_notes(engine: Engine, home: str, own: frozenset[str], measures: list[str] | None = None) -> list[CommentaryNote]:
    """The current commentary on the council's figures: a council's commentary is its own, like its returns."""
    return queries.current_commentary(engine, measures, [home]) if home in own else []


def read_commentary(engine: Engine, measure: str, area: str, own: frozenset[str]) -> pd.DataFrame:
    """Every version of the commentary on a measure for a council whose own figures the viewer may see."""
    frame = queries.commentary(engine, measure, area)
    return frame if area in own else frame.iloc[0:0]


def database_reads(engine: Engine, viewer: Viewer = LOCAL_VIEWER) -> Reads:
    """Reads straight from the database for ``viewer``, each frame remembered by this object (one pack, one test).

    The areas and neighbours come from the database's own area list and releases, as in the app: the
    directory is built from this database and put in use for the current context (this command or pack).
    """
    from reference.stored import use_stored_reference

    directory = use_stored_reference(engine)
    own = viewer.own

    @functools.cache
    def observations(home: str) -> pd.DataFrame:
        return queries.observations(engine, areas=list(comparison_areas(home)), own_areas=own(home))

    @functools.cache
    def breakdowns(home: str) -> pd.DataFrame:
        return read_breakdowns(engine, home, own(home))

    @functools.cache
    def targets(home: str) -> pd.DataFrame:
        return own_only(queries.targets(engine, areas=[home]), own(home))

    @functools.cache
    def batches() -> pd.DataFrame:
        return queries.batches(engine, viewer.councils)

    @functools.cache
    def history(measure: str, area: str) -> pd.DataFrame:
        return queries.history(engine, measure, area, own_areas=own(area))

    @functools.cache
    def published() -> pd.DataFrame:
        return read_published(engine, batches())

    @functools.cache
    def measure(home: str, code: str) -> pd.DataFrame:
        return read_measure(engine, code, own(home))

    def commentary(measure: str, area: str) -> pd.DataFrame:  # not remembered: written outside batches
        return read_commentary(engine, measure, area, own(area))

    def notes(home: str) -> list[CommentaryNote]:
        return read_notes(engine, home, own(home))

    return Reads(observations, breakdowns, targets, batches, history, published, measure, commentary, notes,
                 viewer, directory)


def public_reads(reads: Reads, threshold: int) -> Reads:
    """The same reads as a public paper shows them (metrics.suppression's one rule): headlines and
    breakdowns decided together, replaced values hidden alike; DfE's published figures as published."""
    from metrics.suppression import public_history, suppress_for_public, suppress_together

    @functools.cache
    def both(home: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        return suppress_together(reads.observations(home), reads.breakdowns(home), threshold)

    return replace(reads, observations=lambda home: both(home)[0], breakdowns=lambda home: both(home)[1],
                   measure=lambda home, code: suppress_for_public(reads.measure(home, code), threshold),
                   history=lambda measure, area: public_history(reads.history(measure, area), measure, area, threshold))


def reads_of(source: Reads | Engine, viewer: Viewer = LOCAL_VIEWER) -> Reads:
    """Accept either reads or an engine, so a caller with only an engine can ask for a view."""
    return source if isinstance(source, Reads) else database_reads(source, viewer)

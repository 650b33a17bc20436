"""Cached reads for the pages.

The engine is shared by every session (st.cache_resource). Frames are cached with st.cache_data and
keyed on ``db.queries.data_version``, which changes whenever a batch is written, so a new import is
seen on the next page run without anyone clearing a cache. The per-page work that does not depend on
widgets (the scorecard, each measure's series and comparators) is computed once per data version.

Public mode (the sidebar switch, DASHBOARD_PUBLIC_MODE) is applied here, where the pages read figures:
``observations`` and ``breakdowns`` return the frames ``metrics.suppression`` makes for a public paper,
so every chart (its hover text and the data behind it) and every table built from them shows ``c``
instead of a small number. The cache key ``data_version()`` names the mode, so a public session and a
full one never share a cached frame or figure.

Every read is for this session's viewer (``viewer()``): each cached read takes the councils whose own figures
it may return as part of its key, and ``data_version()`` names the viewer's grants, so the finished views
cached on it (ui.views, ui.benchmarking_data) are never shared between people who may see different figures.
"""

from __future__ import annotations

import threading
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

import settings
from access.grants import Access, access_for
from access.viewer import Viewer
from db import queries
from db.engine import connect
from db.scope import set_scope
from metrics.suppression import (
    public_history,
    public_mode_default,
    public_threshold,
    suppress_for_public,
    suppress_together,
)
from views.reads import Reads, own_only, read_breakdowns, read_commentary, read_measure, read_notes, read_published
from views.scope import comparison_areas


def database_url() -> str:
    return settings.DB_URL.value()


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return connect(url)


def engine() -> Engine:
    """The migrated engine for the configured database, one per process."""
    return _engine(database_url())


_run = threading.local()  # the data version read at the start of this thread's current page run


def start_run() -> int:
    """Read who is asking and the data version once at the start of a page run (app.py calls this before
    the page draws).

    Who is asking comes first: their grants decide the scope every transaction of this run sets in the
    database (db.scope), so even the version is read as they may see it. Every cached read in the run is
    keyed on the version, so a batch written mid-run cannot mix two versions on one page, and a page with
    a dozen charts makes one version query instead of a dozen.
    """
    _run.access = _access_now()
    set_scope(_run.access.database_scope)
    _run.version = queries.data_version(engine())
    _use_reference(_run.version)
    return _run.version


def _use_reference(version: int) -> None:
    """The areas and neighbours this database's area list and releases give, in use for this page run
    (built once per database and data version by reference.stored.directory_for)."""
    from reference.areas import shipped_areas, use_directory
    from reference.stored import directory_for

    directory = directory_for(engine(), version)
    use_directory(None if directory is shipped_areas() else directory)


def _access_now() -> Access:
    """What the person using this session may see and change, from the grants (access.grants): without
    grants, as in a one-council install; with grants, their own councils' figures (none when signed out)."""
    from ui.signin import identified_login

    return access_for(engine(), identified_login())


def access() -> Access:
    """This page run's person's access (read at the start of the run)."""
    found = getattr(_run, "access", None)
    if found is None:
        start_run()
        found = _run.access
    return found


def viewer() -> Viewer:
    """Who reads figures in this session, and whose own figures they may see: without grants, the own figures
    of the council the page is about (the one-council install); with grants, their granted councils'."""
    return access().viewer


def own(home: str, who: Viewer | None = None) -> tuple[str, ...]:
    """The councils whose own figures a read about ``home`` may return (for ``who``, else this session's
    viewer), as a cache key."""
    return tuple(sorted((who or viewer()).own(home)))


PUBLIC_MODE_KEY = "public_mode"  # session state: this session's public-mode switch


def public_mode() -> bool:
    """Whether this session hides small numbers: the sidebar switch, else DASHBOARD_PUBLIC_MODE."""
    try:
        return bool(st.session_state.get(PUBLIC_MODE_KEY, public_mode_default()))
    except Exception:  # outside a page run (a script, a benchmark) there is no session: the setting decides
        return public_mode_default()


def public_limit() -> int | None:
    """The threshold in force for this session, or None when every figure is shown."""
    return public_threshold() if public_mode() else None


def data_version() -> int | str:
    """The cache key for every read below: the version read at the start of this run, and in public mode
    the threshold too ('12:public<5'), so public and full figures are cached apart; with grants, the viewer's
councils ('12:for=E08000030'), so people who may see different councils' own figures never share a view."""
    version = getattr(_run, "version", None)
    version = start_run() if version is None else version
    limit = public_limit()
    key = version if limit is None else f"{version}:public<{limit}"
    scope = viewer().key
    return key if not scope else f"{key}:for={scope}"


@st.cache_data(show_spinner=False, max_entries=8)
def _is_empty(url: str, version: int) -> bool:
    return queries.is_empty(_engine(url))


def is_empty() -> bool:
    return _is_empty(database_url(), data_version())


@st.cache_data(show_spinner=False, max_entries=8)
def _own_data_areas(url: str, version: int | str, councils: tuple[str, ...] | None) -> list[str]:
    found = queries.own_data_areas(_engine(url))
    return found if councils is None else [code for code in found if code in councils]


def own_data_areas() -> list[str]:
    """Councils with monthly or quarterly figures of their own in the database (of those the viewer may see)."""
    granted = viewer().councils
    return _own_data_areas(database_url(), data_version(), None if granted is None else tuple(sorted(granted)))


@st.cache_data(show_spinner=False, max_entries=8)
def _period_range(url: str, version: int | str, area_codes: tuple[str, ...],
                  own_codes: tuple[str, ...]) -> tuple[date | None, date | None]:
    return queries.period_range(_engine(url), area_codes, own_areas=own_codes)


def period_range(home: str) -> tuple[date | None, date | None]:
    """First and last period end of any headline figure for the areas a page shows, as the viewer sees them."""
    return _period_range(database_url(), data_version(), comparison_areas(home), own(home))


def for_public(frame: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    """The frame as this session may see it: unchanged, or with the public rules applied."""
    return frame if limit is None else suppress_for_public(frame, limit)


@st.cache_data(show_spinner=False, max_entries=16)
def _figures(url: str, version: int | str, area_codes: tuple[str, ...], home: str,
             limit: int | None, own_codes: tuple[str, ...] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Headlines for the comparison areas and the council's breakdowns (own figures of ``own_codes`` only,
    every other area's as DfE published them); in public mode decided together
    (metrics.suppression.suppress_together), so a total shown on one chart cannot give away a part
    hidden on another."""
    headlines = queries.observations(_engine(url), areas=list(area_codes), own_areas=own_codes)
    parts = read_breakdowns(_engine(url), home, frozenset(own_codes))
    return (headlines, parts) if limit is None else suppress_together(headlines, parts, limit)


def observations(home: str, who: Viewer | None = None) -> pd.DataFrame:
    """Headline figures for the home council, its neighbours, region and England (public mode applied)."""
    return _figures(database_url(), data_version(), comparison_areas(home), home, public_limit(), own(home, who))[0]


def breakdowns(home: str, who: Viewer | None = None) -> pd.DataFrame:
    """The home council's figures split by a dimension (placement type, age band...), if any were loaded;
    in public mode with small cells, and the cells that would give them away, suppressed."""
    return _figures(database_url(), data_version(), comparison_areas(home), home, public_limit(), own(home, who))[1]


@st.cache_data(show_spinner=False, max_entries=16)
def _targets(url: str, version: int | str, area: str, own_codes: tuple[str, ...] = ()) -> pd.DataFrame:
    return own_only(queries.targets(_engine(url), areas=[area]), frozenset(own_codes))


def targets(home: str, who: Viewer | None = None) -> pd.DataFrame:
    """The council's targets: its own, like its returns."""
    return _targets(database_url(), data_version(), home, own(home, who))


@st.cache_data(show_spinner=False, max_entries=8)
def _batches(url: str, version: int | str, councils: tuple[str, ...] | None = None) -> pd.DataFrame:
    return queries.batches(_engine(url), councils)


def batches() -> pd.DataFrame:
    """Import history, newest first: with grants, the viewer's councils' batches and DfE's only."""
    granted = viewer().councils
    return _batches(database_url(), data_version(), None if granted is None else tuple(sorted(granted)))


@st.cache_data(show_spinner=False, max_entries=32)
def _history(url: str, version: int | str, measure: str, area: str, limit: int | None,
             own_codes: tuple[str, ...] = ()) -> pd.DataFrame:
    replaced = queries.history(_engine(url), measure, area, own_areas=own_codes)
    return replaced if limit is None else public_history(replaced, measure, area, limit)


def history(measure: str, area: str, who: Viewer | None = None) -> pd.DataFrame:
    """Values for the measure that later batches replaced (in public mode, small ones hidden)."""
    return _history(database_url(), data_version(), measure, area, public_limit(), own(area, who))


def commentary(measure: str, area: str, who: Viewer | None = None) -> pd.DataFrame:
    """Not cached: commentary is written outside import batches, so data_version does not see it."""
    return read_commentary(engine(), measure, area, frozenset(own(area, who)))


def notes(home: str, who: Viewer | None = None) -> list:
    """The current commentary on the council's figures (not cached, like ``commentary``)."""
    return read_notes(engine(), home, frozenset(own(home, who)))


@st.cache_data(show_spinner=False, max_entries=64)
def _measure(url: str, version: int | str, code: str, own_codes: tuple[str, ...], limit: int | None) -> pd.DataFrame:
    return for_public(read_measure(_engine(url), code, own_codes), limit)


def measure(home: str, code: str, who: Viewer | None = None) -> pd.DataFrame:
    """Every area's headline figures for one measure (a benchmark ranks every council): DfE's published ones,
    and the own figures of the councils the viewer may see (public mode applied)."""
    return _measure(database_url(), data_version(), code, own(home, who), public_limit())


@st.cache_data(show_spinner=False, max_entries=4)
def _published(url: str, version: int) -> pd.DataFrame:
    """DfE's published yearly figures for every area (the benchmark needs every council, not only the
    comparison areas ``observations`` reads). Read only when a benchmark is first built."""
    return read_published(_engine(url), batches())


def published() -> pd.DataFrame:
    return _published(database_url(), data_version())


def reads(who: Viewer | None = None) -> Reads:
    """The cached reads above for ``who`` (this session's viewer unless given), for the view builders in views/."""
    from reference.areas import areas

    who = who or viewer()
    return Reads(partial(observations, who=who), partial(breakdowns, who=who), partial(targets, who=who), batches,
                 partial(history, who=who), published, partial(measure, who=who), partial(commentary, who=who),
                 partial(notes, who=who), who, areas())


def public_footnotes(code: str, home: str, start: date, end: date, dimension: str = "") -> tuple[str, ...]:
    """The public-mode footnotes a chart or table of the measure needs for the months in view: why a ``c``
    is shown, or that a percentage's base is not known; none when public mode is off or nothing applies."""
    from metrics.suppression import footnotes_for

    limit = public_limit()
    if limit is None:
        return ()
    frame = breakdowns(home) if dimension else observations(home)
    ends = frame["period_end"]
    rows = frame[(frame["measure_code"] == code) & (frame["area_code"] == home) & (frame["dimension"] == dimension)
                 & (ends >= pd.Timestamp(start)) & (ends <= pd.Timestamp(end))]
    return footnotes_for(rows, limit)

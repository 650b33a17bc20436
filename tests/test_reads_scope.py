"""Two councils' own figures in one database: a person scoped to one never receives the other's.

A real SQLite file holds the fictional sample council's returns (council A) and returns of its nearest
statistical neighbour (council B, a real council), beside DfE's published figures for both. B's own figures,
targets, replaced values and commentary carry values no DfE figure has (OWN_VALUES), and B has a year-end
figure of its own for a year DfE has not published yet. Every ``Reads`` method, found by introspection so a
method added later is checked too, is asked about both councils, straight from the database and through
the app's caches; the neighbour chart and the benchmark for A must show B as DfE published it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from access.users import User
from access.viewer import LOCAL_VIEWER, Viewer
from db.commentary_writes import save_commentary
from db.engine import connect
from db.models import PUBLISHED
from db.queries import CommentaryNote, observations
from db.writes import OBSERVATION_COLUMNS, TARGET_COLUMNS, BatchInfo, apply_batch
from metrics.benchmark_report import benchmark_report
from reference.areas import areas, use_directory
from reference.catalogue import catalogue
from tests import app_database
from tests.databases import new_database
from views.charts import neighbour_view
from views.reads import Reads, database_reads, public_reads, read_measure
from views.scope import Scope

A = app_database.HOME
MEASURES = ("cla_count", "stab_3plus_pct")  # one with B's own yearly figure, one with B's own months only
OWN_VALUES = {777.25, 778.25, 779.25}  # B's own figures: no DfE figure in the database is any of these
UNPUBLISHED_YEAR = date(2026, 3, 31)  # B's own year-end figure, before DfE publishes the year
PUBLISHED_YEAR = date(2025, 3, 31)  # the latest year DfE published (app_database.yearly)
EDITOR = User("editor@b.gov.uk", "B's editor", True)
# What each Reads method's parameters are asked, by name: a council or a measure.
COUNCIL_PARAMETERS = {"home", "area"}
MEASURE_PARAMETERS = {"measure", "code"}


def _info(name: str) -> BatchInfo:
    return BatchInfo(name, hashlib.sha256(name.encode()).hexdigest(), "return", ["Sheet1"], "test")


def _row(code: str, area: str, period_type: str, end: date, value: float, dimension: str = "",
         category: str = "") -> dict:
    return dict(measure_code=code, area_code=area, period_type=period_type, period_end=end, dimension=dimension,
                category=category, value=value, numerator=None, denominator=None, status="value")


def b_return(b: str, value: float) -> pd.DataFrame:
    """B's own return: months of both measures, a breakdown, and year-end figures for 2025 and 2026."""
    rows = [_row(code, b, "month", end, value) for code in MEASURES for end in (date(2025, 1, 31), date(2025, 2, 28))]
    rows += [_row("cla_count", b, "month", date(2025, 2, 28), value, "age_band", "Under 1")]
    rows += [_row("cla_count", b, "year", end, value) for end in (PUBLISHED_YEAR, UNPUBLISHED_YEAR)]
    return pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(database URL, B): A's and B's own returns, DfE's figures for both, B's targets and commentary."""
    path: Path = tmp_path_factory.mktemp("shared") / "dashboard.db"
    url = new_database(path)
    engine = connect(url)
    built = app_database.build(engine, url)
    b = built.neighbours[0]
    targets = pd.DataFrame([dict(measure_code="cla_count", area_code=b, period_start=date(2024, 4, 1),
                                 period_end=PUBLISHED_YEAR, value=779.25)], columns=TARGET_COLUMNS)
    apply_batch(engine, _info("b_first.xlsx"), b_return(b, 778.25), targets)
    apply_batch(engine, _info("b_second.xlsx"), b_return(b, 777.25))  # B's first figures become history
    save_commentary(engine, "cla_count", b, date(2025, 2, 28), "B's own note", EDITOR)
    yield url, b
    use_directory(None)


def arguments(method: Callable, council: str) -> tuple[list[list], str]:
    """Every call to make (each council parameter given ``council``, each measure parameter each measure), and
    the council the calls ask about ('' when the method names none: the batches, DfE's figures)."""
    calls: list[list] = [[]]
    asked = ""
    for parameter in inspect.signature(method).parameters.values():
        if parameter.default is not inspect.Parameter.empty:
            continue  # a bound or optional setting (the app's viewer), not a question
        if parameter.name in COUNCIL_PARAMETERS:
            choices: tuple[str, ...] = (council,)
            asked = council
        elif parameter.name in MEASURE_PARAMETERS:
            choices = MEASURES
        else:
            raise AssertionError(f"Reads.{method} asks for {parameter.name!r}: teach this test what to give it")
        calls = [[*call, choice] for call in calls for choice in choices]
    return calls, asked


def read_methods(reads: Reads) -> dict[str, Callable]:
    return {f.name: getattr(reads, f.name) for f in dataclasses.fields(reads) if callable(getattr(reads, f.name))}


def others_own(result: object, asked: str, other: str, marks: frozenset[float] = frozenset()) -> list[str]:
    """What in a read's answer is ``other``'s own (not DfE's published) figure, target or commentary."""
    if isinstance(result, tuple):
        return [found for part in result for found in others_own(part, asked, other, marks)]
    if isinstance(result, list):
        assert all(isinstance(n, CommentaryNote) for n in result), f"teach this test to read {type(result[0])}"
        return [f"commentary {n.text!r}" for n in result if n.area_code == other]
    assert isinstance(result, pd.DataFrame), f"teach this test to read a {type(result)}"
    if "area_code" in result:
        rows = result[result["area_code"] == other]
    else:
        rows = result if asked == other else result.iloc[0:0]
    own = rows[rows["origin"] != PUBLISHED] if "origin" in rows else rows
    found = [f"row {r}" for r in own.head(3).to_dict("records")]
    values = [c for c in ("value", "numerator", "denominator") if c in result]
    marked = result[result[values].isin(marks).any(axis=1)] if values and marks else result.iloc[0:0]
    return found + [f"an own value of {other} in {r}" for r in marked.head(3).to_dict("records")]


def leaks(reads: Reads, councils: tuple[str, ...], other: str) -> list[str]:
    """What any read about ``councils`` returns of ``other``'s own figures (by origin, and for B by value)."""
    marks = frozenset(OWN_VALUES) if other != A else frozenset()
    found = []
    for name, method in read_methods(reads).items():
        for council in councils:
            calls, asked = arguments(method, council)
            for call in calls:
                found += [f"{name}{tuple(call)}: {what}" for what in others_own(method(*call), asked, other, marks)]
    return found


def test_every_read_of_a_council_scoped_viewer_leaves_out_the_other_councils_own_figures(shared):
    url, b = shared
    engine = connect(url)
    assert observations(engine, areas=[b], origin="local")["value"].isin(OWN_VALUES).all()  # B's own are there
    assert set(read_methods(database_reads(engine))) >= {"observations", "history", "targets", "measure", "notes"}
    for viewer, councils, other in ((Viewer.of("a@a.gov.uk", [A]), (A, b), b), (LOCAL_VIEWER, (A,), b),
                                    (Viewer.of("b@b.gov.uk", [b]), (A, b), A)):
        reads = database_reads(engine, viewer)
        assert leaks(reads, councils, other) == [], viewer
        assert leaks(public_reads(reads, 5), councils, other) == [], viewer
    own_view = database_reads(engine, Viewer.of("b@b.gov.uk", [b]))
    assert own_view.observations(b)["value"].isin(OWN_VALUES).any()  # B's own people do see them
    assert own_view.notes(b) != []


def test_the_apps_cached_reads_never_serve_one_councils_own_figures_to_another(shared, monkeypatch):
    from ui import data

    url, b = shared
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    data.start_run()
    as_b, as_a = data.reads(Viewer.of("b@b.gov.uk", [b])), data.reads(Viewer.of("a@a.gov.uk", [A]))
    assert as_b.observations(A)["value"].isin(OWN_VALUES).any()  # B's figures are now in the cache, keyed for B
    for _twice in range(2):  # read, then served from the cache
        assert leaks(as_a, (A, b), b) == []
    assert leaks(data.reads(), (A,), b) == []  # this session's viewer: no grants, the council asked about


def test_the_neighbour_chart_and_benchmark_for_a_show_b_as_dfe_published_it(shared):
    url, b = shared
    engine = connect(url)
    published = observations(engine, measures=["cla_count"], areas=[b], origin=PUBLISHED)
    dfe = float(published.loc[published["period_end"] == pd.Timestamp(PUBLISHED_YEAR), "value"].iloc[0])
    reads = database_reads(engine)
    view = neighbour_view(reads, Scope(A, date(2023, 4, 1), UNPUBLISHED_YEAR), "cla_count")
    assert view.caption is not None and view.caption.period == "2024-25"  # not the year only B's own return has
    bars = [bar for bar in view.figure.data if bar.type == "bar" and bar.customdata is not None]
    shown = {name: value for bar in bars for name, value in zip(bar.customdata, bar.x, strict=True)}
    assert shown[areas().get(b).name] == pytest.approx(dfe)
    assert not OWN_VALUES & set(shown.values())
    report = benchmark_report(read_measure(engine, "cla_count", LOCAL_VIEWER.own(A)), catalogue().get("cla_count"),
                              areas().get(A), areas())
    figures = [f for f in report["neighbours"] if f["area"] == b]
    assert figures and figures[0]["value"] == pytest.approx(dfe)

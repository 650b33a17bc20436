"""Every screen and the pack show the same neighbour average, rank and band for a council and period.

One real council on DfE's published tables (Walsall, 2024-25) and the fictional sample council: the
Overview, a theme page's line, the measure page, the Benchmarking page and the committee pack are built
for the same council and period, and every neighbour average, rank and band they show is checked against
the one comparison (metrics.comparison.compare) and so against each other.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import date

import numpy as np
import pandas as pd
import pytest

from db.engine import connect
from metrics.comparison import Comparison, compare
from metrics.scorecard import card_row
from reference.areas import areas
from reference.catalogue import catalogue
from reports.pack import ChartPictures, PackRequest, pack_content, pack_scope
from tests import app_database
from views.measure import measure_view
from views.overview import comparator_text, overview_view
from views.reads import database_reads

WALSALL = "E08000030"
SAMPLE_COUNCIL = "E06999901"
PERIOD = "2024-25"
YEAR = 2025
NEIGHBOUR_AVERAGE = "Statistical neighbour average"


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> Iterator[str]:
    url = app_database.published_database(tmp_path_factory.mktemp("one_comparison") / "published.db")
    yield url
    connect(url).dispose()


@pytest.fixture(scope="module")
def sample_url(published_url, tmp_path_factory) -> Iterator[str]:
    url = app_database.sample_database(tmp_path_factory.mktemp("one_comparison_sample") / "s.db")
    yield url
    connect(url).dispose()


def compared_measures() -> list:
    """The measures councils are ranked on: not a count, not one where neither way is better."""
    return [m for m in catalogue().measures if not m.is_count and m.polarity != "neither"]


def the_comparison(reads, home: str, code: str) -> Comparison:
    """What every surface must show: the one builder on DfE's published figures and the council's own."""
    measure, directory = catalogue().get(code), areas()
    published = reads.published()
    published = published[published["measure_code"] == code]
    own = reads.observations(home)
    return compare(published, own[own["measure_code"] == code], measure, directory.get(home), directory, YEAR)


def chart_average(figure) -> tuple[float, str] | None:
    """The neighbour average bar of a bar chart: its value and the label naming how many councils it used."""
    for trace in figure.data:
        if trace.name == NEIGHBOUR_AVERAGE and trace.x and trace.x[0] is not None:
            return float(trace.x[0]), str(trace.customdata[0])
    return None


def benchmarking_view(monkeypatch, url: str, home: str, code: str):
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": home}.items():
        monkeypatch.setenv(key, value)
    from ui.benchmarking_data import year_view

    return year_view(code, home, YEAR)


@pytest.mark.parametrize("which", ["walsall", "sample"])
def test_every_screen_and_the_pack_show_the_same_neighbour_average_rank_and_band(which, request, monkeypatch):
    url = request.getfixturevalue("published_url" if which == "walsall" else "sample_url")
    home = WALSALL if which == "walsall" else SAMPLE_COUNCIL
    engine = connect(url)
    reads = database_reads(engine)
    scope = pack_scope(PackRequest(PERIOD, home))
    assert (scope.home, scope.end) == (home, date(YEAR, 3, 31))
    overview = overview_view(reads, scope)
    pictures = ChartPictures()
    pictures.missing = "pictures are not drawn in this test"  # the words and figures are what is checked
    pack = pack_content(engine, PackRequest(PERIOD, home), pictures)
    from ui.theme import latest_line

    assert len(pack.scorecard) == len(overview.rows)
    pack_lines = {row.measure_code: line for row, line in zip(overview.rows, pack.scorecard, strict=True)}
    pack_pages = {page.title: page for section in pack.themes for page in section.charts}
    checked = ranked = 0
    for measure in compared_measures():
        code = measure.code
        found = the_comparison(reads, home, code)
        average = found.neighbour_average
        if average.value is None:
            continue
        standing = found.placed if found.area.fictional else found.standing
        checked += 1

        # The Overview's scorecard row and its verdict.
        row = next(r for r in overview.rows if r.measure_code == code)
        verdict = overview.verdict.verdict(code)
        bench = verdict.benchmark
        assert row.comparator_year == PERIOD, code
        assert row.neighbours == comparator_text(average.value, code, average.used, average.of), code
        assert bench is not None and bench.year == YEAR, code
        assert (bench.neighbours, bench.neighbours_used, bench.neighbours_of) == (average.value, average.used,
                                                                                  average.of), code
        # The verdict ranks DfE's figure for the council: the sample council has none, so it has no rank there
        # (the Benchmarking page says where its own figure would sit, below).
        judged = standing if found.published.number is not None else None
        if judged is not None:
            ranked += 1
            assert (bench.rank, bench.band, bench.ranked) == (judged.rank, judged.band, judged.of), code
            assert bench.rank_text == judged.rank_and_band, code
        else:
            assert (bench.rank, bench.band, bench.rank_text) == (None, None, ""), code

        # A theme page: the same row and verdict, in the line above the measure's chart.
        [theme_row] = [r for r in overview.theme_rows(measure.theme) if r.measure_code == code]
        assert theme_row.neighbours == row.neighbours
        line = latest_line(measure, card_row(overview.scorecard, code), verdict)
        if bench.rank_text and bench.rank_text in verdict.basis_text:
            assert html.escape(bench.rank_text) in line, code

        # The measure page: the neighbour chart's average bar, and the verdict beside it.
        page = measure_view(reads, scope, code, overview)
        assert page.verdict == verdict
        assert page.neighbours is not None and page.neighbours.has_data, code
        value, label = chart_average(page.neighbours.figure)
        assert value == pytest.approx(average.value, abs=1e-9), code
        assert label == f"{NEIGHBOUR_AVERAGE} ({average.used} of {average.of})", code

        # The Benchmarking page: the key figure, the bar chart, the table's rank and band, the rank sentence.
        bench_view = benchmarking_view(monkeypatch, url, home, code)
        sn = bench_view.figure("neighbours")
        assert float(sn["value"]) == pytest.approx(average.value, abs=1e-9), code
        assert (bench_view.comparison.neighbour_average.used, bench_view.comparison.neighbour_average.of) == (
            average.used, average.of), code
        assert chart_average(bench_view.bars.figure)[0] == pytest.approx(average.value, abs=1e-9), code
        if standing is not None:
            ranked += found.area.fictional
            assert standing.reading[1:] in bench_view.rank_text, code  # the sentence starts with a capital
            if not found.area.fictional:
                mine = bench_view.table[bench_view.table["Who"] == "Our council"].iloc[0]
                assert (mine[f"Rank of {standing.of}"], mine["Quartile"]) == (standing.table_rank,
                                                                            standing.table_band), code

        # The pack: its scorecard line and the measure's slide.
        pack_line = pack_lines[code]
        assert pack_line.neighbours == row.neighbours, code
        assert pack_line.basis == row.basis, code
        slide = pack_pages.get(pack_line.measure)
        if slide is not None and bench.rank_text and bench.rank_text in verdict.basis_text:
            assert bench.rank_text in slide.explanation, code
    assert checked >= 10 and ranked >= 10  # enough measures compared for the test to mean something


# ---- the one builder on its own: whose figures it may compare with ---------------------------------------

def observation(area: str, year: int, value: float | None, origin: str, status: str = "value", batch: int = 1) -> dict:
    return {"measure_code": "cla_foster_pct", "area_code": area, "period_type": "year",
            "period_end": pd.Timestamp(date(year, 3, 31)), "dimension": "", "category": "",
            "value": np.nan if value is None else value, "numerator": np.nan, "denominator": np.nan,
            "status": status, "origin": origin, "batch_id": batch}


def walsall_year(with_neighbours_own: bool) -> pd.DataFrame:
    """Every neighbour of Walsall with DfE's figure but the first, which has only its own return's figure."""
    directory = areas()
    neighbours = [a.code for a in directory.neighbours(WALSALL)]
    rows = [observation(WALSALL, YEAR, 70.0, "published"), observation(WALSALL, YEAR, 74.0, "local", batch=2),
            observation(WALSALL, YEAR - 1, 71.0, "published")]
    rows += [observation(code, YEAR, 60.0 + i, "published") for i, code in enumerate(neighbours[1:], start=1)]
    if with_neighbours_own:
        rows.append(observation(neighbours[0], YEAR, 99.0, "local", batch=3))
    rows.append(observation("E92000001", YEAR, 68.0, "published"))
    return pd.DataFrame(rows)


def test_a_neighbours_own_figure_is_never_shown_or_averaged_and_the_councils_own_is_shown_beside_dfes():
    measure, directory = catalogue().get("cla_foster_pct"), areas()
    frame = walsall_year(with_neighbours_own=True)
    found = compare(frame, frame, measure, directory.get(WALSALL), directory, YEAR)
    first = found.neighbours[0]
    assert (first.value, first.status) == (None, "missing")  # not the 99% of its own unpublished return
    assert found.neighbour_average.value == pytest.approx(sum(60.0 + i for i in range(1, 10)) / 9)
    assert (found.neighbour_average.used, found.neighbour_average.of) == (9, 10)
    assert found == compare(walsall_year(with_neighbours_own=False), frame, measure, directory.get(WALSALL),
                            directory, YEAR)  # the neighbour's own figure changes nothing
    # The council's own figure is DfE's where DfE published one, with its origin; ranked on DfE's alone.
    assert (found.own.value, found.own.origin, found.published.value) == (70.0, "published", 70.0)
    assert found.travel.code == "worse"  # 70% after 71%, higher is better
    assert found.standing is not None and found.standing.of == 10  # Walsall and the 9 published neighbours
    assert found.as_report()["neighbours"][0] == {"area": first.code, "name": first.name, "value": None,
                                                 "status": "missing"}

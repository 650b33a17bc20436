"""A council's own figure and DfE's published one for the same year sit side by side; neither replaces the other.

Both come in through the real paths: the council's year-end return as an .xlsx through import_file,
DfE's placement stability table (the shipped EES file) through the published loader. Expected
published figures are read straight from DfE's CSV with the csv module, not from the code under test.
"""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from db import queries
from loaders.export import write_export
from loaders.importer import import_file
from loaders.published import load_published_files
from metrics.benchmark_report import benchmark_report
from metrics.series import own_series, published_series, yearly_series
from reference.areas import areas
from reference.catalogue import catalogue
from settings import DATA_DIR
from tests.returns_files import write_xlsx

STABILITY = DATA_DIR / "dfe" / "la_cla_placement_stability.csv"
MEASURE = "stab_3plus_pct"  # lower is better, so a rank means something
GROUP, ROW = "CLA on 31 March", "With 3 or more placements during the year"
CHESHIRE_EAST = "E06000049"
YEAR = 2025


def published_percent(area: str, year: int) -> float:
    with STABILITY.open(newline="", encoding="utf-8-sig") as handle:
        [row] = [r for r in csv.DictReader(handle) if r["new_la_code"] == area and r["time_period"] == str(year)
                 and r["cla_group"] == GROUP and r["placement_stability"] == ROW]
    return float(row["children_percent"])


def published_council_percents(year: int) -> dict[str, float]:
    councils = {a.code for a in areas().local_authorities(include_fictional=False, current_only=False)}
    out = {}
    with STABILITY.open(newline="", encoding="utf-8-sig") as handle:
        for r in csv.DictReader(handle):
            if (r["geographic_level"] == "Local authority" and r["new_la_code"] in councils
                    and r["time_period"] == str(year) and r["cla_group"] == GROUP and r["placement_stability"] == ROW):
                with contextlib.suppress(ValueError):  # a suppression symbol: not ranked
                    out[r["new_la_code"]] = float(r["children_percent"])
    return out


def year_end_return(path: Path, value: float) -> Path:
    """The council's own year-end return: one provisional figure for 2024-25, typed with its % sign, as a
    percentage below 1% must be (a plain 0.5 would be refused as a likely fraction)."""
    return write_xlsx(path, {"Year end": [
        ["Cheshire East year-end return (provisional)"],
        [],
        ["Measure", "Area", "Period", "Value"],
        [MEASURE, CHESHIRE_EAST, "2024-25", f"{value:g}%"],
    ]})


def load_published(engine) -> None:
    [report] = load_published_files(engine, [STABILITY])
    assert report.status == "loaded", report.summary()


def own_and_published(engine) -> pd.DataFrame:
    frame = queries.observations(engine, measures=[MEASURE], areas=[CHESHIRE_EAST])
    return frame[frame["period_end"] == pd.Timestamp(date(YEAR, 3, 31))]


@pytest.fixture
def local_value() -> float:
    """A figure DfE did not publish, and better than every council's, so using it would rank first."""
    return 0.5 if published_percent(CHESHIRE_EAST, YEAR) != 0.5 else 0.25


@pytest.mark.parametrize("published_first", [True, False], ids=["published then local", "local then published"])
def test_both_figures_are_kept_whichever_loads_first(engine, tmp_path, local_value, published_first):
    if published_first:
        load_published(engine)
    own = import_file(engine, year_end_return(tmp_path / "year_end.xlsx", local_value))
    assert own.status == "loaded" and own.outcome.replaced == 0, own.summary()
    if not published_first:
        load_published(engine)
    rows = own_and_published(engine)
    assert sorted(zip(rows["origin"], rows["value"], strict=True)) == [
        ("local", local_value), ("published", published_percent(CHESHIRE_EAST, YEAR))]
    assert queries.history(engine, MEASURE, CHESHIRE_EAST).empty  # nothing was replaced
    published = queries.observations(engine, measures=[MEASURE], areas=[CHESHIRE_EAST], origin="published")
    local = queries.observations(engine, measures=[MEASURE], areas=[CHESHIRE_EAST], origin="local")
    assert set(published["origin"]) == {"published"} and len(published) > 1  # DfE's years
    assert local[["origin", "value"]].values.tolist() == [["local", local_value]]
    with pytest.raises(ValueError, match="origin"):
        queries.observations(engine, origin="provisional")


def test_each_kind_replaces_only_its_own(engine, tmp_path, local_value):
    load_published(engine)
    first = import_file(engine, year_end_return(tmp_path / "year_end.xlsx", local_value))
    revised = import_file(engine, year_end_return(tmp_path / "year_end_revised.xlsx", local_value + 1))
    assert revised.outcome.replaced == 1 and revised.outcome.inserted == 0, revised.summary()
    rows = own_and_published(engine)
    assert sorted(zip(rows["origin"], rows["value"], strict=True)) == [
        ("local", local_value + 1), ("published", published_percent(CHESHIRE_EAST, YEAR))]
    old = queries.history(engine, MEASURE, CHESHIRE_EAST)
    assert old[["origin", "value", "batch_id", "replaced_by_batch_id"]].values.tolist() == [
        ["local", local_value, first.outcome.batch_id, revised.outcome.batch_id]]
    # DfE's table loaded again changes nothing: its figures are still exactly as published
    [again] = load_published_files(engine, [STABILITY])
    assert again.status == "unchanged", again.summary()


def test_benchmarking_ranks_on_the_published_figure_only(engine, tmp_path, local_value):
    load_published(engine)
    import_file(engine, year_end_return(tmp_path / "year_end.xlsx", local_value))
    measure, directory = catalogue().get(MEASURE), areas()
    published = published_council_percents(YEAR)
    ours = published[CHESHIRE_EAST]
    expected_rank = 1 + sum(v < ours for v in published.values())  # lower is better; ties share the best rank
    assert expected_rank > 1  # else this test could not tell the two figures apart

    report = benchmark_report(queries.observations(engine, measures=[MEASURE]), measure,
                              directory.get(CHESHIRE_EAST), directory, YEAR)
    assert (report["value"], report["rank"], report["rank_of"]) == (ours, expected_rank, len(published))

    from metrics.benchmarking import year_rows as _year_rows
    from metrics.comparison import compare

    figures = queries.observations(engine, measures=[MEASURE])
    rows = _year_rows(figures, YEAR)
    found = compare(figures, figures, measure, directory.get(CHESHIRE_EAST), directory, YEAR)
    assert (found.rank, found.ranked, found.own.origin) == (expected_rank, len(published), "published")
    assert rows.loc[rows["area_code"] == CHESHIRE_EAST, "value"].tolist() == [ours]


def test_the_councils_own_series_uses_its_figure_and_keeps_dfes_beside_it(engine, tmp_path, local_value):
    load_published(engine)
    import_file(engine, year_end_return(tmp_path / "year_end.xlsx", local_value))
    obs = queries.observations(engine, areas=[CHESHIRE_EAST])
    series = own_series(obs, MEASURE, CHESHIRE_EAST)
    assert series["period_end"].is_unique
    this_year = series[series["period_end"] == pd.Timestamp(date(YEAR, 3, 31))]
    assert this_year[["value", "origin"]].values.tolist() == [[local_value, "local"]]
    last_year = series[series["period_end"] == pd.Timestamp(date(YEAR - 1, 3, 31))]
    assert last_year[["value", "origin"]].values.tolist() == [[published_percent(CHESHIRE_EAST, YEAR - 1), "published"]]
    dfe = published_series(obs, MEASURE, CHESHIRE_EAST)
    assert set(dfe["origin"]) == {"published"}
    assert dfe.loc[dfe["period_end"] == pd.Timestamp(date(YEAR, 3, 31)), "value"].tolist() == [
        published_percent(CHESHIRE_EAST, YEAR)]
    preferring_dfe = yearly_series(obs, MEASURE, CHESHIRE_EAST, prefer="published")
    assert preferring_dfe["value"].tolist() == dfe["value"].tolist()


def test_export_writes_both_with_their_origin_last(engine, tmp_path, local_value):
    load_published(engine)
    import_file(engine, year_end_return(tmp_path / "year_end.xlsx", local_value))
    out = io.StringIO()
    write_export(engine, out, measure=MEASURE, area=CHESHIRE_EAST)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0])[-1] == "origin"
    this_year = [(r["origin"], float(r["value"])) for r in rows if r["period_end"] == f"{YEAR}-03-31"]
    assert this_year == [("local", local_value), ("published", published_percent(CHESHIRE_EAST, YEAR))]

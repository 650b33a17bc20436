"""The measure page and the export with figures computed from a council's 903 beside DfE's published ones:
the 903 beside DfE for every year with the flag, how the 903 gives the measure, the council's return and its
903 for one period (the one loaded last shown and named), no summed percentages, benchmarking on DfE's
figures only, the export's origin, and no child's identifier anywhere a page shows."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from charts.sources import day_words
from db import queries
from db.engine import connect
from db.models import LOCAL, PUBLISHED, SSDA903
from db.writes import BatchInfo, apply_batch
from loaders.cli import main
from loaders.export import write_export
from metrics.comparison import compare
from metrics.formatting import format_value
from metrics.ssda903.beside import BesideDfE
from metrics.ssda903.methods import how_computed
from reference.areas import areas
from reference.catalogue import catalogue
from scripts.make_903 import generate
from tests.app_database import copy_database, published_database
from tests.test_app_pages import environment, open_page, table_text, texts
from views.charts import measure_tables
from views.overview import scorecard
from views.own_figures import own_figures
from views.reads import database_reads
from views.scope import Scope

HOME = "E06000049"  # Cheshire East, the generated set's council
PERCENT = "stab_3plus_pct"  # a percentage over the 12 months to each month end
ADDS_UP = "cla_starts"  # a count that adds up: each month's own count, the year's is the 12 months'
MARCH = pd.Timestamp("2025-03-31")
RETURN_FILE = "cheshire_east_monthly.csv"


@dataclass(frozen=True)
class Databases:
    only_903: str  # DfE's published figures and the 903 set
    return_last: str  # ... and then a council return giving March 2025 of PERCENT
    set_903_last: str  # DfE's, the same return, then the 903 set
    children: frozenset[str]  # every CHILD of the generated set


def _return_batch(url: str) -> None:
    """The council's own return for March 2025 of PERCENT (20 of 100), loaded as any return is."""
    frame = pd.DataFrame([dict(measure_code=PERCENT, area_code=HOME, period_type="month", period_end=date(2025, 3, 31),
                               dimension="", category="", value=20.0, numerator=20.0, denominator=100.0,
                               status="value")])
    info = BatchInfo(RETURN_FILE, hashlib.sha256(RETURN_FILE.encode()).hexdigest(), "return", ["Sheet1"], "tester")
    apply_batch(connect(url), info, frame)


def _import_903(url: str, folder: Path) -> None:
    assert main(["import", str(folder), "--area", HOME, "--db", url]) == 0


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> Iterator[Databases]:
    folder = tmp_path_factory.mktemp("ssda903_pages")
    made = generate(children=150, years=3, seed=5, last_year=2025)
    made.write(folder / "903")
    children = set()
    for name, content in made.files.items():
        if name.endswith("header.csv"):
            children |= {row["CHILD"] for row in csv.DictReader(io.StringIO(content.decode("utf-8")))}
    only_903 = published_database(folder / "only_903.db")
    _import_903(only_903, folder / "903")
    return_last = copy_database(only_903, folder / "return_last.db")
    _return_batch(return_last)
    set_903_last = published_database(folder / "set_903_last.db")
    _return_batch(set_903_last)
    _import_903(set_903_last, folder / "903")
    yield Databases(only_903, return_last, set_903_last, frozenset(children))
    for url in (only_903, return_last, set_903_last):
        connect(url).dispose()
    connect.cache_clear()


def _rows(url: str, code: str) -> pd.DataFrame:
    return queries.observations(connect(url), measures=[code], areas=[HOME])


def _one(rows: pd.DataFrame, origin: str, period_type: str, end: pd.Timestamp) -> pd.Series:
    found = rows[(rows["origin"] == origin) & (rows["period_type"] == period_type) & (rows["period_end"] == end)]
    assert len(found) == 1, found
    return found.iloc[0]


def _loaded(url: str, source: str) -> str:
    batches = queries.batches(connect(url))
    return day_words(pd.Timestamp(batches[batches["source"] == source]["imported_at"].iloc[0]))


def _expected_beside(url: str, code: str, year_end: pd.Timestamp) -> str:
    rows = _rows(url, code)
    ours, dfe = _one(rows, SSDA903, "year", year_end), _one(rows, PUBLISHED, "year", year_end)
    return BesideDfE(year_end.year, ours["value"], ours["numerator"], ours["denominator"], dfe["value"]).sentence(
        catalogue().get(code))


def _no_child(said: str, children: frozenset[str]) -> None:
    assert children, "the generated set has children"
    leaked = sorted(c for c in children if c in said)
    assert not leaked, f"child identifiers shown: {leaked[:5]}"


# The measure page through the app ------------------------------------------------------------------------

def test_the_measure_page_shows_the_903_beside_dfe_with_the_flag_and_how_it_is_computed(databases, monkeypatch):
    for key, value in environment(databases.only_903, DASHBOARD_HOME_AREA="Cheshire East").items():
        monkeypatch.setenv(key, value)
    at = open_page("measure", {"measure": PERCENT})
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    for year in (2023, 2024, 2025):  # every year DfE published that the 903 gives
        sentence = _expected_beside(databases.only_903, PERCENT, pd.Timestamp(year=year, month=3, day=31))
        assert sentence in said
    assert "From your 903: " in said and "; DfE 2024-25: " in said
    assert "These differ by more than DfE's rounding" in said  # the generated council is not DfE's Cheshire East
    assert f"from your 903 return, loaded {_loaded(databases.only_903, SSDA903)}" in said
    assert "How this is computed" in [e.label for e in at.expander]
    first_line = how_computed(PERCENT).rules[0]
    assert first_line in said
    _no_child(said + table_text(at), databases.children)


def test_the_measure_page_names_the_return_when_it_was_loaded_after_the_903(databases, monkeypatch):
    for key, value in environment(databases.return_last, DASHBOARD_HOME_AREA="Cheshire East").items():
        monkeypatch.setenv(key, value)
    at = open_page("measure", {"measure": PERCENT})
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    loaded = _loaded(databases.return_last, "return")
    assert f"from your return {RETURN_FILE}, loaded {loaded}" in said
    assert f"March 2025: 20% from your return {RETURN_FILE}, loaded {loaded}, shown as the council's figure" in said
    assert "differ by more than rounding" in said
    _no_child(said + table_text(at), databases.children)


# The same views, called directly ----------------------------------------------------------------------------

def test_the_figure_loaded_last_is_the_councils_own_and_a_difference_is_flagged(databases):
    measure = catalogue().get(PERCENT)
    ours = _one(_rows(databases.only_903, PERCENT), SSDA903, "month", MARCH)
    ours_text = format_value(ours["value"], measure)

    later_return = own_figures(database_reads(connect(databases.return_last)), HOME, PERCENT, MARCH)
    assert later_return.shown_from.startswith(f"from your return {RETURN_FILE}, loaded ")
    [both] = later_return.return_and_903
    assert both.startswith(f"March 2025: 20% from your return {RETURN_FILE}")
    assert f"{ours_text} from your 903 return" in both and "differ by more than rounding" in both

    later_903 = own_figures(database_reads(connect(databases.set_903_last)), HOME, PERCENT, MARCH)
    assert later_903.shown_from.startswith("from your 903 return, loaded ")
    [both] = later_903.return_and_903
    assert both.startswith(f"March 2025: {ours_text} from your 903 return")
    assert f"; 20% from your return {RETURN_FILE}" in both

    for url, shown in ((databases.return_last, "20%"), (databases.set_903_last, ours_text)):
        reads = database_reads(connect(url))
        row = next(r for r in scorecard(reads, Scope(HOME, MARCH.date(), MARCH.date())) if r.measure_code == PERCENT)
        assert row.value_text == shown  # the scorecard and every page show the one loaded last
        values = measure_tables(reads, Scope(HOME, date(2024, 4, 1), MARCH.date()), PERCENT).values
        march = values[values["Period"] == "March 2025"].iloc[0]
        assert march["Council's own figure"] == shown
        assert "Council return" in march["Source"] and "Council's SSDA903 return" in march["Source"]


def test_a_return_and_a_903_within_rounding_are_not_flagged(databases, tmp_path):
    url = copy_database(databases.only_903, tmp_path / "same.db")
    ours = _one(_rows(url, PERCENT), SSDA903, "month", MARCH)
    frame = pd.DataFrame([dict(measure_code=PERCENT, area_code=HOME, period_type="month", period_end=date(2025, 3, 31),
                               dimension="", category="", value=float(round(ours["value"])), numerator=None,
                               denominator=None, status="value")])
    apply_batch(connect(url), BatchInfo("typed.csv", "a" * 64, "return", ["Sheet1"], "tester"), frame)
    [both] = own_figures(database_reads(connect(url)), HOME, PERCENT, MARCH).return_and_903
    assert "differ" not in both
    connect(url).dispose()


def test_every_measure_the_903_gives_says_how_it_is_computed_and_holds_no_figure_or_child(databases):
    reads = database_reads(connect(databases.only_903))
    obs = queries.observations(connect(databases.only_903), areas=[HOME], origin=SSDA903)
    given = set(obs["measure_code"])
    assert PERCENT in given and ADDS_UP in given
    for code in sorted(given):
        figures = own_figures(reads, HOME, code, MARCH)
        assert figures.how_computed == how_computed(code).text != ""
        _no_child(figures.how_computed + " ".join(figures.beside_dfe), databases.children)


def test_a_percentage_is_never_summed_over_its_months_and_a_count_year_is_the_903s_31_march(databases):
    reads = database_reads(connect(databases.only_903))
    scope = Scope(HOME, date(2024, 4, 1), MARCH.date())
    for code in (PERCENT, ADDS_UP):
        measure = catalogue().get(code)
        rows = _rows(databases.only_903, code)
        year = _one(rows, SSDA903, "year", MARCH)
        months = rows[(rows["origin"] == SSDA903) & (rows["period_type"] == "month")]
        assert len(months) == 12
        values = measure_tables(reads, scope, code).values
        shown_year = values[values["Period"] == "2024-25"].iloc[0]
        assert shown_year["Council's own figure"] == format_value(year["value"], measure)
        if code == PERCENT:  # the year is the 12 months to 31 March, as is March's month figure: never a sum
            assert year["value"] == _one(rows, SSDA903, "month", MARCH)["value"]
            assert shown_year["Council's own figure"] != format_value(months["value"].sum(), measure)
        else:  # a count that adds up: each month its own count, the year all twelve
            assert months["value"].sum() == year["value"]
        beside = own_figures(reads, HOME, code, MARCH).beside_dfe[0]
        assert beside.startswith(f"From your 903: {format_value(year['value'], measure, decimals=1 if measure.is_percent else None)}")


def test_benchmarking_reads_dfes_figure_never_the_903s(databases):
    reads = database_reads(connect(databases.only_903))
    measure = catalogue().get(PERCENT)
    rows = _rows(databases.only_903, PERCENT)
    dfe, ours = _one(rows, PUBLISHED, "year", MARCH), _one(rows, SSDA903, "year", MARCH)
    assert dfe["value"] != ours["value"]
    directory = areas()
    published = reads.published()
    found = compare(published[published["measure_code"] == PERCENT], rows, measure, directory.get(HOME), directory,
                    2025)
    assert (found.own.value, found.own.origin) == (dfe["value"], PUBLISHED)
    assert found.published.value == dfe["value"]
    tables = measure_tables(reads, Scope(HOME, date(2024, 4, 1), MARCH.date()), PERCENT)
    comparators = tables.comparators
    assert comparators.loc[comparators["Year"] == "2024-25", "Cheshire East"].iloc[0] == format_value(dfe["value"], measure)


def test_the_export_says_ssda903_and_public_mode_hides_the_903s_small_figures(databases):
    engine = connect(databases.only_903)
    full, public = io.StringIO(), io.StringIO()
    write_export(engine, full, area=HOME)
    write_export(engine, public, area=HOME, public=True, threshold=5)
    full_rows = list(csv.DictReader(io.StringIO(full.getvalue())))
    public_rows = list(csv.DictReader(io.StringIO(public.getvalue())))
    origins = {row["origin"] for row in full_rows}
    assert {SSDA903, PUBLISHED} <= origins and LOCAL not in origins
    key = ("measure", "period_type", "period_end", "dimension", "category", "origin")
    hidden = {tuple(r[k] for k in key): r for r in public_rows}
    small = [r for r in full_rows if r["origin"] == SSDA903 and r["status"] == "value" and (
        (catalogue().get(r["measure"]).is_count and float(r["value"]) < 5)
        or (r["numerator"] not in ("", None) and float(r["numerator"]) < 5))]
    assert small, "the small generated council has small 903 figures"
    for row in small:
        shown = hidden[tuple(row[k] for k in key)]
        assert (shown["status"], shown["value"], shown["numerator"]) == ("c", "", "")
    published_small = [r for r in full_rows if r["origin"] == PUBLISHED and r["status"] == "value"]
    assert all(hidden[tuple(r[k] for k in key)]["value"] == r["value"] for r in published_small)
    _no_child(full.getvalue(), databases.children)

"""Statistical neighbour releases: both shipped groupings kept, the current one used, and on the Benchmarking
page the choice between the current grouping and the one in force each year.

Neighbours expected are read from DfE's files themselves (openpyxl, csv), figures from the EES table.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from db.engine import connect
from db.reference_queries import neighbour_releases
from loaders.published import load_published_files, load_published_if_empty
from reference.areas import shipped_areas, use_directory
from reference.neighbours import current_release, release_in_force
from reference.stored import stored_directory
from settings import DATA_DIR, PROJECT_ROOT
from tests.databases import new_database
from tests.test_app_pages import texts

DFE = DATA_DIR / "dfe"
APP = str(PROJECT_ROOT / "app.py")
PAGE = "app_pages/benchmarking.py"
CHESHIRE_EAST, CHESHIRE_EAST_NUMBER = "E06000049", "895"
CLA = "cla_number_and_rate_per_10k_children.csv"


@functools.cache
def may_2025(number: str) -> tuple[str, ...]:
    rows = openpyxl.load_workbook(DFE / "sn_may_2025.xlsx", read_only=True).worksheets[0].iter_rows(values_only=True)
    rows = list(rows)
    header = [str(c) for c in rows[2]]
    row = next(r for r in rows[3:] if str(r[0]) == number)
    return tuple(str(row[header.index(f"SN{i}")]) for i in range(1, 11))


@functools.cache
def april_2021(number: str) -> tuple[str, ...]:
    with (DFE / "sn_april_2021.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    row = next(r for r in rows[1:] if r[0] == number)
    return tuple(row[header.index(f"SN{i}")] for i in range(1, 11))


@functools.cache
def cla_rows() -> tuple[dict[str, str], ...]:
    with (DFE / CLA).open(encoding="utf-8-sig", newline="") as handle:
        return tuple(r for r in csv.DictReader(handle)
                     if r["population_type"] == "Children looked after on 31 March each year")


def names_of(numbers: tuple[str, ...]) -> list[str]:
    by_number = {r["old_la_code"]: r["la_name"] for r in cla_rows() if r["old_la_code"]}
    return [by_number[n] for n in numbers]


def rate_average(numbers: tuple[str, ...], year: int) -> str:
    by_number = {r["old_la_code"]: r["rate_per_10000"] for r in cla_rows() if r["time_period"] == str(year)}
    values = [float(by_number[n]) for n in numbers]
    mean = Decimal(repr(sum(values) / len(values))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{mean:,} per 10,000"


@pytest.fixture(autouse=True)
def shipped_reference() -> Iterator[None]:
    """Each test starts and ends with the shipped areas in use (a page run installs the database's)."""
    use_directory(None)
    yield
    use_directory(None)


@pytest.fixture(scope="module")
def releases_url(tmp_path_factory) -> Iterator[str]:
    """The children looked after table and both shipped neighbour releases, as first start loads them."""
    url = new_database(tmp_path_factory.mktemp('releases') / 'dashboard.db')
    engine = connect(url)
    reports = load_published_files(engine, [DFE / CLA, DFE / "sn_may_2025.xlsx", DFE / "sn_april_2021.csv"])
    assert all(r.status == "loaded" for r in reports), [r.summary() for r in reports]
    yield url
    engine.dispose()


def test_first_start_loads_both_shipped_releases_once_and_the_current_is_may_2025(engine):
    reports = load_published_if_empty(engine)
    summaries = [r.summary() for r in reports if r.file_name.startswith("sn_")]
    assert len(summaries) == 2 and all(" loaded as batch " in s for s in summaries), summaries
    releases = neighbour_releases(engine)
    assert [(r.label, r.file_name) for r in releases] == [("April 2021", "sn_april_2021.csv"),
                                                          ("May 2025", "sn_may_2025.xlsx")]
    assert current_release(releases).label == "May 2025"
    assert [n for _, n, _ in releases[0].groups[CHESHIRE_EAST_NUMBER]] == list(april_2021(CHESHIRE_EAST_NUMBER))
    assert [n for _, n, _ in releases[1].groups[CHESHIRE_EAST_NUMBER]] == list(may_2025(CHESHIRE_EAST_NUMBER))
    assert load_published_if_empty(engine) == []  # the next start loads nothing


def test_the_grouping_in_force_is_the_latest_dated_on_or_before_the_years_end_else_the_earliest(engine):
    load_published_files(engine, [DFE / "sn_may_2025.xlsx", DFE / "sn_april_2021.csv"])
    releases = neighbour_releases(engine)
    assert release_in_force(releases, date(2020, 3, 31)).label == "April 2021"  # before any: the earliest
    assert release_in_force(releases, date(2022, 3, 31)).label == "April 2021"
    assert release_in_force(releases, date(2025, 3, 31)).label == "April 2021"  # May 2025 came after March
    assert release_in_force(releases, date(2026, 3, 31)).label == "May 2025"
    # Cumberland (942) was created in 2023: the 2021 grouping has no neighbours for it, so its own earliest is used.
    assert release_in_force(releases, date(2022, 3, 31), "942").label == "May 2025"


def test_the_current_release_gives_the_neighbours_and_the_shipped_csv_is_the_fallback(engine):
    assert stored_directory(engine) is shipped_areas()  # nothing stored: the shipped CSV
    shipped = [a.dfe_number for a in shipped_areas().neighbours(CHESHIRE_EAST)]
    assert shipped == list(may_2025(CHESHIRE_EAST_NUMBER))

    load_published_files(engine, [DFE / "sn_april_2021.csv"])
    directory = stored_directory(engine)
    assert [a.dfe_number for a in directory.neighbours(CHESHIRE_EAST)] == list(april_2021(CHESHIRE_EAST_NUMBER))
    assert len(directory.neighbours("E06999901")) == 10  # the sample council borrows Cheshire East's

    load_published_files(engine, [DFE / "sn_may_2025.xlsx"])
    directory = stored_directory(engine)
    assert [a.dfe_number for a in directory.neighbours(CHESHIRE_EAST)] == list(may_2025(CHESHIRE_EAST_NUMBER))


def open_benchmarking(url: str, monkeypatch, year: int) -> AppTest:
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": CHESHIRE_EAST}.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["measure"] = "cla_rate"
    at.query_params["year"] = str(year)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def neighbour_rows(at: AppTest) -> list[str]:
    [frame] = [f.value for f in at.dataframe if "Who" in f.value.columns]
    return [frame[frame["Who"] == f"Statistical neighbour {i}"]["Area"].iloc[0] for i in range(1, 11)]


def average_card(at: AppTest) -> str:
    [frame] = [f.value for f in at.dataframe if "Who" in f.value.columns]
    return str(frame[frame["Area"].str.startswith("Statistical neighbour average")]["Figure"].iloc[0])


def test_the_benchmarking_page_names_the_release_and_the_choice_switches_the_neighbours(releases_url, monkeypatch):
    at = open_benchmarking(releases_url, monkeypatch, 2022)
    radio = at.sidebar.radio(key="benchmark_grouping")
    assert radio.options == ["the current grouping (May 2025)", "the grouping in force each year"]
    assert "Statistical neighbours as named by DfE in May 2025." in texts(at)
    current = may_2025(CHESHIRE_EAST_NUMBER)
    assert neighbour_rows(at) == names_of(current)
    assert average_card(at) == rate_average(current, 2022)

    radio.set_value("in_force").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Statistical neighbours as named by DfE in April 2021." in texts(at)
    earlier = april_2021(CHESHIRE_EAST_NUMBER)
    assert earlier != current
    assert neighbour_rows(at) == names_of(earlier)
    assert average_card(at) == rate_average(earlier, 2022)
    # The trend says which release each year used: every EES year (2021-2025) ends before May 2025.
    [trend] = [line for line in texts(at).splitlines() if "yearly figure beside" in line]
    assert trend.endswith("Statistical neighbours as named by DfE in April 2021.")


def test_a_trend_spanning_two_releases_says_which_years_each_named():
    from metrics.benchmarking import releases_text
    from reference.neighbours import NeighbourRelease

    april, may = NeighbourRelease(date(2021, 4, 1), "a.csv"), NeighbourRelease(date(2025, 5, 1), "b.xlsx")
    used = {2021: april, 2022: april, 2025: april, 2026: may}
    assert releases_text(used) == ("Statistical neighbours as named by DfE in April 2021 for 2020-21 to 2024-25 "
                                   "and May 2025 for 2025-26.")
    assert releases_text({2026: may}) == "Statistical neighbours as named by DfE in May 2025."

"""The Benchmarking page on DfE's real published figures, run through Streamlit's AppTest.

The database is loaded once for the module from the shipped files (data/dfe), as the app does on first
start. Every expected figure is worked out here from the source files themselves (csv module, openpyxl,
pyarrow) by DfE's and LAIT's rules, never read back from the code under test.
"""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from db import queries
from db.engine import connect
from metrics.benchmarking import comparators_in_view, in_year_sentence
from reference.areas import areas
from reference.catalogue import catalogue
from settings import DATA_DIR, PROJECT_ROOT
from tests import app_database
from tests.databases import new_database
from tests.test_app_pages import texts, walk

APP = str(PROJECT_ROOT / "app.py")
PAGE = "app_pages/benchmarking.py"
TIMEOUT = 120
DFE = DATA_DIR / "dfe"
CHESHIRE_EAST, CHESHIRE_EAST_NUMBER = "E06000049", "895"
SAMPLE_COUNCIL = "E06999901"
ENGLAND = "E92000001"

# How each measure the tests check is picked out of DfE's tables: (file, filter columns, value column).
SOURCES = {
    "cla_rate": ("cla_number_and_rate_per_10k_children.csv",
                 {"population_type": "Children looked after on 31 March each year"}, "rate_per_10000"),
    "cla_count": ("cla_number_and_rate_per_10k_children.csv",
                  {"population_type": "Children looked after on 31 March each year"}, "children_count"),
    "stab_3plus_pct": ("la_cla_placement_stability.csv",
                       {"cla_group": "CLA on 31 March",
                        "placement_stability": "With 3 or more placements during the year"}, "children_percent"),
    "cl_accom_17_18": ("la_care_leavers_accommodation_suitability.csv",
                       {"care_leaver_age": "17 to 18 years", "breakdown": "Accommodation considered suitable"},
                       "care_leaver_percent"),
}


# ---- the source files --------------------------------------------------------------------------------

@functools.cache
def source_rows(name: str) -> tuple[dict[str, str], ...]:
    with (DFE / name).open(newline="", encoding="utf-8-sig") as handle:
        return tuple(csv.DictReader(handle))


def area_of(row: dict[str, str]) -> str:
    return {"National": row["country_code"], "Regional": row["region_code"]}.get(row["geographic_level"],
                                                                                   row["new_la_code"])


def published(measure: str, year: int) -> dict[str, str]:
    """ONS code -> the text DfE published (a number or a symbol) for every area in the year."""
    name, filters, column = SOURCES[measure]
    return {area_of(r): r[column] for r in source_rows(name)
            if r["time_period"] == str(year) and all(r[k] == v for k, v in filters.items())}


def council_values(measure: str, year: int) -> dict[str, float]:
    """Councils' published numbers (symbols left out, never zero)."""
    name, filters, column = SOURCES[measure]
    out = {}
    for r in source_rows(name):
        if (r["time_period"] == str(year) and r["geographic_level"] == "Local authority"
                and all(r[k] == v for k, v in filters.items())):
            try:
                out[r["new_la_code"]] = float(r[column])
            except ValueError:
                continue
    return out


@functools.cache
def neighbour_numbers(dfe_number: str) -> tuple[str, ...]:
    """SN1..SN10 of DfE's May 2025 benchmarking tool (header on the third row)."""
    sheet = openpyxl.load_workbook(DFE / "sn_may_2025.xlsx", read_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    for _ in range(2):
        next(rows)
    header = [str(c) for c in next(rows)]
    for row in rows:
        if str(row[0]) == dfe_number:
            return tuple(str(row[header.index(f"SN{i}")]) for i in range(1, 11))
    raise LookupError(dfe_number)


def neighbours(dfe_number: str = CHESHIRE_EAST_NUMBER) -> list[tuple[str, str]]:
    """(ONS code, name) of each neighbour, closest first, named as DfE's tables name them."""
    by_number = {r["old_la_code"]: (r["new_la_code"], r["la_name"])
                 for r in source_rows("cla_number_and_rate_per_10k_children.csv") if r["old_la_code"]}
    return [by_number[n] for n in neighbour_numbers(dfe_number)]


def whole(value: float, decimals: int = 0) -> str:
    """Half-up rounding, as published tables round."""
    return f"{Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):,}"


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def lait_rank_and_band(values: dict[str, float], area: str, polarity: str) -> tuple[int, str, int]:
    """LAIT's rules: ties share the best rank; quartiles by linear interpolation; A is the best quarter."""
    mine = values[area]
    better = [v for v in values.values() if (v > mine if polarity == "higher" else v < mine)]
    q1, median, q3 = np.quantile(list(values.values()), [0.25, 0.5, 0.75])
    position = 0 if mine <= q1 else 1 if mine <= median else 2 if mine <= q3 else 3
    band = ("A", "B", "C", "D")[position] if polarity == "lower" else ("D", "C", "B", "A")[position]
    return len(better) + 1, band, len(values)


# ---- the app -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> Iterator[str]:
    """DfE's published figures for every council, as the app loads them on first start."""
    url = app_database.published_database(tmp_path_factory.mktemp('benchmarking') / 'published.db')
    yield url
    connect(url).dispose()


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> Iterator[str]:
    """The published figures and the fictional sample council's own monthly and quarterly returns."""
    url = app_database.sample_database(tmp_path_factory.mktemp("benchmarking_sample") / "sample.db")
    yield url
    connect(url).dispose()


def environment(monkeypatch, url: str, home: str) -> None:
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": home}.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def cheshire_east(published_url, monkeypatch) -> str:
    environment(monkeypatch, published_url, CHESHIRE_EAST)
    return published_url


def open_benchmarking(params: dict[str, str] | None = None) -> AppTest:
    """Run the app, go to the Benchmarking page with the URL's parameters, and return the finished run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def key_figures(at: AppTest) -> dict[str, str]:
    """The cards at the top: label -> the figure in large type."""
    out, label = {}, None
    for element in walk(at.main):
        if element.type == "caption":
            label = str(element.value)
        elif element.type == "markdown" and str(element.value).startswith("#### ") and label:
            out[label] = str(element.value).removeprefix("#### ")
    return out


def table(at: AppTest, column: str) -> pd.DataFrame:
    frames = [frame.value for frame in at.dataframe if column in frame.value.columns]
    assert frames, f"no table with a {column!r} column"
    return frames[0]


def chart(at: AppTest, key: str) -> dict:
    """The Plotly figure drawn with this key, as the browser receives it."""
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(key):
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def figure_of(rows: pd.DataFrame, area: str) -> str:
    found = rows[rows["Area"] == area]
    assert len(found) == 1, f"{area!r} not listed once"
    return str(found["Figure"].iloc[0])


# ---- the tests ---------------------------------------------------------------------------------------

def test_cheshire_east_rate_per_10000_beside_its_neighbours_region_and_england(cheshire_east):
    at = open_benchmarking({"measure": "cla_rate", "year": "2025"})
    given = published("cla_rate", 2025)
    cards = key_figures(at)
    assert given[CHESHIRE_EAST] == "66"
    assert cards["Cheshire East"] == "66 per 10,000"
    assert cards["England"] == f"{given[ENGLAND]} per 10,000"
    assert cards["North West"] == f"{given['E12000002']} per 10,000"

    named = neighbours()
    mean = sum(float(given[code]) for code, _ in named) / len(named)
    assert cards["Statistical neighbour average"] == f"{whole(mean)} per 10,000"
    assert "10 of 10 councils with a published figure" in texts(at)

    rows = table(at, "Source")
    assert [rows[rows["Who"] == f"Statistical neighbour {i}"]["Area"].iloc[0] for i in range(1, 11)] == [
        name for _, name in named]
    for code, name in named:
        assert figure_of(rows, name) == f"{given[code]} per 10,000"
    assert figure_of(rows, "Statistical neighbour average (10 of 10 councils)") == f"{whole(mean)} per 10,000"

    bars = chart(at, "benchmark_bars")
    average = next(t for t in bars["data"] if t["name"] == "Statistical neighbour average")
    assert average["x"][0] == pytest.approx(mean)
    neighbour_bars = next(t for t in bars["data"] if t["name"] == "Statistical neighbours")
    assert sorted(neighbour_bars["customdata"]) == sorted(name for _, name in named)


def test_a_measure_with_no_polarity_gets_no_rank_or_quartile(cheshire_east):
    at = open_benchmarking({"measure": "cla_rate", "year": "2025"})
    said = texts(at)
    assert "Neither higher nor lower is better for rate per 10,000 children, so no rank or quartile is given" in said
    assert "ranked" not in said
    assert "Quartile" not in table(at, "Source").columns


@pytest.mark.parametrize(("measure", "polarity"), [("stab_3plus_pct", "lower"), ("cl_accom_17_18", "higher")])
@pytest.mark.parametrize("year", [2021, 2025])
def test_rank_and_quartile_read_by_polarity_as_lait_counts_them(cheshire_east, measure, polarity, year):
    assert catalogue().get(measure).polarity == polarity
    at = open_benchmarking({"measure": measure, "year": str(year)})
    values = council_values(measure, year)
    rank, band, of = lait_rank_and_band(values, CHESHIRE_EAST, polarity)
    quarter = {"A": "1st", "B": "2nd", "C": "3rd", "D": "4th"}[band]
    tied = sum(v == values[CHESHIRE_EAST] for v in values.values())
    joint = "joint " if tied > 1 else ""
    assert f"{quarter} quartile ({band})" in texts(at) or f"band {band}, as LAIT gives it" in texts(at)
    assert f"ranked {joint}{ordinal(rank)} of {of}" in texts(at).lower()
    rows = table(at, f"Rank of {of}")
    mine = rows[rows["Area"] == "Cheshire East"].iloc[0]
    assert mine[f"Rank of {of}"] == f"{joint}{rank}" and mine["Quartile"].split(" ")[0] == band
    for code, name in neighbours():
        if code in values:
            expected = lait_rank_and_band(values, code, polarity)
            listed = rows[rows["Area"] == name].iloc[0]
            shared = "joint " if sum(v == values[code] for v in values.values()) > 1 else ""
            assert listed[f"Rank of {of}"] == f"{shared}{expected[0]}" and listed["Quartile"].split(" ")[0] == expected[1]


def loaded_council_values(url: str, measure: str, year: int) -> dict[str, float]:
    """Every council's published number for the year as loaded from data/dfe (LAIT's file for a measure only
    LAIT publishes), symbols left out."""
    councils = {a.code for a in areas().local_authorities(include_fictional=False, current_only=False)}
    rows = queries.observations(connect(url), measures=[measure])
    rows = rows[(rows["origin"] == "published") & (rows["period_type"] == "year") & (rows["dimension"] == "")
                & (rows["period_end"] == pd.Timestamp(date(year, 3, 31))) & rows["area_code"].isin(councils)
                & (rows["status"] == "value")]
    return dict(zip(rows["area_code"], rows["value"].astype(float), strict=True))


@pytest.mark.parametrize(("home", "measure", "year", "expected"), [
    # higher is better: 13 councils share 63%, the lower quartile; 112th of 150 is in the third quarter, band D
    (CHESHIRE_EAST, "stab_long_pct", 2025,
     "Ranked joint 112th of 150 (13 councils at 63%); band D, as LAIT gives it: 63% is LAIT's line between bands "
     "C and D (the lower quartile of all councils' figures), and where higher is better LAIT puts a figure on a "
     "line in the worse of the two bands."),
    # lower is better: 6 councils share 13%, the lower quartile; 38th of 151 is just past the top quarter, band A
    ("E06000001", "cla_20miles_pct", 2025,
     "Ranked joint 38th of 151 (6 councils at 13%); band A, as LAIT gives it: 13% is LAIT's line between bands "
     "A and B (the lower quartile of all councils' figures), and where lower is better LAIT puts a figure on a "
     "line in the better of the two bands."),
])
def test_a_band_the_rank_would_not_suggest_says_why_beside_it(published_url, monkeypatch, home, measure, year,
                                                             expected):
    values = loaded_council_values(published_url, measure, year)
    polarity = catalogue().get(measure).polarity
    rank, band, of = lait_rank_and_band(values, home, polarity)
    assert band != "ABCD"[-(-4 * rank // of) - 1]  # the band is not the quarter of the ranking the rank is in
    environment(monkeypatch, published_url, home)
    at = open_benchmarking({"measure": measure, "year": str(year)})
    assert f"**Rank and quartile.** {expected}" in [str(m.value) for m in at.markdown]
    rows = table(at, f"Rank of {of}")
    mine = rows[rows["Area"] == areas().get(home).name].iloc[0]
    assert mine[f"Rank of {of}"] == f"joint {rank}"
    assert mine["Quartile"].startswith(f"{band} (") and "is LAIT's line between" in mine["Quartile"]


def test_a_suppressed_neighbour_reads_suppressed_and_is_left_out_of_the_average(cheshire_east):
    at = open_benchmarking({"measure": "cl_accom_17_18", "year": "2025"})
    given = published("cl_accom_17_18", 2025)
    named = neighbours()
    suppressed = [name for code, name in named if given[code] == "c"]
    assert suppressed  # DfE suppressed at least one of Cheshire East's neighbours that year
    with_values = [float(given[code]) for code, _ in named if given[code] != "c"]
    rows = table(at, "Source")
    for name in suppressed:
        assert figure_of(rows, name) == "suppressed"
    label = f"Statistical neighbour average ({len(with_values)} of 10 councils)"
    assert figure_of(rows, label) == f"{whole(sum(with_values) / len(with_values))}%"
    said = texts(at)
    assert f"{len(with_values)} of 10 councils with a published figure" in said
    assert all(f"{name}: suppressed" in said for name in suppressed)
    bars = chart(at, "benchmark_bars")
    drawn = [name for trace in bars["data"] for name in trace.get("customdata") or []]
    assert not set(suppressed) & set(drawn)  # no bar at all, not a bar of 0
    notes = [a["text"] for a in bars["layout"]["annotations"]]
    assert sum("suppressed" in note for note in notes) >= len(suppressed)


def test_the_published_years_with_where_each_figure_came_from_in_words(cheshire_east):
    at = open_benchmarking({"measure": "cla_rate", "year": "2025"})
    sources = table(at, "Year")
    lait = pq.read_table(DFE / "bds_long_0.parquet", columns=["Short Desc", "Years", "Values", "LA Number"],
                         filters=[("Short Desc", "=", "LAC"), ("LA Number", "=", float(CHESHIRE_EAST_NUMBER))])
    lait_years = {int(y): v for y, v in zip(lait.column("Years").to_pylist(), lait.column("Values").to_pylist(),
                                            strict=True)}
    assert min(lait_years) == 2016
    years = list(range(2016, 2026))
    assert list(sources["Year"]) == [f"{y - 1}-{y % 100:02d}" for y in reversed(years)]
    by_year = sources.set_index("Year")
    assert by_year.loc["2015-16", "Cheshire East"] == f"{lait_years[2016]} per 10,000"
    assert by_year.loc["2015-16", "Source"] == "DfE: Local Authority Interactive Tool (LAIT), 2016"
    assert by_year.loc["2024-25", "Source"] == "DfE: Children looked after in England including adoptions, 2025"
    shown = " ".join(str(cell) for frame in at.dataframe for cell in frame.value.to_numpy().ravel())
    assert not any(suffix in shown for suffix in (".parquet", ".csv")), "a table names a file, not its source"
    assert by_year.loc["2024-25", "Cheshire East"] == f"{published('cla_rate', 2025)[CHESHIRE_EAST]} per 10,000"
    trend = chart(at, "benchmark_trend")
    names = [trace["name"].replace("<br>", " ") for trace in trend["data"]]
    assert names == ["Cheshire East", "Statistical neighbour average", "England"]
    assert all(len(trace["x"]) == len(years) for trace in trend["data"])
    assert [x[:10] for x in trend["data"][0]["x"]] == [f"{y}-03-31" for y in years]


def test_the_year_follows_the_url_and_the_select_box(cheshire_east):
    at = open_benchmarking({"measure": "cla_count", "year": "2021"})
    assert key_figures(at)["Cheshire East"] == f"{int(published('cla_count', 2021)[CHESHIRE_EAST]):,}"
    assert "2020-21 (year to 31 March 2021)" in [s.value for s in at.subheader]
    box = next(s for s in at.sidebar.selectbox if s.label == "Year")
    assert list(box.options) == [f"{y - 1}-{y % 100:02d} (year to 31 March {y})" for y in range(2016, 2026)]
    box.set_value(2023).run()
    assert not at.exception
    assert at.query_params["year"] in ("2023", ["2023"])
    assert key_figures(at)["Cheshire East"] == f"{int(published('cla_count', 2023)[CHESHIRE_EAST]):,}"


def test_a_new_measure_without_the_chosen_year_moves_to_its_latest_year_quietly(cheshire_east):
    at = open_benchmarking({"measure": "cla_rate", "year": "2016"})
    assert "2015-16 (year to 31 March 2016)" in [s.value for s in at.subheader]
    next(s for s in at.sidebar.selectbox if s.label == "Measure").set_value("cl_accom_17_18").run()
    assert not at.exception
    assert "2024-25 (year to 31 March 2025)" in [s.value for s in at.subheader]
    assert not at.warning
    assert at.query_params["year"] in ("2025", ["2025"])


@pytest.mark.parametrize("asked", ["1999", "next year", ""])
def test_a_year_without_published_figures_says_so_and_shows_the_latest(cheshire_east, asked):
    at = open_benchmarking({"measure": "cla_rate", "year": asked})
    assert "2024-25 (year to 31 March 2025)" in [s.value for s in at.subheader]
    if asked:
        assert any(f"'{asked}'" in w.value for w in at.warning)


def test_a_council_whose_own_figure_was_not_published_has_no_rank_and_no_zero(cheshire_east):
    lait = pq.read_table(DFE / "bds_long_0.parquet", columns=["Short Desc", "Years", "Values", "LA Number"],
                         filters=[("Short Desc", "=", "CareLeaverAcc"), ("LA Number", "=", float(CHESHIRE_EAST_NUMBER)),
                                  ("Years", "=", "2018")])
    assert lait.column("Values").to_pylist() == ["-"]  # LAIT writes a dash where no figure is available
    at = open_benchmarking({"measure": "cl_accom_19_21", "year": "2018"})
    assert key_figures(at)["Cheshire East"] == "not available"
    assert "Cheshire East has no published figure for 2017-18 (not available), so it has no rank." in texts(at)
    rows = table(at, "Source")
    assert figure_of(rows, "Cheshire East") == "not available"
    assert rows[rows["Area"] == "Cheshire East"]["Quartile"].iloc[0] == "–"


@pytest.mark.parametrize(("asked", "dfe_number", "name"), [("Warrington", "877", "Warrington"),
                                                           ("E09000033", "213", "Westminster")])
def test_any_english_council_is_compared_with_its_own_neighbours(cheshire_east, asked, dfe_number, name):
    at = open_benchmarking({"measure": "cla_rate", "year": "2025", "area": asked})
    given = published("cla_rate", 2025)
    named = neighbours(dfe_number)
    rows = table(at, "Source")
    assert rows[rows["Who"] == "Our council"]["Area"].iloc[0] == name
    assert [rows[rows["Who"] == f"Statistical neighbour {i}"]["Area"].iloc[0] for i in range(1, 11)] == [
        n for _, n in named]
    mean = sum(float(given[code]) for code, _ in named) / len(named)
    assert key_figures(at)["Statistical neighbour average"] == f"{whole(mean)} per 10,000"


def published_codes() -> set[str]:
    """Measures the shipped mapping takes from DfE's tables (data/published)."""
    codes = set()
    for name in ("ees_measures.csv", "lait_measures.csv"):
        with (DATA_DIR / "published" / name).open(newline="", encoding="utf-8") as handle:
            codes |= {row["measure_code"] for row in csv.DictReader(handle)}
    return codes


@pytest.mark.parametrize("code", [m.code for m in catalogue().measures])
def test_every_measure_opens_without_an_error(cheshire_east, code):
    at = open_benchmarking({"measure": code})
    measure = catalogue().get(code)
    assert f"Benchmarking: {measure.short_name}" in [t.value for t in at.title]
    said = texts(at)
    if code in published_codes():
        assert "Rank and quartile." in said
        assert at.get("plotly_chart")
    else:
        assert f"DfE does not publish {measure.short_name.lower()} for councils" in said
        assert not at.get("plotly_chart")


def test_the_sample_council_sees_this_year_so_far_against_the_published_years(sample_url, monkeypatch):
    environment(monkeypatch, sample_url, SAMPLE_COUNCIL)
    at = open_benchmarking({"measure": "stab_3plus_pct", "year": "2025"})
    own = queries.observations(connect(sample_url), measures=["stab_3plus_pct"], areas=[SAMPLE_COUNCIL])
    monthly = own[own["period_type"] == "month"].sort_values("period_end")
    last = monthly.iloc[-1]
    given = published("stab_3plus_pct", 2025)
    average = sum(float(given[code]) for code, _ in neighbours()) / 10  # Cheshire East's neighbours
    said = texts(at)
    assert (f"This year so far: **{whole(float(last['value']))}%** at {last['period_end']:%B %Y}, against the "
            f"latest published statistical neighbour average of **{whole(average)}%** (2024-25, 10 of 10 councils)"
            in said)
    assert f"England's **{given[ENGLAND]}%**" in said
    in_year = chart(at, "benchmark_in_year")
    lines = {trace["name"].replace("<br>", " "): trace for trace in in_year["data"]}
    mine = lines["Northmoor (fictional sample council)"]
    assert mine["x"][-1][:10] == f"{last['period_end']:%Y-%m-%d}"
    assert all(x[5:10] == "03-31" for x in lines["Statistical neighbour average"]["x"])
    assert lines["Statistical neighbour average"]["y"][-1] == pytest.approx(average)
    assert "it would be:" in said  # a sample council is placed among the councils, and told it is not ranked


def test_a_council_without_its_own_monthly_figures_is_told_so(cheshire_east):
    at = open_benchmarking({"measure": "stab_3plus_pct"})
    assert "Cheshire East has no monthly or quarterly figures of its own" in texts(at)


def test_empty_database_shows_the_first_run_message(tmp_path, monkeypatch):
    environment(monkeypatch, new_database(tmp_path / 'empty.db'), CHESHIRE_EAST)
    at = open_benchmarking({"measure": "cla_rate", "year": "2025"})
    said = texts(at)
    assert "No figures are loaded yet" in said
    assert "Imports page" in said and "python -m" not in said  # a member is never shown a command


# ---- the sentence under "This year so far" -----------------------------------------------------------

def own(value: float | None, status: str = "value", end: date = date(2026, 10, 31)) -> pd.DataFrame:
    return pd.DataFrame({"period_type": ["month"], "period_end": [pd.Timestamp(end)],
                         "value": [np.nan if value is None else value], "status": [status]})


def comparators(sn: float | None, england: float | None = 11.0, year: int = 2025) -> pd.DataFrame:
    rows = []
    if sn is not None:
        rows.append({"period_end": pd.Timestamp(year, 3, 31), "series": "Statistical neighbour average",
                     "kind": "neighbours", "value": sn, "used": 9, "of": 10})
    if england is not None:
        rows.append({"period_end": pd.Timestamp(year, 3, 31), "series": "England", "kind": "england",
                     "value": england, "used": None, "of": None})
    return pd.DataFrame(rows, columns=["period_end", "series", "kind", "value", "used", "of"])


@pytest.mark.parametrize(
    ("measure", "mine", "sn", "present", "absent"),
    [
        ("stab_3plus_pct", own(9.0), comparators(12.0),
         "**9%** at October 2026, against the latest published statistical neighbour average of **12%** "
         "(2024-25, 9 of 10 councils) and England's **11%**: better than the neighbours' average.", None),
        ("cla_foster_pct", own(70.0, end=date(2025, 10, 31)), comparators(75.0),
         "against last year's statistical neighbour average of **75%** (2024-25, 9 of 10 councils) and "
         "England's **11%**: worse than the neighbours' average.", None),
        ("cla_foster_pct", own(74.6, end=date(2025, 3, 31)), comparators(75.4),
         "against this year's published statistical neighbour average of **75%**", None),
        ("cla_foster_pct", own(74.6), comparators(75.4), "level with the neighbours' average", "better"),
        ("cla_rate", own(70.0), comparators(60.0), "higher than the neighbours' average", "better"),
        ("cla_count", own(400.0), comparators(300.0, england=80000.0), "higher than the neighbours' average",
         "England"),  # a count: England's total is no guide to one council's
        ("stab_3plus_pct", own(None, "c"), comparators(12.0),
         "the latest figure, October 2026, is suppressed, so there is nothing to compare yet.", "0%"),
        ("stab_3plus_pct", own(9.0), comparators(None), "DfE has not published a statistical neighbour", "12%"),
        ("stab_3plus_pct", own(9.0, end=date(2024, 10, 31)), comparators(12.0),
         "DfE has not published a statistical neighbour", "12%"),  # a later year's average is not used
    ],
)
def test_this_year_so_far_in_words(measure, mine, sn, present, absent):
    before = (mine.copy(), sn.copy())
    sentence = in_year_sentence(mine, sn, catalogue().get(measure))
    assert sentence.startswith("This year so far: ")
    assert present in sentence
    if absent:
        assert absent not in sentence
    pd.testing.assert_frame_equal(mine, before[0])
    pd.testing.assert_frame_equal(sn, before[1])


def yearly_points(years: list[int]) -> pd.DataFrame:
    return pd.concat([comparators(10.0 + y - 2020, year=y) for y in years], ignore_index=True)


@pytest.mark.parametrize(
    ("years", "first", "last", "expected"),
    [
        ([2023, 2024, 2025], date(2023, 11, 30), date(2026, 10, 31), [2024, 2025]),  # only the years inside
        ([2023, 2024, 2025], date(2023, 3, 31), date(2025, 3, 31), [2023, 2024, 2025]),  # ends on the edges count
        ([2023, 2024, 2025], date(2025, 4, 30), date(2026, 10, 31), [2025]),  # none inside: the latest before
        ([2026], date(2024, 4, 30), date(2025, 10, 31), []),  # only a later year: nothing to read against
        ([], date(2024, 4, 30), date(2025, 10, 31), []),  # nothing published
    ],
)
def test_the_published_years_drawn_beside_the_councils_own_months(years, first, last, expected):
    points = yearly_points(years) if years else comparators(None, england=None)
    before = points.copy()
    shown = comparators_in_view(points, pd.Timestamp(first), pd.Timestamp(last))
    assert sorted({int(e.year) for e in shown["period_end"]}) == expected
    assert set(shown["kind"]) <= {"neighbours", "england"}
    pd.testing.assert_frame_equal(points, before)


# ---- what the page offers and how it reads ------------------------------------------------------------

def sidebar_labels(at: AppTest) -> list[str]:
    return [w.label for kind in ("selectbox", "select_slider", "toggle", "radio") for w in at.sidebar.get(kind)]


def test_it_opens_on_the_rate_with_one_way_to_choose_the_year_and_nothing_that_does_nothing(cheshire_east):
    at = open_benchmarking()
    assert "Benchmarking: Rate per 10,000 children" in [t.value for t in at.title]
    labels = sidebar_labels(at)
    assert labels.count("Year") == 1
    assert "Show comparators" not in labels
    assert "Period in view" not in labels
    assert at.query_params["measure"] in ("cla_rate", ["cla_rate"])


def test_a_count_is_never_ranked_across_councils_and_the_rate_is_offered(cheshire_east):
    at = open_benchmarking({"measure": "cla_count", "year": "2025"})
    said = texts(at)
    assert "A count is not ranked: councils differ in size" in said
    assert not any(column.startswith("Rank") for column in table(at, "Source").columns)
    assert "ranked" not in said.replace("is not ranked", "")
    links = [link for link in at.get("page_link") if "rate per 10,000" in link.proto.label]
    assert len(links) == 1 and "cla_rate" in str(links[0].proto)


@pytest.mark.parametrize(("borough", "part", "part_name"), [("E09000007", "E13000001", "Inner London"),
                                                              ("E09000003", "E13000002", "Outer London")])
def test_a_london_borough_is_told_the_region_figure_is_all_of_london(cheshire_east, borough, part, part_name):
    at = open_benchmarking({"measure": "cla_rate", "year": "2025", "area": borough})
    given = published("cla_rate", 2025)
    cards = key_figures(at)
    assert cards["London"] == f"{given['E12000007']} per 10,000"  # DfE's London, E12000007
    said = texts(at)
    assert f"London as a whole, not {part_name} alone." in said
    assert f"{part_name}, where" in said and f"is: {given[part]} per 10,000." in said
    assert f"London as a whole (not {part_name} alone)" in [m.value for m in at.markdown if "How does" in m.value][0]


def test_a_council_outside_london_is_compared_with_its_region_by_name(cheshire_east):
    at = open_benchmarking({"measure": "cla_rate", "year": "2025"})
    header = next(m.value for m in at.markdown if "How does" in m.value)
    assert "similar councils, the North West and England" in header
    assert "London" not in texts(at)


def test_the_charts_name_dfes_publication_and_draw_the_councils_target(sample_url, monkeypatch):
    environment(monkeypatch, sample_url, SAMPLE_COUNCIL)
    at = open_benchmarking({"measure": "stab_3plus_pct", "year": "2025"})
    targets = queries.targets(connect(sample_url), measures=["stab_3plus_pct"], areas=[SAMPLE_COUNCIL])
    in_force = targets[(pd.to_datetime(targets["period_start"]) <= "2025-03-31")
                       & (pd.to_datetime(targets["period_end"]) >= "2025-03-31")]
    assert len(in_force) == 1
    bars = chart(at, "benchmark_bars")
    notes = " ".join(a["text"] for a in bars["layout"]["annotations"])
    source = notes.split("Source: ")[1]
    assert source.startswith(("DfE: Local Authority Interactive Tool (LAIT), 2025",
                              "DfE: Children looked after in England including adoptions, 2025"))
    assert "Fictional sample council" in source  # its own year-end return gives its own bar
    assert "SSDA903" not in notes
    lines = [s for s in bars["layout"].get("shapes", []) if s.get("name") == "target"]
    assert lines and lines[0]["x0"] == pytest.approx(float(in_force["value"].iloc[0]))
    trend = " ".join(a["text"] for a in chart(at, "benchmark_trend")["layout"]["annotations"])
    assert "DfE: Local Authority Interactive Tool (LAIT)" in trend
    in_year = " ".join(a["text"] for a in chart(at, "benchmark_in_year")["layout"]["annotations"])
    assert "Fictional sample council&#x27;s return, loaded" in in_year and "DfE: " in in_year

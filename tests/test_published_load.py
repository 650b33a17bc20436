"""DfE's shipped tables load whole into a real SQLite file and say exactly what DfE published.

Expected figures are read here straight from the source files (csv module, pyarrow), not from the code
under test. The database is loaded once for the module.
"""

from __future__ import annotations

import csv
import functools
import math
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select

from db import queries
from db.engine import connect
from db.models import Observation, ObservationHistory
from loaders.published import PUBLISHED_SOURCE, load_published_files, load_published_if_empty, shipped_files
from loaders.published.load import load_order
from reference.areas import ENGLAND_CODE, areas
from settings import DATA_DIR
from tests.databases import new_database

DFE = DATA_DIR / "dfe"
CLA = "cla_number_and_rate_per_10k_children.csv"
STABILITY = "la_cla_placement_stability.csv"
ACTIVITY = "la_care_leavers_activity.csv"
ACCOMMODATION = "la_care_leavers_accommodation_suitability.csv"
HEALTH = "la_conviction_health_outcome_cla.csv"
LAIT = "bds_long_0.parquet"
LOOKED_AFTER = {"population_type": "Children looked after on 31 March each year"}
CHESHIRE_EAST = "E06000049"


def read_source(name: str) -> list[dict[str, str]]:
    with (DFE / name).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


SOURCES = {name: read_source(name) for name in (CLA, STABILITY, ACTIVITY, ACCOMMODATION, HEALTH)}


def area_of(row: dict[str, str]) -> str:
    return {"National": row["country_code"], "Regional": row["region_code"]}.get(row["geographic_level"],
                                                                                   row["new_la_code"])


def source_row(name: str, area: str, year: int, **filters: str) -> dict[str, str]:
    [row] = [r for r in SOURCES[name] if area_of(r) == area and r["time_period"] == str(year)
             and all(r[k] == v for k, v in filters.items())]
    return row


@functools.cache
def lait_series(series: str) -> tuple[dict, ...]:
    """Rows of one LAIT series, straight from the parquet file."""
    table = pq.read_table(DFE / LAIT, columns=["Short Desc", "Years", "Values", "LA Number"],
                          filters=[("Short Desc", "=", series)])
    return tuple(table.to_pylist())


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    url = new_database(tmp_path_factory.mktemp('published') / 'dashboard.db')
    engine = connect(url)
    reports = load_published_if_empty(engine)
    yield engine, reports
    engine.dispose()
    connect.cache_clear()


def current(engine, measure: str, area: str, year: int) -> dict:
    """The stored headline value, with None where the database holds NULL."""
    frame = queries.observations(engine, measures=[measure], areas=[area], start=date(year, 3, 31),
                                 end=date(year, 3, 31))
    [row] = frame.to_dict("records")
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}


def batch_names(engine) -> dict[int, str]:
    frame = queries.batches(engine)
    return dict(zip(frame["id"], frame["file_name"], strict=True))


def number(text: str) -> float:
    return float(text)


def test_every_shipped_table_loads_lait_first(loaded):
    _engine, reports = loaded
    assert [r.file_name for r in reports][0] == LAIT
    assert {r.file_name for r in reports} == {LAIT, CLA, STABILITY, ACTIVITY, ACCOMMODATION, HEALTH,
                                              "sn_april_2021.csv", "sn_may_2025.xlsx"}
    assert all(r.status == "loaded" for r in reports), [r.summary() for r in reports]


def test_cheshire_east_has_550_children_in_care_at_a_rate_of_66(loaded):
    engine, _ = loaded
    row = source_row(CLA, CHESHIRE_EAST, 2025, **LOOKED_AFTER)
    assert (row["children_count"], row["rate_per_10000"]) == ("550", "66")
    assert current(engine, "cla_count", CHESHIRE_EAST, 2025)["value"] == 550
    rate = current(engine, "cla_rate", CHESHIRE_EAST, 2025)
    assert (rate["value"], rate["numerator"], rate["denominator"]) == (66, 550, number(row["population_estimate"]))


# (measure, file, filters of the value row, value column, filters of the total row or None)
PUBLISHED = [
    ("cla_starts", CLA, {"population_type": "Children starting to be looked after each year"}, "children_count", None),
    ("cla_ceased", CLA, {"population_type": "Children ceasing to be looked after each year"}, "children_count", None),
    ("stab_3plus_pct", STABILITY, {"cla_group": "CLA on 31 March",
                                   "placement_stability": "With 3 or more placements during the year"},
     "children_percent", {"cla_group": "CLA on 31 March", "placement_stability": "Total children"}),
    ("stab_3plus_2yr_pct", STABILITY, {"cla_group": "CLA 2 years on 31 March",
                                       "placement_stability": "With 3 or more placements during the previous 2 years"},
     "children_percent", {"cla_group": "CLA 2 years on 31 March", "placement_stability": "Total children"}),
    ("cl_eet_17_18", ACTIVITY, {"care_leaver_age": "17 to 18 years",
                                "breakdown": "Total in education, employment or training"},
     "care_leaver_percent", {"care_leaver_age": "17 to 18 years", "breakdown": "Total"}),
    ("cl_neet_19_21", ACTIVITY, {"care_leaver_age": "19 to 21 years",
                                 "breakdown": "Total not in education, employment or training"},
     "care_leaver_percent", {"care_leaver_age": "19 to 21 years", "breakdown": "Total"}),
    ("cl_accom_19_21", ACCOMMODATION, {"care_leaver_age": "19 to 21 years",
                                       "breakdown": "Accommodation considered suitable"},
     "care_leaver_percent", {"care_leaver_age": "19 to 21 years", "breakdown": "Suitability total"}),
    ("health_dev_pct", HEALTH, {"breakdown": "Development assessments up to date"}, "children_percent",
     {"breakdown": "Total ages 0 to 4 years"}),
    ("health_sdq_concern_pct", HEALTH, {"breakdown": "SDQ score is a cause for concern"}, "children_percent",
     {"breakdown": "SDQ score was received"}),
    ("health_sdq_avg", HEALTH, {"breakdown": "SDQ average score"}, "children_count", None),
]
COUNCILS = [(CHESHIRE_EAST, 2025), ("E06000009", 2024), ("E09000007", 2023), ("E08000025", 2022),
            ("E10000006", 2022), (ENGLAND_CODE, 2025), ("E12000002", 2021), ("E13000001", 2025)]


@pytest.mark.parametrize(("measure", "name", "filters", "column", "total"), PUBLISHED, ids=[p[0] for p in PUBLISHED])
@pytest.mark.parametrize(("area", "year"), COUNCILS, ids=[f"{a}-{y}" for a, y in COUNCILS])
def test_published_values_are_stored_exactly_as_dfe_printed_them(loaded, measure, name, filters, column, total,
                                                                 area, year):
    engine, _ = loaded
    row = source_row(name, area, year, **filters)
    stored = current(engine, measure, area, year)
    text = row[column]
    if text in ("c", "x", "z", "k", "low", "u"):
        assert stored["status"] == text and stored["value"] is None
    else:
        assert stored["status"] == "value" and stored["value"] == number(text)
    if total is not None:
        count, whole = row[column.replace("percent", "count")], source_row(name, area, year, **total)
        expected_whole = whole[column.replace("percent", "count")]
        assert stored["numerator"] == (number(count) if count.replace(".", "").isdigit() else None)
        assert stored["denominator"] == (number(expected_whole) if expected_whole.isdigit() else None)


@pytest.mark.parametrize(
    ("name", "column", "filters", "measure", "symbol"),
    [
        (ACTIVITY, "care_leaver_percent", {"breakdown": "Total in education, employment or training",
                                           "care_leaver_age": "17 to 18 years"}, "cl_eet_17_18", "c"),
        (ACTIVITY, "care_leaver_percent", {"breakdown": "Total information not known",
                                           "care_leaver_age": "19 to 21 years"}, "cl_not_known_19_21", "k"),
        (STABILITY, "children_percent", {"placement_stability": "With 3 or more placements during the year"},
         "stab_3plus_pct", "c"),
        (HEALTH, "children_percent", {"breakdown": "Had their teeth checked by a dentist"}, "health_dental_pct", "c"),
        (CLA, "children_count", LOOKED_AFTER, "cla_count", "c"),
    ],
)
def test_real_suppressed_cells_stay_suppressed_never_zero(loaded, name, column, filters, measure, symbol):
    engine, _ = loaded
    rows = [r for r in SOURCES[name] if r[column] == symbol and all(r[k] == v for k, v in filters.items())
            and r["geographic_level"] == "Local authority" and areas().get(r["new_la_code"]).current]
    assert rows, "the source has such a cell"
    for row in rows[:5]:
        stored = current(engine, measure, row["new_la_code"], int(row["time_period"]))
        assert stored["status"] == symbol and stored["value"] is None


def test_no_symbol_ever_became_a_number(loaded):
    engine, _ = loaded
    with engine.connect() as connection:
        leaks = connection.execute(select(func.count()).where(Observation.status != "value",
                                                              Observation.value.is_not(None))).scalar_one()
        blanks = connection.execute(select(func.count()).where(Observation.status == "value",
                                                               Observation.value.is_(None))).scalar_one()
    assert (leaks, blanks) == (0, 0)


def test_england_every_region_and_london_halves_are_present(loaded):
    engine, _ = loaded
    codes = [ENGLAND_CODE] + [r.code for r in areas().regions()] + ["E13000001", "E13000002"]
    stored = queries.observations(engine, measures=["cla_count"], areas=codes, start=date(2025, 3, 31))
    assert sorted(stored["area_code"]) == sorted(codes)
    for code in codes:
        expected = number(source_row(CLA, code, 2025, **LOOKED_AFTER)["children_count"])
        assert stored.loc[stored["area_code"] == code, "value"].item() == expected


def test_every_value_is_a_year_ending_31_march_without_breakdown(loaded):
    engine, _ = loaded
    frame = queries.observations(engine, breakdowns=True)
    assert set(frame["period_type"]) == {"year"}
    assert set(frame["period_end"].dt.strftime("%m-%d")) == {"03-31"}
    assert set(frame["dimension"]) == {""} and set(frame["category"]) == {""}
    assert frame["period_end"].dt.year.min() == 2016 and frame["period_end"].dt.year.max() == 2025


@pytest.mark.parametrize(
    ("series", "measure", "number_", "area"),
    [
        ("LACnum", "cla_count", 895, CHESHIRE_EAST),
        ("LAC", "cla_rate", 330, "E08000025"),  # Birmingham
        ("LACStable_2016on", "stab_3plus_pct", 895, CHESHIRE_EAST),
        ("Emotional_LAC", "health_sdq_avg", 889, "E06000008"),  # Blackburn with Darwen
        ("CareLeaverEET", "cl_eet_19_21", 970, ENGLAND_CODE),
        ("LACDistance", "cla_20miles_pct", 981, "E12000002"),
    ],
)
def test_lait_values_from_2016_to_2020_are_there(loaded, series, measure, number_, area):
    engine, _ = loaded
    names = batch_names(engine)
    source = {r["Years"]: r["Values"] for r in lait_series(series) if r["LA Number"] == number_}
    for year in range(2016, 2021):
        stored = current(engine, measure, area, year)
        assert stored["value"] == pytest.approx(float(source[str(year)]))
        assert names[stored["batch_id"]] == LAIT


def test_where_ees_and_lait_overlap_ees_is_current_and_lait_is_in_the_history(loaded):
    engine, _ = loaded
    names = batch_names(engine)
    rate = current(engine, "cla_rate", CHESHIRE_EAST, 2025)
    assert names[rate["batch_id"]] == CLA
    old = queries.history(engine, "cla_rate", CHESHIRE_EAST)
    lait = {r["Years"]: r["Values"] for r in lait_series("LAC") if r["LA Number"] == 895}
    for year in range(2021, 2026):
        [before] = old[old["period_end"].dt.year == year].to_dict("records")
        assert before["value"] == float(lait[str(year)]) and math.isnan(before["denominator"])
        assert (names[before["batch_id"]], names[before["replaced_by_batch_id"]]) == (LAIT, CLA)


def test_a_lait_gap_filled_by_an_ees_symbol_keeps_both(loaded):
    """LAIT's '-' (not available) is replaced by the symbol DfE's table gives, and the '-' is in the history."""
    engine, _ = loaded
    names = batch_names(engine)
    gaps = {(r["LA Number"], r["Years"]) for r in lait_series("LACHealth%") if r["Values"] == "-"}
    for row in SOURCES[HEALTH]:
        if (row["breakdown"] == "Had their annual health assessment" and row["children_percent"] == "c"
                and (float(row["old_la_code"] or 0), row["time_period"]) in gaps):
            break
    else:
        pytest.fail("no LAIT gap where DfE's table suppresses the figure")
    code, year = row["new_la_code"], int(row["time_period"])
    now = current(engine, "health_annual_pct", code, year)
    assert now["status"] == "c" and names[now["batch_id"]] == HEALTH
    old = queries.history(engine, "health_annual_pct", code)
    before = old[old["period_end"].dt.year == year].iloc[0]
    assert before["status"] == "x" and names[before["batch_id"]] == LAIT


def test_a_figure_only_lait_publishes_stays_from_lait(loaded):
    engine, _ = loaded
    names = batch_names(engine)
    for measure in ("cla_foster_pct", "cla_20miles_pct"):
        stored = current(engine, measure, CHESHIRE_EAST, 2025)
        assert names[stored["batch_id"]] == LAIT and stored["status"] == "value"
        assert queries.history(engine, measure, CHESHIRE_EAST).empty


def test_the_batch_history_names_each_file_and_its_source(loaded):
    engine, _ = loaded
    frame = queries.batches(engine)
    assert set(frame["source"]) == {PUBLISHED_SOURCE}
    lait = frame[frame["file_name"] == LAIT].iloc[0]
    assert "cla_count" in lait["note"] and "Bournemouth (Pre LG)" in lait["note"]


def test_loading_the_same_files_again_changes_nothing(loaded):
    engine, _ = loaded

    def counts() -> tuple[int, int, int]:
        with engine.connect() as connection:
            return (connection.execute(select(func.count()).select_from(Observation)).scalar_one(),
                    connection.execute(select(func.count()).select_from(ObservationHistory)).scalar_one(),
                    queries.data_version(engine))

    before = counts()
    assert load_published_if_empty(engine) == []
    reports = load_published_files(engine, list(reversed(shipped_files())))
    assert [r.status for r in reports] == ["unchanged"] * 6
    assert counts() == before


def test_files_load_in_order_whatever_order_they_are_given(tmp_path):
    given = [DFE / HEALTH, DFE / CLA, DFE / LAIT, tmp_path / "stray.csv"]
    (tmp_path / "stray.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    ordered = [p.name for p, _ in load_order(given)]
    assert ordered == [LAIT, CLA, HEALTH, "stray.csv"]


def test_shipped_files_are_the_six_tables_of_figures():
    assert [p.name for p in shipped_files()][0] == LAIT
    assert {p.name for p in shipped_files()} == {LAIT, CLA, STABILITY, ACTIVITY, ACCOMMODATION, HEALTH}
    assert all(isinstance(p, Path) and p.parent == DFE for p in shipped_files())

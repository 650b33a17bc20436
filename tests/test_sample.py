"""The fictional sample council's returns: they load cleanly, cover every measure and tell one consistent story."""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select

from db import queries
from db.engine import connect
from db.models import Base
from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch
from loaders.sample import SAMPLE_AREA, SAMPLE_DIR, load_sample_if_empty, sample_files
from reference.catalogue import catalogue, read_catalogue
from scripts import make_sample
from tests.databases import new_database

MIN_MONTHS = 36
MAX_TOTAL_BYTES = 1_000_000
NORTHMOOR = SAMPLE_AREA


def dump_tables(engine) -> dict[str, list[tuple]]:
    """Every row of every table, so two states of the database can be compared whole."""
    with engine.connect() as connection:
        return {
            table.name: [tuple(r) for r in connection.execute(select(table).order_by(*table.primary_key.columns))]
            for table in Base.metadata.sorted_tables
        }


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """One database with the sample loaded, shared by the read-only checks below."""
    url = new_database(tmp_path_factory.mktemp('sample') / 'dashboard.db')
    engine = connect(url)
    reports = load_sample_if_empty(engine)
    yield engine, reports
    engine.dispose()
    connect.cache_clear()


@pytest.fixture(scope="module")
def monthly(sample_db) -> pd.DataFrame:
    engine, _ = sample_db
    stored = queries.observations(engine, areas=[NORTHMOOR])
    return stored[stored["period_type"] == "month"]


def _series(frame: pd.DataFrame, measure: str) -> pd.Series:
    rows = frame[frame["measure_code"] == measure]
    return pd.Series(rows["value"].to_numpy(), index=rows["period_end"].to_numpy())


# ------------------------------------------------------------------------------------------- the files


def workbook_content(path: Path) -> list[tuple]:
    """What a workbook holds, cell by cell: the bytes of its XML depend on which XML library openpyxl
    found installed, which says nothing about the sample."""
    book = openpyxl.load_workbook(path)
    return [(sheet.title, sheet.sheet_state,
             [(cell.coordinate, cell.value, cell.number_format) for row in sheet.iter_rows() for cell in row
              if cell.value is not None]) for sheet in book.worksheets]


def test_committed_files_are_what_the_script_writes(tmp_path):
    written = make_sample.write_sample(tmp_path)
    assert [p.name for p in written] == [p.name for p in sample_files()]
    for path in [*written, tmp_path / "README.md"]:
        committed = SAMPLE_DIR / path.name
        if path.suffix == ".xlsx":
            assert workbook_content(path) == workbook_content(committed), f"{path.name}: run scripts/make_sample.py"
        else:
            assert path.read_bytes() == committed.read_bytes(), f"{path.name}: run scripts/make_sample.py"


def test_files_are_small():
    assert sum(p.stat().st_size for p in SAMPLE_DIR.iterdir()) < MAX_TOTAL_BYTES


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_every_file_and_sheet_says_the_council_and_figures_are_fictional(path):
    if path.suffix == ".csv":
        with path.open(encoding="utf-8") as handle:
            opening = " ".join(" ".join(row) for row, _ in zip(csv.reader(handle), range(3), strict=False))
        assert "FICTIONAL" in opening and "not a real council" in opening
        return
    workbook = openpyxl.load_workbook(path, read_only=True)
    for sheet in workbook.worksheets:
        opening = " ".join(str(v) for row in sheet.iter_rows(max_row=3, values_only=True) for v in row if v)
        assert "FICTIONAL" in opening and "not a real council" in opening, sheet.title


# ------------------------------------------------------------------------------------------- loading


def test_every_sample_file_loads_without_a_problem(sample_db):
    engine, reports = sample_db
    assert [r.file_name for r in reports] == [p.name for p in sample_files()]
    for report in reports:
        assert report.problems == [], [p.message() for p in report.problems[:5]]
        assert report.status == "loaded"
    assert set(queries.batches(engine)["source"]) == {"sample"}


@pytest.mark.parametrize("measure", [m.code for m in catalogue()])
def test_every_measure_has_three_years_of_monthly_figures(monthly, measure):
    values = monthly[(monthly["measure_code"] == measure) & (monthly["status"] == "value")]
    assert len(values) >= MIN_MONTHS
    assert values["value"].notna().all()


def test_the_months_run_from_april_2022_to_october_2026(monthly):
    ends = sorted(set(monthly["period_end"].dt.date))
    assert (ends[0], ends[-1], len(ends)) == (date(2022, 4, 30), date(2026, 10, 31), 55)


@pytest.mark.parametrize(
    ("measure", "low", "high"),
    [
        ("cla_count", 350, 560),
        ("cla_rate", 55, 75),
        ("cla_starts", 5, 40),
        ("cla_ceased", 5, 40),
        ("cla_foster_pct", 63, 74),
        ("cla_20miles_pct", 13, 22),
        ("stab_3plus_pct", 8, 14),
        ("stab_long_pct", 60, 75),
        ("cl_eet_17_18", 50, 70),
        ("cl_eet_19_21", 45, 62),
        ("cl_accom_17_18", 85, 99),
        ("cl_accom_19_21", 85, 99),
        ("health_iha_pct", 10, 95),
        ("health_rha_pct", 70, 95),
        ("health_annual_pct", 85, 97),
        ("health_dental_pct", 65, 88),
        ("health_imms_pct", 78, 92),
        ("health_sdq_avg", 12.5, 16),
    ],
)
def test_figures_are_plausible_for_a_council_of_this_size(monthly, measure, low, high):
    values = _series(monthly, measure).dropna()
    assert low <= values.min() and values.max() <= high


def test_initial_health_assessments_improve_as_the_story_says(monthly):
    values = _series(monthly, "health_iha_pct").dropna()
    assert values.iloc[:6].mean() < 40 < 70 < values.iloc[-6:].mean()


def test_children_in_care_carry_forward_by_those_starting_and_leaving(monthly):
    count, starts, ceased = (_series(monthly, m) for m in ("cla_count", "cla_starts", "cla_ceased"))
    change = count.diff().iloc[1:]
    assert (change == (starts - ceased).iloc[1:]).all()


def test_missing_and_suppressed_figures_are_kept_as_symbols_never_zero(sample_db):
    engine, _ = sample_db
    stored = queries.observations(engine, areas=[NORTHMOOR], breakdowns=True)
    symbols = stored[stored["status"] != "value"]
    assert {"c", "x"} <= set(symbols["status"])
    assert symbols["value"].isna().all()


# ------------------------------------------------------------------------------------------- breakdowns


@pytest.fixture(scope="module")
def breakdowns(sample_db) -> pd.DataFrame:
    engine, _ = sample_db
    stored = queries.observations(engine, measures=["cla_count"], areas=[NORTHMOOR], breakdowns=True)
    stored = stored[stored["period_type"] == "month"]
    headline = stored[stored["dimension"] == ""].set_index("period_end")["value"]
    split = stored[stored["dimension"] != ""]
    grouped = split.groupby(["period_end", "dimension"]).agg(
        total=("value", "sum"), hidden=("value", lambda v: int(v.isna().sum())), categories=("category", "count")
    ).reset_index()
    grouped["headline"] = grouped["period_end"].map(headline)
    return grouped


def test_breakdowns_cover_every_month_in_three_dimensions(breakdowns):
    assert set(breakdowns["dimension"]) == {"age", "gender", "placement"}
    assert breakdowns.groupby("dimension")["period_end"].nunique().eq(55).all()
    assert breakdowns.set_index("dimension")["categories"].groupby(level=0).max().to_dict() == {
        "age": 5, "gender": 2, "placement": 6,
    }


def test_breakdowns_add_up_to_the_headline_where_nothing_is_suppressed(breakdowns):
    complete = breakdowns[breakdowns["hidden"] == 0]
    assert len(complete) > 100
    assert (complete["total"] == complete["headline"]).all()


def test_suppressed_cells_hide_small_numbers_and_cannot_be_worked_out(breakdowns):
    partial = breakdowns[breakdowns["hidden"] > 0]
    assert len(partial) > 0
    assert (partial["hidden"] >= 2).all()  # one hidden cell alone could be worked out from the total
    gap = partial["headline"] - partial["total"]
    assert (gap >= partial["hidden"]).all() and (gap > 0).all()
    # only small cells and at most the next smallest are hidden: the gap stays well below the headline
    assert (gap < 0.1 * partial["headline"]).all()


# ------------------------------------------------------------------------------------------- other periods


@pytest.fixture(scope="module")
def yearly(sample_db) -> pd.DataFrame:
    engine, _ = sample_db
    stored = queries.observations(engine, areas=[NORTHMOOR])
    return stored[stored["period_type"] == "year"]


def test_year_end_figures_exist_for_dfe_published_measures(yearly):
    published = {m.code for m in catalogue() if make_sample.is_published_yearly(m)}
    assert set(yearly["measure_code"]) == published
    assert {"health_iha_pct", "health_rha_pct"}.isdisjoint(published)
    years = {d.date() for d in yearly["period_end"]}
    assert years == {date(2023, 3, 31), date(2024, 3, 31), date(2025, 3, 31), date(2026, 3, 31)}


@pytest.mark.parametrize("year_end", [date(2023, 3, 31), date(2024, 3, 31), date(2025, 3, 31), date(2026, 3, 31)])
def test_year_end_agrees_with_the_months(yearly, monthly, year_end):
    def year_value(measure: str) -> float:
        return yearly.loc[(yearly["measure_code"] == measure) & (yearly["period_end"].dt.date == year_end), "value"].item()

    in_year = monthly[(monthly["period_end"].dt.date > date(year_end.year - 1, 3, 31))
                      & (monthly["period_end"].dt.date <= year_end)]
    march = monthly[monthly["period_end"].dt.date == year_end]
    assert year_value("cla_count") == march.loc[march["measure_code"] == "cla_count", "value"].item()
    assert year_value("cla_foster_pct") == march.loc[march["measure_code"] == "cla_foster_pct", "value"].item()
    assert year_value("cla_starts") == in_year.loc[in_year["measure_code"] == "cla_starts", "value"].sum()
    assert year_value("cla_ceased") == in_year.loc[in_year["measure_code"] == "cla_ceased", "value"].sum()


def test_percentages_agree_with_their_numerators_and_denominators(sample_db):
    engine, _ = sample_db
    stored = queries.observations(engine, areas=[NORTHMOOR]).dropna(subset=["numerator", "denominator"])
    assert {"year", "quarter"} <= set(stored["period_type"])
    assert (stored["numerator"] <= stored["denominator"]).all()
    expected = 100 * stored["numerator"] / stored["denominator"]
    assert ((stored["value"] - expected).abs() <= 0.05 + 1e-9).all()


def test_quarterly_health_figures_come_from_the_provider_counts(sample_db):
    engine, _ = sample_db
    stored = queries.observations(engine, measures=["health_iha_pct"], areas=[NORTHMOOR])
    quarters = stored[stored["period_type"] == "quarter"]
    assert len(quarters) >= 12
    assert set(quarters["period_end"].dt.month) == {3, 6, 9, 12}
    assert quarters["denominator"].dropna().min() >= 5


def test_foster_children_in_the_breakdown_match_the_foster_percentage(sample_db):
    engine, _ = sample_db
    stored = queries.observations(engine, areas=[NORTHMOOR], breakdowns=True)
    march = stored[stored["period_end"].dt.date == date(2025, 3, 31)]
    foster_count = march.loc[(march["dimension"] == "placement") & (march["category"] == "foster"), "value"].item()
    year_row = march[(march["measure_code"] == "cla_foster_pct") & (march["period_type"] == "year")]
    assert year_row["numerator"].item() == foster_count


def test_care_leavers_activity_adds_up_to_everyone(yearly):
    for band in ("17_18", "19_21"):
        parts = [f"cl_eet_{band}", f"cl_neet_{band}", f"cl_not_known_{band}"]
        if not all(p in catalogue() for p in parts):
            pytest.skip("the catalogue has no NEET and activity-not-known measures")
        rows = yearly[yearly["measure_code"].isin(parts)]
        sums = rows.groupby("period_end")["numerator"].sum()
        denominators = rows.groupby("period_end")["denominator"].agg(["min", "max"])
        assert (denominators["min"] == denominators["max"]).all()
        assert (sums == denominators["min"]).all()


def test_targets_are_set_per_financial_year_for_measures_with_a_polarity(sample_db):
    engine, _ = sample_db
    targets = queries.targets(engine, areas=[NORTHMOOR])
    with_polarity = {m.code for m in catalogue() if m.polarity != "neither"}
    assert set(targets["measure_code"]) == with_polarity
    assert set(targets["period_start"].dt.date) == {date(y, 4, 1) for y in range(2022, 2027)}
    assert set(targets["period_end"].dt.date) == {date(y + 1, 3, 31) for y in range(2022, 2027)}
    assert len(targets) == 5 * len(with_polarity)


# ------------------------------------------------------------------------------------------- first start


def test_second_call_changes_nothing(sample_db):
    engine, _ = sample_db
    before = dump_tables(engine)
    assert load_sample_if_empty(engine) == []
    assert dump_tables(engine) == before


def test_switched_off_it_loads_nothing(engine, monkeypatch):
    monkeypatch.setenv("DASHBOARD_LOAD_SAMPLE", "0")
    assert load_sample_if_empty(engine) == []
    assert queries.is_empty(engine)


def test_a_council_with_its_own_returns_never_gets_the_sample(engine):
    own = pd.DataFrame(
        [["cla_count", "E06000049", "month", date(2024, 1, 31), "", "", 560.0, None, None, "value"]],
        columns=OBSERVATION_COLUMNS,
    )
    apply_batch(engine, BatchInfo("ours.xlsx", "1" * 64, "return", ["Return"], "officer"), own)
    before = dump_tables(engine)
    assert load_sample_if_empty(engine) == []
    assert dump_tables(engine) == before


def test_dfe_tables_loaded_first_do_not_keep_the_sample_out(engine, tmp_path):
    published = pd.DataFrame(
        [["cla_count", "E06000049", "year", date(2025, 3, 31), "", "", 550.0, None, None, "value"]],
        columns=OBSERVATION_COLUMNS,
    )
    apply_batch(engine, BatchInfo("dfe.csv", "2" * 64, "published", [""], "dfe"), published)
    small = tmp_path / "sample"
    small.mkdir()
    (small / "one.csv").write_text("measure,period,value\ncla_count,2024-01,470\n", encoding="utf-8")
    (small / "README.md").write_text("not a return\n", encoding="utf-8")
    reports = load_sample_if_empty(engine, small)
    assert [(r.file_name, r.status) for r in reports] == [("one.csv", "loaded")]
    stored = queries.observations(engine, areas=[NORTHMOOR])
    assert stored[["measure_code", "value"]].values.tolist() == [["cla_count", 470.0]]


# ------------------------------------------------------------------------------------------- new measures


def test_a_measure_added_to_the_catalogue_still_gets_figures(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    source = Path(make_sample.ROOT / "data")
    for name in ("units.csv", "measure_aliases.csv", "themes.csv"):
        (data / name).write_bytes((source / name).read_bytes())
    rows = (source / "measures.csv").read_text(encoding="utf-8").rstrip("\n").split("\n")
    rows += [
        "pep_on_time_pct,% personal education plans on time,PEPs on time,percent,higher,cla,0,5,Local,Made up for a test.",
        "fostering_households,Fostering households,Foster homes,count,neither,cla,0,,Local,Made up for a test.",
    ]
    (data / "measures.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    grown = read_catalogue(data)
    points = make_sample.generate(grown)
    for code in ("pep_on_time_pct", "fostering_households"):
        values = [p.value for p in points[code] if p.value is not None]
        assert len(values) == 55
        assert all(v >= 0 and not math.isnan(v) for v in values)
    assert all(0 <= v <= 100 for v in (p.value for p in points["pep_on_time_pct"]) if v is not None)
    new_target = make_sample.target_for(grown.get("pep_on_time_pct"), 2024)
    assert new_target is not None and 0 <= new_target <= 100
    assert make_sample.target_for(grown.get("fostering_households"), 2024) is None


# ------------------------------------------------------------------------------------------- a real council


def test_a_real_council_install_gets_no_fictional_figures(engine, monkeypatch):
    monkeypatch.delenv("DASHBOARD_LOAD_SAMPLE", raising=False)
    monkeypatch.setenv("DASHBOARD_HOME_AREA", "Cheshire East")
    assert load_sample_if_empty(engine) == []
    assert queries.is_empty(engine)


def test_a_real_council_can_still_ask_for_the_sample(engine, monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_LOAD_SAMPLE", "1")
    monkeypatch.setenv("DASHBOARD_HOME_AREA", "E06000049")
    small = tmp_path / "sample"
    small.mkdir()
    (small / "one.csv").write_text("measure,period,value\ncla_count,2024-01,470\n", encoding="utf-8")
    assert [r.status for r in load_sample_if_empty(engine, small)] == ["loaded"]


def test_the_sample_council_as_home_loads_the_sample_by_default(engine, monkeypatch, tmp_path):
    monkeypatch.delenv("DASHBOARD_LOAD_SAMPLE", raising=False)
    monkeypatch.delenv("DASHBOARD_HOME_AREA", raising=False)
    small = tmp_path / "sample"
    small.mkdir()
    (small / "one.csv").write_text("measure,period,value\ncla_count,2024-01,470\n", encoding="utf-8")
    assert [r.status for r in load_sample_if_empty(engine, small)] == ["loaded"]

"""``python -m metrics benchmark`` answers with DfE's published figures and LAIT's comparison rules.

Expected figures are computed here from the source CSV (csv module) and DfE's neighbour workbook
(openpyxl), not from the code under test. The database is loaded once for the module.
"""

from __future__ import annotations

import csv
import json
import statistics
import subprocess
import sys

import numpy as np
import openpyxl
import pytest

from db.engine import connect
from metrics.__main__ import main
from reference.areas import areas
from settings import DATA_DIR, PROJECT_ROOT
from tests.app_database import published_database
from tests.cli import run_main
from tests.databases import new_database

DFE = DATA_DIR / "dfe"
CHESHIRE_EAST = "E06000049"
SUPPRESSED = ("c", "x", "z", "k", "low", "u")
# measure -> (file, filters, value column)
SOURCES = {
    "cla_count": ("cla_number_and_rate_per_10k_children.csv",
                  {"population_type": "Children looked after on 31 March each year"}, "children_count"),
    "cla_rate": ("cla_number_and_rate_per_10k_children.csv",
                 {"population_type": "Children looked after on 31 March each year"}, "rate_per_10000"),
    "stab_3plus_pct": ("la_cla_placement_stability.csv",
                       {"cla_group": "CLA on 31 March", "placement_stability": "With 3 or more placements during the year"},
                       "children_percent"),
    "cl_eet_19_21": ("la_care_leavers_activity.csv",
                     {"care_leaver_age": "19 to 21 years", "breakdown": "Total in education, employment or training"},
                     "care_leaver_percent"),
    "health_sdq_avg": ("la_conviction_health_outcome_cla.csv", {"breakdown": "SDQ average score"}, "children_count"),
}


def published(measure: str, year: int) -> dict[str, str]:
    """ONS code -> the cell DfE published for the measure and year (national, regional and councils)."""
    name, filters, column = SOURCES[measure]
    out = {}
    with (DFE / name).open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["time_period"] == str(year) and all(row[k] == v for k, v in filters.items()):
                code = {"National": row["country_code"], "Regional": row["region_code"]}.get(
                    row["geographic_level"], row["new_la_code"])
                out[code] = row[column]
    return out


def workbook_neighbours(number: str) -> list[str]:
    rows = list(openpyxl.load_workbook(DFE / "sn_may_2025.xlsx", read_only=True).worksheets[0].iter_rows(
        values_only=True))
    header = list(rows[2])
    [row] = [r for r in rows[3:] if str(r[0]) == number]
    return [str(row[header.index(f"SN{i}")]) for i in range(1, 11)]


def council_values(measure: str, year: int) -> dict[str, float]:
    """Published numbers of every real council that published that year, reorganised ones included (LAIT ranks these)."""
    councils = {a.code for a in areas().local_authorities(include_fictional=False, current_only=False)}
    return {code: float(text) for code, text in published(measure, year).items()
            if code in councils and text not in SUPPRESSED}


def expected_band(value: float, values: list[float], polarity: str) -> str:
    q1, q2, q3 = np.percentile(values, [25, 50, 75])
    steps = ["D", "C", "B", "A"] if polarity == "higher" else ["A", "B", "C", "D"]
    if value <= q1:
        return steps[0]
    if value <= q2:
        return steps[1]
    if value <= q3:
        return steps[2]
    return steps[3]


def expected_rank(value: float, values: list[float], polarity: str) -> int:
    better = [v for v in values if (v > value if polarity == "higher" else v < value)]
    return len(better) + 1


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = published_database(tmp_path_factory.mktemp('cli') / 'dashboard.db')
    yield url
    connect(url).dispose()
    connect.cache_clear()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The real ``python -m metrics benchmark`` process."""
    return subprocess.run([sys.executable, "-m", "metrics", "benchmark", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120)


def ask(capsys, *args: str) -> tuple[int, dict | None, str]:
    code = main(["benchmark", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else None), err


def test_cheshire_east_rate_with_its_neighbours_region_and_england(db_url):
    result = run_main("metrics", "benchmark", "--measure", "cla_rate", "--area", CHESHIRE_EAST, "--db", db_url)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    source = published("cla_rate", 2025)
    assert (report["year"], report["period_end"], report["polarity"]) == (2025, "2025-03-31", "neither")
    assert report["value"] == float(source[CHESHIRE_EAST]) == 66
    names = workbook_neighbours("895")
    assert [n["area"] for n in report["neighbours"]] == [areas().resolve(n).code for n in names]
    assert [n["name"] for n in report["neighbours"]][0] == "Gloucestershire"
    expected = statistics.fmean(float(source[areas().resolve(n).code]) for n in names)
    assert report["sn_average"] == pytest.approx(expected) and report["sn_count"] == 10
    assert report["region"] == {"code": "E12000002", "name": "North West", "value": float(source["E12000002"])}
    assert report["england"]["value"] == float(source["E92000001"])
    assert report["rank"] is None and report["quartile"] is None  # a rate is context, not better or worse


def test_a_dfe_number_gives_the_same_council_ranked_by_polarity(db_url):
    result = run_main("metrics", "benchmark", "--measure", "stab_3plus_pct", "--area", "895", "--year", "2025",
                      "--db", db_url)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    values = council_values("stab_3plus_pct", 2025)
    mine = values[CHESHIRE_EAST]
    assert (report["area"], report["polarity"], report["value"]) == (CHESHIRE_EAST, "lower", mine)
    assert report["rank"] == expected_rank(mine, list(values.values()), "lower")
    assert report["rank_of"] == len(values)
    assert report["quartile"] == expected_band(mine, list(values.values()), "lower")
    assert report["quartile_reading"]
    for key in ("sn_average", "sn_count", "neighbours", "region", "england", "rank", "rank_of", "quartile",
                "quartile_reading", "year", "period_end", "polarity"):
        assert key in report


@pytest.mark.parametrize(("measure", "year", "polarity"), [("stab_3plus_pct", 2024, "lower"),
                                                            ("cl_eet_19_21", 2025, "higher"),
                                                            ("health_sdq_avg", 2023, "lower")])
def test_the_best_council_ranks_first_in_band_a_and_the_worst_is_in_band_d(capsys, db_url, measure, year, polarity):
    values = council_values(measure, year)
    pick = max if polarity == "higher" else min
    best = pick(values, key=values.get)
    worst = (min if polarity == "higher" else max)(values, key=values.get)
    code, report, _ = ask(capsys, "--measure", measure, "--area", best, "--year", str(year), "--db", db_url)
    assert code == 0 and report["rank"] == 1 and report["quartile"] == "A"
    code, report, _ = ask(capsys, "--measure", measure, "--area", worst, "--year", str(year), "--db", db_url)
    assert report["quartile"] == "D"
    assert report["rank"] == expected_rank(values[worst], list(values.values()), polarity)


def test_a_suppressed_neighbour_is_listed_with_its_status_and_left_out_of_the_average(capsys, db_url):
    code, report, _ = ask(capsys, "--measure", "stab_3plus_pct", "--area", "Windsor and Maidenhead",
                          "--year", "2024", "--db", db_url)
    assert code == 0
    source = published("stab_3plus_pct", 2024)
    wokingham = next(n for n in report["neighbours"] if n["name"] == "Wokingham")
    assert source[wokingham["area"]] == "c"
    assert wokingham["value"] is None and wokingham["status"] == "c"
    others = [float(source[n["area"]]) for n in report["neighbours"] if n["area"] != wokingham["area"]]
    assert report["sn_count"] == 9 and report["sn_average"] == pytest.approx(statistics.fmean(others))


def test_the_year_defaults_to_the_latest_with_figures(capsys, db_url):
    code, report, _ = ask(capsys, "--measure", "cla_foster_pct", "--area", "Cheshire East", "--db", db_url)
    assert code == 0 and report["year"] == 2025 and report["polarity"] == "higher"


@pytest.mark.parametrize(
    ("args", "exit_code", "message"),
    [
        (["--measure", "cla_rate", "--area", "Atlantis"], 2, "unknown area 'Atlantis'"),
        (["--measure", "happiness", "--area", "895"], 2, "unknown measure 'happiness'"),
        (["--measure", "cla_rate", "--area", "895", "--year", "2010"], 1, "years with figures: 2016"),
        (["--measure", "health_iha_pct", "--area", "895"], 1, "no published figures for health_iha_pct"),
    ],
)
def test_bad_questions_get_a_clear_answer_and_an_exit_code(capsys, db_url, args, exit_code, message):
    code, _report, err = ask(capsys, *args, "--db", db_url)
    assert code == exit_code and message in err


def test_an_empty_database_is_filled_from_the_shipped_tables_first(tmp_path):
    result = run_cli("--measure", "cla_count", "--area", "Cheshire East", "--db",
                     new_database(tmp_path / 'fresh.db'))
    assert result.returncode == 0, result.stderr
    assert "loaded DfE's published tables first" in result.stderr
    assert json.loads(result.stdout)["value"] == float(published("cla_count", 2025)[CHESHIRE_EAST])

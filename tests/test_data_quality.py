"""The data quality checks on real databases: DfE's shipped tables loaded by the published loader, and a
council's own return written here as a CSV and loaded through import_file, as an officer would.

The return for Cheshire East holds one of each kind of finding, next to a near miss that must not be
flagged (a 35% move under a 50% threshold, a percentage that matches its counts at its own rounding, a
year-end figure that differs from DfE's by rounding alone). DfE's figures the return is compared with
are read from the database the published loader filled, not worked out by the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy

import settings
from db import queries
from db.engine import connect
from loaders.importer import import_file
from loaders.published import load_published_files
from metrics.data_quality import (
    GAP,
    JUMP,
    LOCAL_VS_PUBLISHED,
    MISSING_LATEST,
    NINETY_THREE_VS_PUBLISHED,
    PERCENT_MISMATCH,
    QualityReport,
    findings_frame,
    quality_report,
)
from settings import DATA_DIR
from tests.app_database import copy_database
from tests.databases import new_database
from tests.returns_files import write_csv

DFE_FILES = [DATA_DIR / "dfe" / "la_cla_placement_stability.csv",
             DATA_DIR / "dfe" / "cla_number_and_rate_per_10k_children.csv"]
CHESHIRE_EAST = "E06000049"
CITY_OF_LONDON = "E09000001"  # DfE suppresses its 2024-25 count of children in care
YEAR_END = date(2025, 3, 31)
MONTHS = ["2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12",
          "2025-01", "2025-02", "2025-03"]
GAP_MONTHS = {"2024-07", "2024-08"}  # no row at all for children in care
CLA_COUNT = {"2024-11": 800, "2024-12": 520}  # 500 every other month: +60% in November, then -35%
THRESHOLD = 50.0
RETURN_NAME = "cheshire_east_return.csv"
# A percentage that contradicts its own counts, as a database loaded before the importer refused such a figure
# holds it (45% beside 40 of 120, 35% up from 33.3%: no jump): the data quality check still finds it.
STORED_BEFORE_THE_CHECK = (
    "UPDATE observation SET value = 45 WHERE measure_code = 'stab_3plus_pct' AND area_code = 'E06000049' "
    "AND period_type = 'month' AND period_end = '2025-01-31' AND origin = 'local'"
)


@dataclass(frozen=True)
class Loaded:
    url: str
    batch_id: int
    dfe: dict[str, float]  # DfE's 2024-25 figures for Cheshire East, as the database holds them


def dfe_figures(url: str, area: str) -> dict[str, float]:
    frame = queries.observations(connect(url), areas=[area], origin="published")
    frame = frame[frame["period_end"] == pd.Timestamp(YEAR_END)]
    return dict(zip(frame["measure_code"], frame["value"], strict=True))


def council_return(path: Path, dfe: dict[str, float]) -> Path:
    """Cheshire East's own return: monthly figures for 2024-25 and its year-end figures."""
    rows: list[list[object]] = [["measure", "area", "period", "value", "numerator", "denominator"]]
    for month in MONTHS:
        if month not in GAP_MONTHS:
            rows.append(["cla_count", "Cheshire East", month, CLA_COUNT.get(month, 500), None, None])
        # 40 of 120 is 33.33%: 33.3 and 33 agree at their rounding. January's is loaded as 33.3 and then
        # made 45 in the database (see STORED_BEFORE_THE_CHECK): a file saying so is refused today.
        given = {"2025-02": 33}.get(month, 33.3)
        rows.append(["stab_3plus_pct", "Cheshire East", month, given, 40, 120])
        if month != "2025-03":  # the latest month is missing
            rows.append(["stab_long_pct", "Cheshire East", month, 70, None, None])
    rows += [
        ["stab_3plus_pct", "Cheshire East", "2024-25", dfe["stab_3plus_pct"] + 0.4, None, None],  # rounding only
        ["stab_long_pct", "Cheshire East", "2024-25", dfe["stab_long_pct"] + 0.6, None, None],  # a whole point out
        ["cla_rate", "Cheshire East", "2024-25", dfe["cla_rate"] + 5, None, None],
    ]
    return write_csv(path, rows)


def published_figures(path: Path) -> str:
    """A new database (SQLite: the file ``path``) holding DfE's placement stability and children in care
    tables, loaded by the published loader; returns its URL."""
    url = new_database(path)
    reports = load_published_files(connect(url), DFE_FILES)
    assert all(r.status == "loaded" for r in reports), [r.summary() for r in reports]
    return url


def with_council_return(published_url: str, folder: Path) -> Loaded:
    """A copy of the published database with Cheshire East's return (written into ``folder``) loaded."""
    url = copy_database(published_url, folder / "dashboard.db")
    dfe = dfe_figures(url, CHESHIRE_EAST)
    report = import_file(connect(url), council_return(folder / RETURN_NAME, dfe), imported_by="jsmith")
    assert report.status == "loaded", report.summary()
    with sqlalchemy.create_engine(url).begin() as connection:
        connection.execute(sqlalchemy.text(STORED_BEFORE_THE_CHECK))
    return Loaded(url, report.outcome.batch_id, dfe)


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> str:
    return published_figures(tmp_path_factory.mktemp("quality") / "published.db")


@pytest.fixture(scope="module")
def loaded(published_url, tmp_path_factory) -> Loaded:
    return with_council_return(published_url, tmp_path_factory.mktemp("quality_return"))


@pytest.fixture(scope="module")
def report(loaded) -> QualityReport:
    return quality_report(connect(loaded.url), CHESHIRE_EAST, THRESHOLD)


def test_every_finding_names_the_batch_file_and_who_loaded_it(report, loaded):
    assert report.area_name == "Cheshire East"
    own = [f for f in report.findings if f.kind != LOCAL_VS_PUBLISHED]
    assert own
    for finding in own:
        assert [b.batch_id for b in finding.batches] == [loaded.batch_id]
        assert finding.batches[0].file_name == RETURN_NAME
        assert finding.batches[0].loaded_by == "jsmith"
        assert f"Batch {loaded.batch_id} · {RETURN_NAME} · loaded " in finding.batches[0].text
        assert finding.area_name == "Cheshire East"


def test_a_measure_without_the_latest_month_is_missing(report):
    check = report.check(MISSING_LATEST)
    assert check.checked
    [finding] = check.findings
    assert finding.measure.code == "stab_long_pct"
    assert finding.period == "March 2025"
    assert finding.message == "No figure of the council's own for March 2025: its latest is 70% for February 2025."


def test_a_gap_in_a_monthly_series_names_the_missing_months(report):
    [finding] = report.check(GAP).findings
    assert finding.measure.code == "cla_count"
    assert finding.period == "July 2024 to August 2024"
    assert finding.message == "No figure for July 2024 to August 2024 (2 months) between 500 for June 2024 and 500 for September 2024."


def test_a_jump_beyond_the_threshold_is_flagged_and_a_smaller_move_is_not(report):
    [finding] = report.check(JUMP).findings  # not December's -35%, nor stab_3plus_pct's 33.3% to 45% (+35%)
    assert finding.measure.code == "cla_count"
    assert finding.period == "November 2024"
    assert finding.message == "Up from 500 in October 2024 to 800 in November 2024: 60% higher than the month before."
    assert [f.value for f in finding.figures] == [500, 800]


def test_the_threshold_comes_from_the_setting(loaded, monkeypatch):
    monkeypatch.setenv("DASHBOARD_JUMP_THRESHOLD_PERCENT", "60")
    assert settings.jump_threshold_percent() == 60
    assert quality_report(connect(loaded.url), CHESHIRE_EAST, settings.jump_threshold_percent()).check(JUMP).count == 0
    monkeypatch.setenv("DASHBOARD_JUMP_THRESHOLD_PERCENT", "30")
    assert quality_report(connect(loaded.url), CHESHIRE_EAST, settings.jump_threshold_percent()).check(JUMP).count == 3
    for unreadable in ("fifty", "-5", "0"):
        monkeypatch.setenv("DASHBOARD_JUMP_THRESHOLD_PERCENT", unreadable)
        assert settings.jump_threshold_percent() == 50


def test_a_percentage_that_disagrees_with_its_counts_is_flagged_but_not_its_rounding(report):
    [finding] = report.check(PERCENT_MISMATCH).findings  # 33.3% and 33% of 40/120 are its rounding
    assert finding.measure.code == "stab_3plus_pct"
    assert finding.period == "January 2025"
    assert finding.message == "Given as 45%, but 40 of 120 is 33.3%."


def test_a_year_end_figure_that_differs_from_dfes_at_dfes_rounding_is_flagged_but_rounding_alone_is_not(report, loaded):
    check = report.check(LOCAL_VS_PUBLISHED)
    assert check.checked
    assert "Compared 3 year-end figures" in check.scope
    flagged = {f.measure.code: f for f in check.findings}
    assert set(flagged) == {"stab_long_pct", "cla_rate"}  # not stab_3plus_pct, 0.4 of a point from DfE's
    long = flagged["stab_long_pct"]
    dfe = loaded.dfe["stab_long_pct"]
    assert long.period == "2024-25"
    assert long.message == (f"Our return gives {dfe + 0.6:g}% (which DfE would publish as {dfe + 1:g}%); DfE "
                            f"published {dfe:g}%.")
    own, published = long.batches
    assert own.batch_id == loaded.batch_id
    assert published.file_name == "la_cla_placement_stability.csv"


def test_a_council_on_dfes_figures_only_is_told_what_cannot_be_checked(published_url):
    report = quality_report(connect(published_url), CHESHIRE_EAST, THRESHOLD)
    assert report.check(MISSING_LATEST).checked
    assert report.check(MISSING_LATEST).count == 0
    for kind in (GAP, JUMP, PERCENT_MISMATCH, LOCAL_VS_PUBLISHED):
        check = report.check(kind)
        assert not check.checked and not check.findings
        assert check.scope.startswith("Cannot be checked: ")
    assert "no monthly or quarterly figures of its own" in report.check(GAP).scope
    assert "no year-end figures of its own" in report.check(LOCAL_VS_PUBLISHED).scope


def test_a_figure_dfe_suppressed_for_the_latest_year_is_missing_and_names_dfes_file(published_url):
    report = quality_report(connect(published_url), CITY_OF_LONDON, THRESHOLD)
    suppressed = [f for f in report.check(MISSING_LATEST).findings if f.measure.code == "cla_count"]
    [finding] = suppressed
    assert finding.message == "DfE published the 2024-25 figure as suppressed (c), not a number."
    assert finding.batches[0].file_name == "cla_number_and_rate_per_10k_children.csv"


def test_the_download_has_one_row_per_finding_with_every_batch_behind_it(report, loaded):
    frame = findings_frame(report)
    assert len(frame) == len(report.findings) == 6
    jump = frame[frame["Check"] == JUMP.title].iloc[0]
    assert (jump["Measure"], jump["Council"], jump["Period"]) == ("Children in care", "Cheshire East", "November 2024")
    assert (jump["Batch"], jump["File"], jump["Loaded by"]) == (str(loaded.batch_id), RETURN_NAME, "jsmith")
    rate = frame[(frame["Check"] == LOCAL_VS_PUBLISHED.title) & (frame["Measure code"] == "cla_rate")].iloc[0]
    own, dfe = rate["Batch"].split("; ")
    assert own == str(loaded.batch_id) and dfe != own
    assert rate["File"] == f"{RETURN_NAME}; cla_number_and_rate_per_10k_children.csv"


def test_a_rise_from_zero_is_a_jump_and_a_suppressed_month_is_neither_a_gap_nor_a_jump(published_url, tmp_path):
    url = copy_database(published_url, tmp_path / "zero.db")
    path = write_csv(tmp_path / "starts.csv", [
        ["measure", "area", "period", "value"],
        ["cla_starts", "Cheshire East", "2024-04", 0],
        ["cla_starts", "Cheshire East", "2024-05", 4],
        ["cla_starts", "Cheshire East", "2024-06", "c"],  # suppressed: a figure, given as a symbol
        ["cla_starts", "Cheshire East", "2024-07", 4],
    ])
    assert import_file(connect(url), path).status == "loaded"
    report = quality_report(connect(url), CHESHIRE_EAST, THRESHOLD)
    assert report.check(GAP).checked and report.check(GAP).count == 0
    [jump] = report.check(JUMP).findings
    assert jump.message == "Up from 0 in April 2024 to 4 in May 2024: any rise from 0 is beyond the threshold."


def test_a_903_figure_that_differs_from_dfes_once_rounded_as_dfe_rounded_it_is_flagged(published_url, tmp_path):
    import hashlib

    from db.models import SSDA903
    from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch

    url = copy_database(published_url, tmp_path / "with_903.db")
    dfe = dfe_figures(url, CHESHIRE_EAST)
    before = quality_report(connect(url), CHESHIRE_EAST, THRESHOLD).check(NINETY_THREE_VS_PUBLISHED)
    assert not before.checked and "no SSDA903 return is loaded for Cheshire East" in before.scope

    def computed(code: str, value: float, numerator: float | None, denominator: float | None) -> dict:
        return dict(measure_code=code, area_code=CHESHIRE_EAST, period_type="year", period_end=YEAR_END, dimension="",
                    category="", value=value, numerator=numerator, denominator=denominator, status="value")

    # DfE publishes whole percentages: ours 0.4 of a point away rounds to DfE's; 0.6 of a point does not.
    rows = [computed("stab_3plus_pct", dfe["stab_3plus_pct"] + 0.4, None, None),
            computed("stab_long_pct", dfe["stab_long_pct"] + 0.6, None, None)]
    name = "set_903"
    apply_batch(connect(url), BatchInfo(name, hashlib.sha256(name.encode()).hexdigest(), SSDA903, [], "jsmith"),
                pd.DataFrame(rows, columns=OBSERVATION_COLUMNS))
    check = quality_report(connect(url), CHESHIRE_EAST, THRESHOLD).check(NINETY_THREE_VS_PUBLISHED)
    assert check.checked and "Compared 2 year-end figures computed from the council's 903" in check.scope
    [finding] = check.findings
    assert finding.measure.code == "stab_long_pct" and finding.period == "2024-25"
    assert finding.message.startswith(f"From your 903: {dfe['stab_long_pct'] + 0.6:.1f}%; DfE 2024-25: "
                                      f"{dfe['stab_long_pct']:g}%. These differ by more than DfE's rounding")
    assert [b.file_name for b in finding.batches] == [name, "la_cla_placement_stability.csv"]

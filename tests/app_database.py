"""Deterministic dashboard databases for the app tests, the browser test and the page benchmark.

Built through ``db.writes.apply_batch`` like any import: the home council's monthly figures (24 months
with one measure that turns red in the last month and one suppressed value), its targets, yearly
figures for its statistical neighbours, region and England, and a breakdown by age band. The
national-size variant adds every local authority for ten years, as DfE publishes them.
"""

from __future__ import annotations

import hashlib
import random
import tempfile
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from db.engine import connect
from db.writes import OBSERVATION_COLUMNS, TARGET_COLUMNS, BatchInfo, apply_batch
from loaders.published.load import load_published_if_empty
from loaders.sample import load_sample_if_empty
from reference.areas import ENGLAND_CODE, areas
from reference.catalogue import catalogue
from tests.databases import copy_database, new_database

HOME = "E06999901"
FIRST_MONTH = date(2023, 4, 30)
MONTHS = 24  # April 2023 to March 2025
RED_MEASURE = "stab_3plus_pct"  # target 10% or less, tolerance 2: 11% (amber) in February, 14% (red) in March 2025
RED_VALUES = {date(2025, 2, 28): 11.0, date(2025, 3, 31): 14.0}
SUPPRESSED = ("health_dental_pct", date(2024, 12, 31))  # published as 'c' in the return
NO_DATA_MEASURE = "health_rha_pct"  # never loaded: pages say "no data"
BREAKDOWN = ("cla_count", "age_band", ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over"))
SPLIT = (0.05, 0.15, 0.2, 0.4, 0.2)

# Levels each measure is built around (the home council, then noise), in the catalogue's units.
LEVELS = {
    "cla_count": 320.0, "cla_rate": 72.0, "cla_starts": 14.0, "cla_ceased": 13.0, "cla_foster_pct": 70.0,
    "cla_20miles_pct": 18.0, "stab_3plus_pct": 9.0, "stab_long_pct": 68.0, "cl_eet_17_18": 62.0,
    "cl_eet_19_21": 52.0, "cl_accom_17_18": 90.0, "cl_accom_19_21": 88.0, "health_iha_pct": 70.0,
    "health_rha_pct": 85.0, "health_annual_pct": 90.0, "health_dental_pct": 80.0, "health_imms_pct": 85.0,
    "health_sdq_avg": 14.0,
}
# Targets on the home council for the year April 2024 to March 2025: (value, tolerance).
TARGETS = {
    "stab_3plus_pct": (10.0, 2.0), "stab_long_pct": (60.0, 5.0), "cla_foster_pct": (65.0, 5.0),
    "cl_eet_17_18": (55.0, 5.0), "health_iha_pct": (60.0, 5.0), "health_sdq_avg": (15.0, 0.5),
}
TARGET_START, TARGET_END = date(2024, 4, 1), date(2025, 3, 31)


@dataclass(frozen=True)
class BuiltDatabase:
    url: str
    home: str
    neighbours: list[str]
    region: str
    batches: int


def month_ends(first: date, count: int) -> list[date]:
    out = []
    year, month = first.year, first.month
    for _ in range(count):
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        out.append(date.fromordinal(nxt.toordinal() - 1))
        year, month = nxt.year, nxt.month
    return out


def _value(code: str, rng: random.Random, spread: float = 0.08) -> float:
    level = LEVELS.get(code, 50.0)
    value = level * (1 + rng.uniform(-spread, spread))
    unit = catalogue().get(code).unit if code in catalogue() else "percent"
    if unit == "percent":
        return float(min(100.0, max(0.0, round(value))))
    if unit == "score":
        return round(value, 1)
    return float(round(value))


def _row(code: str, area: str, period_type: str, end: date, value: float | None, status: str = "value",
         dimension: str = "", category: str = "", numerator: float | None = None,
         denominator: float | None = None) -> dict:
    return dict(measure_code=code, area_code=area, period_type=period_type, period_end=end, dimension=dimension,
                category=category, value=value, numerator=numerator, denominator=denominator, status=status)


def home_monthly(rng: random.Random, home: str = HOME) -> pd.DataFrame:
    rows = []
    for code in [m.code for m in catalogue().measures]:
        if code == NO_DATA_MEASURE:
            continue
        for end in month_ends(FIRST_MONTH, MONTHS):
            value = _value(code, rng)
            if code == RED_MEASURE:
                value = RED_VALUES.get(end, min(value, 9.0))
            if (code, end) == SUPPRESSED:
                rows.append(_row(code, home, "month", end, None, "c"))
                continue
            numerator = denominator = None
            if catalogue().get(code).is_percent:
                denominator = 200.0
                numerator = round(value * 2)
                value = numerator / 2
            rows.append(_row(code, home, "month", end, value, numerator=numerator, denominator=denominator))
    return pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)


def home_breakdown(rng: random.Random, home: str = HOME) -> pd.DataFrame:
    code, dimension, categories = BREAKDOWN
    rows = []
    for end in month_ends(FIRST_MONTH, MONTHS):
        total = _value(code, rng)
        for category, share in zip(categories, SPLIT, strict=True):
            rows.append(_row(code, home, "month", end, float(round(total * share)), dimension=dimension,
                             category=category))
    return pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)


def yearly(rng: random.Random, area_codes: list[str], years: list[int]) -> pd.DataFrame:
    """Yearly figures (year ending 31 March) for every measure DfE publishes, one neighbour's value suppressed."""
    local_only = {"health_iha_pct", "health_rha_pct"}
    rows = []
    for code in [m.code for m in catalogue().measures if m.code not in local_only]:
        for year in years:
            for index, area in enumerate(area_codes):
                if index == 1 and year == years[-1]:
                    rows.append(_row(code, area, "year", date(year, 3, 31), None, "c"))
                else:
                    rows.append(_row(code, area, "year", date(year, 3, 31), _value(code, rng, 0.25)))
    return pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)


def target_frame(home: str = HOME) -> pd.DataFrame:
    rows = [dict(measure_code=code, area_code=home, period_start=TARGET_START, period_end=TARGET_END, value=value)
            for code, (value, _tolerance) in TARGETS.items()]
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _info(name: str, source: str) -> BatchInfo:
    return BatchInfo(name, hashlib.sha256(name.encode()).hexdigest(), source, ["Sheet1"], "test builder")


def build(engine: Engine, url: str, national: bool = False, seed: int = 42) -> BuiltDatabase:
    """Fill an empty, migrated database; ``national`` adds every council for ten years."""
    rng = random.Random(seed)
    directory = areas()
    neighbours = [a.code for a in directory.neighbours(HOME)]
    region = directory.region_of(HOME).code
    batches = 0
    apply_batch(engine, _info("northmoor_monthly.xlsx", "return"), home_monthly(rng), target_frame())
    apply_batch(engine, _info("northmoor_breakdowns.xlsx", "return"), home_breakdown(rng))
    batches += 2
    if national:
        others = [a.code for a in directory.local_authorities(include_fictional=False)]
        codes = list(dict.fromkeys([*neighbours, *others, *[r.code for r in directory.regions()], ENGLAND_CODE,
                                    HOME]))
        years = list(range(2016, 2026))
    else:
        codes = [*neighbours, region, ENGLAND_CODE, HOME]
        years = [2021, 2022, 2023, 2024, 2025]
    apply_batch(engine, _info("dfe_published.csv", "published"), yearly(rng, codes, years))
    batches += 1
    return BuiltDatabase(url, HOME, neighbours, region, batches)


# Loading DfE's published figures takes seconds and every module that uses them needs the same file: each test
# process (each xdist worker too) loads them once into this folder and hands out copies. tests/conftest.py
# points it at the session's temporary folder; scripts outside pytest get a folder of their own.
originals_folder: Path | None = None


@cache
def _original(name: str) -> str:
    """The URL of the database ``name`` ("published" or "sample"), built the first time it is asked for."""
    folder = originals_folder or Path(tempfile.mkdtemp(prefix="dashboard-originals-"))
    if name == "published":
        url = new_database(folder / "published.db")
        assert all(report.ok for report in load_published_if_empty(connect(url)))
    else:
        url = copy_database(_original("published"), folder / f"{name}.db")
        assert all(report.status == "loaded" for report in load_sample_if_empty(connect(url)))
    connect(url).dispose()
    return url


def published_database(path: Path) -> str:
    """A new database (SQLite: the file ``path``) holding DfE's published figures, loaded as the app loads them on
    first start (a copy of the one loaded once per test process); returns its URL."""
    return copy_database(_original("published"), path)


def sample_database(path: Path) -> str:
    """DfE's figures and the fictional sample council's own returns, as the app loads them on first start
    (a copy of the one loaded once per test process)."""
    return copy_database(_original("sample"), path)

"""How fast the Benchmarking page runs once warm, on DfE's real published figures, against one SQL read of the same data.

Loads the shipped published files (every council, region and England, 2016-2025) and the fictional sample
council's returns into a fresh SQLite file, as the app does on first start. Then, for each case, runs the
real app through AppTest: one cold run of the page, then several warm runs (a person changing nothing and
the page rerunning), and prints the median. The baseline, measured in the same run, is the one query the
page's figures rest on: every area's headline figures for the measure. The ratio says how many such reads a
warm page costs. Run: .venv/bin/python benchmarks/benchmarking_page_speed.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db import queries  # noqa: E402
from db.engine import connect  # noqa: E402
from loaders.published import load_published_if_empty  # noqa: E402
from loaders.sample import load_sample_if_empty  # noqa: E402

PAGE = "app_pages/benchmarking.py"
# (what the case shows, home council, URL parameters)
CASES = [
    ("Cheshire East, rate per 10,000, 2025", "E06000049", {"measure": "cla_rate", "year": "2025"}),
    ("Cheshire East, 3+ moves, 2021", "E06000049", {"measure": "stab_3plus_pct", "year": "2021"}),
    ("Sample council with monthly figures", "E06999901", {"measure": "stab_3plus_pct", "year": "2025"}),
]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def baseline(engine, measure: str, runs: int) -> float:
    """One read of every area's headline figures for the measure (what the page's cached read fetches)."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        queries.observations(engine, measures=[measure])
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def page_time(home: str, params: dict[str, str], runs: int) -> tuple[float, float]:
    """(cold ms, median warm ms) of the Benchmarking page for one council and URL."""
    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_HOME_AREA"] = home
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    started = time.perf_counter()
    at.switch_page(PAGE).run()
    cold = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{home} {params}: {[e.value for e in at.exception]}")
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        samples.append(time.perf_counter() - started)
    return cold * 1000, median_ms(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="warm runs per case (median reported)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="benchmarking_page_speed_"))
    url = f"sqlite:///{folder / 'dashboard.db'}"
    os.environ.update({"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0"})
    engine = connect(url)
    started = time.perf_counter()
    load_published_if_empty(engine)
    load_sample_if_empty(engine)
    rows = queries.coverage(engine)["values"].sum()
    print(f"published figures and the sample council: {rows:,} headline values, loaded in "
          f"{time.perf_counter() - started:.1f}s\n")
    print(f"{'case':<40}{'cold ms':>9}{'warm ms':>9}{'SQL ms':>8}{'warm / SQL':>12}")
    for name, home, params in CASES:
        cold, warm = page_time(home, params, args.runs)
        base = baseline(engine, params["measure"], max(args.runs, 5))
        print(f"{name:<40}{cold:>9.0f}{warm:>9.0f}{base:>8.1f}{warm / base:>12.1f}")


if __name__ == "__main__":
    main()

"""How fast each page runs once warm, on a national-size database, against reading the same data in one query.

Builds a database like a live one (every local authority, region and England, every measure, ten years
of yearly figures, plus the home council's monthly returns and a breakdown), then for each page runs the
real app through AppTest: one cold run, then several warm runs, and prints the median script time; then
the median run after choosing a period not seen before (the end month one, two... months earlier), when
every chart of the page is built again from the figures already read. The baseline, measured in the same
run, is one SQL query for the headline figures a page shows (the home council, its statistical
neighbours, region and England); the ratio says how many such reads a page costs. Run: .venv/bin/python benchmarks/page_speed.py [--runs 7]
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
from tests import app_database  # noqa: E402

PAGES = {
    "Overview": None,
    "Children in care": "app_pages/children_in_care.py",
    "Placement stability": "app_pages/placement_stability.py",
    "Care leavers": "app_pages/care_leavers.py",
    "Health": "app_pages/health.py",
    "Measure detail": "app_pages/measure.py",
    "Imports": "app_pages/imports.py",
}
BUDGET_MS = 300


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def baseline(engine, area_codes: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        queries.observations(engine, areas=area_codes)
        samples.append(time.perf_counter() - started)
    return median_ms(samples)


def page_times(runs: int) -> dict[str, tuple[float, float, float]]:
    from streamlit.testing.v1 import AppTest

    from ui.filters import PARAM_TO, month_key

    ends = app_database.month_ends(app_database.FIRST_MONTH, app_database.MONTHS)

    out = {}
    for name, path in PAGES.items():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        started = time.perf_counter()
        at.run()
        if path:
            at.switch_page(path).run()
        cold = time.perf_counter() - started
        if at.exception:
            raise RuntimeError(f"{name}: {[e.value for e in at.exception]}")
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            at.run()
            samples.append(time.perf_counter() - started)
        rebuilt = []
        for months_back in range(1, runs + 1):  # a period not seen before each time: every chart built again
            at.query_params[PARAM_TO] = month_key(ends[-1 - months_back])
            started = time.perf_counter()
            at.run()
            rebuilt.append(time.perf_counter() - started)
        out[name] = (cold * 1000, median_ms(samples), median_ms(rebuilt))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="warm runs per page (median reported)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="page_speed_"))
    url = f"sqlite:///{folder / 'dashboard.db'}"
    os.environ.update({"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": app_database.HOME})
    engine = connect(url)
    started = time.perf_counter()
    built = app_database.build(engine, url, national=True)
    rows = queries.coverage(engine)["values"].sum()
    print(f"national-size database: {rows:,} headline values, built in {time.perf_counter() - started:.1f}s")
    area_codes = [built.home, *built.neighbours, built.region, "E92000001"]
    base = baseline(engine, area_codes, max(args.runs, 5))
    print(f"baseline: one SQL query for the {len(area_codes)} areas a page shows: {base:.1f} ms (median)\n")
    print(f"{'page':<22}{'cold ms':>10}{'warm ms':>10}{'x baseline':>12}  under {BUDGET_MS} ms"
          f"{'new period ms':>16}{'x baseline':>12}")
    for name, (cold, warm, rebuilt) in page_times(args.runs).items():
        verdict = "yes" if warm < BUDGET_MS else "NO"
        print(f"{name:<22}{cold:>10.0f}{warm:>10.0f}{warm / base:>12.1f}  {verdict:<{len(str(BUDGET_MS)) + 9}}"
              f"{rebuilt:>16.0f}{rebuilt / base:>12.1f}")


if __name__ == "__main__":
    main()

"""The app's processor time and memory per page view, as shipped, against Streamlit's default of a full garbage
collection after every run (the baseline, measured in the same run).

One instance on SQLite (the test database, tests/app_database.py); members in real Chromium (as
benchmarks/load.py's) visit the same pages one after another, after one unmeasured visit that warms the caches.
The instance's own processor time is read from /proc around each visit; its peak memory (VmHWM) at the end.
.streamlit/config.toml turns the collection off (runner.postScriptGC); the baseline turns it back on through
Streamlit's environment setting.

Run: .venv/bin/python benchmarks/page_runs.py [--members 6]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.load import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, VISIT, WATCH_JS, Runs, _do, served  # noqa: E402

GC_SETTING = "STREAMLIT_RUNNER_POST_SCRIPT_GC"
TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Measured:
    name: str
    per_view_s: list[float]  # the instance's processor seconds for each page view
    peak_mb: float

    @property
    def median(self) -> float:
        return statistics.median(self.per_view_s)


def _processor_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _peak_mb(pid: int) -> float:
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


async def _visits(base: str, pid: int, members: int) -> list[float]:
    from playwright.async_api import async_playwright

    spent: list[float] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for member in range(members + 1):  # the first warms the caches and is not counted
            context = await browser.new_context(viewport=VIEWPORT)
            await context.add_init_script(WATCH_JS)
            page = await context.new_page()
            runs = Runs()
            await runs.attach(page)
            for action in VISIT:
                before = _processor_s(pid)
                await _do(page, runs, base, action, 120)
                await asyncio.sleep(0.5)  # the run's last messages and its clean-up
                if member:
                    spent.append(_processor_s(pid) - before)
            await context.close()
        await browser.close()
    return spent


def measure(name: str, members: int, collect: bool) -> Measured:
    saved = os.environ.get(GC_SETTING)
    if collect:
        os.environ[GC_SETTING] = "true"
    try:
        with served("sqlite", Path(tempfile.mkdtemp(prefix="page_runs_"))) as (base, _direct, _url, _log):
            pid = _instance_pid()
            spent = asyncio.run(_visits(base, pid, members))
            return Measured(name, spent, _peak_mb(pid))
    finally:
        if saved is None:
            os.environ.pop(GC_SETTING, None)
        else:
            os.environ[GC_SETTING] = saved


def _instance_pid() -> int:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"streamlit" in command and b"run" in command and str(ROOT).encode() in command:
                return int(entry.name)
    raise RuntimeError("the instance's process was not found")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=6, help="members measured, one after another (default 6)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is not installed (apt-get install chromium).")
        return 2
    started = time.monotonic()
    baseline = measure("full collection after every run (Streamlit's default)", args.members, collect=True)
    shipped = measure("as shipped (runner.postScriptGC = false)", args.members, collect=False)
    print(f"The app's processor time per page view, {args.members} members x {len(VISIT)} pages each "
          f"({(time.monotonic() - started) / 60:.1f} minutes):")
    for result in (baseline, shipped):
        print(f"  {result.name}: median {result.median:.3f} s, total {sum(result.per_view_s):.1f} s, "
              f"peak memory {result.peak_mb:.0f} MB")
    print(f"  ratio (shipped / baseline): processor time {shipped.median / baseline.median:.2f} x, "
          f"peak memory {shipped.peak_mb / baseline.peak_mb:.2f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

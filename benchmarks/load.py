"""Many members browsing at once while an editor loads returns: real headless Chromium sessions, loopback only.

Streamlit talks to each browser tab over a websocket and draws charts in the browser, so an HTTP-only tool
would time the wrong thing: each simulated member here is a Chromium browser context (its own cookies, so
its own sticky instance) that opens the Overview, follows menu links and switches a selector, timed from
the click to the last chart drawn, reading each page for 10 to 30 seconds before the next click. The
browsers stand in for the members' own devices but share this machine's cores, and a browser drawing a page
takes several times the processor time the app takes to build it; so they run in Linux's idle
scheduling class, and the report says how the processor time was shared. Meanwhile an editor loads monthly returns and a generated 903 set (three
collection years, ``scripts/make_903.py``) through the command line, as a performance officer does. Two configurations, each in
the same run: two instances behind nginx on one PostgreSQL (the shared-server setup), and one instance on
SQLite (a council's own install). Each starts with one member alone (the baseline the goal is measured
against), after one unmeasured visit per instance to warm its caches. Afterwards the database's figures
are compared with the files the editor loaded: none lost, none doubled, none unexpected; and the 903 set's
figures with the same set computed again in this process.

"The last chart drawn": the run the click started is over when the server says so over the member's
websocket (Streamlit's script_finished message; the page's own run-state attribute can skip "running"
altogether when a busy browser handles several messages in one go, so it cannot count runs). The page is
then finished once it shows the run finished, no element is stale (left from the run before) or a loading
skeleton, every Plotly chart has its SVG, its content has changed since the click, and nothing in its main
area or sidebar (charts included) has changed for ``QUIET_MS``. The time is taken at that last change, seen
by a MutationObserver in the page, not when the quiet period ends: that is when the member sees the
finished page, the last chart drawn. The time until the server finished the run is printed beside it.

Run: .venv/bin/python benchmarks/load.py [--sessions 20] [--views 9] [--ramp 1] [--timeout 120] [--max-minutes 15]
     [--think 10 30] [--browser-priority idle|same] [--only postgres|sqlite]
Goals: 20 sessions on two instances with 0 errors, a 95th percentile under twice the single member's median.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from db.engine import connect  # noqa: E402
from db.models import LOCAL, ImportBatch, Observation, ObservationHistory  # noqa: E402
from scripts.serve_instances import (  # noqa: E402
    LOOPBACK,
    free_port,
    nginx_unavailable_reason,
    private_nginx,
    streamlit_instances,
)
from scripts.serve_instances import access_log as read_access_log  # noqa: E402
from tests import app_database  # noqa: E402
from tests.postgres_server import throwaway_postgres, unavailable_reason  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 800}
QUIET_MS = 750  # nothing in a chart changed for this long: the page is finished
ACTION_TIMEOUT_S = 120  # a page not drawn by then counts as an error
RAMP_S = 1.0  # members arrive one a second, as people opening a link from an e-mail do
IMPORT_GAP_S = 3.0  # the editor's pause between two files
# A member reads each page before the next click: 10 to 30 seconds of headline, charts and commentary, as in a
# committee meeting (--think 0 0 clicks on at once, a stress test rather than members).
THINK_S = (10.0, 30.0)
# Each member's browser stands in for that member's own laptop or tablet: here all twenty share the server's
# cores, so they run under Linux's idle scheduling class (chrt --idle), taking only the processor time the app,
# its database and the editor leave: the app is not starved by its own audience. (A nice value would not do:
# Chromium, run as root, sets its own processes' nice values back.) --browser-priority same turns it off.
BROWSER_PRIORITIES = ("idle", "same")
HOME = app_database.HOME
NINETY_THREE_CHILDREN = 600  # the generated 903 set: a small council's children over three collection years


@dataclass(frozen=True)
class Action:
    kind: str  # open (an address), link (a menu entry's title), selector (a toggle's label)
    target: str


# What one member does: the Overview from a link, the theme pages by the menu, comparators off and on again,
# then the measure and benchmarking pages. Every page but the Overview draws charts.
VISIT = (
    Action("open", "/overview"),
    Action("link", "Children in care"),
    Action("link", "Placement stability"),
    Action("selector", "Show comparators"),
    Action("link", "Care leavers"),
    Action("selector", "Show comparators"),
    Action("link", "Health"),
    Action("link", "Measure detail"),
    Action("link", "Benchmarking"),
)

# Installed in every page before Streamlit's own scripts: when the member last pressed something, when the
# page's content (main area and sidebar, charts included) last changed, when a chart last changed, and the
# app root's script state with the time it last became "notRunning".
WATCH_JS = """
(() => {
  const L = window.__load = {pressed: 0, changed: 0, chartDrawn: 0, runEnd: 0, state: null, app: null};
  addEventListener('pointerdown', () => { L.pressed = performance.now(); }, true);
  const noteState = () => {
    const s = L.app.getAttribute('data-test-script-state');
    if (s === 'notRunning' && L.state !== s) L.runEnd = performance.now();
    L.state = s;
  };
  new MutationObserver(records => {
    if (!L.app) {
      L.app = document.querySelector('[data-testid="stApp"]');
      if (L.app) {
        noteState();
        new MutationObserver(noteState).observe(L.app, {attributes: true,
                                                         attributeFilter: ['data-test-script-state']});
      }
    }
    const now = performance.now();
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (!el) continue;
      if (el.closest('[data-testid="stMain"], [data-testid="stSidebar"]')) L.changed = now;
      if (el.closest('[data-testid="stPlotlyChart"]')) L.chartDrawn = now;
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
})();
"""

# Once the server has finished the run: the page is finished when it shows the run finished, nothing stale
# or loading is left, every chart has its SVG, its content changed after the press, and then nothing changed
# for quietMs. Returns the time (page clock, ms) of the last change, else false.
DRAWN_JS = """
([pressed, quietMs]) => {
  const L = window.__load;
  if (!L || !L.app || L.state !== 'notRunning' || L.changed <= pressed) return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"], [data-testid="stAppSkeleton"]'))
    return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (!chart.querySelector('.main-svg')) return false;
  return performance.now() - L.changed >= quietMs ? L.changed : false;
}
"""

# What the page looked like when it was not finished in time, so an error says where it stuck.
STUCK_JS = """
() => {
  const L = window.__load || {};
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return 'no app on the page yet (its scripts not loaded)';
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const count = selector => document.querySelectorAll(selector).length;
  return `connection ${app.getAttribute('data-test-connection-state')}, script ${L.state}, `
    + `${count('[data-stale="true"]')} stale, ${count('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]')} `
    + `skeletons, ${charts.filter(c => !c.querySelector('.main-svg')).length} of ${charts.length} charts undrawn, `
    + `last change ${((performance.now() - L.changed) / 1000).toFixed(1)} s ago`;
}
"""


class Runs:
    """The script runs over a member's websocket, as the browser's network stack saw them (Chrome DevTools
    Protocol's frame events, with the network's own timestamps): each request for a run (BackMsg
    rerun_script) and each run the server reports finished (ForwardMsg script_finished). Exact where the
    page's run-state attribute may skip a state when the browser is busy; and the time between a request and
    its run's end is the app's own time, whatever the browser then takes to draw the page."""

    def __init__(self) -> None:
        self.finished = 0
        self.failed = 0
        self.asked: list[float] = []  # network timestamps (seconds) of the requests for a run
        self.ended: list[float] = []  # and of the runs finished, in order

    async def attach(self, page) -> None:
        session = await page.context.new_cdp_session(page)
        session.on("Network.webSocketFrameSent", self._sent)
        session.on("Network.webSocketFrameReceived", self._received)
        await session.send("Network.enable")

    @staticmethod
    def _payload(event: dict) -> bytes | None:
        frame = event.get("response", {})
        return base64.b64decode(frame.get("payloadData", "")) if frame.get("opcode") == 2 else None

    def _sent(self, event: dict) -> None:
        payload = self._payload(event)
        if payload is not None and BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
            self.asked.append(float(event["timestamp"]))

    def _received(self, event: dict) -> None:
        payload = self._payload(event)
        if payload is None:
            return
        message = ForwardMsg.FromString(payload)
        if message.WhichOneof("type") != "script_finished":
            return
        if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            self.ended.append(float(event["timestamp"]))
            self.finished += 1
        elif message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            self.failed += 1

    def app_seconds(self, run: int) -> float:
        """The app's time for finished run ``run`` (0 first): from the last request for a run before it ended."""
        ended = self.ended[run]
        asked = [moment for moment in self.asked if moment <= ended]
        return ended - asked[-1] if asked else float("nan")

    async def wait_beyond(self, before: int, deadline: float) -> None:
        while self.finished <= before and not self.failed:
            if time.monotonic() > deadline:
                raise TimeoutError
            await asyncio.sleep(0.05)
        if self.failed:
            raise RuntimeError("the page's script could not run")


@dataclass
class Member:
    """One simulated member's visit: seconds per page view (and of it, the app's own time for the run),
    errors seen, views not reached in time."""

    times: list[float] = field(default_factory=list)
    runs: list[float] = field(default_factory=list)
    started: list[float] = field(default_factory=list)  # when each view began (time.monotonic())
    errors: list[str] = field(default_factory=list)
    not_reached: int = 0


@dataclass(frozen=True)
class EditorFile:
    path: Path
    values: dict[tuple[str, date], float]  # (measure, month end) -> value, as written in the file


@dataclass
class Editor:
    loaded: list[EditorFile] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    ninety_three: str = ""
    ninety_three_folder: Path | None = None  # the 903 set loaded, when it was
    busy: list[tuple[float, float]] = field(default_factory=list)  # each import's start and end (time.monotonic())


# ---- members ---------------------------------------------------------------------------------------------------

async def _do(page, runs: Runs, base: str, action: Action, timeout_s: float) -> tuple[float, float]:
    """One page view: the seconds from the press (or the address typed) to the last change the run made on the
    page, and the app's own seconds for the run (Runs.app_seconds)."""
    deadline = time.monotonic() + timeout_s
    before = runs.finished
    within = timeout_s * 1000  # a starved browser may take longer than Playwright's 30 s just to click
    if action.kind == "open":
        await page.goto(base + action.target, wait_until="commit", timeout=within)
    elif action.kind == "link":
        await page.locator('[data-testid="stSidebarNavLink"]', has_text=action.target).click(timeout=within)
    else:
        await page.get_by_text(action.target, exact=True).click(timeout=within)
    pressed = 0.0 if action.kind == "open" else float(await page.evaluate("() => window.__load.pressed"))
    try:
        await runs.wait_beyond(before, deadline)
        drawn = await page.wait_for_function(DRAWN_JS, arg=[pressed, QUIET_MS], polling=100,
                                             timeout=max(1.0, deadline - time.monotonic()) * 1000)
    except (TimeoutError, PlaywrightTimeout):
        raise RuntimeError(f"not finished in {timeout_s:.0f} s: {await page.evaluate(STUCK_JS)}") from None
    last = float(await drawn.json_value())
    if await page.locator('[data-testid="stException"]').count():
        raise RuntimeError("an error box on the page")
    state = await page.locator('[data-testid="stApp"]').get_attribute("data-test-connection-state")
    if state != "CONNECTED":
        raise RuntimeError(f"the connection is {state}")
    return (last - pressed) / 1000, runs.app_seconds(before)


async def member(browser, base: str, views: int, delay_s: float, deadline: float, timeout_s: float,
                 think_s: tuple[float, float] = (0.0, 0.0), seed: int = 0) -> Member:
    await asyncio.sleep(delay_s)
    out = Member()
    reading = random.Random(seed)  # each member reads at their own pace, the same in every run
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(WATCH_JS)
    page = await context.new_page()
    runs = Runs()
    await runs.attach(page)
    try:
        for index in range(views):
            action = VISIT[index % len(VISIT)]
            if index and think_s[1] > 0:
                await asyncio.sleep(reading.uniform(*think_s))
            if time.monotonic() > deadline:
                out.not_reached = views - index
                break
            try:
                began = time.monotonic()
                seconds, run = await _do(page, runs, base, action, timeout_s)
                out.started.append(began)
                out.times.append(seconds)
                out.runs.append(run)
            except Exception as error:  # noqa: BLE001 - counted and named, and the member stops there
                out.errors.append(f"{action.kind} {action.target}: {str(error).splitlines()[0][:160]}")
                out.not_reached = views - index - 1
                break
    finally:
        await context.close()
    return out


async def browse(bases: list[str], sessions: int, views: int, deadline: float, ramp_s: float = RAMP_S,
                 timeout_s: float = ACTION_TIMEOUT_S, alongside=None, think_s: tuple[float, float] = (0.0, 0.0),
                 priority: str = "same") -> tuple[list[Member], object]:
    """``sessions`` members (spread over ``bases``) in one Chromium, with ``alongside`` (a coroutine) running too."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=_browser_at(priority), args=CHROMIUM_ARGS)
        keeper = asyncio.create_task(_network_at_normal_priority()) if priority != "same" else None
        try:
            jobs = [member(browser, bases[i % len(bases)], views, i * ramp_s, deadline, timeout_s, think_s, seed=i)
                    for i in range(sessions)]
            side = asyncio.create_task(alongside) if alongside is not None else None
            members = await asyncio.gather(*jobs)
            extra = await side if side is not None else None
        finally:
            if keeper is not None:
                keeper.cancel()
            await browser.close()
    return list(members), extra


def _browser_at(priority: str) -> str:
    """Chromium itself, or a two-line wrapper that starts it in the idle scheduling class (every process and
    thread it starts inherits the class)."""
    if priority == "same":
        return CHROMIUM
    wrapper = Path(tempfile.mkdtemp(prefix="load_browser_")) / "chromium"
    wrapper.write_text(f'#!/bin/sh\nexec chrt --idle 0 {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper)


async def _network_at_normal_priority(every_s: float = 2.0) -> None:
    """The browser's own process and its network service (started when first needed) back in the normal class,
    checked every few seconds while the members browse: they pass the websocket's frames on and stamp their
    times (Runs), and cost little; only the pages' drawing stays idle, so the app's own time is not stretched
    by a starved network process."""
    done: set[str] = set()
    while True:
        _normal_priority(done)
        await asyncio.sleep(every_s)


def _normal_priority(done: set[str]) -> None:
    for entry in Path("/proc").iterdir():
        if entry.name in done or not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if not command or not command[0].endswith(b"chromium"):
            continue
        kind = next((part for part in command if part.startswith(b"--type=")), None)
        if kind is None or b"network.mojom.NetworkService" in b" ".join(command):
            subprocess.run(["chrt", "--other", "--all-tasks", "--pid", "0", entry.name], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            done.add(entry.name)


# ---- the editor ------------------------------------------------------------------------------------------------

def month_end(first: date, months_after: int) -> date:
    """The last day of the month ``months_after`` months after ``first``'s month."""
    year, month = divmod(first.year * 12 + first.month - 1 + months_after + 1, 12)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)


FIRST_NEW_MONTH = date(2025, 4, 30)  # the month after the test database's last
MONTHLY = ("cla_count", "cla_foster_pct", "stab_3plus_pct", "cl_eet_17_18", "health_iha_pct", "health_sdq_avg")


def editor_files(folder: Path, months: int) -> list[EditorFile]:
    """A tidy CSV return per month from April 2025 (after the database's last month), then a correction of the
    first month with every figure changed, which replaces those values and keeps the old ones in history."""
    files = []
    plan = [(index, index, "") for index in range(months)] + [(0, months, "_corrected")]
    for month_index, version, suffix in plan:
        end = month_end(FIRST_NEW_MONTH, month_index)
        values = {}
        for offset, code in enumerate(MONTHLY):
            level = app_database.LEVELS[code]
            values[(code, end)] = round(level + (version + offset) % 5 - 2, 1 if code == "health_sdq_avg" else 0)
        path = folder / f"return_{end:%Y_%m}{suffix}.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["measure", "period", "value"])
            writer.writerows([code, f"{end:%Y-%m}", value] for (code, _end), value in values.items())
        files.append(EditorFile(path, values))
    return files


def _import_command(db_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "loaders", "import", *args, "--area", HOME, "--db", db_url]


async def edit(db_url: str, files: list[EditorFile], gap_s: float = IMPORT_GAP_S) -> Editor:
    """The editor loads each file through the command line, one after another, while the members browse."""
    out = Editor()
    env = {**os.environ, "DASHBOARD_USER": "performance.officer"}
    middle = len(files) // 2
    set_folder = Path(tempfile.mkdtemp(prefix="load_903_")) / "set_903"
    for index, file in enumerate(files):
        await asyncio.sleep(gap_s)
        began = time.monotonic()
        process = await asyncio.create_subprocess_exec(*_import_command(db_url, str(file.path)), cwd=ROOT, env=env,
                                                       stdout=asyncio.subprocess.PIPE, stderr=subprocess.STDOUT)
        said = (await process.communicate())[0].decode(errors="replace").strip()
        out.busy.append((began, time.monotonic()))
        if process.returncode == 0:
            out.loaded.append(file)
        else:
            out.refused.append(f"{file.path.name}: exit {process.returncode}: {said.splitlines()[-1:] or ''}")
        if index == middle:
            began = time.monotonic()
            out.ninety_three, out.ninety_three_folder = await _import_903(db_url, env, set_folder)
            out.busy.append((began, time.monotonic()))
    return out


async def _import_903(db_url: str, env: dict[str, str], folder: Path) -> tuple[str, Path | None]:
    """The editor loads a generated 903 set (a folder with a folder per collection year), as the README says."""
    from scripts.make_903 import generate

    made = generate(children=NINETY_THREE_CHILDREN, years=3)
    made.write(folder)
    process = await asyncio.create_subprocess_exec(*_import_command(db_url, str(folder)),
                                                   cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
                                                   stderr=subprocess.STDOUT)
    said = (await process.communicate())[0].decode(errors="replace").strip()
    first = said.splitlines()[0] if said else ""  # the import's summary; DfE-rule problems are listed under it
    if process.returncode != 0:
        return f"REFUSED, exit {process.returncode}: {first}", None
    return f"{made.children:,} children over {len(made.years)} collection years: {first}", folder


@dataclass(frozen=True)
class FigureCheck:
    """The 903 set's figures in the database against the same set computed again here."""

    expected: int
    found: int
    lost: int  # missing, or a different value or status
    doubled: int
    unexpected: int

    @property
    def ok(self) -> bool:
        return self.lost == self.doubled == self.unexpected == 0 and self.found == self.expected


def check_903(db_url: str, folder: Path) -> FigureCheck:
    """Each figure the set gives, once, with the value and status computed from the files."""
    import math

    from db.models import SSDA903
    from loaders.members import set_members
    from loaders.ssda903.load import prepare

    engine = connect(db_url)
    with set_members([folder]) as members:  # read and computed as the import does, writing nothing
        prepared = prepare(engine, folder.name, "", members, None, HOME, folder.name)
    figures = [] if isinstance(prepared, list) else prepared.figures
    expected = {(f.measure_code, f.period_type, f.period_end): (f.value, f.status) for f in figures}
    with engine.connect() as connection:
        rows = connection.execute(select(
            Observation.measure_code, Observation.period_type, Observation.period_end, Observation.value,
            Observation.status, Observation.dimension).where(
            Observation.area_code == HOME, Observation.origin == SSDA903)).all()
    headline = [r for r in rows if not r.dimension]
    counts = Counter((r.measure_code, r.period_type, r.period_end) for r in headline)
    found = {(r.measure_code, r.period_type, r.period_end): (r.value, r.status) for r in headline}

    def same(a: tuple, b: tuple) -> bool:
        (va, sa), (vb, sb) = a, b
        if va is None or vb is None or (isinstance(va, float) and math.isnan(va)):
            return (va is None or math.isnan(va)) and (vb is None or math.isnan(vb)) and (sa or "") == (sb or "")
        return abs(va - vb) < 1e-9

    lost = sum(1 for key, value in expected.items() if key not in found or not same(value, found[key]))
    return FigureCheck(len(expected), len(found), lost, sum(1 for c in counts.values() if c > 1),
                       sum(1 for key in found if key not in expected))


@dataclass(frozen=True)
class ValueCheck:
    expected: int
    found: int
    lost: int
    doubled: int
    unexpected: int
    history_expected: int
    history_found: int
    batches_expected: int
    batches_found: int

    @property
    def ok(self) -> bool:
        return (self.lost == self.doubled == self.unexpected == 0 and self.history_found == self.history_expected
                and self.batches_found == self.batches_expected)


def check_values(db_url: str, editor: Editor) -> ValueCheck:
    """The database against the files the editor loaded: each figure once, with the last file's value."""
    expected: dict[tuple[str, date], float] = {}
    replaced = 0
    for file in editor.loaded:
        replaced += sum(1 for key, value in file.values.items() if key in expected and expected[key] != value)
        expected.update(file.values)
    months = sorted({end for _code, end in expected})
    engine = connect(db_url)
    key = (Observation.measure_code, Observation.period_end)
    with engine.connect() as connection:
        rows = connection.execute(
            select(*key, Observation.value, Observation.dimension).where(
                Observation.area_code == HOME, Observation.origin == LOCAL, Observation.period_type == "month",
                Observation.measure_code.in_(MONTHLY), Observation.period_end.in_(months))).all() if months else []
        history = connection.execute(select(func.count()).select_from(ObservationHistory).where(
            ObservationHistory.area_code == HOME, ObservationHistory.measure_code.in_(MONTHLY),
            ObservationHistory.period_end.in_(months))).scalar_one() if months else 0
        names = [file.path.name for file in editor.loaded]
        batches = connection.execute(select(func.count()).select_from(ImportBatch).where(
            ImportBatch.file_name.in_(names))).scalar_one() if names else 0
    headline = [(code, end, value) for code, end, value, dimension in rows if not dimension]
    counts = Counter((code, end) for code, end, _value in headline)
    found = {(code, end): value for code, end, value in headline}
    lost = sum(1 for k, v in expected.items() if k not in found or found[k] is None or abs(found[k] - v) > 1e-9)
    return ValueCheck(len(expected), len(found), lost, sum(1 for c in counts.values() if c > 1),
                      sum(1 for k in found if k not in expected), replaced, history, len(names), batches)


# ---- where the processor time went ----------------------------------------------------------------------------

PROCESS_KINDS = (("members' browsers", "chrom"), ("editor", "-m loaders"), ("app", "streamlit"),
                 ("app", "postgres"), ("app", "nginx"))


class ProcessorTime:
    """The processor seconds each kind of process used while it runs (read from /proc every half second, so a
    process that starts and ends in between is missed): the app's instances and database, the members'
    browsers, the editor's imports. On one machine the browsers share the app's cores; this says how much."""

    def __init__(self) -> None:
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._kind: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __enter__(self) -> ProcessorTime:
        self._sweep(first=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sweep(first=False)

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            self._sweep(first=False)

    def _sweep(self, first: bool) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                seconds = (int(fields[11]) + int(fields[12])) / self._tick
                if pid not in self._kind:
                    command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                    self._kind[pid] = next((kind for kind, mark in PROCESS_KINDS if mark in command), "")
                    self._first[pid] = seconds if first else 0.0
            except (OSError, IndexError, ValueError):
                continue
            self._last[pid] = seconds

    def by_kind(self) -> dict[str, float]:
        totals: dict[str, float] = defaultdict(float)
        for pid, kind in self._kind.items():
            if kind:
                totals[kind] += self._last.get(pid, 0.0) - self._first[pid]
        return dict(totals)


# ---- one configuration ---------------------------------------------------------------------------------------

@dataclass
class Outcome:
    name: str
    single: list[Member]
    members: list[Member]
    editor: Editor | None
    values: ValueCheck | None
    per_instance: dict[str, int]
    seconds: float
    load_average: float  # the machine's, at the end: the browsers, the app and anything else running
    figures_903: FigureCheck | None = None
    processor_s: dict[str, float] = field(default_factory=dict)  # processor seconds by kind, members at once


def sessions_per_instance(access_log: Path | None) -> dict[str, int]:
    """From nginx's log: how many browsers (instance cookies) each instance's websockets served."""
    if access_log is None or not access_log.exists():
        return {}
    served: dict[str, set[str]] = defaultdict(set)
    for request in read_access_log(access_log):
        if request.path == "/_stcore/stream" and request.status == "101" and request.cookie != "-":
            served[request.upstream].add(request.cookie)
    return {upstream: len(cookies) for upstream, cookies in sorted(served.items())}


@contextmanager
def served(kind: str, folder: Path) -> Iterator[tuple[str, list[str], str, Path | None]]:
    """(the members' address, each instance's own address, database URL, nginx's log) for a configuration."""
    env_base = {**os.environ, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0", "DASHBOARD_HOME_AREA": HOME}
    if kind == "postgres":
        with throwaway_postgres() as url:
            app_database.build(connect(url), url)
            ports = [free_port(), free_port()]
            with streamlit_instances(ports, {**env_base, "DASHBOARD_DB_URL": url}, folder) as instances, \
                    private_nginx(ports, folder / "nginx") as base:
                yield base, [i.base for i in instances], url, folder / "nginx" / "access.log"
    else:
        url = f"sqlite:///{folder / 'dashboard.db'}"
        app_database.build(connect(url), url)
        with streamlit_instances([free_port()], {**env_base, "DASHBOARD_DB_URL": url}, folder) as instances:
            yield instances[0].base, [instances[0].base], url, None


def run_configuration(kind: str, name: str, args: argparse.Namespace) -> Outcome:
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix=f"load_{kind}_"))
    with served(kind, folder) as (base, direct, url, log):
        assert all(address.startswith(f"http://{LOOPBACK}:") for address in [base, *direct]), "loopback only"
        deadline = time.monotonic() + args.max_minutes * 60
        timeout = args.timeout
        asyncio.run(browse(direct, len(direct), len(VISIT), deadline, 0, timeout))  # warm each instance's caches
        single, _ = asyncio.run(browse([base], 1, args.views, deadline, 0, timeout))
        files = editor_files(folder, args.imports)
        with ProcessorTime() as processor:
            members, editor = asyncio.run(browse([base], args.sessions, args.views, deadline, args.ramp, timeout,
                                                 alongside=edit(url, files), think_s=tuple(args.think),
                                                 priority=args.browser_priority))
        values = check_values(url, editor) if editor is not None else None
        figures_903 = (check_903(url, editor.ninety_three_folder)
                       if editor is not None and editor.ninety_three_folder is not None else None)
        per_instance = sessions_per_instance(log)
    return Outcome(name, single, members, editor, values, per_instance, time.monotonic() - started,
                   os.getloadavg()[0], figures_903, processor.by_kind())


# ---- the report --------------------------------------------------------------------------------------------------

def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(0.95 * len(ordered) + 0.5)) - 1))]


def _settled(outcome: Outcome) -> float | None:
    """When the last member's first page was drawn and the editor's last import had ended (time.monotonic()):
    the page views after it show the dashboard in use, those before it the arrival of everyone at once
    (each browser loading the app's scripts on this machine's cores) and the imports changing the data."""
    firsts = [m.started[0] + m.times[0] for m in outcome.members if m.started]
    if len(firsts) < len(outcome.members):
        return None
    busy = [end for _start, end in outcome.editor.busy] if outcome.editor is not None else []
    return max(firsts + busy)


def report(outcome: Outcome, sessions: int) -> None:
    print(f"\n{outcome.name} ({outcome.seconds / 60:.1f} minutes, load average {outcome.load_average:.1f} at the end)")
    alone = [t for m in outcome.single for t in m.times]
    alone_errors = sum(len(m.errors) for m in outcome.single)
    times = [t for m in outcome.members for t in m.times]
    errors = [e for m in outcome.members for e in m.errors]
    not_reached = sum(m.not_reached for m in outcome.members)
    alone_app = [r for m in outcome.single for r in m.runs if r == r]
    if alone:
        print(f"  one member alone: {len(alone)} page views, {alone_errors} errors, median {statistics.median(alone):.2f} s, "
              f"95th percentile {p95(alone):.2f} s; the app's own time median {statistics.median(alone_app):.2f} s")
    else:
        print(f"  one member alone: no page view finished ({alone_errors} errors)")
    print(f"  {sessions} members at once: {len(outcome.members)} sessions, {len(times)} page views, {len(errors)} errors"
          + (f", {not_reached} views not reached (time limit or after an error)" if not_reached else ""))
    if times:
        app = [r for m in outcome.members for r in m.runs if r == r]
        print(f"    click to last chart drawn: median {statistics.median(times):.2f} s, 95th percentile {p95(times):.2f} s, "
              f"slowest {max(times):.2f} s")
        if app:
            print(f"    the app's own time (request for a run to its end, as the network saw it): median "
                  f"{statistics.median(app):.2f} s, 95th percentile {p95(app):.2f} s, slowest {max(app):.2f} s")
        by_action: dict[str, list[float]] = defaultdict(list)
        for m in outcome.members:
            for index, seconds in enumerate(m.times):
                action = VISIT[index % len(VISIT)]
                by_action[f"{action.kind} {action.target}"].append(seconds)
        settled = _settled(outcome)
        if settled is not None:
            after = [(t, r) for m in outcome.members
                     for b, t, r in zip(m.started, m.times, m.runs, strict=True) if b >= settled]
            if after:
                calm = [t for t, _r in after]
                calm_app = [r for _t, r in after if r == r]
                print(f"    once every member had the dashboard open and the editor had finished: {len(calm)} page "
                      f"views, click to last chart drawn median {statistics.median(calm):.2f} s, 95th percentile "
                      f"{p95(calm):.2f} s" + (f"; the app's own time median {statistics.median(calm_app):.2f} s, "
                                              f"95th percentile {p95(calm_app):.2f} s" if calm_app else ""))
        print("    click to last chart drawn by page view: " + "; ".join(
            f"{what} median {statistics.median(seconds):.2f} s, 95th percentile {p95(seconds):.2f} s"
            for what, seconds in by_action.items()))
        if alone:
            for what, seen, base in (("click to last chart drawn", times, alone), ("the app's own time", app, alone_app)):
                if seen and base:
                    goal = 2 * statistics.median(base)
                    print(f"    goal, {what}: 95th percentile under twice one member's median ({goal:.2f} s): "
                          f"{'met' if p95(seen) < goal else 'NOT met'} ({p95(seen) / statistics.median(base):.1f} x)")
    if outcome.processor_s:
        used = outcome.processor_s
        views = max(1, len(times) + len(errors))
        print("    processor time while they browsed: " + ", ".join(
            f"{kind} {seconds:.0f} s ({seconds / views:.2f} s a page view)" for kind, seconds in
            sorted(used.items(), key=lambda item: -item[1])))
    for error in errors[:8]:
        print(f"    error: {error}")
    if len(errors) > 8:
        print(f"    and {len(errors) - 8} more errors")
    if outcome.per_instance:
        print("  sessions per instance (nginx's log): "
              + ", ".join(f"{upstream} {count}" for upstream, count in outcome.per_instance.items()))
    if outcome.editor is not None:
        editor = outcome.editor
        print(f"  editor: {len(editor.loaded)} returns loaded through the command line, {len(editor.refused)} refused")
        for refusal in editor.refused:
            print(f"    refused: {refusal}")
        print(f"  903 set: {editor.ninety_three}")
    if outcome.values is not None:
        v = outcome.values
        print(f"  values: {v.expected} expected, {v.found} found, {v.lost} lost or changed, {v.doubled} doubled, "
              f"{v.unexpected} unexpected; {v.history_found} earlier values kept in history ({v.history_expected} "
              f"expected); {v.batches_found} batches for {v.batches_expected} files: "
              f"{'nothing lost or doubled' if v.ok else 'MISMATCH'}")
    if outcome.figures_903 is not None:
        f = outcome.figures_903
        print(f"  903 figures: {f.expected} computed from the files, {f.found} in the database, {f.lost} lost or "
              f"changed, {f.doubled} doubled, {f.unexpected} unexpected: "
              f"{'nothing lost or doubled' if f.ok else 'MISMATCH'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="members browsing at once (default 20)")
    parser.add_argument("--views", type=int, default=len(VISIT), help=f"page views per member (default {len(VISIT)})")
    parser.add_argument("--imports", type=int, default=6, help="monthly returns the editor loads (default 6, "
                                                               "plus one correction)")
    parser.add_argument("--max-minutes", type=float, default=15, help="time limit per configuration (default 15)")
    parser.add_argument("--ramp", type=float, default=RAMP_S,
                        help=f"seconds between two members arriving (default {RAMP_S:g})")
    parser.add_argument("--timeout", type=float, default=ACTION_TIMEOUT_S,
                        help=f"seconds a page view may take before it counts as an error (default {ACTION_TIMEOUT_S})")
    parser.add_argument("--think", type=float, nargs=2, default=THINK_S, metavar=("LEAST", "MOST"),
                        help="seconds a member reads a page before the next click, drawn between the two "
                             "(default %(default)s; 0 0 for a stress test)")
    parser.add_argument("--browser-priority", choices=BROWSER_PRIORITIES, default=BROWSER_PRIORITIES[0],
                        help="the members' browsers: idle (default: the processor time the app leaves, as if on "
                             "their own devices) or the same as the app's")
    parser.add_argument("--only", choices=("postgres", "sqlite"), help="run one configuration only")
    args = parser.parse_args()
    if args.browser_priority == "idle" and shutil.which("chrt") is None:
        print("chrt (util-linux) is not installed: give --browser-priority same, or install util-linux.")
        return 2
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is not installed (apt-get install chromium): the members need a real browser.")
        return 2
    print(f"Load: {args.sessions} members, {args.views} page views each, reading {args.think[0]:g} to "
          f"{args.think[1]:g} s between clicks, browsers' priority {args.browser_priority}, while an editor loads "
          f"{args.imports + 1} returns and a 903 set; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    kinds = [("postgres", "two instances behind nginx, one PostgreSQL"), ("sqlite", "one instance, SQLite")]
    for kind, name in kinds:
        if args.only not in (None, kind):
            continue
        reason = (unavailable_reason() or nginx_unavailable_reason()) if kind == "postgres" else None
        if reason:
            print(f"\n{name}: skipped: {reason}")
            continue
        report(run_configuration(kind, name, args), args.sessions)
    return 0


if __name__ == "__main__":
    sys.exit(main())

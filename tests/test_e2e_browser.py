"""The whole app in a real browser: `streamlit run app.py` on a free port, every page opened in headless Chromium.

Fails on any error Streamlit shows (an exception box or a traceback) and waits for what a person would
see: the page's words and, where the page has charts, a drawn Plotly chart. A performance officer's
month follows on a server of its own (template, upload, preview, confirm, undo, reload, a bad file, a
commentary), each step checked in the SQLite file as well as on the screen.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import select

from db.engine import connect
from db.models import Commentary, ImportBatch, Observation
from tests import app_database
from tests.databases import new_database
from tests.returns_files import dump_tables, write_xlsx

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"]
START_TIMEOUT_S = 60
PAGE_TIMEOUT_MS = 60_000

# (address, text a person would read there, whether the page draws charts)
PAGES = [
    ("/", "What needs attention", False),
    ("/overview", "What needs attention", False),
    ("/children_in_care", "Starting and leaving care", True),
    ("/placement_stability", "3 or more moves in a year", True),
    ("/care_leavers", "Care leavers 19-21 suitably housed", True),
    ("/health", "Emotional wellbeing (SDQ score)", True),
    ("/measure?measure=stab_3plus_pct&from=2023-04&to=2025-03&comparators=on", "The figures behind the chart", True),
    ("/benchmarking?measure=stab_3plus_pct", "Against its statistical neighbours", True),
    ("/imports", "Every batch, newest first", False),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_healthy(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer on {base} within {START_TIMEOUT_S}s")


@contextmanager
def streamlit_server(url: str, folder: Path, settings: dict[str, str | None] | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a free port against the database, until the block ends; ``settings`` adds
    or overrides DASHBOARD_* variables (None removes one)."""
    port = free_port()
    env = {**os.environ, "DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
           "DASHBOARD_HOME_AREA": app_database.HOME, **(settings or {})}
    env = {key: value for key, value in env.items() if value is not None}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    log = (folder / f"streamlit_{port}.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("browser")
    url = new_database(folder / 'dashboard.db')
    app_database.build(connect(url), url)
    return url, folder


@pytest.fixture(scope="module")
def server(database) -> Iterator[str]:
    with streamlit_server(*database) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (test.sh installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def browser_page(browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    yield page
    page.close()


def assert_no_error_shown(page, address: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, f"an exception is shown on {address}"
    assert "Traceback" not in page.inner_text("body"), f"a traceback is shown on {address}"


# (address opened first after a fresh start, text only that page shows, what the page must also say)
FIRST_VISITS = [
    ("/overview", "What needs attention", "Overview"),
    ("/measure?measure=cla_rate&from=2024-01&to=2025-03&comparators=off", "The figures behind the chart",
     "January 2024 to March 2025"),
    ("/benchmarking?measure=stab_3plus_pct&year=2024", "Against its statistical neighbours", "2023-24"),
    ("/imports", "Every batch, newest first", "Imports"),
]


@pytest.mark.parametrize(("address", "text", "also"), FIRST_VISITS)
def test_the_first_visitor_after_a_start_gets_the_page_the_link_names(database, browser_page, address, text, also):
    """Each page's own address, opened first on a fresh server (Streamlit's pages-folder mode), finds its page
    and its view under the app's own menu, never "Page not found"."""
    page = browser_page
    with streamlit_server(*database) as base:
        page.goto(base + address, wait_until="domcontentloaded")
        page.get_by_text(text).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        # the page draws in several steps: on a busy machine its later parts arrive after the heading
        with contextlib.suppress(PlaywrightTimeout):  # asserted below, with the page's text in the message
            page.get_by_text(also).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        body = page.inner_text("body")
        assert "Page not found" not in body
        assert also in body
        assert page.url.split("?")[0] == base + address.split("?")[0]
        for key_value in address.partition("?")[2].split("&") if "?" in address else []:
            assert key_value in page.url
        menu = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Overview" in menu and "Imports" in menu
        assert_no_error_shown(page, f"first visit to {address}")


def test_the_root_address_lands_on_the_overview(server, browser_page):
    page = browser_page
    page.goto(server + "/?area=E06000049", wait_until="domcontentloaded")
    page.get_by_text("What needs attention", exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_url("**/overview?**", timeout=PAGE_TIMEOUT_MS)
    assert "area=E06000049" in page.url
    assert "Cheshire East · corporate parenting dashboard" in page.inner_text("body")
    current = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    assert current.inner_text().strip().endswith("Overview")


FOCUS_STYLE = "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow] }"


def test_keyboard_focus_on_a_menu_link_is_not_the_current_page_highlight(server, browser_page):
    """WCAG 2.4.7: tabbing to a link shows an outline; the current page's highlight has none."""
    page = browser_page
    page.goto(server + "/overview", wait_until="domcontentloaded")
    page.get_by_text("What needs attention", exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    current = page.locator('[data-testid="stSidebarNavLink"][aria-current="page"]')
    current_style = current.evaluate(FOCUS_STYLE)
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => { const a = document.activeElement; return a && a.matches("
                                "'[data-testid=stSidebarNavLink]:not([aria-current])') ? a.innerText : '' }")
        if focused:
            break
    assert focused, "Tab never reached a menu link"
    style = page.evaluate(f"() => ({FOCUS_STYLE})(document.activeElement)")
    assert style[0] != "none" and float(style[1].removesuffix("px")) >= 2, style
    assert style != current_style
    assert current_style[0] == "none" or float(current_style[1].removesuffix("px")) == 0


@pytest.fixture
def laptop_page(browser_page):
    """The browser at a laptop's 1280 by 720, put back to 1400 by 900 afterwards."""
    browser_page.set_viewport_size({"width": 1280, "height": 720})
    yield browser_page
    browser_page.set_viewport_size({"width": 1400, "height": 900})


def test_the_imports_table_shows_every_column_without_scrolling_sideways(server, laptop_page):
    page = laptop_page
    page.goto(server + "/imports", wait_until="domcontentloaded")
    page.get_by_text("Every batch, newest first").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.get_by_text("Who loaded each file").first.wait_for(timeout=PAGE_TIMEOUT_MS)  # the sheets and notes, under it
    assert_table_fits(page)


def assert_table_fits(page, heading: str = "Loaded on") -> None:
    """The table with the column ``heading`` shows every column without a sideways scroll bar."""
    table = page.locator('[data-testid="stDataFrame"]').filter(has=page.locator("th", has_text=heading)).first
    grid = table.locator(".dvn-scroller").first
    grid.wait_for(state="attached", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(500)
    scroll_width, client_width = grid.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert scroll_width <= client_width, f"{scroll_width - client_width}px of the table is hidden"


def test_the_sidebar_shows_council_and_measure_names_in_full(server, laptop_page):
    page = laptop_page
    page.goto(server + "/measure?measure=cl_neet_17_18", wait_until="domcontentloaded")
    page.get_by_text("The figures behind the chart").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    shown = {}
    for label in ("Council", "Measure"):
        box = page.locator(f'[data-testid="stSidebar"] input[aria-label="{label}"]')
        value, fits = box.evaluate("e => { const c = document.createElement('canvas').getContext('2d'); "
                                   "const s = getComputedStyle(e); c.font = s.font; "
                                   "const room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); "
                                   "return [e.value, c.measureText(e.value).width <= room] }")
        assert fits, f"the {label} box cuts off {value!r}"
        shown[label] = value
    assert shown == {"Council": "Northmoor (fictional sample council)",
                     "Measure": "Care leavers 17-18 not in education or work"}


@pytest.mark.parametrize(("address", "text", "has_charts"), PAGES)
def test_every_page_draws_without_an_error(server, browser_page, address, text, has_charts):
    page = browser_page
    page.goto(server + address, wait_until="domcontentloaded")
    page.get_by_text(text, exact=False).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    if has_charts:
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    else:  # the overview's scorecard and the import list are tables
        page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(500)  # let the last elements of the run arrive
    assert_no_error_shown(page, address)


def test_what_needs_attention_links_to_the_measure_page(server, browser_page):
    page = browser_page
    page.goto(server + "/overview", wait_until="domcontentloaded")  # its own address: no move on from "/" to race
    page.get_by_text("What needs attention", exact=True).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    details = page.get_by_role("link", name="Details").first
    details.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
    # The link read and the link clicked are one element of the finished page: read while a run was still
    # drawing, the first link could be replaced by the time of the click (seen on a loaded machine).
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        state="attached", timeout=PAGE_TIMEOUT_MS)
    link = details.element_handle(timeout=PAGE_TIMEOUT_MS)
    target = link.get_attribute("href") or ""
    assert "measure=" in target, target  # the first measure that needs attention, by its code
    link.click()
    page.wait_for_url(f"**{target[target.index('measure='):]}**", timeout=PAGE_TIMEOUT_MS)
    page.get_by_text("The figures behind the chart").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    assert_no_error_shown(page, page.url)


# An officer's month on the Imports and Measure pages, checked in the database as well as on the screen:
# the template, a return uploaded, previewed, confirmed, undone and loaded again, a bad file, a commentary.

OFFICER = "jsmith"  # DASHBOARD_USER; no editors list and no sign-in (local mode), so the officer is an editor
LAPTOP = {"width": 1280, "height": 720}
SCREENSHOTS = Path("/tmp")  # journey_preview.png, journey_after_undo.png, journey_commentary.png: to look at
RETURN_NAME = "northmoor_april_2025.xlsx"
RETURN_SHEET = "April 2025"
CORRECTED = ("cla_count", date(2025, 3, 31))  # a figure the April return corrects
ADDED = {("cla_count", date(2025, 4, 30)): 334.0, ("stab_3plus_pct", date(2025, 4, 30)): 12.5}
BAD_NAME = "northmoor_may_2025.xlsx"
BAD_SHEET = "May 2025"
UPLOADER = '[data-testid="stFileUploader"] input[type="file"]'
COMMENTARY_MEASURE, COMMENTARY_PERIOD = "cla_count", date(2025, 3, 31)


@pytest.fixture(scope="module")
def journey_database(database, tmp_path_factory) -> tuple[str, Path]:
    """A copy of the test database, so the journey's imports never reach the other tests' pages."""
    folder = tmp_path_factory.mktemp("journey")
    return app_database.copy_database(database[0], folder / "dashboard.db"), folder


@pytest.fixture(scope="module")
def journey_server(journey_database) -> Iterator[str]:
    with streamlit_server(*journey_database, {"DASHBOARD_USER": OFFICER, "DASHBOARD_EDITORS": None}) as base:
        yield base


@pytest.fixture
def officer_page(browser):
    """A fresh tab at a laptop's 1280 by 720 that accepts downloads."""
    page = browser.new_page(viewport=LAPTOP, accept_downloads=True)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    yield page
    page.close()


def current_figure(url: str, measure: str, period_end: date) -> tuple[float | None, str, int] | None:
    """(value, status, batch) of the home council's own headline figure, as the database holds it now."""
    table = Observation.__table__
    with connect(url).connect() as connection:
        row = connection.execute(select(table.c.value, table.c.status, table.c.batch_id).where(
            table.c.measure_code == measure, table.c.area_code == app_database.HOME,
            table.c.period_end == period_end, table.c.dimension == "", table.c.origin == "local")).first()
    return None if row is None else (row.value, row.status, int(row.batch_id))


def batch_rows(url: str) -> dict[int, tuple[str, str, str, int | None]]:
    """batch id -> (file, source, by whom, undone by) for every batch in the database."""
    table = ImportBatch.__table__
    with connect(url).connect() as connection:
        rows = connection.execute(select(table.c.id, table.c.file_name, table.c.source, table.c.imported_by,
                                         table.c.undone_by_batch_id)).all()
    return {int(r.id): (r.file_name, r.source, r.imported_by, r.undone_by_batch_id) for r in rows}


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def grid_rows(page, heading: str, showing: str = "") -> list[list[str]]:
    """The rows of the table (st.dataframe) whose header has ``heading``, header row first, read from the
    copy of the drawn grid kept for screen readers; once it has a cell reading ``showing`` (the table of the
    run before stays on screen until the rerun replaces it)."""
    grids = page.locator('[data-testid="stDataFrame"]').filter(has=page.locator("th", has_text=heading))
    cell = grids.first.locator("td", has_text=showing) if showing else grids.first.locator("td")
    cell.first.wait_for(state="attached")
    return grids.first.locator("table").first.evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim()))")


def upload(page, path: Path) -> None:
    """Take whatever file is in the uploader out, then choose ``path``, as an officer picking a file."""
    wait_for_run(page)
    chips = page.locator('[data-testid="stFileChipDeleteBtn"]')
    while chips.count():
        chips.first.click()
        page.wait_for_timeout(300)
    # a file input reports only a changed selection; the uploader clears it each time it opens the file
    # dialog, which set_input_files skips, so the same file chosen again is cleared here first
    page.locator(UPLOADER).set_input_files([])
    page.locator(UPLOADER).set_input_files(str(path))
    page.get_by_role("heading", name=path.name, exact=True).wait_for()


def wait_for_run(page) -> None:
    """Until the page's script has finished its run: a rerun redraws the widgets and closes an open list."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(state="attached")


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box ``label``, opening its list from the keyboard if a click did not."""
    box = page.get_by_role("combobox", name=label, exact=True)
    for _attempt in range(3):
        wait_for_run(page)
        box.click()
        if box.get_attribute("aria-expanded") != "true":
            box.press("ArrowDown")
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            break
        except PlaywrightTimeout:  # the list closed under the pointer: open it again
            page.keyboard.press("Escape")
    page.wait_for_function("([box, option]) => box.value === option", arg=[box.element_handle(), option])


def shoot(page, anchor, name: str) -> None:
    """A screenshot of the laptop screen with ``anchor`` at its top, for a person to look at."""
    anchor.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / f"journey_{name}.png"))


def april_return(folder: Path, corrected: float) -> Path:
    """The council's April return as its officer writes it: tidy, one sheet, a corrected March figure."""
    rows = [["measure", "area", "period", "value"],
            [CORRECTED[0], app_database.HOME, f"{CORRECTED[1]:%Y-%m}", corrected],
            *[[code, app_database.HOME, f"{end:%Y-%m}", value] for (code, end), value in ADDED.items()]]
    return write_xlsx(folder / RETURN_NAME, {RETURN_SHEET: rows})


def test_an_officer_loads_checks_undoes_and_reloads_a_return(journey_database, journey_server, officer_page,
                                                             tmp_path):
    url, _folder = journey_database
    page = officer_page
    engine = connect(url)
    old_value, old_status, old_batch = current_figure(url, *CORRECTED)
    assert old_status == "value" and all(current_figure(url, *key) is None for key in ADDED)
    corrected = old_value + 7
    path = april_return(tmp_path, corrected)
    before = dump_tables(engine)
    batches_before = batch_rows(url)

    # 1. The blank template arrives as a real workbook.
    page.goto(journey_server + "/imports", wait_until="domcontentloaded")
    page.get_by_text("Every batch, newest first").wait_for()
    assert f"Signed in as {OFFICER} (editor)" in page.locator('[data-testid="stSidebar"]').inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the blank return template").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.name == "return_template.xlsx"
    workbook = load_workbook(template)  # an .xlsx openpyxl reads, not an error page saved under that name
    assert "Return" in workbook.sheetnames
    assert [cell.value for cell in next(workbook["Return"].iter_rows(max_row=1))][:2] == ["measure", "area"]

    # 2. The preview says what was recognised and what it would replace, and writes nothing.
    upload(page, path)
    page.get_by_text("Loading it would add").wait_for()
    shown = main_text(page)
    assert f"Read sheet '{RETURN_SHEET}' (tidy)" in shown
    assert "3 values, 0 targets" in shown
    assert ("Measures (2): Children looked after at the period end, % with 3 or more placements in the last 12 "
            "months") in shown
    assert "Periods (2): ending 31 Mar 2025 to 30 Apr 2025" in shown
    assert "Loading it would add 2 new values, replace 1 value, leave 0 unchanged" in shown
    replaced = grid_rows(page, "After loading")
    # one council: named in the lines above, so no Area column takes the room the figures need
    assert replaced[0] == ["Measure", "Period ending", "Now", "After loading", "Now from batch"]
    assert replaced[1:] == [["Children looked after at the period end", "31 Mar 2025", f"{old_value:g}",
                             f"{corrected:g}", str(old_batch)]]
    assert_table_fits(page, "After loading")  # down to the batch the figure stored now came from
    shoot(page, page.get_by_role("heading", name=RETURN_NAME, exact=True), "preview")
    assert dump_tables(engine) == before, "the preview wrote to the database"

    # 3. Confirmed: the figures are in the database and the batch is in the history on the page.
    page.get_by_role("button", name=f"Confirm: load {RETURN_NAME}").click()
    page.get_by_test_id("stAlertContentSuccess").get_by_text(f"{RETURN_NAME}: loaded as batch").wait_for()
    (loaded,) = set(batch_rows(url)) - set(batches_before)
    assert f"{RETURN_NAME}: loaded as batch {loaded}: 2 new, 1 replaced" in main_text(page)
    assert current_figure(url, *CORRECTED) == (corrected, "value", loaded)
    assert {key: current_figure(url, *key) for key in ADDED} == {
        key: (value, "value", loaded) for key, value in ADDED.items()}
    assert batch_rows(url)[loaded] == (RETURN_NAME, "return", OFFICER, None)
    history = grid_rows(page, "Loaded on", showing=RETURN_NAME)
    assert history[1][:2] == [str(loaded), RETURN_NAME] and history[1][3] == OFFICER
    assert f"{loaded} · {RETURN_NAME} · loaded by {OFFICER} · sheets: {RETURN_SHEET}" in main_text(page)
    page.get_by_text("Everything in this file is already loaded").wait_for()  # the file still in the box
    assert page.get_by_role("button", name=f"Confirm: load {RETURN_NAME}").count() == 0

    # 4. Undone on the page: every figure exactly as before, the undo recorded with who did it.
    choose(page, "Batch to undo", f"{loaded} · {RETURN_NAME}")
    confirmed = dump_tables(engine)
    page.get_by_role("button", name="Undo this batch").click()
    page.get_by_text(f"Undo batch {loaded}, {RETURN_NAME}, loaded ").wait_for()  # asked first, as the CLI asks
    assert f"by {OFFICER}? Every value it added is removed" in main_text(page)
    assert dump_tables(engine) == confirmed, "the undo began before it was confirmed"
    page.get_by_role("button", name=f"Yes, undo batch {loaded}").click()
    page.get_by_test_id("stAlertContentSuccess").get_by_text(f"Batch {loaded} undone").wait_for()
    page.get_by_test_id("stToastText").get_by_text(f"Batch {loaded} undone").wait_for()  # seen where the button is
    assert "1 value put back as before, 2 values it added removed" in main_text(page)
    after_undo = dump_tables(engine)
    for table in ("observation", "target", "commentary"):
        assert after_undo[table] == before[table], f"{table} is not as it was before the import"
    assert current_figure(url, *CORRECTED) == (old_value, old_status, old_batch)
    (undo,) = set(batch_rows(url)) - set(batches_before) - {loaded}
    assert batch_rows(url)[loaded][3] == undo and batch_rows(url)[undo][1:3] == ("undo", OFFICER)
    history = grid_rows(page, "Loaded on", showing=f"by batch {undo}")
    assert [row[:2] for row in history[1:3]] == [[str(undo), RETURN_NAME], [str(loaded), RETURN_NAME]]
    assert history[0][-1] == "Undone" and history[2][-1] == f"by batch {undo}"
    assert f"{undo} · {RETURN_NAME} · undone by {OFFICER}" in main_text(page)
    assert_table_fits(page)  # the Undone column, shown only now, is not off the side of a laptop's screen
    shoot(page, page.get_by_role("heading", name="Every batch, newest first", exact=True), "after_undo")

    # The measure page shows the March figure back as it was, and the corrected one as undone, not replaced
    # by a council return.
    page.goto(f"{journey_server}/measure?measure={CORRECTED[0]}&from=2025-01&to=2025-03",
              wait_until="domcontentloaded")
    page.get_by_text("Earlier values, replaced by a later return or an undo (1)").click()
    earlier = grid_rows(page, "Replaced by", showing="Undo of")
    assert earlier[1:] == [[f"{CORRECTED[1]:%B %Y}", f"{corrected:g}", f"Council return {RETURN_NAME} (batch {loaded})",
                            f"Undo of {RETURN_NAME} (batch {undo})"]]
    values = grid_rows(page, "Loaded on")
    assert values[1][:3] == [f"{CORRECTED[1]:%B %Y}", "Monthly", f"{old_value:g}"], values[:2]

    # 5. The same file again is accepted as new, not "already imported", and its figures come back.
    page.goto(journey_server + "/imports", wait_until="domcontentloaded")
    page.get_by_text("Every batch, newest first").wait_for()
    upload(page, path)
    page.get_by_text("Loading it would add 2 new values, replace 1 value").wait_for()
    assert "already" not in main_text(page)
    page.get_by_role("button", name=f"Confirm: load {RETURN_NAME}").click()
    page.get_by_test_id("stAlertContentSuccess").get_by_text(f"{RETURN_NAME}: loaded as batch").wait_for()
    (again,) = set(batch_rows(url)) - set(batches_before) - {loaded, undo}
    assert f"{RETURN_NAME}: loaded as batch {again}: 2 new, 1 replaced" in main_text(page)
    assert current_figure(url, *CORRECTED) == (corrected, "value", again)
    assert {key: current_figure(url, *key) for key in ADDED} == {
        key: (value, "value", again) for key, value in ADDED.items()}
    assert_no_error_shown(page, "the Imports page after the journey")


def test_a_bad_return_shows_each_problem_by_sheet_and_cell_and_cannot_be_loaded(journey_database, journey_server,
                                                                                officer_page, tmp_path):
    url, _folder = journey_database
    page = officer_page
    path = write_xlsx(tmp_path / BAD_NAME, {BAD_SHEET: [
        ["measure", "area", "period", "value"],
        ["cla_foster_pct", app_database.HOME, "2025-05", 140],  # a percentage over 100
        ["cla_count", app_database.HOME, "2025-05", "#N/A"],  # an Excel error where the figure should be
    ]})
    before = dump_tables(connect(url))
    page.goto(journey_server + "/imports", wait_until="domcontentloaded")
    page.get_by_text("Every batch, newest first").wait_for()
    upload(page, path)
    page.get_by_text("this file cannot be loaded").wait_for()
    assert "2 problems found: this file cannot be loaded" in main_text(page)
    problems = page.locator('[data-testid="stTable"] table').evaluate(
        "t => [...t.rows].map(r => [...r.cells].map(c => c.innerText.trim()))")
    assert problems[0][:2] == ["Sheet", "Cell"]
    where = {(row[0], row[1]): row[2] for row in problems[1:]}
    assert set(where) == {(BAD_SHEET, "D2"), (BAD_SHEET, "D3")}
    assert "140" in where[(BAD_SHEET, "D2")] and "#N/A" in where[(BAD_SHEET, "D3")]
    assert page.get_by_role("button", name=f"Confirm: load {BAD_NAME}").count() == 0
    assert dump_tables(connect(url)) == before
    assert_no_error_shown(page, "the Imports page with a bad file")


def test_a_commentary_written_on_the_measure_page_is_there_after_a_reload(journey_database, journey_server,
                                                                          officer_page):
    url, _folder = journey_database
    page = officer_page
    words = "Three sibling groups came into care in March; placements were found for all of them within the area."
    address = f"{journey_server}/measure?measure={COMMENTARY_MEASURE}"
    page.goto(address, wait_until="domcontentloaded")
    page.get_by_text("Write or change a commentary").wait_for()
    before = dump_tables(connect(url))["commentary"]
    choose(page, "Period", f"{COMMENTARY_PERIOD:%B %Y}")
    page.get_by_label("Why the figure moved, and what we are doing about it").fill(words)
    page.get_by_role("button", name="Save commentary").click()
    page.get_by_text(f"Commentary for {COMMENTARY_PERIOD:%B %Y} saved.").wait_for()
    table = Commentary.__table__
    with connect(url).connect() as connection:
        saved = connection.execute(select(table.c.measure_code, table.c.area_code, table.c.period_end,
                                          table.c.text, table.c.author, table.c.replaced_by_id)
                                   .where(table.c.text == words)).all()
    assert [tuple(row) for row in saved] == [(COMMENTARY_MEASURE, app_database.HOME, COMMENTARY_PERIOD, words,
                                             OFFICER, None)]
    assert len(dump_tables(connect(url))["commentary"]) == len(before) + 1

    page.reload(wait_until="domcontentloaded")
    page.get_by_text("The figures behind the chart").wait_for()
    page.get_by_text(words).first.wait_for()
    assert f"{COMMENTARY_PERIOD:%B %Y} · {OFFICER} · " in main_text(page)
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    shoot(page, page.get_by_role("heading", name="Commentary", exact=True), "commentary")
    assert_no_error_shown(page, address)

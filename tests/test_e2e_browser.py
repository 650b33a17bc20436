"""The whole app in a real browser: `streamlit run app.py` on a free port, every page opened in headless Chromium.

Fails on any error Streamlit shows (an exception box or a traceback) and waits for what a person would
see: the page's words and, where the page has charts, a drawn Plotly chart.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from db.engine import connect
from tests import app_database

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
def streamlit_server(url: str, folder: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port against the database, until the block ends."""
    port = free_port()
    env = {**os.environ, "DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
           "DASHBOARD_HOME_AREA": app_database.HOME}
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
    url = f"sqlite:///{folder / 'dashboard.db'}"
    app_database.build(connect(url), url)
    return url, folder


@pytest.fixture(scope="module")
def server(database) -> Iterator[str]:
    with streamlit_server(*database) as base:
        yield base


@pytest.fixture(scope="module")
def browser_page():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (test.sh installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        yield page
        browser.close()


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
        page.wait_for_timeout(500)
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
    grid = page.locator('[data-testid="stDataFrame"] .dvn-scroller').first
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
    details.click()
    page.wait_for_url("**measure=stab_3plus_pct**", timeout=PAGE_TIMEOUT_MS)
    page.get_by_text("The figures behind the chart").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    assert_no_error_shown(page, page.url)

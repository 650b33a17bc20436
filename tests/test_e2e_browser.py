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
    ("/children_in_care", "Starting and leaving care", True),
    ("/placement_stability", "3 or more moves in a year", True),
    ("/care_leavers", "Care leavers 19-21 suitably housed", True),
    ("/health", "Emotional wellbeing (SDQ score)", True),
    ("/measure?measure=stab_3plus_pct&from=2023-04&to=2025-03&comparators=on", "The figures behind the chart", True),
    ("/benchmarking?measure=stab_3plus_pct", "Against its statistical neighbours", True),
    ("/data", "To load a return", False),
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


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'dashboard.db'}"
    app_database.build(connect(url), url)
    port = free_port()
    env = {**os.environ, "DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
           "DASHBOARD_HOME_AREA": app_database.HOME}
    command = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    log = (folder / "streamlit.log").open("w")
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


def test_the_first_visitor_after_a_start_gets_the_page_the_link_names(server, browser_page):
    """A link opened first on a fresh server (Streamlit's pages-folder mode) still finds its page and view."""
    page = browser_page
    page.goto(server + "/measure?measure=cla_rate&from=2024-01&to=2025-03&comparators=off", wait_until="domcontentloaded")
    page.get_by_text("The figures behind the chart").wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(500)
    body = page.inner_text("body")
    assert "Page not found" not in body
    assert "Rate per 10 000 children" in body
    assert "January 2024 to March 2025" in body
    menu = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Overview" in menu and "Imports" in menu
    assert_no_error_shown(page, "first visit")


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
    page.goto(server + "/", wait_until="domcontentloaded")
    page.get_by_text("What needs attention").wait_for(timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("link", name="Details").first.click()
    page.get_by_text("The figures behind the chart").wait_for(timeout=PAGE_TIMEOUT_MS)
    assert "measure=stab_3plus_pct" in page.url
    assert_no_error_shown(page, page.url)

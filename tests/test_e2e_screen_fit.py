"""The committee room's screen, 1280x720, in a real Chromium: nothing a member reads is cut off or pushed out.

One server for the whole module. Presentation mode keeps its bullets and its Next button on the screen;
captions and text on the pages are never clipped (an element's text wider than its box); no label of a
chart runs past the chart's right edge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.test_e2e_browser import (  # noqa: F401 - the fixtures are used by name
    PAGE_TIMEOUT_MS,
    assert_no_error_shown,
    browser,
    database,
    streamlit_server,
)

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1280, 720
SLIDE_NUMBER = re.compile(r"Slide \d+ of \d+")
DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# Elements whose text is cut when wider than their box, and Plotly's text, as [what, right, box's right].
CLIPPED_TEXT = """() => {
  const cut = [];
  for (const e of document.querySelectorAll('[data-testid="stCaptionContainer"], [data-testid="stMarkdownContainer"] p, '
      + '[data-testid="stMarkdownContainer"] li, [data-testid="stMetricValue"], [data-testid="stMetricLabel"]')) {
    if (e.offsetParent !== null && e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1) cut.push(['text', e.innerText.slice(0, 60)]);
  }
  for (const svg of document.querySelectorAll('.js-plotly-plot .main-svg')) {
    const edge = svg.getBoundingClientRect().right;
    for (const t of svg.parentElement.querySelectorAll('.annotation-text, .gtitle, .xtick text')) {
      const right = t.getBoundingClientRect().right;
      if (right > edge + 1) cut.push(['chart', t.textContent.slice(0, 60), Math.round(right), Math.round(edge)]);
    }
  }
  return cut;
}"""


@pytest.fixture(scope="module")
def server(database) -> Iterator[str]:  # noqa: F811 - this module's own server
    with streamlit_server(*database) as base:
        yield base


@pytest.fixture(scope="module")
def screen(browser):  # noqa: F811
    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
    yield page
    page.close()


def open_and_wait(page, address: str, text: str) -> None:
    page.goto(address, wait_until="domcontentloaded")
    page.get_by_text(text).first.wait_for(timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector(DONE, timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(800)  # the charts' and tables' own drawing after the run
    assert_no_error_shown(page, address)


def assert_on_screen(page, locator, what: str) -> None:
    box = locator.bounding_box()
    assert box is not None, f"{what} is not drawn"
    assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, f"{what} is off the screen: {box}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH, f"{what} is off the screen: {box}"


@pytest.mark.parametrize("slide", ["1", "2", "999"])  # the summary, where it continues or a chart, the last chart
def test_presentation_mode_keeps_its_bullets_and_next_button_on_a_1280x720_screen(server, screen, slide):
    open_and_wait(screen, f"{server}/present?slide={slide}", SLIDE_NUMBER)
    if slide == "999":
        screen.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=PAGE_TIMEOUT_MS)
    assert_on_screen(screen, screen.get_by_role("button", name="Next ▶"), "the Next button")
    assert_on_screen(screen, screen.get_by_text(SLIDE_NUMBER), "the slide number")
    bullets = screen.locator(".st-key-slide li")
    for index in range(bullets.count()):
        assert_on_screen(screen, bullets.nth(index), f"bullet {index + 1}")
    assert screen.evaluate(CLIPPED_TEXT) == []


@pytest.mark.parametrize(("address", "text"), [
    ("/overview", "What needs attention"),
    ("/children_in_care", "Starting and leaving care"),
    ("/measure?measure=health_dental_pct", "The figures behind the chart"),
])
def test_no_caption_text_or_chart_label_is_cut_off_at_1280x720(server, screen, address, text):
    open_and_wait(screen, server + address, text)
    screen.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 1e6)")  # draw every chart
    screen.wait_for_timeout(800)
    assert screen.evaluate(CLIPPED_TEXT) == []

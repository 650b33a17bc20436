"""Every bar is drawn in its own colour: stacked categories and patterned group bars are never white.

Plotly's build inside Streamlit paints a patterned bar's background transparent unless the pattern
says otherwise, so every stacked category after the first (the only one without a pattern) and the
patterned bars for groups of councils came out white on white. These tests check the figure objects,
a picture exported by kaleido, and the chart as Streamlit's own Plotly draws it in Chromium.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from charts.bars import neighbour_bar_chart
from charts.breakdown import breakdown_chart
from charts.colour_vision import rgb
from charts.flow import flow_chart
from reference.catalogue import catalogue
from tests.test_charts import AREA, MOVES, bar_values

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
COUNT = catalogue().get("cla_count")
PLACEMENTS = ["foster", "residential", "placed with parents", "independent living", "adoption", "other"]
MONTHS = list(pd.date_range("2024-04-30", periods=12, freq="ME"))
WHITE = (255, 255, 255)
MIN_PIXELS = 40  # a drawn bar segment covers far more pixels than this in its exact colour


def placement_frame() -> pd.DataFrame:
    rows = [{"period_end": end, "category": category, "value": float(value), "status": "value"}
            for end in MONTHS for category, value in zip(PLACEMENTS, [320, 60, 31, 29, 22, 12], strict=True)]
    return pd.DataFrame(rows)


def bar_traces(figure: go.Figure) -> list[go.Bar]:
    return [t for t in figure.data if isinstance(t, go.Bar) and t.meta != "missing"]


def assert_filled(trace: go.Bar) -> None:
    marker = trace.marker
    assert marker.color and rgb(marker.color) != WHITE, f"{trace.name}: no fill colour"
    assert marker.opacity in (None, 1.0) and trace.opacity in (None, 1.0), f"{trace.name}: not fully opaque"
    if marker.pattern.shape:
        # the pattern must not replace the fill with a transparent (on screen: white) background
        assert marker.pattern.bgcolor == marker.color and marker.pattern.fillmode == "replace", trace.name
        assert rgb(marker.pattern.fgcolor) != rgb(marker.color), f"{trace.name}: pattern invisible on its fill"
    assert any(v is not None for v in trace.x) and any(v is not None for v in trace.y), f"{trace.name}: no data"


def test_every_stacked_category_has_a_visible_fill_and_data():
    figure = breakdown_chart(placement_frame(), COUNT, "Placement", AREA)
    traces = bar_traces(figure)
    assert [t.name for t in traces] == ["Foster", "Residential", "Placed with parents", "Independent living",
                                        "Adoption", "Other"]
    for trace in traces:
        assert_filled(trace)
    assert len({t.marker.color for t in traces}) == len(traces)


def test_group_bars_and_flow_bars_have_a_visible_fill():
    bars = neighbour_bar_chart(bar_values(), MOVES, "2024-25", "HOME")
    patterned = [t for t in bar_traces(bars) if t.marker.pattern.shape]
    assert {t.meta for t in patterned} == {"neighbours", "region", "england"}
    for trace in bar_traces(bars):
        assert_filled(trace)
    starts = pd.DataFrame({"period_end": MONTHS[-3:], "value": [14.0, 12.0, 15.0]})
    flow = flow_chart(starts, starts.assign(value=[13.0, 11.0, 16.0]), None, AREA)
    for trace in bar_traces(flow):
        assert_filled(trace)


def colours_in(png: bytes) -> dict[tuple[int, int, int], int]:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = np.asarray(image).reshape(-1, 3)
    found, counts = np.unique(pixels, axis=0, return_counts=True)
    return {tuple(int(c) for c in colour): int(n) for colour, n in zip(found, counts, strict=True)}


def assert_colours_drawn(png: bytes, figure: go.Figure) -> None:
    drawn = colours_in(png)
    for trace in bar_traces(figure):
        colour = rgb(trace.marker.color)
        assert drawn.get(colour, 0) >= MIN_PIXELS, f"{trace.name} ({trace.marker.color}) is not in the picture"


def test_an_exported_picture_shows_every_category_and_group_colour():
    pytest.importorskip("PIL")
    kaleido = pytest.importorskip("kaleido")
    figures = [breakdown_chart(placement_frame(), COUNT, "Placement", AREA),
               neighbour_bar_chart(bar_values(), MOVES, "2024-25", "HOME")]
    kaleido.start_sync_server(silence_warnings=True)
    try:
        for figure in figures:
            assert_colours_drawn(figure.to_image(format="png", width=1100, height=600, scale=1), figure)
    finally:
        kaleido.stop_sync_server()


APP = textwrap.dedent('''
    import sys
    sys.path.insert(0, {root!r})
    import streamlit as st
    from tests.test_charts_fill import placement_frame, COUNT, AREA
    from tests.test_charts import bar_values, MOVES
    from charts.breakdown import breakdown_chart
    from charts.bars import neighbour_bar_chart
    st.plotly_chart(breakdown_chart(placement_frame(), COUNT, "Placement", AREA), key="stacked")
    st.plotly_chart(neighbour_bar_chart(bar_values(), MOVES, "2024-25", "HOME"), key="bars")
''')


@pytest.mark.browser
def test_streamlit_draws_every_category_and_group_colour(tmp_path):
    """The bug lived in the Plotly build Streamlit ships, so draw the charts there and look at them."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (test.sh installs Debian's chromium)")
    pytest.importorskip("PIL")
    from playwright.sync_api import sync_playwright

    from tests.test_e2e_browser import CHROMIUM_ARGS, free_port, wait_until_healthy

    script = tmp_path / "charts_app.py"
    script.write_text(APP.format(root=str(ROOT)))
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_healthy(base, process)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(base, wait_until="domcontentloaded")
            charts = page.locator(".js-plotly-plot")
            charts.nth(1).locator(".main-svg").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1500)
            stacked = breakdown_chart(placement_frame(), COUNT, "Placement", AREA)
            bars = neighbour_bar_chart(bar_values(), MOVES, "2024-25", "HOME")
            for index, figure in enumerate((stacked, bars)):
                chart = charts.nth(index)
                chart.scroll_into_view_if_needed()
                assert_colours_drawn(chart.screenshot(), figure)
            browser.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()

"""Presentation mode through the real app: one chart per slide, next and previous, a slide from the address."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from charts.wording import spell_out
from db.engine import connect
from reference.catalogue import catalogue
from tests import app_database
from tests.app_database import NO_DATA_MEASURE
from tests.databases import new_database
from tests.test_app_pages import APP, TIMEOUT, environment, texts
from ui.presentation import BULLETS_FIRST_SLIDE, BULLETS_LATER_SLIDE, slide_number, summary_slides

PAGE = "app_pages/present.py"


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    built = new_database(tmp_path_factory.mktemp('present') / 'dashboard.db')
    app_database.build(connect(built), built)
    return built


@pytest.fixture
def present(url, monkeypatch):
    for key, value in environment(url).items():
        monkeypatch.setenv(key, value)

    def open_at(slide: str | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.run()
        if slide is not None:
            at.query_params["slide"] = slide
        at.switch_page(PAGE).run()
        return at
    return open_at


def slide_count(at: AppTest, number: int) -> int:
    return int(re.search(rf"Slide {number} of (\d+)", texts(at)).group(1))


def slide_title(at: AppTest) -> str:
    return next(e.value for e in at.markdown if str(e.value).startswith("# ")).removeprefix("# ")


@pytest.mark.parametrize(("asked", "count", "expected"), [
    (None, 5, 1), ("3", 5, 3), ("0", 5, 1), ("99", 5, 5), ("two", 5, 1), (" 2 ", 5, 2), ("-4", 5, 1),
])
def test_the_address_opens_the_nearest_real_slide(asked, count, expected):
    assert slide_number(asked, count) == expected


def test_the_first_slide_is_the_summary_with_what_needs_attention(present):
    at = present()
    assert not at.exception
    said = texts(at)
    assert "how well are we looking after the children in our care?" in said
    assert re.search(r"\d+ measures? needs? attention", said)  # the Overview's own summary line
    assert "Slide 1 of" in said
    assert not at.get("plotly_chart")
    assert next(b for b in at.button if b.label == "◀ Previous").disabled


def summary_bullets(at: AppTest) -> list[str]:
    return [line.removeprefix("- ") for e in at.markdown for line in str(e.value).splitlines()
            if line.startswith("- ")]


def test_every_slide_after_the_summary_is_one_large_chart_of_a_measure_with_a_figure(present):
    at = present("1")
    count = slide_count(at, 1)
    titles, bullets = [], []
    for number in range(1, count + 1):
        assert not at.exception
        assert f"Slide {number} of {count}" in texts(at)
        charts = at.get("plotly_chart")
        if not charts:  # a summary slide: what needs attention, a few bullets to a slide
            assert not titles, "a summary slide after a measure's slide"
            shown = summary_bullets(at)
            assert len(shown) <= (BULLETS_FIRST_SLIDE if number == 1 else BULLETS_LATER_SLIDE)
            bullets += shown
        else:
            assert len(charts) == 1
            assert json.loads(charts[0].proto.spec)["layout"]["font"]["size"] >= 18  # read from the back of the room
            titles.append(slide_title(at))
        if number < count:
            next(b for b in at.button if b.label == "Next ▶").click().run()
    assert next(b for b in at.button if b.label == "Next ▶").disabled
    assert len(set(titles)) == len(titles) and titles
    no_data = spell_out(catalogue().get(NO_DATA_MEASURE).short_name)
    assert not any(title.startswith(no_data) for title in titles)  # no empty chart in front of the committee
    assert len(bullets) == len(set(bullets)) >= 1  # each thing that needs attention once, none left out


def test_a_long_list_of_what_needs_attention_continues_on_the_next_slides():
    """Ten findings (as for Walsall) on a 1280x720 projector: three on the first slide with the summary, the
    rest five a slide, in order, each slide saying where it continues; nothing is cut."""
    lines = [f"finding {n}" for n in range(10)]
    slides = summary_slides(lines)
    assert [s.bullets for s in slides] == [tuple(lines[:3]), tuple(lines[3:8]), tuple(lines[8:])]
    assert [(s.part, s.parts) for s in slides] == [(1, 3), (2, 3), (3, 3)]
    assert [s.bullets for s in summary_slides([])] == [()]


def test_previous_goes_back_one_slide(present):
    at = present("4")
    title = slide_title(at)
    next(b for b in at.button if b.label == "◀ Previous").click().run()
    assert "Slide 3 of" in texts(at)
    assert slide_title(at) != title
    next(b for b in at.button if b.label == "Next ▶").click().run()
    assert slide_title(at) == title


def test_a_slide_number_past_the_end_opens_the_last_slide(present):
    at = present("999")
    assert not at.exception
    count = int(re.search(r"Slide (\d+) of \1\b", texts(at)).group(1))
    assert count > 5

"""Commentary: written per measure and period, each edit a new version with author and time, earlier
versions kept; shown on the measure page and its chart; refused to a viewer; kept by migration 0004."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import pytest
from alembic import command
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from access import NotAnEditor, User
from charts.commentary_marker import SYMBOL, add_commentary_markers
from db import queries
from db.commentary_writes import CommentaryRefused, save_commentary
from db.engine import alembic_config, connect, create, migrate
from tests import app_database
from tests.app_database import HOME, RED_MEASURE
from tests.databases import new_database
from tests.test_app_pages import APP, TIMEOUT, environment, texts

EDITOR = User(login="head.of.service@council.gov.uk", display_name="Head of Service", is_editor=True)
VIEWER = User(login="viewer@council.gov.uk", display_name="A Viewer", is_editor=False)
MARCH = date(2025, 3, 31)


@pytest.fixture
def engine(tmp_path):
    return connect(new_database(tmp_path / 'commentary.db'))


def test_an_edit_is_a_new_version_and_the_earlier_one_stays_readable(engine):
    first = save_commentary(engine, RED_MEASURE, HOME, MARCH, "Two sibling groups moved.", EDITOR)
    second = save_commentary(engine, RED_MEASURE, HOME, MARCH, "Two sibling groups moved; both now settled.",
                             User("deputy@council.gov.uk", "Deputy", True))
    versions = queries.commentary(engine, RED_MEASURE, HOME)
    assert versions["text"].tolist() == ["Two sibling groups moved; both now settled.", "Two sibling groups moved."]
    assert versions["author"].tolist() == ["deputy@council.gov.uk", EDITOR.login]
    assert versions["current"].tolist() == [True, False]
    assert versions["replaced_by_id"].iloc[1] == second.id and second.replaced == first.id
    [note] = queries.current_commentary(engine, [RED_MEASURE], [HOME])
    assert (note.period_end, note.text, note.author) == (MARCH, "Two sibling groups moved; both now settled.",
                                                         "deputy@council.gov.uk")


def test_the_same_text_again_adds_no_version(engine):
    save_commentary(engine, RED_MEASURE, HOME, MARCH, "Steady.", EDITOR)
    assert save_commentary(engine, RED_MEASURE, HOME, MARCH, "  Steady. ", EDITOR).id is None
    assert len(queries.commentary(engine, RED_MEASURE, HOME)) == 1


@pytest.mark.parametrize(("measure", "words", "said"), [
    (RED_MEASURE, "   ", "empty"), (RED_MEASURE, "x" * 2001, "2,001 characters"), ("no_such", "Text", "not a measure"),
])
def test_impossible_commentary_is_refused_in_a_sentence(engine, measure, words, said):
    with pytest.raises(CommentaryRefused, match=said):
        save_commentary(engine, measure, HOME, MARCH, words, EDITOR)
    assert queries.current_commentary(engine) == []


def test_a_viewer_cannot_write_commentary(engine):
    with pytest.raises(NotAnEditor):
        save_commentary(engine, RED_MEASURE, HOME, MARCH, "Text", VIEWER)
    assert queries.current_commentary(engine) == []


def test_the_chart_marks_each_period_with_commentary_it_shows(engine):
    save_commentary(engine, RED_MEASURE, HOME, MARCH, "Two sibling groups moved.", EDITOR)
    save_commentary(engine, RED_MEASURE, HOME, date(2020, 3, 31), "Outside the chart.", EDITOR)
    figure = go.Figure(go.Scatter(x=[date(2025, 1, 31), date(2025, 2, 28), MARCH], y=[9, 11, 14]))
    add_commentary_markers(figure, queries.current_commentary(engine, [RED_MEASURE], [HOME]))
    marks = [a for a in figure.layout.annotations if a.text == SYMBOL]
    assert len(marks) == 1
    assert "Two sibling groups moved." in marks[0].hovertext and EDITOR.login in marks[0].hovertext


def migrated_with_commentary(path, revision: str, measure: str, period_end: str, words: str):
    """A database at an older ``revision`` holding one commentary by jsmith, then migrated to the latest."""
    engine = create(new_database(path))
    command.upgrade(alembic_config(engine), revision)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO commentary (measure_code, area_code, period_end, text, author, written_at) "
            "VALUES (:m, :a, :e, :t, 'jsmith', '2025-04-02 10:00:00')"),
            {"m": measure, "a": HOME, "e": period_end, "t": words})
    migrate(engine)
    return engine


def test_migration_0004_keeps_existing_commentary_as_current(tmp_path):
    engine = migrated_with_commentary(tmp_path / "old.db", "0003_reference_releases", RED_MEASURE, "2025-03-31",
                                      "Written before versions")
    [note] = queries.current_commentary(engine)
    assert (note.text, note.author, note.period_end) == ("Written before versions", "jsmith", MARCH)
    save_commentary(engine, RED_MEASURE, HOME, MARCH, "Written after", EDITOR)
    assert queries.commentary(engine, RED_MEASURE, HOME)["text"].tolist() == ["Written after",
                                                                             "Written before versions"]


# ---- the measure page, through the real app -------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> str:
    url = new_database(tmp_path_factory.mktemp('commentary') / 'dashboard.db')
    app_database.build(connect(url), url)
    return url


def open_measure(url: str, monkeypatch, **extra: str) -> AppTest:
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    for key, value in environment(url, DASHBOARD_USER="jsmith", **extra).items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["measure"] = RED_MEASURE
    at.run()
    return at.switch_page("app_pages/measure.py").run()


def save_on_page(at: AppTest, words: str) -> AppTest:
    at.text_area(key="commentary_text").input(words)
    [save] = [b for b in at.button if b.label == "Save commentary"]
    return save.click().run()


def test_an_editor_writes_and_changes_commentary_on_the_measure_page(built, monkeypatch):
    at = open_measure(built, monkeypatch)
    assert not at.exception
    assert at.selectbox(key="commentary_period").value == MARCH  # the latest period first
    at = save_on_page(at, "Two sibling groups moved in March.")
    assert not at.exception, texts(at)
    assert "Two sibling groups moved in March." in texts(at)
    at = save_on_page(at, "Two sibling groups moved in March; both are now settled.")
    said = texts(at)
    assert "both are now settled" in said
    assert any(e.label.startswith("Earlier versions (1)") for e in at.expander)
    versions = queries.commentary(connect(built), RED_MEASURE, HOME)
    assert versions["author"].tolist() == ["jsmith", "jsmith"] and versions["current"].tolist() == [True, False]


def test_a_viewer_reads_commentary_but_has_no_box_to_write_it(built, monkeypatch):
    save_commentary(connect(built), RED_MEASURE, HOME, MARCH, "Read by everyone.", EDITOR)
    at = open_measure(built, monkeypatch, DASHBOARD_EDITORS="someone.else")
    assert not at.exception
    assert "Read by everyone." in texts(at)
    assert not [b for b in at.button if b.label == "Save commentary"]
    assert not at.text_area

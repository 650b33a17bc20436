"""A commentary written by hand on a period whose figure an undo removed says so beside it, wherever it
is shown: the measure page, the chart's caption and hover text (so exported pictures), and the pack.
On a real SQLite file, with tracker workbooks written here, through the real import and undo and the app.
"""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from access import User
from db.commentary_writes import save_commentary
from db.engine import connect
from db.queries import current_commentary
from db.undo import undo_batch
from loaders.importer import import_file
from reports.pack import commentary_for
from tests.app_database import HOME
from tests.databases import new_database
from tests.returns_files import write_xlsx
from tests.test_app_pages import APP, TIMEOUT, environment, texts
from views.commentary import as_shown
from views.scope import Scope

EDITOR = User("jo@council.gov.uk", "Jo", True)
MEASURE = "cla_foster_pct"
OCTOBER = date(2024, 10, 31)
WITHDRAWN = "The figure for October 2024 was withdrawn: the return that gave it was undone."
WRITTEN = "Two carers retired in October."


def tracker(path, figures: list[float]):
    months = ["Sep-24", "Oct-24"][:len(figures)]
    return write_xlsx(path, {"Tracker": [["Measure", "Area", *months], [MEASURE, HOME, *figures]]})


@pytest.fixture
def undone(tmp_path, monkeypatch) -> str:
    """September loaded, October loaded and commented on by hand, then October's return undone."""
    monkeypatch.setenv("DASHBOARD_HOME_AREA", HOME)
    url = new_database(tmp_path / 'dashboard.db')
    engine = connect(url)
    assert import_file(engine, tracker(tmp_path / "september.xlsx", [70]), user=EDITOR).status == "loaded"
    october = import_file(engine, tracker(tmp_path / "october.xlsx", [70, 72]), user=EDITOR).outcome.batch_id
    save_commentary(engine, MEASURE, HOME, OCTOBER, WRITTEN, EDITOR)
    assert [n.figure_withdrawn for n in current_commentary(engine, [MEASURE])] == [False]
    undo_batch(engine, october, EDITOR)
    return url


def test_the_note_charts_and_the_pack_show_says_the_figure_was_withdrawn(undone):
    engine = connect(undone)
    [note] = as_shown(current_commentary(engine, [MEASURE], [HOME]))
    assert note.text == f"({WITHDRAWN}) {WRITTEN}"
    notes = commentary_for(engine, Scope(HOME, date(2024, 4, 1), date(2025, 3, 31)))
    assert notes[MEASURE][0] == f"({WITHDRAWN}) {WRITTEN}"


def test_the_measure_page_says_the_figure_was_withdrawn_beside_the_commentary(undone, monkeypatch):
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    for key, value in environment(undone, DASHBOARD_USER="jsmith").items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["measure"] = MEASURE
    at.run()
    at.switch_page("app_pages/measure.py").run()
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    assert WRITTEN in said
    assert any(str(w.value) == WITHDRAWN for w in at.warning), said

"""Every write in the app, made while another import holds the database, says "another import is in
progress; try again" in a sentence and writes nothing: saving a commentary, saving targets, undoing.

The real app through AppTest on a real database, while a second connection of its own (as another
process's import would) holds the write lock. The lock timeout is a fraction of a second here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import connect, create
from db.locks import BUSY_MESSAGE, write_transaction
from tests import app_database
from tests.app_database import RED_MEASURE
from tests.databases import new_database
from tests.returns_files import dump_tables
from tests.test_app_pages import APP, TIMEOUT, environment, texts

LOCK_TIMEOUT = "0.2"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:  # every connection the engine opens gets the short timeout
        patch.setenv("DASHBOARD_LOCK_TIMEOUT_SECONDS", LOCK_TIMEOUT)
        url = new_database(tmp_path_factory.mktemp('busy') / 'dashboard.db')
        app_database.build(connect(url), url)
        yield url
        connect(url).dispose()


@pytest.fixture
def app(built, monkeypatch) -> str:
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    for key, value in environment(built, DASHBOARD_USER="jsmith", DASHBOARD_LOCK_TIMEOUT_SECONDS=LOCK_TIMEOUT).items():
        monkeypatch.setenv(key, value)
    return built


@contextmanager
def another_import_holding(url: str) -> Iterator[None]:
    """A second connection holding the database's write lock, as an import in another process does."""
    holder = create(url)  # an engine of its own, as another process has
    try:
        with write_transaction(holder):
            yield
    finally:
        holder.dispose()


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def says_busy(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert any(BUSY_MESSAGE in str(e.value) for e in at.error), texts(at)
    assert "ImportBusy" not in texts(at) and "Traceback" not in texts(at)


def test_saving_a_commentary_while_another_import_holds_the_database(app):
    at = open_page("app_pages/measure.py", measure=RED_MEASURE)
    at.text_area(key="commentary_text").input("Two sibling groups moved in March.")
    [save] = [b for b in at.button if b.label == "Save commentary"]
    before = dump_tables(connect(app))
    with another_import_holding(app):
        at = save.click().run()
    says_busy(at)
    assert dump_tables(connect(app)) == before
    assert at.text_area(key="commentary_text").value == "Two sibling groups moved in March."  # kept to try again


def test_saving_targets_while_another_import_holds_the_database(app):
    at = open_page("app_pages/targets.py")
    shown = at.data_editor(key="targets_editor").value
    position = shown.index[shown["Measure"] == "3 or more moves in a year"][0]
    at.session_state["targets_editor"] = {"edited_rows": {position: {"Target": 12.0}}, "added_rows": [],
                                          "deleted_rows": []}
    before = dump_tables(connect(app))
    with another_import_holding(app):
        at.button(key="save_targets").click().run()
    says_busy(at)
    assert dump_tables(connect(app)) == before


def test_undoing_while_another_import_holds_the_database(app):
    at = open_page("app_pages/imports.py")
    chosen = at.selectbox(key="undo_choice").value
    at.button(key="undo_button").click().run()
    before = dump_tables(connect(app))
    with another_import_holding(app):
        at.button(key="undo_confirm").click().run()
    says_busy(at)
    assert any(f"Batch {chosen} was not undone" in str(e.value) for e in at.error)
    assert dump_tables(connect(app)) == before

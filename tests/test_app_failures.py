"""When a page cannot be drawn, the real app (AppTest) says so in a sentence with what to do, never
Streamlit's redacted error box (which points at Streamlit Cloud) and never the error's own text (SQL,
file paths, a council's figures)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from db.engine import connect
from scripts.serve_instances import free_port
from tests import app_database
from tests.databases import new_database
from tests.test_app_pages import APP, PAGES, TIMEOUT, environment
from ui.failure import failure_text

DATABASE_SENTENCE = "The dashboard cannot read its database just now"
PAGE_SENTENCE = "This page could not be drawn"
# A table gone is an "operational" error on SQLite and a programming one on PostgreSQL: either sentence
# tells the person what to do.
EITHER_SENTENCE = (DATABASE_SENTENCE, PAGE_SENTENCE)


def change(url: str, statement: str) -> None:
    """A change made to the database behind the app's back (by hand, or a restore gone wrong)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(statement))
    engine.dispose()


def everything_shown(at: AppTest) -> str:
    parts = [e.value for e in at.error] + [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(str(part) for part in parts)


def assert_told_in_a_sentence(at: AppTest, sentence: str | tuple[str, ...], never: tuple[str, ...]) -> None:
    assert not at.exception, [e.value for e in at.exception]  # no redacted box, no traceback
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(sentence), errors
    assert "Reload the page" in errors[0] and "administrator" in errors[0]
    shown = everything_shown(at)
    for hidden in never:
        assert hidden not in shown, hidden


def test_a_database_that_does_not_answer_is_a_sentence_to_try_again(monkeypatch):
    port = free_port()  # nothing listens on it
    url = f"postgresql+psycopg://dashboard_app:secret-password@127.0.0.1:{port}/dashboard"
    for key, value in environment(url).items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert_told_in_a_sentence(at, DATABASE_SENTENCE, never=("secret-password", "psycopg", str(port),
                                                               "Traceback", "Streamlit Cloud"))


def app_on_a_good_database(tmp_path, monkeypatch, page: str) -> tuple[AppTest, str]:
    url = new_database(tmp_path / "dashboard.db")
    app_database.build(connect(url), url)
    for key, value in environment(url).items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page]).run()
    assert not at.exception and not at.error
    return at, url


def test_a_table_lost_while_people_browse_is_a_sentence_and_the_menu_stays(tmp_path, monkeypatch):
    """The commentary table goes (a restore gone wrong, a hand-made change): the measure page, which reads it
    on every run, says what to do, and the menu and the other pages still work."""
    at, url = app_on_a_good_database(tmp_path, monkeypatch, "measure")
    change(url, "DROP TABLE commentary")
    at.run()
    assert_told_in_a_sentence(at, EITHER_SENTENCE, never=("commentary", "no such table", "sqlite3", "SELECT",
                                                            str(tmp_path), "Traceback", "Streamlit Cloud"))
    at.switch_page(PAGES["cla"]).run()  # a page that does not read the lost table
    assert not at.exception and not at.error


def test_every_page_says_the_same_when_the_batches_cannot_be_read(tmp_path, monkeypatch):
    """Every run reads the data version first (before any page): that failing is the same sentence."""
    at, url = app_on_a_good_database(tmp_path, monkeypatch, "cla")
    change(url, "ALTER TABLE import_batch RENAME TO import_batch_moved")
    at.run()
    assert_told_in_a_sentence(at, EITHER_SENTENCE, never=("import_batch", "sqlite3", str(tmp_path), "Traceback"))


def test_an_error_that_is_not_the_databases_is_a_sentence_without_its_text():
    when = datetime(2026, 7, 1, 11, 5, tzinfo=UTC)  # 12:05 in UK summer time
    text = failure_text(KeyError("E06000049 cla_rate secret detail"), when)
    assert text.startswith(PAGE_SENTENCE) and "secret detail" not in text and "E06000049" not in text
    assert "01 Jul 2026 12:05" in text

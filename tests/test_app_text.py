"""Text from a web address, a file or a person is shown as text in the real app, never as markup.

An attacker's link '?batch=[Session expired - sign in again](https://...)' used to render as a live link
inside the dashboard's own warning box; a file's name rendered as a link on the Imports page; a
commentary's image was fetched from another host by every viewer's browser and '# Heading' became a page
heading. Each test runs the real app through AppTest and reads the markdown body Streamlit would render.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from db.engine import connect
from loaders.importer import import_file
from metrics.safe_text import markdown_paragraphs, markdown_text
from tests.app_database import HOME
from tests.databases import new_database
from tests.test_upload import APP, IMPORTS, JANUARY, TIMEOUT, upload

MEASURE_PAGE = "app_pages/measure.py"
LINK = "[Session expired - sign in again](https://evil.example/login)"
IMAGE = "![logo](https://evil.example/pixel.png)"
# A link or an image that still works: its brackets not escaped.
LIVE = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\)!\[")


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = new_database(tmp_path / 'dashboard.db')
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": HOME, "DASHBOARD_USER": "jsmith"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    return url


def run(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def bodies(at: AppTest) -> list[str]:
    """Every piece of markdown the page sends to the browser: text, alerts, headings and widget labels."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "info", "success", "warning", "error", "toast")
    found = [str(e.value) for kind in kinds for e in at.get(kind)]
    return found + [str(b.label) for b in at.button] + [str(e.label) for e in at.expander]


def live_markup(at: AppTest) -> list[str]:
    return [body for body in bodies(at) if LIVE.search(body)]


def test_a_batch_in_the_address_is_shown_as_text_in_the_warning(db):
    import_file(connect(db), data=JANUARY, file_name="january.csv", imported_by="jsmith")
    at = run(IMPORTS, batch=LINK)
    [warning] = [w.value for w in at.warning if "There is no batch" in w.value]
    assert warning.startswith(f"There is no batch {markdown_text(LINK)}: it may have been undone")
    assert not live_markup(at)


def test_a_measure_in_the_address_is_shown_as_text_in_the_warning(db):
    import_file(connect(db), data=JANUARY, file_name="january.csv", imported_by="jsmith")
    at = run(MEASURE_PAGE, measure=IMAGE + " " + LINK)
    assert f"There is no measure called '{markdown_text(IMAGE + ' ' + LINK)}'. Choose one from the list." in [
        w.value for w in at.warning]
    assert not live_markup(at)


def test_a_file_name_and_the_person_who_loaded_it_are_shown_as_text(db):
    name = f"{LINK} {IMAGE}.csv"
    import_file(connect(db), data=JANUARY, file_name=name, imported_by="# [jsmith](https://evil.example)")
    at = run(IMPORTS)
    notes = "\n".join(bodies(at))
    assert markdown_text(name) in notes and markdown_text("# [jsmith](https://evil.example)") in notes
    assert not live_markup(at)
    asked = run(IMPORTS, batch="1")
    assert any(markdown_text(name) in i.value for i in asked.info)
    assert not live_markup(asked)


def test_an_uploaded_file_s_name_is_shown_as_text_in_its_preview_and_its_button(db):
    import_file(connect(db), data=JANUARY, file_name="january.csv", imported_by="jsmith")
    name = f"{IMAGE}.csv"
    at = upload(run(IMPORTS), (name, b"measure,area,period,value\ncla_count,E06999901,2024-03,320\n"))
    assert markdown_text(name) in [s.value for s in at.subheader]
    assert f"Confirm: load {markdown_text(name)}" in [b.label for b in at.button]
    assert not live_markup(at)


def test_a_commentary_is_plain_text_with_its_line_breaks(db):
    import_file(connect(db), data=JANUARY, file_name="january.csv", imported_by="jsmith")
    words = f"# Placements moved\n{IMAGE}\nRead {LINK} for more."
    at = run(MEASURE_PAGE, measure="cla_count")
    at.text_area(key="commentary_text").input(words)
    [save] = [b for b in at.button if b.label == "Save commentary"]
    at = save.click().run()
    assert not at.exception
    assert markdown_paragraphs(words) in [m.value for m in at.markdown]
    assert not [body for body in bodies(at) if body.startswith("# Placements")]  # no page heading
    assert markdown_paragraphs(words) == (r"\# Placements moved  " "\n"
                                          r"\!\[logo\]\(https\://evil.example/pixel.png\)  " "\n"
                                          r"Read \[Session expired - sign in again\]\(https\://evil.example/login\) "
                                          "for more.")
    assert not live_markup(at)

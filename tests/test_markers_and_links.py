"""The Overview marks a measure with commentary, and the Imports page opens on the batch a link names."""

from __future__ import annotations

from datetime import date

from access.users import User
from db.commentary_writes import save_commentary
from db.engine import connect
from reference.catalogue import catalogue
from tests import app_database
from tests.databases import new_database
from tests.test_app_pages import environment, open_page


def test_a_measure_with_commentary_is_marked_on_its_overview_row(tmp_path, monkeypatch):
    url = new_database(tmp_path / 'dashboard.db')
    app_database.build(connect(url), url)
    for key, value in environment(url).items():
        monkeypatch.setenv(key, value)
    measure = catalogue().get(app_database.RED_MEASURE)
    head = User(login="jo.smith", display_name="Jo Smith", is_editor=True)
    save_commentary(connect(url), measure.code, app_database.HOME, date(2025, 3, 31), "Two sibling groups moved.", head)
    at = open_page("overview")
    assert not at.exception
    frames = [f.value for f in at.dataframe if "Commentary" in f.value.columns]
    rows = [r for frame in frames for _, r in frame.iterrows()]
    marked = [r for r in rows if r["Measure"] == f"{measure.short_name} ✎"]
    assert len(marked) == 1 and marked[0]["Commentary"] == "March 2025"
    others = [r for r in rows if r["Measure"] != f"{measure.short_name} ✎"]
    assert others and all(r["Commentary"] == "" and not r["Measure"].endswith("✎") for r in others)


def test_the_imports_page_opens_on_the_batch_a_link_names(tmp_path, monkeypatch):
    url = new_database(tmp_path / 'dashboard.db')
    app_database.build(connect(url), url)
    for key, value in environment(url).items():
        monkeypatch.setenv(key, value)
    at = open_page("imports", {"batch": "2"})
    assert not at.exception
    said = " ".join(i.value for i in at.info)
    assert "Batch 2" in said
    at = open_page("imports", {"batch": "999"})
    assert any("There is no batch 999" in w.value for w in at.warning)

"""Undoing an import: values it replaced come back exactly, values it added go, targets too; refused,
naming the later batch, while a later batch changed the same figures; the same file loads again after;
a viewer is refused. On a real SQLite file, through import_file, the app and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from access import NotAnEditor, User
from db.engine import connect
from db.queries import data_version
from db.undo import UndoRefused, undo_batch
from loaders.importer import import_file
from loaders.published import load_published_files
from settings import DATA_DIR
from tests.app_database import HOME
from tests.cli import Ran, run_main
from tests.databases import new_database
from tests.returns_files import dump_tables

ROOT = Path(__file__).resolve().parents[1]
EDITOR = User("jo@council.gov.uk", "Jo", True)
VIEWER = User("viewer@council.gov.uk", "Vi", False)
JANUARY = b"measure,area,2024-01,2024-02,target\ncla_foster_pct,E06999901,70,71.5,65\n"
FEBRUARY = b"measure,area,2024-02,2024-03,target\ncla_foster_pct,E06999901,c,73,66\n"  # 71.5 becomes suppressed


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_HOME_AREA", HOME)
    return connect(new_database(tmp_path / 'dashboard.db'))


def load(engine, content: bytes, name: str, user: User = EDITOR):
    report = import_file(engine, data=content, file_name=name, user=user)
    assert report.status == "loaded", report.summary()
    return report.outcome.batch_id


def figures(engine) -> dict[str, tuple]:
    tables = dump_tables(engine)
    current = {str(row[4]): (row[7], row[10], row[12]) for row in tables["observation"]}  # value, status, batch
    return current


def current_targets(engine) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.exec_driver_sql(
            "SELECT value, batch_id FROM target WHERE replaced_by_batch_id IS NULL ORDER BY id")]


def test_undo_puts_back_what_it_replaced_and_removes_what_it_added(engine):
    first = load(engine, JANUARY, "january.csv")
    before = figures(engine)
    second = load(engine, FEBRUARY, "february.csv")
    assert figures(engine)["2024-02-29"][1] == "c"
    version = data_version(engine)

    outcome = undo_batch(engine, second, EDITOR)

    assert figures(engine) == before  # 71.5 from batch 1 exactly, and March's 73 gone
    assert current_targets(engine) == [(65.0, first)]
    # February's target took over February from January's, which kept January: both withdrawn, January's back
    assert (outcome.restored, outcome.removed, outcome.targets_removed, outcome.targets_restored) == (1, 1, 2, 1)
    assert data_version(engine) > version  # every cache keyed on the highest batch sees the undo
    with engine.connect() as connection:
        undo = connection.execute(text(
            "SELECT source, imported_by, note FROM import_batch WHERE id = :id"), {"id": outcome.undo_batch_id}).one()
        undone_by = connection.execute(text("SELECT undone_by_batch_id FROM import_batch WHERE id = :id"),
                                       {"id": second}).scalar()
        kept = connection.execute(text("SELECT status, value FROM observation_history WHERE batch_id = :id "
                                       "ORDER BY period_end"), {"id": second}).all()
    assert tuple(undo) == ("undo", EDITOR.login, f"undid batch {second} (february.csv): 1 value put back as "
                                                  "before, 1 value it added removed")
    assert undone_by == outcome.undo_batch_id
    assert [tuple(k) for k in kept] == [("c", None), ("value", 73.0)]  # what it had set stays readable


def test_undo_is_refused_while_a_later_batch_changed_the_same_figures(engine):
    first = load(engine, JANUARY, "january.csv")
    second = load(engine, FEBRUARY, "february.csv")
    with pytest.raises(UndoRefused, match=f"later batch {second} \\(february.csv\\).*Undo batch {second} first"):
        undo_batch(engine, first, EDITOR)
    undo_batch(engine, second, EDITOR)
    undo_batch(engine, first, EDITOR)
    assert figures(engine) == {} and current_targets(engine) == []
    with pytest.raises(UndoRefused, match="already undone"):
        undo_batch(engine, first, EDITOR)


def test_after_an_undo_the_same_file_loads_again(engine):
    load(engine, JANUARY, "january.csv")
    second = load(engine, FEBRUARY, "february.csv")
    loaded = figures(engine)
    undo_batch(engine, second, EDITOR)
    again = import_file(engine, data=FEBRUARY, file_name="february.csv", user=EDITOR)
    assert again.status == "loaded" and again.outcome.replaced == 1 and again.outcome.inserted == 1
    assert {k: v[:2] for k, v in figures(engine).items()} == {k: v[:2] for k, v in loaded.items()}


def test_a_viewer_can_neither_undo_nor_load(engine):
    first = load(engine, JANUARY, "january.csv")
    before = dump_tables(engine)
    with pytest.raises(NotAnEditor):
        undo_batch(engine, first, VIEWER)
    with pytest.raises(NotAnEditor):
        import_file(engine, data=FEBRUARY, file_name="february.csv", user=VIEWER)
    assert dump_tables(engine) == before


def cli(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> Ran:
    return run_main("loaders", *args, stdin=stdin, env={"DASHBOARD_HOME_AREA": HOME, **(env or {})})


def test_the_command_line_lists_batches_and_undoes_one_after_asking(engine, tmp_path):
    url = str(engine.url)
    load(engine, JANUARY, "january.csv")
    second = load(engine, FEBRUARY, "february.csv")
    listed = cli("history", "--db", url)
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].startswith(f"{second} february.csv") and lines[1].startswith("1 january.csv")
    refused = cli("undo", "1", "--yes", "--db", url)
    assert refused.returncode == 1 and f"Undo batch {second} first" in refused.stderr
    declined = cli("undo", str(second), "--db", url, stdin="no\n")
    assert "Nothing was undone" in declined.stdout and figures(engine)["2024-03-31"][0] == 73.0
    done = cli("undo", str(second), "--db", url, stdin="yes\n", env={"DASHBOARD_USER": "officer1"})
    assert done.returncode == 0 and f"Batch {second} undone" in done.stdout
    assert "2024-03-31" not in figures(engine)
    history = cli("history", "--db", url).stdout.splitlines()
    assert f"undid batch {second}" in history[0] and "by officer1" in history[0]
    assert f"undone by batch {second + 1}" in history[1]


def test_the_imports_page_undoes_a_batch_and_refuses_one_a_later_batch_changed(engine, monkeypatch):
    url = str(engine.url)
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_USER": "jsmith"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    first = load(engine, JANUARY, "january.csv")
    before = figures(engine)
    second = load(engine, FEBRUARY, "february.csv")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/imports.py").run()
    at.selectbox(key="undo_choice").set_value(first).run()
    at.button(key="undo_button").click().run()
    at.button(key="undo_confirm").click().run()
    assert any(f"Undo batch {second} first" in str(e.value) for e in at.error)
    at.selectbox(key="undo_choice").set_value(second).run()
    at.button(key="undo_button").click().run()
    assert any(f"Undo batch {second}, february.csv" in str(e.value) for e in at.warning)
    assert figures(engine) != before  # asked, not yet done
    at.button(key="undo_keep").click().run()
    assert not [b for b in at.button if b.key == "undo_confirm"] and figures(engine) != before
    at.button(key="undo_button").click().run()
    at.button(key="undo_confirm").click().run()
    assert not at.exception
    assert any(f"Batch {second} undone" in str(e.value) for e in at.success)
    assert figures(engine) == before
    table = next(f.value for f in at.dataframe if "Undone" in f.value.columns)
    assert list(table["Source"])[0] == "Undo" and f"by batch {second + 1}" in list(table["Undone"])
    assert list(table["By"])[0] == "jsmith"


def test_undo_brings_back_the_target_it_replaced(engine):
    first = load(engine, JANUARY, "january.csv")
    second = load(engine, JANUARY.replace(b",65\n", b",67\n"), "january-new-target.csv")
    assert current_targets(engine) == [(67.0, second)]
    outcome = undo_batch(engine, second, EDITOR)
    assert (outcome.targets_removed, outcome.targets_restored) == (1, 1)
    assert current_targets(engine) == [(65.0, first)]


OCTOBER_TRACKER = b"measure,area,2024-09,2024-10\ncla_foster_pct,E06999901,70,71\n"
NOVEMBER_TRACKER = b"measure,area,2024-09,2024-10,2024-11\ncla_foster_pct,E06999901,70,71,72\n"  # repeats Sep, Oct


def test_undo_waits_for_a_later_file_that_gives_the_same_figures_again(engine):
    october = load(engine, OCTOBER_TRACKER, "tracker october.csv")
    november = load(engine, NOVEMBER_TRACKER, "tracker november.csv")
    with pytest.raises(UndoRefused, match=f"later batch {november} .*gives some of the same figures again"):
        undo_batch(engine, october, EDITOR)
    assert sorted(figures(engine)) == ["2024-09-30", "2024-10-31", "2024-11-30"]  # nothing removed
    undo_batch(engine, november, EDITOR)
    assert sorted(figures(engine)) == ["2024-09-30", "2024-10-31"]
    undo_batch(engine, october, EDITOR)  # allowed once the later file is undone
    assert figures(engine) == {}


def test_a_file_loaded_again_unchanged_writes_no_batch_and_does_not_block_an_undo(engine):
    october = load(engine, OCTOBER_TRACKER, "tracker october.csv")
    again = import_file(engine, data=OCTOBER_TRACKER, file_name="tracker october copy.csv", user=EDITOR)
    assert again.status == "unchanged"
    undo_batch(engine, october, EDITOR)
    assert figures(engine) == {}


def test_after_a_confirm_the_batch_to_undo_is_the_file_just_loaded(engine, monkeypatch):
    """DfE's neighbour list loaded after the council's first return is not what the officer means to undo."""
    url = str(engine.url)
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_USER": "jsmith"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    first = load(engine, JANUARY, "january.csv")
    [neighbours] = load_published_files(engine, [DATA_DIR / "dfe" / "sn_may_2025.xlsx"])
    assert neighbours.status == "loaded"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("app_pages/imports.py").run()
    assert at.selectbox(key="undo_choice").value == first  # the council's own file, not DfE's list
    at.get("file_uploader")[0].set_value([("february.csv", FEBRUARY, "text/csv")])
    at.run()
    at.button(key="confirm_0").click().run()
    assert not at.exception, [e.value for e in at.exception]
    choice = at.selectbox(key="undo_choice")
    loaded = neighbours.outcome.batch_id + 1
    assert choice.value == loaded and choice.options[0] == f"{loaded} · february.csv"
    at.button(key="undo_button").click().run()
    at.button(key="undo_confirm").click().run()
    assert any(f"Batch {loaded} undone" in str(e.value) for e in at.success)
    assert at.selectbox(key="undo_choice").value == first  # then the council's next newest file

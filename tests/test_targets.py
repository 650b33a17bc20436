"""Targets edited in the app: checked like an import, saved as a batch with who and when, old ones kept."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from access import NotAnEditor, User
from db import queries
from db.engine import connect
from db.target_writes import TARGETS_SOURCE, TargetEdit, TargetProblems, save_targets, target_history
from tests import app_database
from tests.app_database import HOME, RED_MEASURE
from tests.databases import new_database
from tests.test_app_pages import APP, TIMEOUT, environment, texts

EDITOR = User(login="jo.smith@council.gov.uk", display_name="Jo Smith", is_editor=True)
VIEWER = User(login="viewer@council.gov.uk", display_name="A Viewer", is_editor=False)
YEAR = (date(2025, 4, 1), date(2026, 3, 31))


@pytest.fixture
def engine(tmp_path):
    return connect(new_database(tmp_path / 'targets.db'))


def test_a_new_target_is_saved_as_a_batch_with_who_set_it(engine):
    saved = save_targets(engine, [TargetEdit("stab_3plus_pct", HOME, *YEAR, 10.0, 2.0)], EDITOR)
    current = queries.targets(engine)
    assert current[["measure_code", "value", "tolerance"]].values.tolist() == [["stab_3plus_pct", 10.0, 2.0]]
    batch = queries.batches(engine).iloc[0]
    assert (batch["id"], batch["source"], batch["imported_by"]) == (saved.batch_id, TARGETS_SOURCE, EDITOR.login)
    assert target_history(engine)["set_by"].tolist() == [EDITOR.login]


def test_a_changed_target_keeps_the_old_one_in_the_history(engine):
    save_targets(engine, [TargetEdit("stab_3plus_pct", HOME, *YEAR, 10.0, 2.0)], EDITOR)
    old_id = int(target_history(engine)["id"].iloc[0])
    second = save_targets(engine, [TargetEdit("stab_3plus_pct", HOME, *YEAR, 8.0, 1.0, replaces=old_id)], EDITOR)
    assert queries.targets(engine)["value"].tolist() == [8.0]
    history = target_history(engine)
    old = history[history["id"] == old_id].iloc[0]
    assert (old["value"], old["replaced_by_batch_id"]) == (10.0, second.batch_id)
    assert queries.data_version(engine) == second.batch_id  # the scorecard's caches move on


def test_withdrawing_a_target_keeps_it_in_the_history(engine):
    save_targets(engine, [TargetEdit("stab_3plus_pct", HOME, *YEAR, 10.0)], EDITOR)
    old_id = int(target_history(engine)["id"].iloc[0])
    save_targets(engine, [TargetEdit("stab_3plus_pct", HOME, *YEAR, None, replaces=old_id, remove=True)], EDITOR)
    assert queries.targets(engine).empty
    assert target_history(engine)["value"].tolist() == [10.0]


def test_saving_the_same_targets_again_writes_nothing(engine):
    save_targets(engine, [TargetEdit("stab_3plus_pct", HOME, *YEAR, 10.0, 2.0)], EDITOR)
    old_id = int(target_history(engine)["id"].iloc[0])
    again = save_targets(engine, [TargetEdit("stab_3plus_pct", HOME, *YEAR, 10.0, 2.0, replaces=old_id)], EDITOR)
    assert again.batch_id is None and len(queries.batches(engine)) == 1


@pytest.mark.parametrize(("edit", "words"), [
    (TargetEdit("stab_3plus_pct", HOME, *YEAR, 120.0), "must be a percentage"),
    (TargetEdit("stab_3plus_pct", HOME, *YEAR, -1.0), "must be a percentage"),
    (TargetEdit("stab_3plus_pct", HOME, YEAR[1], YEAR[0], 10.0), "starts after it ends"),
    (TargetEdit("stab_3plus_pct", HOME, *YEAR, 10.0, -2.0), "tolerance"),
    (TargetEdit("stab_3plus_pct", HOME, *YEAR, None), "has no value"),
    (TargetEdit("no_such_measure", HOME, *YEAR, 10.0), "not a measure"),
])
def test_an_impossible_target_is_refused_in_a_sentence_and_nothing_saved(engine, edit, words):
    fine = TargetEdit("cla_foster_pct", HOME, *YEAR, 70.0)
    with pytest.raises(TargetProblems) as refused:
        save_targets(engine, [fine, edit], EDITOR)
    assert any(words in p for p in refused.value.problems), refused.value.problems
    assert queries.targets(engine).empty and queries.batches(engine).empty


def test_overlapping_ranges_for_one_measure_and_council_are_refused(engine):
    save_targets(engine, [TargetEdit("stab_3plus_pct", HOME, *YEAR, 10.0)], EDITOR)
    with pytest.raises(TargetProblems) as refused:
        save_targets(engine, [TargetEdit("stab_3plus_pct", HOME, date(2026, 1, 1), date(2026, 12, 31), 9.0)], EDITOR)
    assert "overlap" in refused.value.problems[0]
    assert len(queries.targets(engine)) == 1
    # another council's target over the same months does not overlap
    save_targets(engine, [TargetEdit("stab_3plus_pct", "E06000049", *YEAR, 9.0)], EDITOR)
    assert len(queries.targets(engine)) == 2


def test_a_viewer_cannot_save_targets(engine):
    with pytest.raises(NotAnEditor):
        save_targets(engine, [TargetEdit("stab_3plus_pct", HOME, *YEAR, 10.0)], VIEWER)
    assert queries.targets(engine).empty


# ---- the page, through the real app ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> str:
    url = new_database(tmp_path_factory.mktemp('targets') / 'dashboard.db')
    app_database.build(connect(url), url)
    return url


@pytest.fixture
def use_env(monkeypatch):
    """Set the dashboard's environment for one test; pytest restores it afterwards."""
    def apply(values: dict[str, str]) -> None:
        for key, value in values.items():
            monkeypatch.setenv(key, value)
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    return apply


def open_targets(url: str, use_env, **extra: str) -> AppTest:
    use_env(environment(url, DASHBOARD_USER="jsmith", **extra))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    return at.switch_page("app_pages/targets.py").run()


def test_an_editor_changes_a_target_on_the_page_and_the_history_keeps_the_old_one(built, use_env):
    at = open_targets(built, use_env)
    assert not at.exception
    shown = at.data_editor(key="targets_editor").value
    position = shown.index[shown["Measure"] == "3 or more moves in a year"][0]
    at.session_state["targets_editor"] = {"edited_rows": {position: {"Target": 12.0}}, "added_rows": [],
                                          "deleted_rows": []}
    at.button(key="save_targets").click().run()
    assert not at.exception, texts(at)
    after = queries.targets(connect(built))
    assert after.loc[after["measure_code"] == RED_MEASURE, "value"].tolist() == [12.0]
    history = target_history(connect(built), measure=RED_MEASURE)
    assert sorted(history["value"].tolist()) == [10.0, 12.0]
    assert "Saved as batch" in texts(at)
    assert "jsmith" in history["set_by"].tolist()


def test_a_viewer_sees_the_targets_but_no_editing_controls(built, use_env):
    at = open_targets(built, use_env, DASHBOARD_EDITORS="someone.else")
    assert not at.exception
    assert not [b for b in at.button if b.key == "save_targets"]
    assert "Only editors can change targets" in texts(at)


def test_an_overlapping_row_added_on_the_page_is_refused_in_a_sentence_and_nothing_saved(built, use_env):
    at = open_targets(built, use_env)
    before = target_history(connect(built))
    at.session_state["targets_editor"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"Measure": "3 or more moves in a year", "Council code": HOME, "From": "2024-10-01", "To": "2025-09-30",
         "Target": 9.0}]}
    at.button(key="save_targets").click().run()
    assert not at.exception
    said = "\n".join(str(e.value) for e in at.error)
    assert "Nothing was saved" in said and "overlap" in said
    assert len(target_history(connect(built))) == len(before)

"""Undo always works newest first, and an older batch waits only for a later batch that changed or gave
again what it set: on monthly tracker workbooks written here, loaded through import_file and undone
through undo_batch on a real SQLite file.

A tracker is filled month by month: each month's file gives every month so far again (unchanged, or
corrected) and the same target over the year. Undoing the newest batch must put the database back
exactly as it was before that file was loaded, all the way down to an empty database.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from access import User
from db.engine import connect
from db.target_writes import TargetEdit, save_targets
from db.undo import UndoRefused, undo_batch
from loaders.importer import import_file
from tests.app_database import HOME
from tests.databases import new_database
from tests.returns_files import dump_tables, write_xlsx

EDITOR = User("jo@council.gov.uk", "Jo", True)
MEASURE = "cla_foster_pct"
MONTHS = ["Apr-24", "May-24", "Jun-24", "Jul-24", "Aug-24", "Sep-24", "Oct-24", "Nov-24", "Dec-24", "Jan-25",
          "Feb-25", "Mar-25"]
YEAR = (date(2024, 4, 1), date(2025, 3, 31))  # a wide tracker's target holds over its sheet's periods


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_HOME_AREA", HOME)
    return connect(new_database(tmp_path / 'dashboard.db'))


def tracker(path: Path, figures: list[float | None], target: float | None = 65, commentary: str | None = None) -> Path:
    """The council's foster care tracker for 2024-25: a column per month (blank until reported) and a target."""
    header = ["Measure", "Area", *MONTHS, "Target"] + (["Commentary"] if commentary is not None else [])
    row = [MEASURE, HOME, *figures, *[None] * (len(MONTHS) - len(figures)), target]
    row += [commentary] if commentary is not None else []
    return write_xlsx(path, {"Tracker": [["Foster care tracker 2024-25"], [], header, row]})


def load(engine, path: Path) -> int:
    report = import_file(engine, path, user=EDITOR)
    assert report.status == "loaded", report.summary()
    return report.outcome.batch_id


def state(engine) -> dict[str, list[tuple]]:
    """What a page shows: current figures, targets in force and current commentaries."""
    with engine.connect() as connection:
        def rows(sql: str) -> list[tuple]:
            return sorted(tuple(str(v) if isinstance(v, date) else v for v in r)  # a date as SQLite keeps it
                          for r in connection.exec_driver_sql(sql))
        return {
            "figures": rows("SELECT measure_code, area_code, period_end, value, status FROM observation"),
            "targets": rows("SELECT measure_code, area_code, period_start, period_end, value, tolerance FROM target "
                            "WHERE replaced_by_batch_id IS NULL"),
            "commentary": rows("SELECT measure_code, area_code, period_end, text FROM commentary "
                               "WHERE replaced_by_id IS NULL AND withdrawn_by_batch_id IS NULL"),
        }


EMPTY = {"figures": [], "targets": [], "commentary": []}


def test_four_ordinary_imports_undo_newest_first_down_to_an_empty_database(engine, tmp_path):
    """A value, the same value again, a change, a change back: each undo of the newest batch works."""
    files = [tracker(tmp_path / "april.xlsx", [70]),
             tracker(tmp_path / "may.xlsx", [70, 71]),  # April again, unchanged
             tracker(tmp_path / "june.xlsx", [72, 71, 73]),  # April corrected
             tracker(tmp_path / "july.xlsx", [70, 71, 73, 74])]  # April back as it was
    before, batches = [], []
    for path in files:
        before.append(state(engine))
        batches.append(load(engine, path))
    assert batches == [1, 2, 3, 4]
    for batch, expected in zip(reversed(batches), reversed(before), strict=True):
        undo_batch(engine, batch, EDITOR)
        assert state(engine) == expected
    assert state(engine) == EMPTY


def test_an_older_batch_waits_for_the_later_batch_that_changed_or_repeated_its_figures(engine, tmp_path):
    april = load(engine, tracker(tmp_path / "april.xlsx", [70], target=None))
    may = load(engine, tracker(tmp_path / "may.xlsx", [None, 71], target=None))
    june = load(engine, tracker(tmp_path / "june.xlsx", [72, 71, 73], target=None))
    unchanged = dump_tables(engine)
    with pytest.raises(UndoRefused, match=f"later batch {june} \\(june.xlsx\\) changed some of the same figures "
                                          "\\(such as In foster care, .*April 2024\\)"):
        undo_batch(engine, april, EDITOR)
    with pytest.raises(UndoRefused, match=f"later batch {june} \\(june.xlsx\\) gives some of the same figures again "
                                          "\\(such as In foster care, .*May 2024\\).*Undo batch 3 first"):
        undo_batch(engine, may, EDITOR)
    assert dump_tables(engine) == unchanged  # a refusal writes nothing


def test_a_target_a_later_file_gives_again_is_not_withdrawn_by_undoing_the_earlier_file(engine, tmp_path):
    """May's file gives no April figure, only the same target: the refusal says "target" and which one."""
    april = load(engine, tracker(tmp_path / "april.xlsx", [70], target=65))
    may = load(engine, tracker(tmp_path / "may.xlsx", [None, 71], target=65))
    with pytest.raises(UndoRefused, match=f"later batch {may} \\(may.xlsx\\) gives the target for In foster care for "
                                          f"{HOME} from 01 April 2024 to 31 March 2025 again"):
        undo_batch(engine, april, EDITOR)
    in_force = [(MEASURE, HOME, "2024-04-01", "2025-03-31", 65.0, None)]
    assert state(engine)["targets"] == in_force
    undo_batch(engine, may, EDITOR)
    assert state(engine)["targets"] == in_force  # April's file set it, and April's file is still loaded
    undo_batch(engine, april, EDITOR)
    assert state(engine) == EMPTY


def test_a_target_changed_on_the_targets_page_is_named_as_a_target(engine, tmp_path):
    april = load(engine, tracker(tmp_path / "april.xlsx", [70], target=65))
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT id FROM target").scalar()
    saved = save_targets(engine, [TargetEdit(MEASURE, HOME, *YEAR, 68.0, replaces=stored)], EDITOR)
    with pytest.raises(UndoRefused) as refused:
        undo_batch(engine, april, EDITOR)
    assert str(refused.value) == (
        f"Batch {april} cannot be undone: the later batch {saved.batch_id} (Targets page) changed the target for "
        f"In foster care for {HOME} from 01 April 2024 to 31 March 2025. Undo batch {saved.batch_id} first, "
        f"then batch {april}.")


def _next_figures(rng: random.Random, figures: list[float | None]) -> list[float | None]:
    """The next month's tracker: usually one more month, sometimes a correction or a change back."""
    out = list(figures)
    if not out or (len(out) < len(MONTHS) and rng.random() < 0.7):
        out.append(float(rng.randint(60, 80)))
    if out and rng.random() < 0.4:
        out[rng.randrange(len(out))] = float(rng.randint(60, 80))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_trackers_and_target_edits_undo_newest_first_to_an_empty_database(engine, tmp_path, seed):
    rng = random.Random(seed)
    figures: list[float | None] = []
    target, loaded = 65.0, []  # (batch, state before it)
    for step in range(8):
        before = state(engine)
        if step and rng.random() < 0.2:  # an officer changes the year's target on the Targets page
            with engine.connect() as connection:
                current = connection.exec_driver_sql(
                    "SELECT id FROM target WHERE replaced_by_batch_id IS NULL").scalar()
            target = float(rng.randint(60, 70))
            saved = save_targets(engine, [TargetEdit(MEASURE, HOME, *YEAR, target, replaces=current)], EDITOR)
            if saved.batch_id is not None:
                loaded.append((saved.batch_id, before))
            continue
        figures = _next_figures(rng, figures)
        if rng.random() < 0.3:
            target = float(rng.randint(60, 70))
        note = rng.choice([None, "Two carers retired.", "New carers approved."])
        report = import_file(engine, tracker(tmp_path / f"step{step}.xlsx", figures, target, note), user=EDITOR)
        assert report.ok, [p.message() for p in report.problems]
        if report.status == "loaded":
            loaded.append((report.outcome.batch_id, before))
    assert len(loaded) >= 3
    first_live = loaded[0][0]
    unchanged = dump_tables(engine)
    with pytest.raises(UndoRefused) as refused:  # the first batch's figures were given again or changed since
        undo_batch(engine, first_live, EDITOR)
    named = int(str(refused.value).split("the later batch ")[1].split(" ")[0])
    assert named > first_live and named in [b for b, _ in loaded]
    assert dump_tables(engine) == unchanged
    for batch, expected in reversed(loaded):
        undo_batch(engine, batch, EDITOR)
        assert state(engine) == expected, f"after undoing batch {batch}"
    assert state(engine) == EMPTY

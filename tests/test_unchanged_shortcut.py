"""Importing a file again that nothing has changed since says "unchanged" and leaves the database as it was;
once anything that file set may have changed, the file is read again in full and puts its figures back.

Every check is on what a user sees: the import's status and counts, the figures stored, and a dump of
every table, on real files written here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import text

from access import User
from db import queries
from db.commentary_writes import save_commentary
from db.target_writes import TargetEdit, save_targets, target_history
from loaders.importer import import_file
from loaders.published import load_published_files
from settings import DATA_DIR
from tests.returns_files import dump_tables, write_csv, write_xlsx

CHESHIRE_EAST, BIRMINGHAM = "E06000049", "E08000025"


def monthly_return(path: Path, area: str | None = CHESHIRE_EAST, first_value: int = 500) -> Path:
    header = ["Measure", "Period", "Value"] if area is None else ["Measure", "Area", "Period", "Value"]
    rows = [["Monthly return"], [], header]
    for month, value in (("Apr-25", first_value), ("May-25", 505), ("Jun-25", 510)):
        rows.append(["cla_count", month, value] if area is None else ["cla_count", area, month, value])
    return write_xlsx(path, {"Return": rows})


def values(engine, area: str = CHESHIRE_EAST) -> list[float]:
    return queries.observations(engine, measures=["cla_count"], areas=[area])["value"].tolist()


def test_the_same_file_again_is_unchanged_and_writes_nothing(engine, tmp_path):
    path = monthly_return(tmp_path / "return.xlsx")
    first = import_file(engine, path)
    assert first.status == "loaded" and first.outcome.inserted == 3
    before = dump_tables(engine)
    again = import_file(engine, path)
    assert again.status == "unchanged" and again.summary().startswith(
        "return.xlsx: unchanged, all 3 values already loaded (the same file as batch 1")
    assert dump_tables(engine) == before


def test_a_later_file_replacing_one_value_is_undone_by_importing_the_first_again(engine, tmp_path):
    path = monthly_return(tmp_path / "return.xlsx")
    import_file(engine, path)
    correction = write_csv(tmp_path / "correction.csv", [["measure", "area", "period", "value"],
                                                          ["cla_count", CHESHIRE_EAST, "2025-04", 499]])
    assert import_file(engine, correction).outcome.replaced == 1
    assert values(engine) == [499.0, 505.0, 510.0]
    back = import_file(engine, path)  # the first file's figure must come back, not be skipped
    assert back.status == "loaded" and (back.outcome.replaced, back.outcome.unchanged) == (1, 2), back.summary()
    assert values(engine) == [500.0, 505.0, 510.0]
    before = dump_tables(engine)
    assert import_file(engine, path).status == "unchanged"  # and now nothing covers it since
    assert dump_tables(engine) == before


def test_another_default_area_is_a_different_import(engine, tmp_path):
    path = monthly_return(tmp_path / "no_area.xlsx", area=None)
    assert import_file(engine, path, default_area=CHESHIRE_EAST).status == "loaded"
    other = import_file(engine, path, default_area=BIRMINGHAM)
    assert other.status == "loaded" and other.outcome.inserted == 3
    assert values(engine, BIRMINGHAM) == [500.0, 505.0, 510.0]


def test_dfe_figures_for_the_same_council_do_not_stop_the_shortcut(engine, tmp_path):
    """DfE's figures are another origin: they cannot have changed anything the council's file set."""
    path = monthly_return(tmp_path / "return.xlsx")
    import_file(engine, path)
    [published] = load_published_files(engine, [DATA_DIR / "dfe" / "cla_number_and_rate_per_10k_children.csv"])
    assert published.status == "loaded"
    before = dump_tables(engine)
    assert import_file(engine, path).status == "unchanged"
    assert dump_tables(engine) == before


def test_after_an_undo_the_file_is_read_again_and_its_figures_put_back(engine, tmp_path):
    """An undo (the way the undo feature records one: a batch of its own, the undone batch marked with
    it, the undone figures gone) means the same file must load again in full."""
    path = monthly_return(tmp_path / "return.xlsx")
    loaded = import_file(engine, path).outcome.batch_id
    with engine.begin() as connection:
        undo = connection.execute(text(
            "INSERT INTO import_batch (file_name, sha256, source, sheets, rows, inserted, replaced, unchanged, "
            "imported_by, imported_at, result, note) VALUES ('undo of batch 1', '', 'undo', '[]', 0, 0, 0, 0, "
            "'tester', :now, 'undone', '') RETURNING id"), {"now": datetime.now(UTC)}).scalar_one()
        connection.execute(text("DELETE FROM observation WHERE batch_id = :b"), {"b": loaded})
        connection.execute(text("UPDATE import_batch SET undone_by_batch_id = :u WHERE id = :b"),
                           {"u": undo, "b": loaded})
    assert values(engine) == []
    again = import_file(engine, path)
    assert again.status == "loaded" and again.outcome.inserted == 3, again.summary()
    assert values(engine) == [500.0, 505.0, 510.0]


EDITOR = User("jo@council.gov.uk", "Jo", True)
JUNE = date(2025, 6, 30)


def tracked_return(path: Path) -> Path:
    """A return with the quarter's target and the head of service's commentary on June."""
    rows = [["Measure", "Area", "Period", "Value", "Target", "Commentary"],
            ["cla_count", CHESHIRE_EAST, "Apr-25", 500, 480, None],
            ["cla_count", CHESHIRE_EAST, "May-25", 505, 480, None],
            ["cla_count", CHESHIRE_EAST, "Jun-25", 510, 480, "More children came into care after two large families."]]
    return write_xlsx(path, {"Return": rows})


def targets_in_force(engine) -> list[tuple]:
    history = target_history(engine, "cla_count", CHESHIRE_EAST)
    return sorted((str(s)[:10], str(e)[:10], v) for s, e, v, r in zip(
        history["period_start"], history["period_end"], history["value"], history["replaced_by_batch_id"],
        strict=True) if r is None or r != r)


def test_a_target_edited_on_the_targets_page_since_is_put_back_by_loading_the_file_again(engine, tmp_path):
    path = tracked_return(tmp_path / "return.xlsx")
    assert import_file(engine, path, user=EDITOR).status == "loaded"
    as_loaded = targets_in_force(engine)
    assert [v for *_, v in as_loaded] == [480.0, 480.0, 480.0]
    stored = target_history(engine, "cla_count", CHESHIRE_EAST)
    june = stored[pd.to_datetime(stored["period_end"]).dt.date == JUNE].iloc[0]
    save_targets(engine, [TargetEdit("cla_count", CHESHIRE_EAST, date(2025, 6, 1), JUNE, 450.0,
                                     replaces=int(june["id"]))], EDITOR)
    again = import_file(engine, path, user=EDITOR)
    assert again.status == "loaded" and again.outcome.targets_set == 1, again.summary()
    assert targets_in_force(engine) == as_loaded


def test_a_commentary_written_in_the_app_since_is_put_back_by_loading_the_file_again(engine, tmp_path):
    path = tracked_return(tmp_path / "return.xlsx")
    assert import_file(engine, path, user=EDITOR).status == "loaded"
    save_commentary(engine, "cla_count", CHESHIRE_EAST, JUNE, "Rewritten in the app.", EDITOR)
    again = import_file(engine, path, user=EDITOR)
    assert again.status == "loaded" and again.outcome.commentary_set == 1, again.summary()
    current = queries.commentary(engine, "cla_count", CHESHIRE_EAST)
    assert current[current["current"]]["text"].tolist() == ["More children came into care after two large families."]
    shortcut = import_file(engine, path, user=EDITOR)  # nothing edited since this load
    assert shortcut.status == "unchanged" and "not read again" in shortcut.summary()


def test_a_commentary_written_in_the_app_on_another_period_means_the_file_is_read_again(engine, tmp_path):
    path = tracked_return(tmp_path / "return.xlsx")
    assert import_file(engine, path, user=EDITOR).status == "loaded"
    save_commentary(engine, "cla_count", CHESHIRE_EAST, date(2025, 5, 31), "Written in the app.", EDITOR)
    before = dump_tables(engine)
    again = import_file(engine, path, user=EDITOR)
    assert again.status == "unchanged" and "not read again" not in again.summary(), again.summary()
    assert dump_tables(engine) == before  # read in full: the file gives nothing for May's commentary to change

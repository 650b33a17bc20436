"""Importing a file again that nothing has changed since says "unchanged" and leaves the database as it was;
once anything that file set may have changed, the file is read again in full and puts its figures back.

Every check is on what a user sees: the import's status and counts, the figures stored, and a dump of
every table, on real files written here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from db import queries
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
            "'tester', :now, 'undone', '')"), {"now": datetime.now(UTC)}).lastrowid
        connection.execute(text("DELETE FROM observation WHERE batch_id = :b"), {"b": loaded})
        connection.execute(text("UPDATE import_batch SET undone_by_batch_id = :u WHERE id = :b"),
                           {"u": undo, "b": loaded})
    assert values(engine) == []
    again = import_file(engine, path)
    assert again.status == "loaded" and again.outcome.inserted == 3, again.summary()
    assert values(engine) == [500.0, 505.0, 510.0]

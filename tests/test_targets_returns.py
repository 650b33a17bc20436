"""A tidy return's target column sets the target over each row's own period, and is checked like a figure."""

from __future__ import annotations

from datetime import date

from db import queries
from db.engine import connect
from loaders.importer import import_file
from loaders.problems import Rule
from loaders.returns import read_return
from tests.databases import new_database
from tests.returns_files import write_csv, write_xlsx

HEADER = ["measure", "area", "period", "value", "target"]


def test_a_tidy_returns_target_column_is_loaded_over_each_rows_period(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"R": [
        HEADER,
        ["cla_foster_pct", "E06000049", "2024-01", 70, 75],
        ["cla_foster_pct", "E06000049", "2024-02", 71, ""],  # no target for February
        ["stab_3plus_pct", "E06000049", "2024-02", 9, 10],
    ]})
    parsed = read_return(path)
    assert parsed.problems == []
    engine = connect(new_database(tmp_path / 'd.db'))
    assert import_file(engine, path).status == "loaded"
    targets = queries.targets(engine)
    got = [(m, s.date(), e.date(), v) for m, s, e, v in
           targets[["measure_code", "period_start", "period_end", "value"]].itertuples(index=False)]
    assert got == [("cla_foster_pct", date(2024, 1, 1), date(2024, 1, 31), 75.0),
                   ("stab_3plus_pct", date(2024, 2, 1), date(2024, 2, 29), 10.0)]
    assert len(queries.observations(engine)) == 3


def test_an_impossible_target_in_a_tidy_return_is_refused_with_its_cell(tmp_path):
    parsed = read_return(write_csv(tmp_path / "r.csv", [
        HEADER, ["cla_foster_pct", "E06000049", "2024-01", "70", "c"],
        ["cla_foster_pct", "E06000049", "2024-02", "70", "140"]]))
    assert [(p.cell, p.rule) for p in parsed.problems][0] == ("E2", Rule.BAD_TARGET)
    assert any(p.cell == "E3" for p in parsed.problems)


# ---- a file's target and the targets already in force ------------------------------------------------------

def test_a_file_s_target_replaces_an_overlapping_target_set_on_the_page_and_undo_brings_it_back(tmp_path,
                                                                                               monkeypatch):
    from datetime import date

    from access import User
    from db.engine import connect
    from db.target_writes import TargetEdit, save_targets
    from db.undo import undo_batch
    from loaders.importer import import_file

    monkeypatch.setenv("DASHBOARD_HOME_AREA", "E06999901")
    engine = connect(new_database(tmp_path / 'dashboard.db'))
    editor = User("jo@council.gov.uk", "Jo", True)
    save_targets(engine, [TargetEdit("cla_foster_pct", "E06999901", date(2024, 1, 1), date(2024, 12, 31), 70.0)],
                 editor)
    content = b"measure,area,Apr-24,May-24,target\ncla_foster_pct,E06999901,71,72,75\n"
    report = import_file(engine, data=content, file_name="tracker.csv", user=editor)
    assert report.status == "loaded", [p.message() for p in report.problems]

    def in_force() -> list[tuple]:
        with engine.connect() as connection:
            return [tuple(str(v) if isinstance(v, date) else v for v in r) for r in connection.exec_driver_sql(
                "SELECT period_start, period_end, value FROM target WHERE replaced_by_batch_id IS NULL")]

    # the file's target over April and May; the page's target still holds before and after, never two at once
    assert sorted(in_force()) == [("2024-01-01", "2024-03-31", 70.0), ("2024-04-01", "2024-05-31", 75.0),
                                  ("2024-06-01", "2024-12-31", 70.0)]
    later = TargetEdit("cla_foster_pct", "E06999901", date(2025, 1, 1), date(2025, 12, 31), 72.0)
    assert save_targets(engine, [later], editor).set == 1  # the page still saves: nothing overlaps
    undo_batch(engine, report.outcome.batch_id, editor)
    assert sorted(in_force()) == [("2024-01-01", "2024-12-31", 70.0), ("2025-01-01", "2025-12-31", 72.0)]


def test_two_targets_in_one_file_whose_periods_overlap_are_refused_naming_both_cells(tmp_path, monkeypatch):
    from db.engine import connect
    from loaders.importer import import_file

    monkeypatch.setenv("DASHBOARD_HOME_AREA", "E06999901")
    engine = connect(new_database(tmp_path / 'dashboard.db'))
    content = (b"measure,area,period,value,target\n"
               b"cla_foster_pct,E06999901,2023-24,71,75\n"
               b"cla_foster_pct,E06999901,2024-01,72,70\n")
    report = import_file(engine, data=content, file_name="both.csv", imported_by="jo")
    [problem] = report.problems
    assert problem.cell == "E3" and "E2" in problem.message() and report.status == "rejected"

"""A tidy return's target column sets the target over each row's own period, and is checked like a figure."""

from __future__ import annotations

from datetime import date

from db import queries
from db.engine import connect
from loaders.importer import import_file
from loaders.problems import Rule
from loaders.returns import read_return
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
    engine = connect(f"sqlite:///{tmp_path / 'd.db'}")
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

"""Loading returns over time: the same file twice changes nothing; a later return replaces figures and
the history shows both; each file is its own batch."""

from __future__ import annotations

import random
from datetime import date

from db import queries
from loaders.importer import import_file, import_files
from tests.returns_files import PERCENT_FORMAT, dump_tables, write_csv, write_xlsx

HOME = "E06999901"
MONTHS = ["Apr-24", "May-24", "Jun-24", "Jul-24", "Aug-24", "Sep-24"]


def monthly_return(path, seed: int = 42):
    """A wide return for a few measures, with percent-formatted cells, symbols and gaps."""
    rng = random.Random(seed)
    rows, formats = [["Measure", "Area", *MONTHS, "Target"]], {}
    for r, code in enumerate(["cla_count", "cla_foster_pct", "stab_3plus_pct", "health_sdq_avg"], start=2):
        row: list = [code, HOME]
        for c, _ in enumerate(MONTHS, start=3):
            draw = rng.random()
            if draw < 0.1:
                row.append(None)
            elif draw < 0.2:
                row.append("c")
            elif code.endswith("_pct"):
                row.append(round(rng.uniform(0.05, 0.95), 2))
                formats[f"{chr(64 + c)}{r}"] = PERCENT_FORMAT
            else:
                row.append(round(rng.uniform(1, 400 if code == "cla_count" else 40)))  # an SDQ score is 0-40
        row.append(10 if code == "stab_3plus_pct" else None)
        rows.append(row)
    return write_xlsx(path, {"Return": rows}, {"Return": formats})


def test_the_same_file_twice_changes_nothing(engine, tmp_path):
    path = monthly_return(tmp_path / "september.xlsx")
    first = import_file(engine, path, imported_by="tester")
    assert first.status == "loaded"
    before = dump_tables(engine)
    again = import_file(engine, path, imported_by="tester")
    assert again.status == "unchanged"
    assert again.outcome.unchanged == first.outcome.inserted
    assert "unchanged" in again.summary()
    assert dump_tables(engine) == before


def test_the_same_figures_in_another_layout_change_nothing(engine, tmp_path):
    import_file(engine, write_xlsx(tmp_path / "wide.xlsx", {"R": [["measure", "Jan-24", "Feb-24"], ["cla_count", 398, "c"]]}))
    before = dump_tables(engine)
    csv = write_csv(tmp_path / "tidy.csv", [["measure", "period", "value"], ["cla_count", "2024-01", "398"],
                                            ["cla_count", "2024-02", "C"]])
    assert import_file(engine, csv).status == "unchanged"
    assert dump_tables(engine) == before


def test_a_later_return_replaces_figures_and_history_keeps_both(engine, tmp_path):
    first_path = write_xlsx(tmp_path / "january.xlsx", {"R": [["measure", "Jan-24", "Feb-24"], ["cla_count", 398, 401]]})
    revised_path = write_xlsx(tmp_path / "january-revised.xlsx", {"R": [["measure", "Jan-24", "Feb-24"], ["cla_count", 399, 401]]})
    first = import_file(engine, first_path)
    revised = import_file(engine, revised_path)
    assert (revised.outcome.inserted, revised.outcome.replaced, revised.outcome.unchanged) == (0, 1, 1)

    current = queries.observations(engine)
    assert current["value"].tolist() == [399.0, 401.0]
    assert current["batch_id"].tolist() == [revised.outcome.batch_id, first.outcome.batch_id]
    old = queries.history(engine, "cla_count", HOME)
    assert old[["value", "batch_id", "replaced_by_batch_id"]].values.tolist() == [
        [398.0, first.outcome.batch_id, revised.outcome.batch_id]]
    assert old["period_end"].dt.date.tolist() == [date(2024, 1, 31)]
    batches = queries.batches(engine)
    assert batches["file_name"].tolist() == ["january-revised.xlsx", "january.xlsx"]
    assert batches[["inserted", "replaced", "unchanged"]].values.tolist() == [[0, 1, 1], [2, 0, 0]]


def test_a_suppressed_figure_replaces_a_number_and_back(engine, tmp_path):
    for n, value in enumerate([12, "c", 14]):
        path = write_xlsx(tmp_path / f"v{n}.xlsx", {"R": [["measure", "Jan-24"], ["cla_starts", value]]})
        assert import_file(engine, path).status == "loaded"
    assert queries.observations(engine)[["value", "status"]].values.tolist() == [[14.0, "value"]]
    old = queries.history(engine, "cla_starts", HOME)
    assert [(None if v != v else v, s) for v, s in old[["value", "status"]].values.tolist()] == [
        (12.0, "value"), (None, "c")]


def test_a_new_target_replaces_the_old_one(engine, tmp_path):
    for n, target in enumerate([10, 9]):
        path = write_xlsx(tmp_path / f"t{n}.xlsx", {"R": [["measure", "Apr-24", "target"], ["stab_3plus_pct", 12, target]]})
        import_file(engine, path)
    assert queries.targets(engine)["value"].tolist() == [9.0]


def test_each_file_is_its_own_batch_and_a_bad_one_stops_nothing(engine, tmp_path):
    good = write_xlsx(tmp_path / "a.xlsx", {"R": [["measure", "Jan-24"], ["cla_count", 398]]})
    bad = write_xlsx(tmp_path / "b.xlsx", {"R": [["measure", "Jan-24"], ["cla_count", "lots"]]})
    other = write_csv(tmp_path / "c.csv", [["measure", "period", "value"], ["cla_starts", "2024-01", "12"]])
    reports = import_files(engine, [good, bad, other, good])
    assert [r.status for r in reports] == ["loaded", "rejected", "loaded", "unchanged"]
    assert queries.batches(engine)["file_name"].tolist() == ["c.csv", "a.xlsx"]
    assert sorted(queries.observations(engine)["measure_code"]) == ["cla_count", "cla_starts"]

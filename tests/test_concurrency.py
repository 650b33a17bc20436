"""Imports started at the same moment in separate processes take turns and lose nothing.

Three worker processes (multiprocessing, spawn: nothing shared with this one) each run the real
command line, ``python -m loaders import FILE --db URL``, released together by a barrier, round after
round on fresh SQLite files, to catch races that only happen sometimes. After each round every value
and every history row is accounted for from the files themselves: the current value is the last
batch's, each replaced value is in the history exactly once with the batch that replaced it, and the
batch counts add up.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from db import queries
from db.engine import connect
from db.locks import write_transaction
from loaders.importer import import_file
from tests.cli import run_main
from tests.databases import new_database
from tests.postgres_server import throwaway_postgres, unavailable_reason
from tests.returns_files import write_csv

WORKERS = 3
ROUNDS = 3
MEASURES = ("cla_count", "cla_starts")
AREAS = ("E06000049", "E08000025", "E09000033")  # Cheshire East, Birmingham, Westminster
MONTHS = [f"{2024 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(12)]  # Apr 2024 to Mar 2025
KEYS = len(MEASURES) * len(AREAS) * len(MONTHS)
BUSY = "another import is in progress; try again"


def values_file(path: Path, offset: int) -> Path:
    """A tidy CSV return giving every key; the file with offset k gives 1000 * k + the key's number."""
    rows = [["measure", "area", "period", "value"]]
    number = 0
    for measure in MEASURES:
        for area in AREAS:
            for month in MONTHS:
                rows.append([measure, area, month, 1000 * offset + number])
                number += 1
    return write_csv(path, rows)


def expected_values(offset: int) -> dict[tuple[str, str, str], float]:
    keys = [(m, a, month) for m in MEASURES for a in AREAS for month in MONTHS]
    return {key: float(1000 * offset + i) for i, key in enumerate(keys)}


# ---- the worker processes -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Ran:
    worker: int
    exit_code: int | None
    output: str  # standard output and standard error together


def _worker(number: int, jobs, results, barrier) -> None:
    """Run each job (file, database URL) the moment every worker is ready; None ends the loop."""
    from loaders.cli import main

    while (job := jobs.get()) is not None:
        file, url = job
        barrier.wait()
        buffer = io.StringIO()
        code = None
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            try:
                code = main(["import", file, "--db", url])
            except BaseException:  # anything escaping the command line is the failure under test
                buffer.write(traceback.format_exc())
        results.put(Ran(number, code, buffer.getvalue()))


@pytest.fixture(scope="module")
def workers():
    """Three spawned processes kept for the module (starting Python and pandas once, not per round)."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    queues = [context.Queue() for _ in range(WORKERS)]
    results = context.Queue()
    processes = [context.Process(target=_worker, args=(i, queues[i], results, barrier), daemon=True)
                 for i in range(WORKERS)]
    for process in processes:
        process.start()

    def run(files: list[Path], url: str) -> list[Ran]:
        for queue, file in zip(queues, files, strict=True):
            queue.put((str(file), url))
        return sorted((results.get(timeout=120) for _ in files), key=lambda r: r.worker)

    yield run
    for queue in queues:
        queue.put(None)
    for process in processes:
        process.join(timeout=30)


def assert_clean(runs: list[Ran]) -> None:
    for ran in runs:
        assert ran.exit_code == 0, ran.output
        assert "Traceback" not in ran.output and "Error" not in ran.output, ran.output


# ---- what the database holds afterwards ---------------------------------------------------------------

def batches_by_file(url: str) -> list[tuple[int, str, int, int, int]]:
    """(id, file name, inserted, replaced, unchanged) of every batch, oldest first."""
    with connect(url).connect() as connection:
        return [tuple(r) for r in connection.execute(text(
            "SELECT id, file_name, inserted, replaced, unchanged FROM import_batch ORDER BY id"))]


def current(url: str) -> dict[tuple[str, str, str], tuple[float, int]]:
    frame = queries.observations(connect(url))
    return {(m, a, f"{e:%Y-%m}"): (v, int(b)) for m, a, e, v, b in
            zip(frame["measure_code"], frame["area_code"], frame["period_end"], frame["value"], frame["batch_id"],
                strict=True)}


def history_rows(url: str) -> list[tuple]:
    with connect(url).connect() as connection:
        return [tuple(r) for r in connection.execute(text(
            "SELECT measure_code, area_code, period_end, value, batch_id, replaced_by_batch_id "
            "FROM observation_history"))]


def assert_accounted_for(url: str, offsets_by_file: dict[str, int], first_batch_file: str | None) -> None:
    """Each batch in turn replaced exactly the one before it; nothing lost, nothing recorded twice."""
    batches = batches_by_file(url)
    order = [name for _, name, *_ in batches]
    ids = [b[0] for b in batches]
    offset_of_batch = {b[0]: offsets_by_file[b[1]] for b in batches}
    assert sorted(order) == sorted(offsets_by_file), "every file is one batch"
    # the current value is the last batch's, and that batch is recorded against it
    last = ids[-1]
    assert current(url) == {k: (v, last) for k, v in expected_values(offset_of_batch[last]).items()}
    # every replaced value once, with the batch that loaded it and the one that replaced it
    expected_history = sorted(
        (m, a, f"{month}", value, earlier, later)
        for earlier, later in zip(ids, ids[1:], strict=False)
        for (m, a, month), value in expected_values(offset_of_batch[earlier]).items()
    )
    found = sorted((m, a, str(e)[:7], v, b, r) for m, a, e, v, b, r in history_rows(url))
    assert found == expected_history
    # the counts add up: all keys new once, then replaced by every later batch
    assert [b[2] for b in batches] == [KEYS] + [0] * (len(batches) - 1)
    assert [b[3] for b in batches] == [0] + [KEYS] * (len(batches) - 1)
    assert sum(b[3] for b in batches) == len(found)
    if first_batch_file is not None:
        assert order[0] == first_batch_file


def test_three_imports_at_once_for_the_same_keys_keep_every_value_and_history(workers, tmp_path):
    for round_number in range(ROUNDS):
        folder = tmp_path / f"round{round_number}"
        folder.mkdir()
        url = new_database(folder / 'dashboard.db')
        base = values_file(folder / "base.csv", 9)
        files = [values_file(folder / f"file{i}.csv", i + 1) for i in range(WORKERS)]
        assert import_file(connect(url), base).status == "loaded"  # earlier values for the three to replace
        runs = workers(files, url)
        assert_clean(runs)
        assert all("replaced" in r.output for r in runs)
        assert_accounted_for(url, {"base.csv": 9, **{f.name: i + 1 for i, f in enumerate(files)}}, "base.csv")
        connect(url).dispose()


def test_the_same_file_twice_at_once_loads_once(workers, tmp_path):
    for round_number in range(ROUNDS):
        folder = tmp_path / f"round{round_number}"
        folder.mkdir()
        url = new_database(folder / 'dashboard.db')
        file = values_file(folder / "return.csv", 1)
        connect(url)
        runs = workers([file, file, file], url)
        assert_clean(runs)
        statuses = sorted("loaded" if "loaded as batch" in r.output else "unchanged" for r in runs)
        assert statuses == ["loaded", "unchanged", "unchanged"], [r.output for r in runs]
        assert_accounted_for(url, {"return.csv": 1}, "return.csv")
        assert history_rows(url) == []
        connect(url).dispose()


def newest_revision() -> str:
    from alembic.script import ScriptDirectory

    from db.engine import MIGRATIONS_DIR

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def test_three_imports_at_once_on_a_new_database_set_it_up_once(workers, tmp_path):
    for round_number in range(ROUNDS):
        folder = tmp_path / f"round{round_number}"
        folder.mkdir()
        url = new_database(folder / 'new.db')  # does not exist yet: the three race to create the schema
        files = [values_file(folder / f"file{i}.csv", i + 1) for i in range(WORKERS)]
        runs = workers(files, url)
        assert_clean(runs)
        assert_accounted_for(url, {f.name: i + 1 for i, f in enumerate(files)}, None)
        with connect(url).connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
                newest_revision()]
        connect(url).dispose()


def test_an_import_waiting_too_long_says_try_again_while_pages_still_read(engine, db_url, tmp_path):
    """While one import holds the database, another gives up after the timeout with a sentence, and
    reading (what every page does) is not held up at all."""
    file = values_file(tmp_path / "return.csv", 1)
    env = {"DASHBOARD_LOCK_TIMEOUT_SECONDS": "0.5"}
    with write_transaction(engine) as holding:
        holding.execute(text("UPDATE import_batch SET note = 'held' WHERE 1 = 0"))
        result = run_main("loaders", "import", str(file), "--db", db_url, env=env)
        assert queries.observations(engine).empty  # a read on another connection does not wait
    output = result.stdout + result.stderr
    assert result.returncode == 3
    assert BUSY in output.lower()
    assert "Traceback" not in output and "locked" not in output
    again = run_main("loaders", "import", str(file), "--db", db_url, env=env)
    assert again.returncode == 0 and "loaded as batch" in again.stdout


@pytest.mark.postgres
@pytest.mark.skipif(unavailable_reason() is not None, reason=unavailable_reason() or "")
def test_postgres_takes_imports_and_its_schema_upgrade_in_turn(workers, tmp_path):
    """The same on PostgreSQL (advisory locks): three at once on a new database, then one held too long."""
    files = [values_file(tmp_path / f"file{i}.csv", i + 1) for i in range(WORKERS)]
    with throwaway_postgres() as url:
        runs = workers(files, url)
        assert_clean(runs)
        assert_accounted_for(url, {f.name: i + 1 for i, f in enumerate(files)}, None)
        env = {"DASHBOARD_LOCK_TIMEOUT_SECONDS": "0.5"}
        late = values_file(tmp_path / "late.csv", 7)  # new values, so it must wait for the lock to write them
        with write_transaction(connect(url)):
            result = run_main("loaders", "import", str(late), "--db", url, env=env)
            assert not queries.observations(connect(url)).empty  # reading does not wait
        output = result.stdout + result.stderr
        assert result.returncode == 3 and BUSY in output.lower() and "Traceback" not in output, output
        connect(url).dispose()
        connect.cache_clear()

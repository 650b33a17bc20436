"""How long a big return takes to load, against pandas reading the same workbook.

The case is a wide return of ten years of months (120 period columns) for the 18 measures the
catalogue first shipped with and 152 councils: 2,736 rows and about 330,000 cells, with percentages in cells formatted as
percentages, some suppressed figures (``c``) and some empty cells, as real returns have. The workbook
is generated deterministically (random.Random(42)) with openpyxl's write-only mode.

Measured in the same run:
  (a) the baseline: ``pandas.read_excel(path, engine="openpyxl")`` of the same file;
  (b) our full import into a fresh SQLite file (read, parse, validate, write);
  (c) our reading stage alone (cells and percent formats, before any parsing);
  (d) reading, parsing and validating without writing;
  (e) importing the same file again (nothing changes, nothing is written): recognised by its bytes
      and what it covers, without reading it (loaders.unchanged);
  (f) importing it again after another file replaced one of its values: read and compared in full,
      that one value put back.

Goals, against (a) in the same run: (b) at most half of it, (e) at most a fifth. The processor time of
(a) and (b) is printed too: on a machine shared with other work, wall-clock times move with the load,
processor times much less.

Then the peak memory (VmHWM, else ru_maxrss, of a fresh subprocess, which includes the interpreter and libraries
loaded, measured against a subprocess that only imports the reader) of reading two hostile files, with
the outcome of each:
  (f) a zip bomb: a ~1 MB .xlsx whose sheet of identical rows unpacks to ~1 GB;
  (g) a 5 KB workbook with one stray cell at XFD1048576 (declared dimension A1:XFD1048576);
  (h) the biggest sheet the reader holds: 5 million cells, each a different number (the worst case).

Usage: .venv/bin/python benchmarks/import_speed.py [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.cell import WriteOnlyCell  # noqa: E402

from db.engine import connect  # noqa: E402
from loaders.importer import import_file  # noqa: E402
from loaders.returns import read_return  # noqa: E402
from loaders.workbook import read_workbook  # noqa: E402
from reference.areas import areas  # noqa: E402
from reference.catalogue import catalogue  # noqa: E402
from tests.workbook_files import write_distinct_rows, write_repeated_rows  # noqa: E402

BOMB_ROWS, BOMB_COLUMNS, BOMB_PADDING = 100_000, 20, 10_000  # about 1 GB of sheet XML in about 1 MB
FULL_ROWS = 250_000  # 20 cells a row: 5 million cells, the most one sheet may hold, each a different number

# Run in a fresh interpreter: read the file named, print the outcome, then the peak resident memory.
MEMORY_PROBE = """
import resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from loaders.workbook import NotAWorkbook, read_workbook
start = time.perf_counter()
outcome = "nothing read"
if len(sys.argv) > 2:
    try:
        book = read_workbook(Path(sys.argv[2]))
        sheet = book.sheets[0]
        outcome = f"read: grid {sheet.shape[0]} x {sheet.shape[1]}, outliers {sheet.outliers}"
    except NotAWorkbook as refused:
        outcome = f"refused: {refused.text}"
print(outcome)
print(f"{time.perf_counter() - start:.2f}")
# VmHWM is this process's own peak; ru_maxrss can carry the parent's peak across fork and exec
status = Path("/proc/self/status")
peaks = [line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM")] \
    if status.exists() else []
print(peaks[0] if peaks else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

AREAS, MEASURES = 152, 18
FIRST_YEAR, YEARS = 2015, 10  # April 2015 to March 2025
SUPPRESSED_SHARE, EMPTY_SHARE = 0.02, 0.03
GOAL_SECONDS = 5.0
FULL_IMPORT_GOAL = 0.5  # of the baseline
UNCHANGED_GOAL = 0.2


def months() -> list[datetime]:
    out = []
    for index in range(YEARS * 12):
        month = (3 + index) % 12 + 1
        year = FIRST_YEAR + (3 + index) // 12
        out.append(datetime(year, month, 1))
    return out


def write_benchmark_workbook(path: Path, seed: int = 42) -> tuple[int, int]:
    """The wide return described above; returns (rows, period columns)."""
    rng = random.Random(seed)
    councils = [a.code for a in areas().local_authorities(include_fictional=False)][:AREAS]
    periods = months()
    book = Workbook(write_only=True)
    notes = book.create_sheet("Read me")
    notes.append(["Benchmark return: fictional figures for every council, measure and month."])
    sheet = book.create_sheet("Return")
    sheet.append(["Monthly performance return"])
    sheet.append([])
    sheet.append(["Measure", "Area", *periods, "Target"])
    rows = 0
    for measure in catalogue().measures[:MEASURES]:
        for council in councils:
            cells: list[object] = [measure.code, council]
            for _ in periods:
                draw = rng.random()
                if draw < EMPTY_SHARE:
                    cells.append(None)
                elif draw < EMPTY_SHARE + SUPPRESSED_SHARE:
                    cells.append("c")
                elif measure.is_percent:
                    cell = WriteOnlyCell(sheet, value=round(rng.uniform(0.2, 0.99), 3))
                    cell.number_format = "0.0%"
                    cells.append(cell)
                elif measure.is_count:
                    cells.append(rng.randint(0, 900))
                else:  # rates and scores within the catalogue's range for the measure (the SDQ score is 0-40)
                    cells.append(round(rng.uniform(5, min(150.0, measure.maximum)), 1))
            if measure.is_percent:
                target = WriteOnlyCell(sheet, value=0.75)
                target.number_format = "0%"
                cells.append(target)
            else:
                cells.append(None)
            sheet.append(cells)
            rows += 1
    book.save(path)
    return rows, len(periods)


def _other_value(row) -> str:
    """A value the big file does not give for that cell, within the measure's range."""
    value = row["value"]
    return "1" if value != value or float(value) != 1.0 else "2"


def timed(action: Callable[[], object], repeat: int, cpu: list[float] | None = None) -> tuple[float, object]:
    """The median wall-clock seconds of ``action`` and its last result; with ``cpu``, the median
    processor seconds this process spent on it are appended there."""
    times, processor, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = action()
        times.append(time.perf_counter() - start)
        processor.append(time.process_time() - start_cpu)
    if cpu is not None:
        cpu.append(statistics.median(processor))
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (median reported)")
    parser.add_argument("--keep", type=Path, help="write the workbook and databases here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "benchmark_return.xlsx"
        start = time.perf_counter()
        rows, columns = write_benchmark_workbook(path)
        print(f"workbook: {rows} rows x {columns} period columns = {rows * columns} cells, "
              f"{path.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - start:.1f} s")

        baseline_cpu: list[float] = []
        baseline, frame = timed(lambda: pd.read_excel(path, engine="openpyxl", sheet_name="Return"), args.repeat,
                                baseline_cpu)
        reading, _ = timed(lambda: read_workbook(path), args.repeat)
        parsing, parsed = timed(lambda: read_return(path), args.repeat)
        assert not parsed.problems, parsed.problems[:5]

        def full_import():
            database = folder / f"import_{time.perf_counter_ns()}.db"
            engine = connect(f"sqlite:///{database}")  # schema set up before the clock starts
            begin, begin_cpu = time.perf_counter(), time.process_time()
            report = import_file(engine, path, imported_by="benchmark")
            elapsed = time.perf_counter() - begin
            import_cpu.append(time.process_time() - begin_cpu)
            again_begin = time.perf_counter()
            again = import_file(engine, path, imported_by="benchmark")
            again_elapsed = time.perf_counter() - again_begin
            import_file(engine, one_value, imported_by="benchmark")  # replaces one of the big file's values
            back_begin = time.perf_counter()
            back = import_file(engine, path, imported_by="benchmark")
            back_elapsed = time.perf_counter() - back_begin
            engine.dispose()
            assert report.status == "loaded" and again.status == "unchanged", (report.status, again.status)
            assert back.status == "loaded" and back.outcome.replaced == 1, back.summary()
            return elapsed, again_elapsed, back_elapsed, report

        one_value = folder / "one_value.csv"
        first = parsed.observations.iloc[0]
        one_value.write_text(f"measure,area,period,value\n{first['measure_code']},{first['area_code']},"
                             f"{first['period_end']:%Y-%m},{_other_value(first)}\n", encoding="utf-8")
        import_cpu: list[float] = []
        runs = [full_import() for _ in range(args.repeat)]
        full = statistics.median(r[0] for r in runs)
        repeat_import = statistics.median(r[1] for r in runs)
        put_back = statistics.median(r[2] for r in runs)
        values = runs[0][3].outcome.inserted

    print(f"values stored: {values} (baseline frame {frame.shape[0]} x {frame.shape[1]})")
    print(f"(a) pandas.read_excel, openpyxl (baseline) {baseline:7.2f} s")
    print(f"(b) full import into fresh SQLite          {full:7.2f} s   {full / baseline:5.2f} x baseline   "
          f"goal <= {FULL_IMPORT_GOAL:.2f} x: {'met' if full <= FULL_IMPORT_GOAL * baseline else 'NOT met'}, "
          f"< {GOAL_SECONDS:.0f} s: {'met' if full < GOAL_SECONDS else 'NOT met'}")
    cpu_a, cpu_b = baseline_cpu[0], statistics.median(import_cpu)
    print(f"    processor time of (b) against (a), less moved by other work on the machine: {cpu_b:.2f} s "
          f"against {cpu_a:.2f} s, {cpu_b / cpu_a:.2f} x")
    print(f"(c) reading stage alone                    {reading:7.2f} s   {reading / baseline:5.2f} x baseline")
    print(f"(d) read + parse + validate, no write      {parsing:7.2f} s   {parsing / baseline:5.2f} x baseline")
    print(f"(e) same file again (unchanged)            {repeat_import:7.2f} s   {repeat_import / baseline:5.2f} x baseline   "
          f"goal <= {UNCHANGED_GOAL:.2f} x: {'met' if repeat_import <= UNCHANGED_GOAL * baseline else 'NOT met'}")
    print(f"(f) again after one value was replaced     {put_back:7.2f} s   {put_back / baseline:5.2f} x baseline")
    print(f"medians of {args.repeat} run(s); {values / full:,.0f} values per second end to end")
    memory_of_hostile_files()


def peak_memory(path: Path | None) -> tuple[str, float, float]:
    """(outcome, seconds, peak resident MB) of reading ``path`` in a fresh interpreter."""
    command = [sys.executable, "-c", MEMORY_PROBE, str(ROOT)] + ([str(path)] if path else [])
    lines = subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()
    return lines[0], float(lines[1]), int(lines[2]) / 1024


def write_stray_cell_workbook(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Measure", "Area", "Jan-24"])
    sheet.append(["cla_count", "E06999901", 398])
    sheet["XFD1048576"] = "stray"
    book.save(path)


def memory_of_hostile_files() -> None:
    with tempfile.TemporaryDirectory() as temporary:
        bomb, stray, full = (Path(temporary) / name for name in ("bomb.xlsx", "stray.xlsx", "full.xlsx"))
        write_repeated_rows(bomb, BOMB_ROWS, BOMB_COLUMNS, BOMB_PADDING)
        write_stray_cell_workbook(stray)
        write_distinct_rows(full, FULL_ROWS)
        _, _, baseline = peak_memory(None)
        print(f"peak memory of a fresh interpreter importing the reader: {baseline:.0f} MB")
        for label, path in (("(f) zip bomb", bomb), ("(g) stray cell at XFD1048576", stray),
                            ("(h) 5 million different numbers, the most a sheet may hold", full)):
            outcome, seconds, peak = peak_memory(path)
            print(f"{label}: {path.stat().st_size / 1e3:,.0f} KB file, peak {peak:.0f} MB "
                  f"({peak - baseline:+.0f} MB), {seconds:.2f} s; {outcome[:150]}")


if __name__ == "__main__":
    main()

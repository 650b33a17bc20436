"""How long the first start spends loading DfE's published tables, against reading them with pandas alone.

The baseline is measured in the same run on the same machine: reading the same CSVs (as text) and the
LAIT parquet with pandas, which any loader has to do at least. The ratio says what recognising,
checking, mapping and writing every value through the batch machinery costs on top of that.

Usage: .venv/bin/python benchmarks/published_load.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from db import queries  # noqa: E402
from db.engine import connect  # noqa: E402
from loaders.published import load_published_files, load_published_if_empty, shipped_files  # noqa: E402


def read_with_pandas(paths: list[Path]) -> int:
    """The baseline: every shipped table read into memory, nothing else."""
    rows = 0
    for path in paths:
        if path.suffix == ".parquet":
            rows += len(pd.read_parquet(path))
        else:
            rows += len(pd.read_csv(path, dtype="str", keep_default_na=False, encoding="utf-8-sig"))
    return rows


def first_start(folder: Path) -> tuple[float, float, int]:
    """Seconds to load everything into an empty SQLite file, seconds to load it all again, values stored."""
    engine = connect(f"sqlite:///{folder / 'dashboard.db'}")
    start = time.perf_counter()
    reports = load_published_if_empty(engine)
    loaded = time.perf_counter() - start
    assert all(r.status == "loaded" for r in reports), [r.summary() for r in reports]
    start = time.perf_counter()
    again = load_published_files(engine, shipped_files())
    reloaded = time.perf_counter() - start
    assert all(r.status == "unchanged" for r in again), [r.summary() for r in again]
    values = len(queries.observations(engine))
    engine.dispose()
    connect.cache_clear()
    return loaded, reloaded, values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, the median is reported")
    repeat = parser.parse_args().repeat
    paths = shipped_files()
    size = sum(p.stat().st_size for p in paths) / 1e6
    baseline, loads, reloads = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = read_with_pandas(paths)
        baseline.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as folder:
            loaded, reloaded, values = first_start(Path(folder))
        loads.append(loaded)
        reloads.append(reloaded)
    base, load, reload = (statistics.median(x) for x in (baseline, loads, reloads))
    print(f"files: {len(paths)} ({size:.1f} MB, {rows} source rows); values stored: {values}")
    print(f"baseline, pandas reads the same files:  {base:6.2f} s")
    print(f"first start, empty SQLite to loaded:    {load:6.2f} s  ratio {load / base:5.1f}x baseline")
    print(f"loading the same files again (no-op):   {reload:6.2f} s  ratio {reload / base:5.1f}x baseline")
    print(f"median of {repeat} runs")


if __name__ == "__main__":
    main()

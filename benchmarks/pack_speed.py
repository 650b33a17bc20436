"""How long the committee pack takes for the sample council, and what one chart picture costs.

Builds the sample council's database as the app does on first start (DfE's figures and the sample
returns), then times: the whole pack (deck only, then with its PDF), and per chart picture with one
renderer kept running (as the pack and the app do) against a renderer started for each picture (the
baseline, measured in the same run). Goal: the full pack under 20 seconds on this machine.
Run: .venv/bin/python benchmarks/pack_speed.py [--pictures 6]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.engine import connect  # noqa: E402
from reports.pack import PackRequest, build_pack  # noqa: E402
from reports.pdf import PdfUnavailable, deck_to_pdf  # noqa: E402
from tests import app_database  # noqa: E402
from views.charts import trend_view  # noqa: E402
from views.reads import database_reads  # noqa: E402
from views.scope import Scope  # noqa: E402

GOAL_SECONDS = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=6, help="pictures timed each way")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app_database.originals_folder = Path(folder)
        url = app_database.sample_database(Path(folder) / "sample.db")
        engine = connect(url)
        home = "E06999901"  # the fictional sample council
        started = time.perf_counter()
        deck = build_pack(engine, PackRequest("2025-03", home))
        deck_seconds = time.perf_counter() - started
        started = time.perf_counter()
        try:
            deck_to_pdf(deck)
            pdf_seconds = time.perf_counter() - started
        except PdfUnavailable as error:
            pdf_seconds = float("nan")
            print(f"no PDF: {error}")
        print(f"pack (deck, every chart drawn): {deck_seconds:6.1f} s, {len(deck) / 1e6:.1f} MB")
        print(f"pack PDF conversion:            {pdf_seconds:6.1f} s")
        total = deck_seconds + pdf_seconds
        print(f"pack total:                     {total:6.1f} s  (goal under {GOAL_SECONDS:.0f} s: "
              f"{'met' if total < GOAL_SECONDS else 'not met'})")

        figure = trend_view(database_reads(engine), Scope(home, date(2023, 4, 1), date(2025, 3, 31)),
                            "stab_long_pct").figure
        import kaleido

        warnings.simplefilter("ignore", UserWarning)
        each = []
        for _ in range(args.pictures):  # baseline: a renderer started for every picture
            started = time.perf_counter()
            kaleido.start_sync_server(silence_warnings=True)
            figure.to_image(format="png", width=1000, height=560, scale=2)
            kaleido.stop_sync_server(silence_warnings=True)
            each.append(time.perf_counter() - started)
        kaleido.start_sync_server(silence_warnings=True)
        kept = []
        for _ in range(args.pictures):
            started = time.perf_counter()
            figure.to_image(format="png", width=1000, height=560, scale=2)
            kept.append(time.perf_counter() - started)
        kaleido.stop_sync_server(silence_warnings=True)
        one, fresh = statistics.median(kept), statistics.median(each)
        print(f"picture, one renderer kept running: {one * 1000:7.0f} ms (median of {args.pictures})")
        print(f"picture, a renderer per picture:    {fresh * 1000:7.0f} ms (baseline)")
        print(f"ratio: {one / fresh:.2f}x the baseline")


if __name__ == "__main__":
    main()

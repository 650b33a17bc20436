"""Draw every kind of chart from the sample council's figures and save each as a picture to look at.

Not a test: a way to see the charts as a councillor sees them on a projector (1200 by 520) and as a
report writer pastes them (the 1100 by 600 download, and half a page wide). Builds a database from
data/sample and DfE's shipped tables when the one named by DASHBOARD_DB_URL is empty.

    .venv/bin/python scripts/chart_gallery.py OUTPUT_DIR
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZES = {"projector": (1200, 520), "download": (1100, 600), "half_page": (560, 460)}
TREND_MEASURES = ("stab_3plus_pct", "cla_rate", "health_sdq_avg", "cla_foster_pct")


def figures(start: date, end: date) -> dict:
    """Each chart kind as the pages build it, plus the bar chart with a target."""
    import pandas as pd

    from charts.bars import neighbour_bar_chart
    from charts.sources import FigureOrigin, source_words
    from db import queries
    from db.models import PUBLISHED
    from loaders.sample import SAMPLE_AREA
    from metrics.series import target_at
    from ui import benchmarking_data, data, views

    url, version = data.database_url(), data.data_version()
    home = SAMPLE_AREA
    out = {}
    for code in TREND_MEASURES:
        out[f"trend_{code}"] = views._trend_view(url, version, code, home, start, end, True).figure
        out[f"bench_trend_{code}"] = benchmarking_data._trend_view(url, version, code, home).chart.figure
    out["flow"] = views._flow_view(url, version, home, start, end).figure
    for code, dimension in views.breakdown_dimensions(home, ["cla_count"]):
        view = views._breakdown_view(url, version, code, dimension, home, start, end)
        out[f"breakdown_{dimension}"] = view.over_time.figure
        out[f"breakdown_latest_{dimension}"] = view.latest.figure
    bars = views._neighbour_view(url, version, "stab_3plus_pct", home, end).figure
    out["bars"] = bars
    # the same bars with the council's target and a source in words, as callers will pass them
    targets = queries.targets(data.engine(), areas=[home])
    year_end = pd.Timestamp(date(end.year if end.month > 3 else end.year - 1, 3, 31))
    target = target_at(targets, "stab_3plus_pct", home, year_end)
    values = pd.DataFrame([{"area_code": d["y"], "name": d["y"]} for d in []])
    del values
    rows = []
    for trace in bars.data:
        for name, value in zip(trace.y or (), trace.x or (), strict=False):
            rows.append({"area_code": home if trace.meta == "home" else str(name), "name": str(name).replace("<b>", "")
                         .replace("</b>", "").replace("<i>", "").replace("</i>", ""), "value": value,
                         "status": "value" if value is not None else "x",
                         "kind": {"home": "la", "missing": "la"}.get(trace.meta, trace.meta)})
    frame = pd.DataFrame(rows).astype({"value": "float64"})
    from reference.catalogue import catalogue

    out["bars_target"] = neighbour_bar_chart(
        frame, catalogue().get("stab_3plus_pct"), "2024-25", home, target=target[0] if target else 10.0,
        source=source_words([FigureOrigin(PUBLISHED, year=2025, file_name="la_cla_placement_stability.csv")]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--start", default="2023-04-01")
    parser.add_argument("--end", default="2025-03-31")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from db.engine import connect
    from loaders.published.load import load_published_if_empty
    from loaders.sample import load_sample_if_empty
    from ui import data

    engine = connect(data.database_url())
    load_sample_if_empty(engine)
    load_published_if_empty(engine)
    import kaleido

    args.output.mkdir(parents=True, exist_ok=True)
    kaleido.start_sync_server(silence_warnings=True)
    try:
        for name, figure in figures(date.fromisoformat(args.start), date.fromisoformat(args.end)).items():
            if figure is None:
                print(f"{name}: no figure")
                continue
            for size, (width, height) in SIZES.items():
                path = args.output / f"{name}_{size}.png"
                figure.write_image(path, width=width, height=height, scale=1)
            print(f"{name}: {len(SIZES)} pictures")
    finally:
        kaleido.stop_sync_server()


if __name__ == "__main__":
    main()

"""Command line for the metrics: ``python -m metrics benchmark --measure CODE --area CODE [--year YYYY] [--db URL]``.

Prints one JSON object: the council's figure with its statistical neighbour average, each neighbour,
region, England, rank and quartile band. The area may be an ONS code, a DfE number or a name; the
measure a code, a name or an alias. On a database with no published figures yet, DfE's shipped
tables are loaded first, as the app does on its first start.
"""

from __future__ import annotations

import argparse
import json
import sys

from access.grants import access_for
from access.users import os_login
from db.engine import connect, database_url
from db.scope import set_scope
from loaders.published import load_published_if_empty
from metrics.benchmark_report import NoFigures, benchmark_report
from reference.areas import areas
from reference.catalogue import catalogue
from views.reads import read_measure

USAGE_ERROR = 2
NO_DATA = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m metrics", description="Corporate parenting metrics.")
    commands = parser.add_subparsers(dest="command", required=True)
    bench = commands.add_parser("benchmark", help="a council's figure beside its neighbours, region and England")
    bench.add_argument("--measure", required=True, help="measure code, name or alias (for example cla_rate)")
    bench.add_argument("--area", required=True,
                       help="council by ONS code (E06000049), DfE number (895) or name (Cheshire East)")
    bench.add_argument("--year", type=int, help="year ending 31 March (default: the latest with figures)")
    bench.add_argument("--db", help="database URL (default: DASHBOARD_DB_URL or the SQLite file in data/)")
    return parser


def _fail(message: str, code: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return code


def benchmark(args: argparse.Namespace) -> int:
    measure = catalogue().find(args.measure)
    if measure is None:
        return _fail(f"unknown measure {args.measure!r}; known codes: {', '.join(m.code for m in catalogue())}",
                     USAGE_ERROR)
    area = areas().resolve(args.area)
    if area is None:
        return _fail(f"unknown area {args.area!r}; give an ONS code (E06000049), a DfE number (895) or a name "
                     "(Cheshire East)", USAGE_ERROR)
    engine = connect(database_url(args.db))
    reports = load_published_if_empty(engine)
    if reports:
        print(f"loaded DfE's published tables first: {len(reports)} files", file=sys.stderr)
    access = access_for(engine, os_login())  # the command line acts as DASHBOARD_USER: their grants apply
    set_scope(access.database_scope)
    frame = read_measure(engine, measure.code, access.viewer.own(area.code))  # others as DfE published them
    try:
        report = benchmark_report(frame, measure, area, areas(), args.year)
    except NoFigures as error:
        return _fail(str(error), NO_DATA)
    print(json.dumps(report, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "benchmark":
        return benchmark(args)
    return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())

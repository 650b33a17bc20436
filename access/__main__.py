"""``python -m access``: who may see and change which council's own figures.

    python -m access grant jo@manchester.gov.uk --council Manchester --role editor
    python -m access grant analyst@region.org.uk --role regional
    python -m access revoke jo@manchester.gov.uk --council E08000003
    python -m access list

Grants are written with the owner's connection when ``DASHBOARD_OWNER_DB_URL`` is set (the app's role may
only read them), else with ``DASHBOARD_DB_URL``'s.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from another folder: the project's packages still import
    sys.path.insert(0, str(ROOT))

from access.grants import ROLES, GrantRefused, grant, grants, revoke  # noqa: E402
from access.users import os_login  # noqa: E402

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m access", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    given = commands.add_parser("grant", help="give someone a council's own figures, or every member council's")
    given.add_argument("login", metavar="LOGIN_OR_EMAIL")
    given.add_argument("--council", help="ONS code, DfE number or name (not for --role regional)")
    given.add_argument("--role", required=True, choices=ROLES)
    taken = commands.add_parser("revoke", help="take a grant away")
    taken.add_argument("login", metavar="LOGIN_OR_EMAIL")
    taken.add_argument("--council", help="ONS code, DfE number or name")
    taken.add_argument("--role", choices=("regional",), help="revoke a regional grant")
    commands.add_parser("list", help="one line per grant")
    for command in commands.choices.values():
        command.add_argument("--db", metavar="URL", help="database URL (default: DASHBOARD_OWNER_DB_URL, "
                                                         "else DASHBOARD_DB_URL, else the SQLite file in data/)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from db.engine import owner_engine
    from loaders.cli import DatabaseUnavailable

    args = build_parser().parse_args(argv)
    try:
        engine = owner_engine(args.db)
        if args.command == "grant":
            made = grant(engine, args.login, args.role, args.council, os_login())
            print(f"Granted: {made.line()}")
        elif args.command == "revoke":
            gone = revoke(engine, args.login, args.council, args.role == "regional")
            if not gone:
                print(f"{args.login} held no such grant; nothing was revoked.", file=sys.stderr)
                return EXIT_REFUSED
            print(f"Revoked {args.login}'s grant.")
        else:
            found = grants(engine)
            for line in (g.line() for g in found):
                print(line)
            if not found:
                print("No grants: everyone sees and changes figures as in a one-council install.")
    except GrantRefused as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except DatabaseUnavailable as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())

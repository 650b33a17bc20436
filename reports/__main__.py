"""python -m reports pack --period 2026-10 --out pack.pptx [--area CODE] [--public] [--db URL]

Writes the committee pack as PowerPoint and, beside it, as PDF (a name ending .pdf writes the PDF only).
Every failure is one sentence and exit code 2; nothing is written when the pack cannot be made.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import settings


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m reports", description="Committee reports.")
    commands = top.add_subparsers(dest="command", required=True)
    pack = commands.add_parser("pack", help="write the committee pack (.pptx, and .pdf beside it)")
    pack.add_argument("--period", required=True, help="a month as 2026-10, or a year ending 31 March as 2024-25")
    pack.add_argument("--out", required=True, type=Path, help="the file to write: NAME.pptx (and NAME.pdf) or NAME.pdf")
    pack.add_argument("--area", help=f"the council, by ONS code or name (default: ${settings.HOME_AREA.env})")
    pack.add_argument("--public", action="store_true", help="hide small numbers, for a Part 1 public paper")
    pack.add_argument("--db", metavar="URL", help=f"database URL (default: ${settings.DB_URL.env})")
    return top


def run_pack(args: argparse.Namespace) -> int:
    from loaders.cli import DatabaseUnavailable, _engine
    from reports.pack import PackError, PackRequest, build_pack
    from reports.pdf import PdfUnavailable, deck_to_pdf

    out: Path = args.out
    if out.suffix.lower() not in (".pptx", ".pdf"):
        print(f"The pack is written as .pptx or .pdf: {out.name!r} is neither. Give a name ending .pptx or .pdf.",
              file=sys.stderr)
        return 2
    if not out.parent.exists():
        print(f"The folder {str(out.parent)!r} does not exist: create it or write the pack somewhere else.",
              file=sys.stderr)
        return 2
    try:
        engine = _engine(args.db)
        deck = build_pack(engine, PackRequest(args.period, args.area, args.public))
    except (PackError, DatabaseUnavailable) as error:
        print(str(error), file=sys.stderr)
        return 2
    written = []
    if out.suffix.lower() == ".pptx":
        out.write_bytes(deck)
        written.append(out)
    try:
        pdf = deck_to_pdf(deck, out.stem)
    except PdfUnavailable as error:
        if out.suffix.lower() == ".pdf":
            print(f"The PDF could not be made: {error}", file=sys.stderr)
            return 2
        print(f"Wrote {out}. No PDF: {error}")
        return 0
    pdf_path = out.with_suffix(".pdf")
    pdf_path.write_bytes(pdf)
    written.append(pdf_path)
    print("Wrote " + " and ".join(str(p) for p in written) + ".")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "pack":
            return run_pack(args)
    except Exception as error:  # noqa: BLE001 - the last guard: a sentence, never a traceback
        print(f"The pack could not be made ({error.__class__.__name__}: {str(error).splitlines()[0] if str(error) else ''}). "
              f"Check the period and the council, then try again.", file=sys.stderr)
        return 2
    return 2


if __name__ == "__main__":
    sys.exit(main())

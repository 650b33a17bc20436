"""python -m reports pack --period 2026-10 --out pack.pptx [--area CODE] [--public] [--db URL]

Writes the committee pack as PowerPoint and, beside it, as PDF (a name ending .pdf writes the PDF only).
The output path is checked before anything is built (building takes about a minute). Every failure is one
sentence and exit code 2; nothing is written when the pack cannot be made. When the deck was written but its
PDF could not be made, the exit code is 1: what was asked was not all made. A file replaced is named.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import settings

PACK_SUFFIXES = (".pptx", ".pdf")
EXIT_REFUSED = 2  # nothing was made
EXIT_NO_PDF = 1  # the deck was written, its PDF could not be made


class OutputRefused(ValueError):
    """The pack cannot be written where asked: the message says why and what to do."""


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


def output_paths(out: Path) -> tuple[Path, ...]:
    """The files a pack written to ``out`` makes: NAME.pptx and NAME.pdf, or NAME.pdf alone. Refused with a
    sentence, before anything is built, when they cannot be written there."""
    if out.is_dir():
        raise OutputRefused(f"{str(out)!r} is a folder: give the name of the file to write in it, such as "
                            f"{str(out / 'pack.pptx')!r}.")
    if out.suffix.lower() not in PACK_SUFFIXES:
        raise OutputRefused(f"The pack is written as .pptx or .pdf: {out.name!r} is neither. "
                            "Give a name ending .pptx or .pdf.")
    folder = out.parent
    if not folder.exists():
        raise OutputRefused(f"The folder {str(folder)!r} does not exist: create it or write the pack somewhere else.")
    if not folder.is_dir():
        raise OutputRefused(f"{str(folder)!r} is a file, not a folder: write the pack somewhere else.")
    paths = (out, out.with_suffix(".pdf")) if out.suffix.lower() == ".pptx" else (out,)
    for path in paths:
        if path.is_dir():
            raise OutputRefused(f"{str(path)!r} is a folder, so the pack cannot be written there: choose another name.")
        if path.exists() and not os.access(path, os.W_OK):
            raise OutputRefused(f"{str(path)!r} exists and cannot be replaced (it is read-only or open "
                                "elsewhere): close it, or write the pack under another name.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputRefused(f"The pack cannot be written in {str(folder)!r}: you do not have permission to "
                            "write there. Write it somewhere else.")
    return paths


def _write(path: Path, data: bytes, said: list[str]) -> None:
    """Write ``data`` to ``path``, saying whether it was new or replaced an earlier file."""
    replaced = path.exists()
    path.write_bytes(data)
    said.append(f"replaced {path}" if replaced else f"wrote {path}")


def run_pack(args: argparse.Namespace) -> int:
    from access.grants import access_for
    from access.users import os_login
    from db.scope import set_scope
    from loaders.cli import DatabaseUnavailable, _engine
    from reports.pack import PackError, PackRequest, build_pack
    from reports.pdf import PdfUnavailable, deck_to_pdf, pdf_available

    out: Path = args.out
    try:
        paths = output_paths(out)
    except OutputRefused as error:
        print(str(error), file=sys.stderr)
        return EXIT_REFUSED
    pdf_only = len(paths) == 1
    missing = pdf_available()
    if pdf_only and missing:  # the one thing asked for cannot be made: say so before a minute's work
        print(f"The PDF cannot be made: {missing}", file=sys.stderr)
        return EXIT_REFUSED
    try:
        engine = _engine(args.db)
        access = access_for(engine, os_login())  # the command line acts as DASHBOARD_USER: their grants apply
        set_scope(access.database_scope)
        deck = build_pack(engine, PackRequest(args.period, args.area, args.public, access.viewer))
    except (PackError, DatabaseUnavailable) as error:
        print(str(error), file=sys.stderr)
        return EXIT_REFUSED
    said: list[str] = []
    if not pdf_only:
        _write(out, deck, said)
    try:
        pdf = deck_to_pdf(deck, out.stem)
    except PdfUnavailable as error:
        if pdf_only:
            print(f"The PDF could not be made, so nothing was written: {error}", file=sys.stderr)
            return EXIT_REFUSED
        print(_sentence(said) + f" The PDF was not made: {error}", file=sys.stderr)
        return EXIT_NO_PDF
    _write(paths[-1], pdf, said)
    print(_sentence(said))
    return 0


def _sentence(parts: list[str]) -> str:
    """'Wrote pack.pptx and replaced pack.pdf.'"""
    text = " and ".join(parts)
    return text[:1].upper() + text[1:] + "."


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "pack":
            return run_pack(args)
    except Exception as error:  # noqa: BLE001 - the last guard: a sentence, never a traceback
        print(f"The pack could not be made ({error.__class__.__name__}: {str(error).splitlines()[0] if str(error) else ''}). "
              f"Check the period and the council, then try again.", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())

"""The deck as a PDF, through LibreOffice run headless: the same pages, for papers published as PDF.

LibreOffice comes in parts: ``soffice`` is there with Calc alone, but a deck needs Impress, so what is
checked is Impress itself (its configuration, which every Impress package installs), not ``soffice``.
Each conversion gets its own LibreOffice profile folder, so two packs made at once (two officers, or the
app and a scheduled job) never share one: LibreOffice refuses, or hangs, on a profile another process holds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SOFFICE_NAMES = ("soffice", "libreoffice")
CONVERT_TIMEOUT_SECONDS = 180
# Installed by libreoffice-impress and libreoffice-impress-nogui alike (Debian), and by every LibreOffice
# install with Impress elsewhere; the paths are relative to LibreOffice's program folder.
IMPRESS_FILES = ("simpress", "simpress.exe", "../share/.registry/impress.xcd", "../share/registry/impress.xcd",
                 "../Resources/registry/impress.xcd")
MISSING_SOFFICE = ("LibreOffice Impress is not installed (nor any part of LibreOffice), and the PDF needs it: ask "
                   "IT to install the libreoffice-impress-nogui package (the PowerPoint deck was made without it).")
MISSING_IMPRESS = ("LibreOffice Impress is not installed (LibreOffice is, but without Impress, the part that reads "
                   "slides), and the PDF needs it: ask IT to install the libreoffice-impress-nogui package (the "
                   "PowerPoint deck was made without it).")


class PdfUnavailable(RuntimeError):
    """The PDF could not be made; the message says why and what to do."""


def soffice_path() -> str | None:
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def impress_installed(soffice: str) -> bool:
    """Whether the LibreOffice that ``soffice`` starts has Impress (``soffice`` alone may be Calc only)."""
    program = Path(os.path.realpath(soffice)).parent
    return any((program / name).exists() for name in IMPRESS_FILES)


def pdf_available() -> str:
    """'' when PDFs can be made here, else the sentence saying what is missing."""
    soffice = soffice_path()
    if soffice is None:
        return MISSING_SOFFICE
    return "" if impress_installed(soffice) else MISSING_IMPRESS


def deck_to_pdf(deck: bytes, name: str = "pack") -> bytes:
    """The PDF of a .pptx deck, page for slide. Raises PdfUnavailable with a sentence on any failure."""
    missing = pdf_available()
    if missing:
        raise PdfUnavailable(missing)
    soffice = soffice_path() or ""
    with tempfile.TemporaryDirectory(prefix="pack-pdf-") as work:
        folder = Path(work)
        source = folder / f"{name}.pptx"
        source.write_bytes(deck)
        profile = (folder / "profile").as_uri()
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(folder), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as error:
            raise PdfUnavailable(f"LibreOffice took more than {CONVERT_TIMEOUT_SECONDS} seconds to make the PDF "
                                 "and was stopped: try again, or open the deck and save it as PDF.") from error
        except OSError as error:
            raise PdfUnavailable(f"LibreOffice could not be started ({error}): {MISSING_SOFFICE}") from error
        result = folder / f"{name}.pdf"
        if done.returncode != 0 or not result.is_file():
            detail = (done.stderr or done.stdout or "").strip().splitlines()
            raise PdfUnavailable("LibreOffice could not turn the deck into a PDF"
                                 + (f" ({detail[-1]})" if detail else "")
                                 + ": open the deck in PowerPoint and save it as PDF.")
        return result.read_bytes()

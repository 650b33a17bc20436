"""Writing what a reader parsed as one batch, or refusing it whole: the one place a parsed file meets
the database.

A leaf module (it imports only loaders.report and loaders.problems from ``loaders``), so DfE's table
loaders, the return reader and the dispatcher can all write through it without importing each other.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from db.commentary_writes import COMMENTARY_COLUMNS
from db.writes import OBSERVATION_COLUMNS, TARGET_COLUMNS, BatchInfo, BatchOutcome, ImportBusy, apply_batch
from loaders.report import ImportReport, ParsedFile, report_for


def load_parsed(
    engine: Engine, parsed: ParsedFile, source: str, imported_by: str, note: str = "",
    reader_version: str = "", default_area: str = "",
) -> ImportReport:
    """Write a parsed file if it has no problems; otherwise refuse it whole and touch nothing.

    ``reader_version`` and ``default_area`` are recorded with the batch so that importing the same
    file again can be recognised without reading it (loaders.unchanged); "" records no shortcut.
    """
    if parsed.problems:
        return report_for(parsed, "rejected")
    info = BatchInfo(parsed.file_name, parsed.sha256, source, parsed.sheets, imported_by, note,
                     reader_version=reader_version, default_area=default_area)
    outcome = write_batch(engine, info, parsed)
    if outcome is None:
        return report_for(parsed, "busy", [])
    return report_for(parsed, "loaded" if outcome.changed else "unchanged", [], outcome)


def write_batch(engine: Engine, info: BatchInfo, parsed: ParsedFile) -> BatchOutcome | None:
    """Write a checked file's (or a set's combined) figures, targets and commentaries as the batch ``info``
    describes, in one transaction; None when another import held the database too long (nothing written)."""
    try:
        return apply_batch(engine, info, parsed.observations[OBSERVATION_COLUMNS], parsed.targets[TARGET_COLUMNS],
                           parsed.commentary[COMMENTARY_COLUMNS])
    except ImportBusy:
        return None
    except OperationalError as error:  # SQLite's own word for a write lock held too long by another import
        if "locked" not in str(error).lower():
            raise
        return None

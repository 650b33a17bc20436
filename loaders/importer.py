"""The one path every file takes into the database: parse, check everything, then write or refuse.

Returns, the sample council's files and DfE's published tables all end here, so batch history,
validation and atomicity are the same for each.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

import settings
from db.writes import OBSERVATION_COLUMNS, TARGET_COLUMNS, BatchInfo, BatchOutcome, apply_batch
from loaders.problems import Problem

PROVENANCE_COLUMNS = ["sheet", "cell"]  # where each value came from, for messages; not stored


@dataclass
class ParsedFile:
    """A file read into tidy frames, with every problem found while reading it.

    ``observations`` has OBSERVATION_COLUMNS plus ``sheet`` and ``cell``; ``targets`` has TARGET_COLUMNS.
    """

    file_name: str
    sha256: str
    sheets: list[str]
    observations: pd.DataFrame
    targets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TARGET_COLUMNS))
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    file_name: str
    status: str  # loaded, unchanged or rejected
    problems: list[Problem] = field(default_factory=list)
    outcome: BatchOutcome | None = None

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    def summary(self) -> str:
        if self.status == "rejected":
            return f"{self.file_name}: rejected, {len(self.problems)} problem(s); nothing was loaded"
        o = self.outcome
        assert o is not None
        if self.status == "unchanged" and o.rows == 0:
            return f"{self.file_name}: no figures in the file; nothing to load"
        if self.status == "unchanged":
            return f"{self.file_name}: unchanged, all {o.unchanged} values already loaded"
        return (
            f"{self.file_name}: loaded as batch {o.batch_id}: {o.inserted} new, {o.replaced} replaced, "
            f"{o.unchanged} unchanged values, {o.targets_set} targets"
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_parsed(
    engine: Engine, parsed: ParsedFile, source: str, imported_by: str, note: str = "",
    reader_version: str = "", default_area: str = "",
) -> ImportReport:
    """Write a parsed file if it has no problems; otherwise refuse it whole and touch nothing.

    ``reader_version`` and ``default_area`` are recorded with the batch so that importing the same
    file again can be recognised without reading it (loaders.unchanged); "" records no shortcut.
    """
    if parsed.problems:
        return ImportReport(parsed.file_name, "rejected", parsed.problems)
    info = BatchInfo(parsed.file_name, parsed.sha256, source, parsed.sheets, imported_by, note,
                     reader_version=reader_version, default_area=default_area)
    outcome = apply_batch(engine, info, parsed.observations[OBSERVATION_COLUMNS], parsed.targets[TARGET_COLUMNS])
    return ImportReport(parsed.file_name, "loaded" if outcome.changed else "unchanged", [], outcome)


def import_file(
    engine: Engine,
    path: Path | str,
    default_area: str | None = None,
    source: str = "return",
    imported_by: str | None = None,
) -> ImportReport:
    """Read, check and load one return file as one batch in one transaction.

    ``default_area`` (ONS code, DfE number or name) files rows that name no area; without it the
    configured home area is used. Raises ValueError for an unknown ``default_area`` and
    FileNotFoundError for a missing file; every problem inside the file is reported, not raised.
    Raises db.writes.ImportBusy when another import holds the database for longer than the lock timeout.

    The same bytes loaded before, read by the same reader version with the same default area and
    source, and untouched since by any later batch or undo, are reported unchanged without being
    read (loaders.unchanged): reading a big return costs seconds, the check a few queries.
    """
    from loaders.returns import read_return, resolve_default_area  # returns imports this module
    from loaders.unchanged import already_loaded, reader_version

    area_code = resolve_default_area(default_area)
    if default_area is not None and area_code is None:
        raise ValueError(f"Unknown area {default_area!r}: give an ONS code, a DfE local authority number or a name")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    before = already_loaded(engine, sha256_of(path), source, area_code or "")
    if before is not None:
        return ImportReport(path.name, "unchanged", [], before)
    parsed = read_return(path, default_area)
    return load_parsed(engine, parsed, source, imported_by or settings.current_user(),
                       reader_version=reader_version(), default_area=area_code or "")


def import_files(
    engine: Engine,
    paths: list[Path | str],
    default_area: str | None = None,
    source: str = "return",
    imported_by: str | None = None,
) -> list[ImportReport]:
    """Each file on its own: a rejected file does not stop the others, and each is its own batch."""
    return [import_file(engine, path, default_area, source, imported_by) for path in paths]

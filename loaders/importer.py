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


def load_parsed(engine: Engine, parsed: ParsedFile, source: str, imported_by: str, note: str = "") -> ImportReport:
    """Write a parsed file if it has no problems; otherwise refuse it whole and touch nothing."""
    if parsed.problems:
        return ImportReport(parsed.file_name, "rejected", parsed.problems)
    info = BatchInfo(parsed.file_name, parsed.sha256, source, parsed.sheets, imported_by, note)
    outcome = apply_batch(engine, info, parsed.observations[OBSERVATION_COLUMNS], parsed.targets[TARGET_COLUMNS])
    return ImportReport(parsed.file_name, "loaded" if outcome.changed else "unchanged", [], outcome)

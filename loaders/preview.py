"""What an uploaded return would do, shown before anything is written.

An officer uploading a return sees what was recognised in it, every stored figure it would replace
(old and new side by side) and every problem, with sheet and cell, before confirming. The file is read
by the same code the import uses (``loaders.importer.parse_return``) and compared with the database by
the same comparison the write makes (``db.writes.compare_batch``), so the preview cannot promise what
the import then does differently. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory

import pandas as pd
from sqlalchemy import Engine

import settings
from access.users import User
from db.writes import Comparison, ReplacedValue, compare_batch
from loaders.councils import council_problems, with_council_check
from loaders.importer import parse_return
from loaders.members import NotASet, set_members
from loaders.problems import Problem
from loaders.report import FileInSet, ImportReport, ParsedFile, sha256_of
from loaders.sets import read_set, set_name

UPLOAD_TYPES = ("xlsx", "xlsm", "xls", "csv", "xml", "zip")  # xml and zip: the SSDA903 return (ui.ssda903_upload)
RETURN_SOURCE = "return"


def max_upload_mb() -> int:
    """The upload size limit in MB; an unreadable or non-positive setting falls back to the default."""
    try:
        limit = int(float(settings.MAX_UPLOAD_MB.value()))
    except ValueError:
        return int(settings.MAX_UPLOAD_MB.default)
    return limit if limit > 0 else int(settings.MAX_UPLOAD_MB.default)


def too_big(size_bytes: int, limit_mb: int | None = None) -> str:
    """A sentence refusing a file over the limit, or "" when it fits."""
    limit = max_upload_mb() if limit_mb is None else limit_mb
    if size_bytes <= limit * 1024 * 1024:
        return ""
    return (f"The file is {size_bytes / (1024 * 1024):,.1f} MB, over the upload limit of {limit} MB: nothing was "
            f"read. Split the return into smaller files, or ask the administrator to raise "
            f"{settings.MAX_UPLOAD_MB.env}.")


@dataclass
class FilePreview:
    """One uploaded file as the import would see it. ``can_confirm`` only with no problem at all."""

    file_name: str
    sha256: str
    size_bytes: int
    refused: str = ""  # a sentence when the file was not read at all (too big)
    problems: list[Problem] = field(default_factory=list)
    sheets_read: list[str] = field(default_factory=list)
    hidden_sheets: list[str] = field(default_factory=list)
    layout_by_sheet: dict[str, str] = field(default_factory=dict)
    what_was_read: str = ""
    measures: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    periods: list[date] = field(default_factory=list)
    values: int = 0
    targets: int = 0
    commentary: int = 0  # texts in the commentary column
    comparison: Comparison | None = None

    @property
    def can_confirm(self) -> bool:
        return not self.refused and not self.problems and self.comparison is not None

    @property
    def replaced(self) -> list[ReplacedValue]:
        return self.comparison.replaced if self.comparison is not None else []

    @property
    def changes_anything(self) -> bool:
        c = self.comparison
        return c is not None and bool(c.new or c.replaced or c.targets_new or c.commentary)


def preview_upload(engine: Engine, data: bytes, file_name: str, default_area: str | None = None,
                   limit_mb: int | None = None, user: User | None = None) -> FilePreview:
    """Read and check one upload and compare it with the database, writing nothing. With ``user``, a row for
    a council they may not change is a problem, as the import itself would find it."""
    preview = FilePreview(file_name, sha256_of(data), len(data))
    preview.refused = too_big(len(data), limit_mb)
    if preview.refused:
        return preview
    parsed = parse_return(data, file_name, default_area)
    if isinstance(parsed, ImportReport):  # the reader could not open it: the report says why
        preview.problems = list(parsed.problems)
        return preview
    _describe(preview, with_council_check(parsed, user))
    if not parsed.problems:
        preview.comparison = compare_batch(engine, RETURN_SOURCE, parsed.observations, parsed.targets,
                                           parsed.commentary)
    return preview


def _describe(preview: FilePreview, parsed: ParsedFile) -> None:
    frame = parsed.observations
    preview.problems = list(parsed.problems)
    preview.sheets_read = list(parsed.sheets)
    preview.hidden_sheets = list(parsed.hidden_sheets)
    preview.layout_by_sheet = dict(parsed.layout_by_sheet)
    preview.what_was_read = parsed.what_was_read()
    preview.values = len(frame)
    preview.targets = len(parsed.targets)
    preview.commentary = len(parsed.commentary)
    if len(frame):
        # a file with problems may hold rows whose measure, area or period could not be read: not listed
        preview.measures = sorted({m for m in frame["measure_code"] if isinstance(m, str) and m})
        preview.areas = sorted({a for a in frame["area_code"] if isinstance(a, str) and a})
        preview.periods = sorted({pd.Timestamp(d).date() for d in frame["period_end"] if not pd.isna(d)})


@dataclass
class SetPreview:
    """Several uploads as one set, as ``import_set`` would see them: each file as read, every problem of the
    set, and what writing it would do. ``can_confirm`` only with no problem at all."""

    name: str
    files: list[FileInSet]
    problems: list[Problem] = field(default_factory=list)
    refused: str = ""  # a sentence when the set was not read at all (a file too big)
    comparison: Comparison | None = None

    @property
    def can_confirm(self) -> bool:
        return not self.refused and not self.problems and self.comparison is not None


@contextmanager
def uploads_on_disk(uploads: list[tuple[str, bytes]]) -> Iterator[list[Path]]:
    """The uploads written into a temporary folder under their own names, for ``import_set``; removed after."""
    with TemporaryDirectory(prefix="dashboard-upload-") as folder:
        paths = []
        for index, (name, content) in enumerate(uploads):
            path = Path(folder) / str(index) / Path(name).name  # a folder each: two uploads of one name stay two
            path.parent.mkdir()
            path.write_bytes(content)
            paths.append(path)
        yield paths


def preview_set(engine: Engine, uploads: list[tuple[str, bytes]], default_area: str | None = None,
                limit_mb: int | None = None, user: User | None = None) -> SetPreview:
    """Read and check several uploads as one set and compare them with the database, writing nothing."""
    for name, content in uploads:
        refused = too_big(len(content), limit_mb)
        if refused:
            return SetPreview(name, [], refused=f"{name}: {refused}")
    with uploads_on_disk(uploads) as paths:
        try:
            with set_members(paths) as members:
                parsed = read_set(set_name([p.name for p in paths], members), members, default_area)
                if parsed.combined is not None:
                    parsed.problems = [*parsed.problems, *council_problems(parsed.combined, user)]
        except NotASet as refused:
            return SetPreview(refused.problem.file, [], [refused.problem])
    preview = SetPreview(parsed.name, parsed.files, parsed.problems)
    if not parsed.problems and parsed.combined is not None:
        combined = parsed.combined
        preview.comparison = compare_batch(engine, RETURN_SOURCE, combined.observations, combined.targets,
                                           combined.commentary)
    return preview

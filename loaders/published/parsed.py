"""What a published-file parser hands on: a ParsedFile plus what kind it was and a note for the batch."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from db.models import (
    NO_BREAKDOWN,
    PUBLISHED_SOURCE,  # noqa: F401 - the batch source, defined once; loaders.published uses it from here
)
from db.writes import OBSERVATION_COLUMNS
from loaders.problems import Problem
from loaders.published.checks import check_observations
from loaders.report import PROVENANCE_COLUMNS, ParsedFile, sha256_of
from reference.catalogue import Catalogue

YEAR = "year"
NOTE_NAMES_SHOWN = 8


@dataclass
class PublishedFile:
    """A parsed published file; its batch note starts with the kind ('lait_long: ...') so that later
    loads can tell which kind of file a stored value came from."""

    kind: str
    parsed: ParsedFile
    note: str


def kind_of_note(note: str) -> str:
    """The file kind a published batch's note starts with ('' for other notes)."""
    head, sep, _rest = (note or "").partition(":")
    return head.strip() if sep and " " not in head.strip() else ""


def tidy_frame(pieces: list[pd.DataFrame]) -> pd.DataFrame:
    """One frame from the per-measure pieces, headline figures with period type 'year'."""
    if not pieces:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS + PROVENANCE_COLUMNS)
    frame = pd.concat(pieces, ignore_index=True)
    for part in ("numerator", "denominator"):  # a table may give no counts for any of its measures
        for column, empty in ((f"{part}_cell", ""), (f"{part}_text", ""), (f"{part}_bad", False)):
            if column not in frame:
                frame[column] = empty
    frame["period_type"] = YEAR
    frame["dimension"] = NO_BREAKDOWN
    frame["category"] = NO_BREAKDOWN
    for column in ("value", "numerator", "denominator"):
        frame[column] = frame[column].astype("float64")
    return frame


def skipped_note(skipped: Counter[str]) -> str:
    """A sentence naming the areas whose rows were left out, for the batch note."""
    if not skipped:
        return ""
    names = sorted(skipped)
    shown = ", ".join(names[:NOTE_NAMES_SHOWN]) + (f" and {len(names) - NOTE_NAMES_SHOWN} more" if len(names) >
                                                   NOTE_NAMES_SHOWN else "")
    return f"{sum(skipped.values())} rows left out for areas not in the area list ({shown})"


def finish(path: Path, kind: str, frame: pd.DataFrame, problems: list[Problem], measures: Catalogue,
           description: str, skipped: Counter[str], sheets: list[str] | None = None) -> PublishedFile:
    """Check the tidy frame, then wrap it with the file's identity and a note saying what it held."""
    if len(frame):
        problems = problems + check_observations(frame, path.name, measures)
    # A cell read for two measures (a count that is also a rate's numerator) is reported once.
    problems = list(dict.fromkeys(problems))
    found = sorted(frame["measure_code"].unique()) if len(frame) else []
    parts = [f"{kind}: {description}", f"measures: {', '.join(found) if found else 'none'}"]
    note = skipped_note(skipped)
    if note:
        parts.append(note)
    if len(frame):
        # Plain Python strings: the batch writer walks every value, and Arrow-backed strings are slow to walk.
        frame = frame.astype({c: "object" for c in ("measure_code", "area_code", "period_type", "dimension",
                                                     "category", "status", "sheet", "cell")})
    parsed = ParsedFile(
        file_name=path.name,
        sha256=sha256_of(path),
        sheets=sheets or [],
        observations=frame[OBSERVATION_COLUMNS + PROVENANCE_COLUMNS].copy() if len(frame) else
        pd.DataFrame(columns=OBSERVATION_COLUMNS + PROVENANCE_COLUMNS),
        problems=problems,
    )
    return PublishedFile(kind, parsed, "; ".join(parts))

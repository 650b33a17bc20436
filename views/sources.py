"""Where the figures on a chart or in a table came from, in words, from the import batches behind them.

Every observation keeps the id of the batch that loaded it, and every batch its file name, its kind
(a council's return, the sample, DfE's published tables) and when it was loaded. A chart's source
line and a table's 'Source' cell are worked out from those, so a chart of DfE's figures never says
'SSDA903 return' and a table never shows a file name such as bds_long_0.parquet to a councillor.
A council's own file is named (its officers loaded it and know it); DfE's are named by publication.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from charts.sources import PUBLISHED, FigureOrigin, day_words, source_words
from db.undo import UNDO_SOURCE
from metrics.formatting import uk_times

DFE_PUBLISHED = "DfE published"  # the label for DfE's own figure wherever it sits beside a council's


@dataclass(frozen=True)
class BatchFacts:
    """What a page says about one import batch."""

    kind: str  # the batch's source: 'published', 'sample', 'return'...
    file_name: str
    loaded: pd.Timestamp | None


def batch_facts(batches: pd.DataFrame) -> dict[int, BatchFacts]:
    """batch id -> its kind, file name and load time (from db.queries.batches)."""
    out = {}
    loaded_on = uk_times(batches["imported_at"]).tolist() if len(batches) else []
    for row, loaded in zip(batches.itertuples(index=False), loaded_on, strict=True):
        out[int(row.id)] = BatchFacts(str(row.source or ""), str(row.file_name or ""), None if pd.isna(loaded) else loaded)
    return out


def _origin(facts: BatchFacts | None, row_origin: str, period_end) -> FigureOrigin:
    if row_origin == PUBLISHED or (facts is not None and facts.kind == PUBLISHED):
        year = pd.Timestamp(period_end).year if not pd.isna(period_end) else None
        return FigureOrigin(PUBLISHED, year=year, file_name=facts.file_name if facts else "")
    if facts is None:
        return FigureOrigin("return")
    return FigureOrigin(facts.kind or "return", loaded=facts.loaded.date() if facts.loaded is not None else None)


def origins(rows: pd.DataFrame, batches: pd.DataFrame) -> list[FigureOrigin]:
    """One FigureOrigin per distinct batch and year among ``rows`` (observations with batch_id, origin, period_end)."""
    if rows.empty:
        return []
    facts = batch_facts(batches)
    has_origin = "origin" in rows
    keys = rows.assign(year_=pd.to_datetime(rows["period_end"]).dt.year)
    columns = ["batch_id", "year_", *(["origin"] if has_origin else [])]
    out = []
    for record in keys[columns].drop_duplicates().itertuples(index=False):
        batch_id = None if pd.isna(record.batch_id) else int(record.batch_id)
        row_origin = str(record.origin) if has_origin else ""
        end = pd.Timestamp(year=int(record.year_), month=3, day=31)
        out.append(_origin(facts.get(batch_id) if batch_id is not None else None, row_origin, end))
    return out


def source_text(frames: Iterable[pd.DataFrame], batches: pd.DataFrame) -> str:
    """The source line for a chart drawn from these observation rows: DfE's publications first, then returns."""
    found: list[FigureOrigin] = []
    for frame in frames:
        if frame is not None and not frame.empty:
            found.extend(origins(frame, batches))
    return source_words(found)


@lru_cache(maxsize=4096)
def _published_words(file_name: str, year: int | None) -> str:
    return source_words([FigureOrigin(PUBLISHED, year=year, file_name=file_name)])


def row_source(batch_id: object, batches: dict[int, BatchFacts], period_end=None, row_origin: str = "") -> str:
    """One table cell: 'DfE: Children looked after in England including adoptions, 2025' for DfE's figure,
    'Council return northmoor_monthly.xlsx (batch 3)' for a council's own, 'Undo of northmoor_monthly.xlsx
    (batch 4)' for an undo."""
    if batch_id is None or pd.isna(batch_id):
        return ""
    facts = batches.get(int(batch_id))
    if facts is not None and facts.kind == UNDO_SOURCE:  # an undo replaced the value: no return, nor DfE's
        return f"Undo of {facts.file_name} (batch {int(batch_id)})"
    if row_origin == PUBLISHED or (facts is not None and facts.kind == PUBLISHED):
        year = None if period_end is None or pd.isna(period_end) else pd.Timestamp(period_end).year
        return _published_words(facts.file_name if facts else "", year)
    if facts is None:
        return f"batch {int(batch_id)}"
    words = source_words([FigureOrigin(facts.kind or "return")])
    return f"{words} {facts.file_name} (batch {int(batch_id)})"


def loaded_on(batch_id: object, batches: dict[int, BatchFacts]) -> str:
    """'3 May 2024' for the day the batch was loaded, or ''."""
    if batch_id is None or pd.isna(batch_id):
        return ""
    facts = batches.get(int(batch_id))
    if facts is None or facts.loaded is None:
        return ""
    return day_words(facts.loaded)

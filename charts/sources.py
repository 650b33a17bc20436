"""A chart's source line in words a committee paper can print: who published the figures, and when.

'Source: SSDA903 return' under DfE's published figures is wrong, and a file name such as
bds_long_0.parquet means nothing to a councillor. Callers say what they know about where the figures
came from (DfE's publication and year, or a council return and the day it was loaded) and get back
the words for the chart's ``source`` parameter:
'DfE: Children looked after in England including adoptions, 2025' or 'Council return, loaded 3 May 2024'.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from db.models import PUBLISHED, SSDA903  # the origin names, defined once

SAMPLE = "sample"

CLA_PUBLICATION = "Children looked after in England including adoptions"
LAIT = "Local Authority Interactive Tool (LAIT)"
# DfE's files as shipped in data/dfe (by name without its suffix): the publication each comes from.
# Files are recognised by their columns on load, so an unknown name is still DfE's, just unnamed here.
PUBLICATION_BY_FILE = {
    "cla_number_and_rate_per_10k_children": CLA_PUBLICATION,
    "la_cla_placement_stability": CLA_PUBLICATION,
    "la_care_leavers_activity": CLA_PUBLICATION,
    "la_care_leavers_accommodation_suitability": CLA_PUBLICATION,
    "la_conviction_health_outcome_cla": CLA_PUBLICATION,
    "bds_long": LAIT,
}
DFE_UNNAMED = "DfE's published figures"
LOCAL_WORDS = "Council return"
SSDA903_WORDS = "Council's SSDA903 return"  # figures computed from the council's 903 (batch source SSDA903)
SAMPLE_WORDS = "Fictional sample council's return"


@dataclass(frozen=True)
class FigureOrigin:
    """What is known about where a chart's figures came from.

    kind: 'published' (DfE's tables), 'sample' (the fictional council), 'ssda903' (figures computed from the
        council's SSDA903 return), anything else ('local', 'return') a council's own return: the batch
        sources the database records.
    publication: DfE's statistics title; when empty it is worked out from ``file_name`` if DfE's.
    year: the publication's year (the year ending 31 March it reports, e.g. 2025).
    loaded: when a council's return was loaded.
    file_name: the file the figures were loaded from: used only to find the publication, never shown.
    """

    kind: str
    publication: str = ""
    year: int | None = None
    loaded: date | datetime | None = None
    file_name: str = ""


def publication_of(file_name: str) -> str:
    """DfE's publication for one of its files, by name ('bds_long_0.parquet' -> LAIT), or ''."""
    stem = PurePath(file_name).stem.lower()
    for known, publication in PUBLICATION_BY_FILE.items():
        if stem == known or stem.startswith(f"{known}_"):
            return publication
    return ""


def day_words(when: date | datetime) -> str:
    """'3 May 2024' (no leading zero)."""
    return f"{when.day} {when.strftime('%B %Y')}"


def _span(first, last, words) -> str:
    return words(first) if first == last else f"{words(first)} to {words(last)}"


def source_words(origins: Iterable[FigureOrigin]) -> str:
    """The source line for figures of these origins, DfE's first, each kind said once:
    'DfE: Children looked after in England including adoptions, 2021 to 2025; Council return, loaded 3 May 2024'.
    Empty when nothing is known."""
    origins = list(origins)
    parts: list[str] = []
    published: dict[str, list[int]] = {}
    for origin in origins:
        if origin.kind != PUBLISHED:
            continue
        name = origin.publication or publication_of(origin.file_name)
        published.setdefault(name, [])
        if origin.year is not None:
            published[name].append(int(origin.year))
    for name, years in published.items():
        text = f"DfE: {name}" if name else DFE_UNNAMED
        if years:
            text += f", {_span(min(years), max(years), str)}"
        parts.append(text)
    kinds = ((lambda k: k not in (PUBLISHED, SAMPLE, SSDA903), LOCAL_WORDS), (lambda k: k == SSDA903, SSDA903_WORDS),
             (lambda k: k == SAMPLE, SAMPLE_WORDS))
    for is_kind, words in kinds:
        mine = [o for o in origins if is_kind(o.kind)]
        if not mine:
            continue
        days = [o.loaded for o in mine]
        known = sorted(d.date() if isinstance(d, datetime) else d for d in days if d is not None)
        parts.append(f"{words}, loaded {_span(known[0], known[-1], day_words)}" if known else words)
    return "; ".join(parts)

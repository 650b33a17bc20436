"""Which published file feeds which measure, read from the CSVs in ``data/published``.

DfE changes a filter label or adds a table more often than the code should change, so the mapping is
data: ``file_kinds.csv`` (how each kind of file is recognised and the order files load in),
``ees_measures.csv`` (which EES rows and columns give each measure, its numerator and denominator),
``lait_measures.csv`` (which LAIT series gives each measure) and ``lait_areas.csv`` (LAIT's own
numbers for England and the regions).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reference.catalogue import Catalogue, CatalogueError, catalogue
from settings import DATA_DIR

MAPPING_DIR = DATA_DIR / "published"
OBSERVATIONS = "observations"
REFERENCE = "reference"


@dataclass(frozen=True)
class FileKind:
    """A kind of published file, recognised by the columns it must have."""

    kind: str
    formats: tuple[str, ...]
    role: str  # observations (loaded into the database) or reference (areas and neighbours)
    load_order: int
    required_columns: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class EesMeasure:
    """Rows of an EES table that give one measure: up to two filters, then the columns to read.

    The denominator is read from the same row (``denominator_column`` alone) or from the matching row
    where ``denominator_filter_column`` holds ``denominator_filter_value`` (for example 'Total children').
    """

    file_kind: str
    measure_code: str
    filters: tuple[tuple[str, str], ...]
    value_column: str
    numerator_column: str
    denominator_column: str
    denominator_filter_column: str
    denominator_filter_value: str

    def columns(self) -> set[str]:
        named = {c for c, _ in self.filters} | {self.value_column, self.numerator_column,
                                                self.denominator_column, self.denominator_filter_column}
        return {c for c in named if c}


@dataclass(frozen=True)
class LaitMeasure:
    """A LAIT series (its Short Desc) that gives one measure, with the series holding its counts."""

    short_desc: str
    measure_code: str
    numerator_short_desc: str
    denominator_short_desc: str


@dataclass(frozen=True)
class PublishedMapping:
    kinds: tuple[FileKind, ...]
    ees: tuple[EesMeasure, ...]
    lait: tuple[LaitMeasure, ...]
    lait_areas: dict[str, str]  # LAIT number (970, 980-990) -> ONS code

    def kind(self, name: str) -> FileKind:
        return next(k for k in self.kinds if k.kind == name)

    def ees_for(self, kind: str) -> list[EesMeasure]:
        return [m for m in self.ees if m.file_kind == kind]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def read_mapping(mapping_dir: Path = MAPPING_DIR, measures: Catalogue | None = None) -> PublishedMapping:
    """Read and check the mapping; raises CatalogueError naming the file and line of a bad row."""
    measures = measures if measures is not None else catalogue()
    kinds = tuple(
        FileKind(
            kind=r["kind"], formats=tuple(r["format"].split("|")), role=r["role"], load_order=int(r["load_order"]),
            required_columns=tuple(c.strip() for c in r["required_columns"].split("|")), description=r["description"],
        )
        for r in _rows(mapping_dir / "file_kinds.csv")
    )
    kind_names = {k.kind for k in kinds}
    ees = []
    for line, r in enumerate(_rows(mapping_dir / "ees_measures.csv"), start=2):
        where = f"ees_measures.csv line {line}"
        if r["file_kind"] not in kind_names:
            raise CatalogueError(f"{where}: file kind {r['file_kind']!r} is not in file_kinds.csv")
        if r["measure_code"] not in measures:
            raise CatalogueError(f"{where}: measure {r['measure_code']!r} is not in measures.csv")
        if not r["value_column"]:
            raise CatalogueError(f"{where}: no value_column")
        if bool(r["denominator_filter_column"]) != bool(r["denominator_filter_value"]):
            raise CatalogueError(f"{where}: denominator_filter_column and denominator_filter_value go together")
        filters = tuple((r[f"filter_{i}_column"], r[f"filter_{i}_value"]) for i in (1, 2) if r[f"filter_{i}_column"])
        ees.append(EesMeasure(
            r["file_kind"], r["measure_code"], filters, r["value_column"], r["numerator_column"],
            r["denominator_column"], r["denominator_filter_column"], r["denominator_filter_value"],
        ))
    lait = []
    for line, r in enumerate(_rows(mapping_dir / "lait_measures.csv"), start=2):
        if r["measure_code"] not in measures:
            raise CatalogueError(f"lait_measures.csv line {line}: measure {r['measure_code']!r} is not in measures.csv")
        lait.append(LaitMeasure(r["short_desc"], r["measure_code"], r["numerator_short_desc"],
                                r["denominator_short_desc"]))
    for name, items in (("ees_measures.csv", [(m.file_kind, m.measure_code) for m in ees]),
                        ("lait_measures.csv", [m.measure_code for m in lait])):
        if len(set(items)) != len(items):
            raise CatalogueError(f"{name}: a measure is mapped twice for the same kind of file")
    lait_areas = {r["lait_number"]: r["area_code"] for r in _rows(mapping_dir / "lait_areas.csv")}
    return PublishedMapping(kinds, tuple(ees), tuple(lait), lait_areas)


@lru_cache(maxsize=1)
def published_mapping() -> PublishedMapping:
    """The mapping shipped in data/published, read once per process."""
    return read_mapping()

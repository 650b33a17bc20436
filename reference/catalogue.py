"""The measure catalogue: what each measure means, its unit, polarity and theme.

Read from ``data/measures.csv``, ``data/measure_aliases.csv`` and ``data/themes.csv``; a council adds
a measure or an alias by adding a row there. Everything a page or chart says about a measure
(titles, axis units, decimal places, which way is better) comes from here.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from settings import DATA_DIR

UNITS = {
    "count": {"label": "Number", "axis": "Number of children", "suffix": ""},
    "percent": {"label": "%", "axis": "Per cent (%)", "suffix": "%"},
    "rate_per_10k": {"label": "Rate per 10,000", "axis": "Rate per 10,000 children", "suffix": ""},
    "score": {"label": "Score", "axis": "Average score", "suffix": ""},
}
POLARITIES = {
    "higher": "Higher is better",
    "lower": "Lower is better",
    "neither": "Neither higher nor lower is better",
}
REQUIRED_COLUMNS = ("code", "name", "short_name", "unit", "polarity", "theme", "decimals", "source", "description")


@dataclass(frozen=True)
class Theme:
    code: str
    name: str
    order: int
    question: str


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    short_name: str
    unit: str
    polarity: str
    theme: str
    decimals: int
    tolerance: float | None
    source: str
    description: str
    aliases: tuple[str, ...] = field(default=())

    @property
    def is_percent(self) -> bool:
        return self.unit == "percent"

    @property
    def is_count(self) -> bool:
        return self.unit == "count"

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit]["label"]

    @property
    def axis_title(self) -> str:
        return UNITS[self.unit]["axis"]

    @property
    def polarity_text(self) -> str:
        return POLARITIES[self.polarity]


class CatalogueError(ValueError):
    """A catalogue file is incomplete or contradicts itself."""


def normalise_name(text: str) -> str:
    """Key used to match measure names: case, spaces, punctuation and a leading % ignored."""
    text = str(text).strip().lower().lstrip("%").strip()
    text = text.replace("10,000", "10000").replace("10 000", "10000")
    return re.sub(r"[^a-z0-9%]+", " ", text).strip()


class Catalogue:
    """The measures in file order, with lookup by code, name, short name or alias."""

    def __init__(self, measures: list[Measure], themes: list[Theme]):
        self.measures = measures
        self.themes = sorted(themes, key=lambda t: t.order)
        self._by_code = {m.code: m for m in measures}
        self._by_key: dict[str, str] = {}
        for m in measures:
            for text in (m.code, m.name, m.short_name, *m.aliases):
                self._by_key.setdefault(normalise_name(text), m.code)

    def __iter__(self):
        return iter(self.measures)

    def __len__(self) -> int:
        return len(self.measures)

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Measure:
        return self._by_code[code]

    def find(self, text: object) -> Measure | None:
        """The measure a return names by code, name or alias, or None."""
        if text is None:
            return None
        raw = str(text).strip()
        if raw in self._by_code:
            return self._by_code[raw]
        code = self._by_key.get(normalise_name(raw))
        return self._by_code[code] if code else None

    def theme(self, code: str) -> Theme:
        return next(t for t in self.themes if t.code == code)

    def in_theme(self, theme_code: str) -> list[Measure]:
        return [m for m in self.measures if m.theme == theme_code]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def read_catalogue(data_dir: Path = DATA_DIR) -> Catalogue:
    """Read and check the catalogue files; raises CatalogueError naming the bad row."""
    themes = [
        Theme(r["code"], r["name"], int(r["order"]), r["question"]) for r in _read_csv(data_dir / "themes.csv")
    ]
    theme_codes = {t.code for t in themes}
    aliases: dict[str, list[str]] = {}
    for row in _read_csv(data_dir / "measure_aliases.csv"):
        aliases.setdefault(row["measure"].strip(), []).append(row["alias"].strip())
    measures: list[Measure] = []
    for line, row in enumerate(_read_csv(data_dir / "measures.csv"), start=2):
        missing = [c for c in REQUIRED_COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            raise CatalogueError(f"measures.csv line {line}: missing {', '.join(missing)}")
        if row["unit"] not in UNITS:
            raise CatalogueError(f"measures.csv line {line}: unit {row['unit']!r} is not one of {sorted(UNITS)}")
        if row["polarity"] not in POLARITIES:
            raise CatalogueError(f"measures.csv line {line}: polarity {row['polarity']!r} is not one of {sorted(POLARITIES)}")
        if row["theme"] not in theme_codes:
            raise CatalogueError(f"measures.csv line {line}: theme {row['theme']!r} is not in themes.csv")
        tolerance = (row.get("tolerance") or "").strip()
        measures.append(
            Measure(
                code=row["code"].strip(),
                name=row["name"].strip(),
                short_name=row["short_name"].strip(),
                unit=row["unit"],
                polarity=row["polarity"],
                theme=row["theme"],
                decimals=int(row["decimals"]),
                tolerance=float(tolerance) if tolerance else None,
                source=row["source"].strip(),
                description=row["description"].strip(),
                aliases=tuple(aliases.get(row["code"].strip(), ())),
            )
        )
    unknown = set(aliases) - {m.code for m in measures}
    if unknown:
        raise CatalogueError(f"measure_aliases.csv names measures not in measures.csv: {sorted(unknown)}")
    return Catalogue(measures, themes)


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue shipped in data/, read once per process."""
    return read_catalogue()

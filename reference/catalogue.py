"""The measure catalogue: what each measure means, its unit, polarity, theme and accepted range.

Read from ``data/units.csv``, ``data/measures.csv``, ``data/measure_aliases.csv`` and
``data/themes.csv``; a council adds a measure or an alias by adding a row there. Everything a page or
chart says about a measure (titles, axis units, decimal places, which way is better) comes from here,
and so does the range of figures an import accepts: each unit has one (a count from 0 to 1,000,000),
and a measure may narrow it in its ``minimum``/``maximum`` columns (the SDQ score runs from 0 to 40).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from settings import DATA_DIR

UNIT_COLUMNS = ("code", "label", "axis", "noun")


@dataclass(frozen=True)
class Unit:
    """How a kind of figure is labelled and which figures are possible.

    ``minimum``/``maximum`` are -inf/inf where the unit sets no bound (a score, in general).
    ``noun`` names one figure of the unit in a message ("a count"); ``hint`` says how it may be typed.
    """

    code: str
    label: str
    axis: str
    suffix: str
    noun: str
    minimum: float
    maximum: float
    hint: str = ""


def _bound(text: str | None, missing: float, where: str) -> float:
    text = (text or "").strip()
    if not text:
        return missing
    try:
        number = float(text)
    except ValueError:
        raise CatalogueError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(number):
        raise CatalogueError(f"{where}: {text!r} is not a finite number")
    return number


def range_words(noun: str, minimum: float, maximum: float) -> str:
    """The accepted range in words: 'a count from 0 to 1,000,000', 'a score of 0 or more'."""
    low, high = math.isfinite(minimum), math.isfinite(maximum)
    if low and high:
        return f"{noun} from {number_words(minimum)} to {number_words(maximum)}"
    if low:
        return f"{noun} of {number_words(minimum)} or more"
    if high:
        return f"{noun} of at most {number_words(maximum)}"
    return noun


def number_words(number: float) -> str:
    """1000000.0 -> '1,000,000'; 0.5 -> '0.5'."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


def read_units(data_dir: Path) -> dict[str, Unit]:
    """The units in ``units.csv``, by code; raises CatalogueError naming a bad row."""
    units: dict[str, Unit] = {}
    for line, row in enumerate(_read_csv(data_dir / "units.csv"), start=2):
        where = f"units.csv line {line}"
        missing = [c for c in UNIT_COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            raise CatalogueError(f"{where}: missing {', '.join(missing)}")
        minimum = _bound(row.get("minimum"), -math.inf, f"{where}, minimum")
        maximum = _bound(row.get("maximum"), math.inf, f"{where}, maximum")
        if minimum > maximum:
            raise CatalogueError(f"{where}: minimum {minimum:g} is above maximum {maximum:g}")
        code = row["code"].strip()
        units[code] = Unit(code, row["label"].strip(), row["axis"].strip(), (row.get("suffix") or "").strip(),
                           row["noun"].strip(), minimum, maximum, (row.get("hint") or "").strip())
    return units


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
    minimum: float = -math.inf  # the figures accepted for this measure: its unit's range, or narrower
    maximum: float = math.inf
    adds_up: bool = False  # a count over the period (children starting care): a year's figure is its months' sum

    @property
    def accepted_range(self) -> str:
        """The range in words, with how a figure may be typed: 'a count from 0 to 1,000,000'."""
        unit = UNITS[self.unit]
        words = range_words(unit.noun, self.minimum, self.maximum)
        return f"{words} ({unit.hint})" if unit.hint else words

    @property
    def is_percent(self) -> bool:
        return self.unit == "percent"

    @property
    def is_count(self) -> bool:
        return self.unit == "count"

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit].label

    @property
    def axis_title(self) -> str:
        return UNITS[self.unit].axis

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
    units = read_units(data_dir)
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
        if row["unit"] not in units:
            raise CatalogueError(f"measures.csv line {line}: unit {row['unit']!r} is not one of {sorted(units)}")
        if row["polarity"] not in POLARITIES:
            raise CatalogueError(f"measures.csv line {line}: polarity {row['polarity']!r} is not one of {sorted(POLARITIES)}")
        if row["theme"] not in theme_codes:
            raise CatalogueError(f"measures.csv line {line}: theme {row['theme']!r} is not in themes.csv")
        tolerance = (row.get("tolerance") or "").strip()
        unit = units[row["unit"]]
        minimum = _bound(row.get("minimum"), unit.minimum, f"measures.csv line {line}, minimum")
        maximum = _bound(row.get("maximum"), unit.maximum, f"measures.csv line {line}, maximum")
        if not unit.minimum <= minimum <= maximum <= unit.maximum:
            raise CatalogueError(
                f"measures.csv line {line}: the range {minimum:g} to {maximum:g} is not within "
                f"{range_words(unit.noun, unit.minimum, unit.maximum)}; a measure may only narrow its unit's range"
            )
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
                minimum=minimum,
                maximum=maximum,
                adds_up=(row.get("adds_up") or "").strip().lower() == "yes",
            )
        )
    unknown = set(aliases) - {m.code for m in measures}
    if unknown:
        raise CatalogueError(f"measure_aliases.csv names measures not in measures.csv: {sorted(unknown)}")
    return Catalogue(measures, themes)


UNITS: dict[str, Unit] = read_units(DATA_DIR)  # the units shipped in data/, by code


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The catalogue shipped in data/, read once per process."""
    return read_catalogue()

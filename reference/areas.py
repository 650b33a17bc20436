"""English local authorities, regions and England, and each authority's statistical neighbours.

Read from ``data/reference/areas.csv`` (built from DfE's published lists) and
``data/reference/statistical_neighbours.csv`` (DfE's May 2025 benchmarking tool). A return may name
an area by its 9-character ONS code, DfE's 3-digit number or its name, in any case.
"""

from __future__ import annotations

import csv
import difflib
import re
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from settings import DATA_DIR

ENGLAND_CODE = "E92000001"
REFERENCE_DIR = DATA_DIR / "reference"


@dataclass(frozen=True)
class Area:
    code: str
    dfe_number: str
    name: str
    region_code: str
    region_name: str
    kind: str  # england, region, subregion or la
    la_type: str
    current: bool
    fictional: bool

    @property
    def is_la(self) -> bool:
        return self.kind == "la"


def _key(text: str) -> str:
    """Name with case, spacing and punctuation ignored, ``&`` read as ``and`` and ``Saint`` as ``St``."""
    text = str(text).strip().lower().replace("&", " and ").replace("\u00a0", " ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"\bsaint\b", "st", text)


# How councils write their own names around the name in DfE's list, as keys (see _key). Longest first,
# so "metropolitan borough council" is taken whole before "borough council" or "council".
COUNCIL_SUFFIXES = tuple(sorted((
    "council", "borough council", "county council", "city council", "district council",
    "metropolitan borough council", "metropolitan district council", "unitary authority", "la",
    "local authority", "corporation", "city of", "county of",  # DfE's "Bristol, City of" and "Herefordshire, County of"
), key=len, reverse=True))
COUNCIL_PREFIXES = tuple(sorted((
    "the", "london borough of", "royal borough of", "borough of", "metropolitan borough of", "city of",
    "county of", "city and county of", "council of the", "council of",
), key=len, reverse=True))
# Names councils go by that no rule above derives from DfE's name (key -> ONS code).
SHORT_NAMES = {
    "hull": "E06000010",  # Hull City Council is Kingston upon Hull, City of
    "durham": "E06000047",  # Durham County Council is County Durham
    "bcp": "E06000058",  # BCP Council is Bournemouth, Christchurch and Poole
}


def _strip_suffix(key: str) -> str:
    for suffix in COUNCIL_SUFFIXES:
        if key.endswith(" " + suffix):
            return key[: -len(suffix) - 1].strip()
    return key


def _strip_prefix(key: str) -> str:
    for prefix in COUNCIL_PREFIXES:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1:].strip()
    return key


def _forms(key: str) -> list[str]:
    """The name itself, then without a council word after it, before it, and both (in that order)."""
    bare = _strip_suffix(key)
    return list(dict.fromkeys([key, bare, _strip_prefix(key), _strip_prefix(bare), _strip_prefix(_strip_prefix(bare))]))


class AreaDirectory:
    """Every area the dashboard knows, with lookup by ONS code, DfE number or name."""

    def __init__(self, areas: list[Area], neighbours: dict[str, list[tuple[int, str, str]]]):
        self.areas = areas
        self._by_code = {a.code: a for a in areas}
        self._lookup: dict[str, str] = {}
        for a in areas:
            self._lookup[a.code.lower()] = a.code
            if a.dfe_number:
                self._lookup[a.dfe_number] = a.code
            self._lookup.setdefault(_key(a.name), a.code)
        # A council's name without its council words, kept only when it names one area and is not
        # itself another area's name ("City of London" without "City of" would be London, the region).
        cores: dict[str, set[str]] = {}
        for a in areas:
            for form in _forms(_key(a.name))[1:]:
                cores.setdefault(form, set()).add(a.code)
        self._cores = {form: next(iter(codes)) for form, codes in cores.items()
                       if len(codes) == 1 and form not in self._lookup}
        for key, code in SHORT_NAMES.items():
            if code in self._by_code:
                self._cores.setdefault(key, code)
        self._neighbours = neighbours

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Area:
        return self._by_code[code]

    def resolve(self, text: object) -> Area | None:
        """The area a return names, or None when nothing matches."""
        if text is None:
            return None
        if isinstance(text, float) and text.is_integer():
            text = int(text)
        raw = str(text).strip()
        if not raw:
            return None
        code = self._lookup.get(raw.lower()) or self._lookup.get(raw.lstrip("0") or raw)
        if code is None:
            forms = _forms(_key(raw))
            code = next((self._lookup[f] for f in forms if f in self._lookup), None)
            code = code or next((self._cores[f] for f in forms if f in self._cores), None)
        return self._by_code[code] if code else None

    def suggest(self, text: object, limit: int = 3) -> list[Area]:
        """The areas whose name is nearest to text that named none, closest first (for messages). Never by
        code: W06000015 is one digit from Derby's E06000015 but is a Welsh council, not a slip."""
        if not isinstance(text, str):
            return []  # a number is a DfE number or nothing: no name is "near" it
        key = _key(text)
        if not key:
            return []
        choices: dict[str, str] = {}
        for a in self.areas:
            choices.setdefault(_key(a.name), a.code)
        for form in _forms(key):
            matches = difflib.get_close_matches(form, list(choices), n=limit * 2, cutoff=0.75)
            if matches:
                codes = list(dict.fromkeys(choices[m] for m in matches))[:limit]
                return [self._by_code[c] for c in codes]
        return []

    def local_authorities(self, include_fictional: bool = True, current_only: bool = True) -> list[Area]:
        return [
            a for a in self.areas
            if a.is_la and (include_fictional or not a.fictional) and (a.current or not current_only)
        ]

    def regions(self) -> list[Area]:
        return [a for a in self.areas if a.kind == "region"]

    def region_of(self, code: str) -> Area | None:
        area = self._by_code.get(code)
        if area is None or not area.region_code:
            return None
        return self._by_code.get(area.region_code)

    def neighbours(self, code: str) -> list[Area]:
        """The authority's statistical neighbours, closest first (an empty list for regions and England)."""
        area = self._by_code.get(code)
        if area is None or not area.dfe_number:
            return []
        out = []
        for _rank, number, _closeness in self._neighbours.get(area.dfe_number, []):
            neighbour = self.resolve(number)
            if neighbour is not None:
                out.append(neighbour)
        return out


def read_areas(reference_dir: Path = REFERENCE_DIR) -> AreaDirectory:
    with (reference_dir / "areas.csv").open(newline="", encoding="utf-8") as handle:
        areas = [
            Area(
                code=r["code"], dfe_number=r["dfe_number"], name=r["name"], region_code=r["region_code"],
                region_name=r["region_name"], kind=r["kind"], la_type=r["la_type"],
                current=r["current"] == "1", fictional=r["fictional"] == "1",
            )
            for r in csv.DictReader(handle)
        ]
    neighbours: dict[str, list[tuple[int, str, str]]] = {}
    with (reference_dir / "statistical_neighbours.csv").open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            neighbours.setdefault(r["dfe_number"], []).append((int(r["rank"]), r["neighbour_dfe_number"], r["closeness"]))
    for rows in neighbours.values():
        rows.sort()
    return AreaDirectory(areas, neighbours)


@lru_cache(maxsize=1)
def shipped_areas() -> AreaDirectory:
    """The areas shipped in data/reference, read once per process."""
    return read_areas()


# The directory in use in this thread of work (one page run, one command, one pack): set explicitly by
# whoever opened the database (ui.data.start_run, views.reads.database_reads, the loaders' command line),
# never by a read. A context variable, not a process-wide global, so two page runs on two databases (or,
# later, two councils' directories) in one process never answer with each other's areas.
_in_use: ContextVar[AreaDirectory | None] = ContextVar("areas_in_use", default=None)


def use_directory(directory: AreaDirectory | None) -> None:
    """Make ``areas()`` answer from this directory in the current context; None goes back to the shipped one."""
    _in_use.set(directory)


def areas() -> AreaDirectory:
    """The areas in use: the shipped ones, or the directory the current context was given (``use_directory``).

    A compatible accessor for the many modules that name areas; code that holds a database's directory
    (``reference.stored.directory_for``) can pass it instead."""
    directory = _in_use.get()
    return directory if directory is not None else shipped_areas()

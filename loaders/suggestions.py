"""The nearest known names to a measure or area a return names but nobody knows, for messages.

A mistyped measure ("cla_cnt") is refused; saying which measure was probably meant turns a search
through the catalogue into a one-word fix. Suggestions are only ever shown, never applied.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from reference.areas import areas
from reference.catalogue import Measure, catalogue, normalise_name
from reference.former_areas import ONS_CODE, describe_code, describe_name

SUGGESTIONS = 3
MEASURE_CUTOFF = 0.6  # difflib ratio below which a name is too far off to be worth suggesting
TOTAL_WORDS = {"total", "totals", "grand total", "sum", "overall", "all", "all children"}


@lru_cache(maxsize=1)
def _measure_keys() -> dict[str, str]:
    """Normalised code, name, short name and alias -> measure code."""
    keys: dict[str, str] = {}
    for measure in catalogue():
        for text in (measure.code, measure.name, measure.short_name, *measure.aliases):
            keys.setdefault(normalise_name(text), measure.code)
    return keys


def nearest_measures(text: str, limit: int = SUGGESTIONS) -> list[Measure]:
    key = normalise_name(text)
    if not key:
        return []
    keys = _measure_keys()
    matches = difflib.get_close_matches(key, list(keys), n=limit * 3, cutoff=MEASURE_CUTOFF)
    codes = list(dict.fromkeys(keys[m] for m in matches))[:limit]
    return [catalogue().get(code) for code in codes]


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def measure_hint(text: str) -> str:
    """What to say after "unknown measure": a totals row, an area in the measure column, or the nearest names."""
    key = " ".join(text.strip().lower().split())
    if key in TOTAL_WORDS:
        return "; a totals row is not a measure: delete the row, or name the measure it counts"
    area = areas().resolve(text) if key else None
    if area is not None:
        return (f"; {area.name} is an area, not a measure: give comparison figures their own rows with the "
                "measure in the measure column and the area in an area column, or delete the row")
    found = nearest_measures(text)
    if not found:
        return ""
    return "; did you mean " + _or([f"'{m.code}' ({m.name})" for m in found]) + "?"


def area_hint(text: object) -> str:
    """What to say after "unknown area": a totals row, what a code outside England or of a former council
    is, or the nearest area names (by name: a code one digit away is another council, not a typing slip)."""
    if isinstance(text, str) and " ".join(text.strip().lower().split()) in TOTAL_WORDS:
        return "; a totals row is not an area: delete the row, or name the area (England is 'England')"
    if isinstance(text, str):
        described = describe_code(text) or describe_name(text)
        if described is not None:
            return f"; {described}"
        if ONS_CODE.fullmatch(text.strip()):
            return "; no English council has this code: check it, or write the council's name"
    found = areas().suggest(text)
    if not found:
        return ""
    return "; did you mean " + _or([f"'{a.name}' ({a.code})" for a in found]) + "?"

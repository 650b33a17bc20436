"""The collection year a 903 file belongs to, from its name or its folder's: ``2024-25``, ``2024_25``,
``202425`` or ``2024-2025`` all mean the year ending 31 March 2025 (stored as 2025).

A name is read only where the two years follow each other (2024 then 25), and a run of digits is read
whole, so a date such as ``20240501`` in a name is never taken for a year.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

_YEARS = re.compile(r"(?<!\d)(20\d\d)[-_ ]?((?:20)?\d\d)(?!\d)")
NAMES_ACCEPTED = ("the collection year in the file's or its folder's name, such as 2024-25, 2024_25 or 202425, "
                  "or given with --collection-year 2025")


def years_in(text: str) -> set[int]:
    """Every collection year a name gives (the year ending 31 March)."""
    found = set()
    for match in _YEARS.finditer(text):
        first, second = int(match.group(1)), match.group(2)
        end = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        if end == first + 1:
            found.add(end)
    return found


def year_of(name: str, container: str = "") -> set[int]:
    """The years the nearest part of ``name`` that gives one says: the file's own name, else its folders,
    innermost first, else the ``container`` (the zip or folder the set was given as)."""
    parts = list(reversed(PurePosixPath(name).parts)) + ([container] if container else [])
    for part in parts:
        found = years_in(part)
        if found:
            return found
    return set()

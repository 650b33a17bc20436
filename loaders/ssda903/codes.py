"""The 903's code lists, read from ``data/ssda903/codes.csv``: one home for every code the reader checks.

Each code has the collection years it is valid for (``first_year``/``last_year``, years ending 31 March,
blank for open). Where two public readings of DfE's lists disagree on a year (PLACE H5, P2, Z1), the
file keeps the code for the later year and says why in its ``note``: a set is refused only for a code no
reading allows, and DfE's rule 146 still reports the code for the year DfE's validator drops it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from settings import DATA_DIR

CODES_FILE = DATA_DIR / "ssda903" / "codes.csv"
# Fields whose unknown code means the set cannot be read with certainty: every episode measure turns on them.
CHECKED_FIELDS = ("RNE", "LS", "PLACE", "REC")


@dataclass(frozen=True)
class Code:
    field: str
    code: str
    first_year: int | None
    last_year: int | None
    meaning: str

    def valid_in(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (self.last_year is None or year <= self.last_year)


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


@cache
def codes() -> tuple[Code, ...]:
    with CODES_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(Code(r["field"], r["code"], _year(r["first_year"]), _year(r["last_year"]), r["meaning"])
                     for r in csv.DictReader(handle))


@cache
def allowed(field: str, year: int) -> frozenset[str]:
    """The codes of ``field`` valid in collection ``year``."""
    return frozenset(c.code for c in codes() if c.field == field and c.valid_in(year))


def accepted_words(field: str, year: int) -> str:
    """``one of A3, A4, ...`` for a message."""
    return "one of " + ", ".join(sorted(allowed(field, year))) + " (or blank)"

"""The 903's code lists, read from ``data/ssda903/codes.csv``: one home for every code the reader checks.

Each code has the collection years it is valid for (``first_year``/``last_year``, years ending 31 March,
blank for open), as DfE's validator has them. The reader refuses a set only for a code DfE has never had
(``known``): it cannot say what such an episode was. A code DfE had in another year (H5 in 2025-26, K3 in
2023-24) is read, and DfE's rules 143, 144, 146 and 149 report it for its year (``allowed``), as DfE would.
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


@cache
def known(field: str) -> frozenset[str]:
    """Every code of ``field`` DfE has had in any year."""
    return frozenset(c.code for c in codes() if c.field == field)


def accepted_words(field: str) -> str:
    """``one of A3, A4, ...`` for a message: every code DfE has had for the field."""
    return "one of " + ", ".join(sorted(known(field))) + " (or blank)"

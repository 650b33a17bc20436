"""The 903 as read: the shapes every part of the 903 work shares (reading, DfE's rules, the measures).

A 903 set is several collection years of up to fourteen tables. Each table is one pandas frame across
every year loaded, with DfE's column names in capitals, text stripped (a blank cell is None), the date
columns parsed (``dd/mm/YYYY``; a blank is NaT) and three columns of our own that say where each row came
from, so a problem can name the file and the row as a spreadsheet shows it (the header is row 1).

Nothing here is stored: the frames hold child identifiers, dates of birth and postcodes, and live only
for the import that reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from db.models import SSDA903

FILE, ROW, YEAR = "_file", "_row", "_year"  # where a row came from: file name, spreadsheet row, collection year
SOURCE = SSDA903  # the import batch source, and the origin of every figure computed from a 903


@dataclass(frozen=True)
class TableSpec:
    """One 903 table as DfE names it: recognised by its columns (case and order free)."""

    name: str  # our name for it: header, episodes, reviews, uasc, missing, oc2, oc3, ad1, ...
    title: str  # in words, for messages: "Episodes"
    columns: tuple[str, ...]  # DfE's column names, in DfE's order
    dates: tuple[str, ...] = ()  # the columns holding dd/mm/YYYY dates


TABLES: tuple[TableSpec, ...] = (
    TableSpec("header", "Header", ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"), ("DOB", "MC_DOB")),
    TableSpec("episodes", "Episodes",
              ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
               "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"), ("DECOM", "DEC")),
    TableSpec("reviews", "Reviews", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"), ("DOB", "REVIEW")),
    TableSpec("uasc", "UASC", ("CHILD", "SEX", "DOB", "DUC"), ("DOB", "DUC")),
    TableSpec("missing", "Missing", ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"), ("DOB", "MIS_START", "MIS_END")),
    TableSpec("oc2", "OC2",
              ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS",
               "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED",
               "INTERVENTION_OFFERED"), ("DOB",)),
    TableSpec("oc3", "OC3", ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"), ("DOB",)),
    TableSpec("ad1", "AD1",
              ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
              ("DOB", "DATE_INT", "DATE_MATCH")),
    TableSpec("placed_adoption", "Placed for adoption",
              ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
              ("DOB", "DATE_PLACED", "DATE_PLACED_CEASED")),
    TableSpec("prev_perm", "Previous permanence", ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"), ("DOB",)),
    TableSpec("sw_episodes", "Social worker episodes", ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
              ("DOB", "SW_DECOM", "SW_DEC")),
    TableSpec("dolo", "Deprivation of liberty orders", ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
              ("DOB", "DOLO_START", "DOLO_END")),
)
TABLE = {spec.name: spec for spec in TABLES}


def collection_year_label(year: int) -> str:
    """2025 -> '2024-25': a collection year runs from 1 April to 31 March and is named by both years."""
    return f"{year - 1}-{year % 100:02d}"


def collection_year_end(year: int) -> date:
    return date(year, 3, 31)


@dataclass(frozen=True)
class FileOf903:
    """One file of the set: what it was recognised as, and its hash (the only trace of it that is stored)."""

    name: str
    table: str  # a TableSpec.name
    collection_year: int  # the year ending 31 March, e.g. 2025 for 2024-25
    rows: int
    sha256: str


@dataclass(frozen=True)
class Return903:
    """A council's 903 set as read: every table over every collection year, and the files it came from.

    ``tables`` maps a TableSpec.name to one frame over every year (columns: DfE's, then FILE, ROW, YEAR).
    A table no file gave is an empty frame with its columns, so every reader can rely on the columns.
    """

    area_code: str
    years: tuple[int, ...]  # collection years present, oldest first
    files: tuple[FileOf903, ...]
    tables: Mapping[str, pd.DataFrame] = field(repr=False)
    notes: tuple[str, ...] = ()  # what the reading left out and why (a column DfE does not name), for the preview

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def latest_year(self) -> int:
        return self.years[-1]


@dataclass(frozen=True)
class Problem903:
    """One breach of one of DfE's validation rules: as DfE's validator reports it, plus the file's row.

    Shown to editors (preview, ``python -m loaders check``) and never stored: it names a child.
    Only the count per rule is kept.
    """

    rule: str  # DfE's rule code, "103"
    table: str  # a TableSpec.name
    row: int  # the row as a spreadsheet shows it (header is row 1); 0 where the rule is about the set
    child: str  # CHILD, "" where none
    message: str  # DfE's message
    file: str = ""  # the file the row is in
    collection_year: int = 0

    @property
    def where(self) -> str:
        """'2024-25/oc3.csv row 36': the file (else the table) and the row, as a spreadsheet shows it."""
        place = self.file or (TABLE[self.table].title if self.table in TABLE else self.table)
        return f"{place} row {self.row}" if self.row else place


@dataclass(frozen=True)
class Figure903:
    """One measure computed from the 903 at one date, with what it was computed from.

    ``children`` is the set of CHILD identifiers in the figure's denominator (its cohort), so the import can
    say how many of them have a problem that touches this measure. It is never stored.
    """

    measure_code: str
    period_type: str  # "year" (at 31 March, as DfE publishes it) or "month" (12 months to a month end)
    period_end: date
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str = "value"  # reference.statuses: "value", or why there is none
    children: frozenset[str] = field(default=frozenset(), repr=False)
    note: str = ""  # a choice made where DfE's wording leaves one, for this figure (e.g. latest population)
    # The tables the measure reads (TableSpec.name): a problem in another table does not touch the figure.
    # Empty: every table.
    tables: tuple[str, ...] = ()
    # The note in words true at every date, where the note itself names something that differs from one date
    # to the next (how many children): a list of the dates with no figure then gives one line per reason.
    general_note: str = ""

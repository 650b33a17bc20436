"""Problems with a file, as data: one record per problem, all collected before anything is written.

Each problem names the file, the sheet, the cell, the rule broken, the text found and what would be
accepted, so a performance officer can open the workbook and fix it without asking anyone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

QUOTE_WHOLE = 300  # a text up to this length is quoted whole (a sentence saying why a file is refused)
QUOTE_START = 60  # characters shown of a longer text, followed by its length


def quote(text: str) -> str:
    """A cell's text quoted for a message, shortened when long.

    One cell can hold a whole pasted document (a CSV field of 100,000 characters); quoting all of it
    would bury every other problem, so the first characters are shown with the full length:
    ``'aaaa…' (100,000 characters)``.
    """
    if len(text) <= QUOTE_WHOLE:
        return repr(text)
    return f"{text[:QUOTE_START] + '…'!r} ({len(text):,} characters)"


class Rule(StrEnum):
    NOT_A_WORKBOOK = "not a workbook"
    NO_RETURN = "no recognisable return"
    MISSING_COLUMN = "missing column"
    UNKNOWN_MEASURE = "unknown measure"
    UNKNOWN_AREA = "unknown area"
    AREA_LIFETIME = "a period the council did not exist for"
    NO_AREA = "no area"
    BAD_PERIOD = "unreadable period"
    BAD_VALUE = "unreadable value"
    BAD_BREAKDOWN = "unreadable breakdown"
    NUMERATOR_ABOVE_DENOMINATOR = "numerator above denominator"
    CONTRADICTED_PERCENT = "a percentage its numerator and denominator contradict"
    LIKELY_FRACTION = "a percentage written as a fraction"
    DUPLICATE = "duplicate value"
    BAD_TARGET = "unreadable target"
    BAD_COMMENTARY = "unreadable commentary"
    COMMENTARY_CONFLICT = "two commentaries for one figure"
    OUT_OF_RANGE = "value outside its range"
    NOT_FINITE = "not a finite number"
    EXCEL_ERROR = "an Excel error"
    UNCACHED_FORMULA = "a formula without a saved value"
    DISTRUSTED_FORMULA = "a formula whose saved result cannot be trusted"
    FIGURE_BELOW_TABLE = "a figure below the table's first blank row"
    STRAY_FIGURE = "a figure far outside the table"
    EMPTY_AREA = "an empty area cell"
    UNKNOWN_COLUMN = "unknown column"
    DUPLICATE_COLUMN = "the same column twice"
    UNREADABLE_FILE = "could not be read"
    NOT_LOADED = "could not be loaded"
    # The SSDA903 return's files (loaders.ssda903.read)
    BAD_DATE = "not a date"
    UNKNOWN_CODE = "unknown code"
    CHILD_TWICE = "one child twice in the header"
    NO_YEAR = "no collection year"
    TWO_FILES = "two files for one table and year"
    NOT_YOUR_COUNCIL = "a council you may not change"
    TWO_COUNCILS = "a second council's figures"
    SHARED_FIGURES = "DfE's figures, which every council on this database shares"


# Rules whose ``expected`` is an instruction ("fix the formula, ...") rather than what a cell may hold.
ADVICE_RULES = frozenset({
    Rule.EXCEL_ERROR, Rule.UNCACHED_FORMULA, Rule.DISTRUSTED_FORMULA, Rule.FIGURE_BELOW_TABLE, Rule.STRAY_FIGURE, Rule.EMPTY_AREA,
    Rule.UNREADABLE_FILE, Rule.NOT_LOADED, Rule.LIKELY_FRACTION, Rule.NOT_YOUR_COUNCIL, Rule.TWO_COUNCILS,
    Rule.SHARED_FIGURES,
})


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    cell: str
    rule: Rule
    text: str
    expected: str

    def message(self) -> str:
        where = ", ".join(p for p in (self.file, f"sheet '{self.sheet}'" if self.sheet else "", f"cell {self.cell}" if self.cell else "") if p)
        if self.rule in (Rule.UNREADABLE_FILE, Rule.NOT_LOADED):  # the text says what went wrong, in words: no quotes
            return f"{where}: {self.rule.value}: {self.text}; {self.expected}"
        found = f" {quote(self.text)}" if self.text != "" else ""
        then = self.expected if self.rule in ADVICE_RULES else f"expected {self.expected}"
        return f"{where}: {self.rule.value}{found}; {then}"

    def as_dict(self) -> dict[str, str]:
        record = asdict(self)
        record["rule"] = self.rule.value
        return record


class ImportRejected(Exception):
    """Raised with every problem found; the database has not been touched."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.message() for p in problems))


def cell_ref(row_index: int, column_index: int) -> str:
    """Excel address of a zero-based row and column: (2, 3) -> 'D3'."""
    letters = ""
    n = column_index + 1
    while n:
        n, remainder = divmod(n - 1, 26)
        letters = chr(65 + remainder) + letters
    return f"{letters}{row_index + 1}"

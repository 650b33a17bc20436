"""Finding the return in a workbook and reading it into tidy observations and targets.

A council's return may sit on any sheet, below a title and notes, in one of two layouts:

- tidy: one figure per row, with ``measure``, ``period`` and ``value`` columns and optionally
  ``area``, ``numerator``, ``denominator``, ``breakdown`` (``dimension: category``) and ``target``
  (the target over that row's period);
- wide: one measure (and area) per row with a column per period, and optionally a ``target``.

Sheets without such a header in their first rows (read-me, notes, lists of codes) are left alone, and
hidden sheets are never read (they are often last month's copy). Every problem in the file is
collected, with its sheet and cell, before anything is written.

Where a table ends, so that no figure is ever lost without a word:

- tidy: at its first blank row. Rows of text below it (``Source: ...``, ``* provisional``) are notes,
  skipped and counted; a number or a known measure below it is refused, since nobody can tell whether
  it belongs to the table.
- wide: every row below the header is read, blank rows and section titles included, because each row
  names its measure and takes its periods from the header: a row after a gap is as certain as one
  before it. Rows with no figures are titles or notes (counted unless they name a measure).
- either layout: rows Excel hides (by hand or by a filter) are read like the others, and the summary
  says how many rows with figures were hidden, since nobody looking at the sheet in Excel sees them.
- either layout: a number under an empty heading, or in a column the layout does not read, is refused;
  so is a cell holding an Excel error (#N/A) or a formula with no saved value, anywhere the return
  reads, and a figure in a stray cell far from the table. Stray text is a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import settings
from db.models import NO_BREAKDOWN, ImportBatch, Observation
from db.writes import OBSERVATION_COLUMNS, TARGET_COLUMNS
from loaders.commentary_column import empty_commentary, one_per_figure, read_commentary
from loaders.fractions import PLAIN_NUMBER, likely_fractions
from loaders.periods import ACCEPTED_PERIODS, Period, parse_periods
from loaders.problems import Problem, Rule, cell_ref
from loaders.report import ParsedFile, sha256_of
from loaders.suggestions import area_hint, measure_hint
from loaders.validate import check_observations, check_targets
from loaders.values import (
    ACCEPTED_VALUE,
    BAD,
    EMPTY,
    EXCEL_ERRORS,  # one home for Excel's error texts, beside the other cell readings
    NUMBER,
    STATUS,
    CellValues,
    cell_text,
    is_blank,
    read_values,
    scale_percent_formatted,
)
from loaders.workbook import ACCEPTED_FILES, NotAWorkbook, Sheet, Workbook, read_workbook
from reference.areas import areas
from reference.catalogue import catalogue
from reference.statuses import VALUE

HEADER_SEARCH_ROWS = 20

# What a header cell may say (lower case, spaces and underscores removed) and the column it names.
COLUMN_ROLES: dict[str, str] = {
    "measure": "measure", "measurecode": "measure", "measurename": "measure", "indicator": "measure",
    "area": "area", "areacode": "area", "areaname": "area", "la": "area", "lacode": "area",
    "localauthority": "area", "onscode": "area",
    "period": "period", "periodend": "period", "date": "period", "month": "period",
    "value": "value", "figure": "value",
    "numerator": "numerator", "denominator": "denominator",
    "breakdown": "breakdown",
    "target": "target",
    "commentary": "commentary", "comment": "commentary", "comments": "commentary",
}
# Columns a wide return may carry beside its periods, which are not figures and are not loaded.
IGNORED_WIDE_COLUMNS = {
    "notes", "note", "unit", "units", "polarity", "description",
    "definition", "source", "name", "rag", "trend", "direction", "theme", "tolerance",
}
TIDY_REQUIRED = ("measure", "period", "value")

ACCEPTED_MEASURE = "a measure code, name or alias from the catalogue (data/measures.csv), such as cla_count"
ACCEPTED_AREA = "an ONS code (such as E06000049), a DfE local authority number (such as 895) or an area name"
ACCEPTED_NO_AREA = "an area column, or a known area given with --area or DASHBOARD_HOME_AREA"
ACCEPTED_EMPTY_VALUE = f"{ACCEPTED_VALUE}, not an empty cell (leave the row out when there is no figure)"
ACCEPTED_BREAKDOWN = "dimension: category, such as 'age: 10-15', or empty for the headline figure"
# The longest texts the database holds (db/models.py): checked here so a file has the same outcome on
# SQLite, which stores any length, and PostgreSQL, which refuses a longer text with a driver error.
MAX_DIMENSION = Observation.__table__.c.dimension.type.length
MAX_CATEGORY = Observation.__table__.c.category.type.length
MAX_FILE_NAME = ImportBatch.__table__.c.file_name.type.length
ACCEPTED_BREAKDOWN_LENGTH = (f"a breakdown whose dimension (before the colon) has at most {MAX_DIMENSION} characters "
                             f"and whose category (after it) at most {MAX_CATEGORY}; this one's {{part}} has "
                             "{length:,}: shorten it")
ACCEPTED_FILE_NAME = f"a file name of at most {MAX_FILE_NAME} characters: rename the file and load it again"
ACCEPTED_TARGET = "a number for the target over the sheet's periods, or an empty cell"
ACCEPTED_FRACTION = "a {role} as a number, a status symbol such as c, or an empty cell"
ACCEPTED_ZERO_DENOMINATOR = "a denominator above 0 to work the percentage out from, or a value"
ACCEPTED_NO_PERCENT = "a number without a % sign: this measure is not a percentage"
ACCEPTED_RETURN = (
    f"a sheet whose header row (within its first {HEADER_SEARCH_ROWS} rows) has measure, period and value "
    "columns (tidy layout) or a measure column and one column per period (wide layout)"
)
ACCEPTED_HEADER = f"a period ({ACCEPTED_PERIODS}), target, or a notes column"
ACCEPTED_FINITE = "a finite number (not infinity, and not so many digits that it cannot be held), or a status symbol"
ACCEPTED_EXCEL_ERROR = "fix the formula, or leave the cell empty or write a status symbol such as x"
ACCEPTED_UNCACHED = ("open the file in Excel and save it, so the figures the formulas work out are saved with "
                     "them (the file holds the formulas but not their results)")
ACCEPTED_EMPTY_AREA = ("write the area's ONS code, DfE number or name on every row, or remove the area column to "
                       "file every row under the default area")
ACCEPTED_BELOW_TABLE = "move it into the table or delete the blank row above it (the table ends at its first blank row)"
ACCEPTED_STRAY = "move it into the table or delete it: it lies far outside the sheet's table"
ACCEPTED_NO_HEADING = "a heading for this column (a period, or notes), or delete the column"
ACCEPTED_TIDY_COLUMN = (
    "a tidy column (measure, area, period, value, numerator, denominator, breakdown) or a notes column; "
    "delete a column of figures the return does not load"
)
ACCEPTED_TIDY_TARGET = "a number for the target over the row's period, or an empty cell for no target"
ACCEPTED_ONE_COLUMN = "one {role} column; delete or rename the other"
ACCEPTED_SAME_AS = "the same {role} as column {other} gives on this row ({text!r}), or one {role} column only"

PROVENANCE = ["sheet", "cell", "text"]
FRACTION_PROVENANCE = ["numerator_cell", "numerator_text", "denominator_cell", "denominator_text"]


def normalise_header(item: object) -> str:
    """Header text with case, spaces and underscores ignored."""
    return re.sub(r"[\s_]+", "", str(item).lower()) if item is not None else ""


def column_letters(count: int) -> np.ndarray:
    return np.array([cell_ref(0, c)[:-1] for c in range(count)], dtype=object)


def resolve_default_area(text: str | None) -> str | None:
    """ONS code of the area rows without one are filed under: the one given, else the home area."""
    area = areas().resolve(text if text else settings.HOME_AREA.value())
    return area.code if area is not None else None


@dataclass
class SheetResult:
    observations: list[pd.DataFrame] = field(default_factory=list)
    targets: list[pd.DataFrame] = field(default_factory=list)
    commentary: list[pd.DataFrame] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: int = 0  # rows (and stray cells) of text only, which are not read
    hidden_rows: int = 0  # rows Excel hides that gave figures, targets or commentary: read like the others


@dataclass
class Header:
    """Where a sheet's header row is and which column plays which part."""

    layout: str  # tidy or wide
    row: int
    columns: dict[str, int]
    periods: dict[int, Period] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (role, column) named a second time


class ReturnReader:
    """Reads one file; holds lookups shared by its sheets so each distinct text is resolved once."""

    def __init__(self, file_name: str, default_area: str | None):
        self.file_name = file_name
        self.default_area = default_area
        self._measures: dict[str, str | None] = {}
        self._areas: dict[object, str | None] = {}
        self.catalogue = catalogue()
        self._percent = {m.code for m in self.catalogue if m.is_percent}

    # lookups -------------------------------------------------------------------------------------
    def measure_code(self, text: object) -> str | None:
        key = cell_text(text).strip()
        if key not in self._measures:
            measure = self.catalogue.find(key) if key else None
            self._measures[key] = measure.code if measure else None
        return self._measures[key]

    def area_code(self, item: object) -> str | None:
        key = item if isinstance(item, int | float) else cell_text(item).strip()
        if key not in self._areas:
            area = areas().resolve(key) if key != "" else None
            self._areas[key] = area.code if area else None
        return self._areas[key]

    def problem(self, sheet: Sheet, row: int, col: int, rule: Rule, text: object, expected: str) -> Problem:
        """The problem at a cell; a cell holding an Excel error or an unsaved formula says that instead,
        since that is what must be fixed whatever rule the text it shows would break."""
        error = excel_error(sheet, row, col)
        if error is not None:
            return Problem(self.file_name, sheet.name, cell_ref(row, col), Rule.EXCEL_ERROR, error, ACCEPTED_EXCEL_ERROR)
        formula = sheet.uncached.get((row, col))
        distrusted = sheet.distrusted.get((row, col))
        if formula is not None and distrusted is not None:
            return Problem(self.file_name, sheet.name, cell_ref(row, col), Rule.DISTRUSTED_FORMULA, formula, distrusted)
        if formula is not None:
            return Problem(self.file_name, sheet.name, cell_ref(row, col), Rule.UNCACHED_FORMULA, formula,
                           ACCEPTED_UNCACHED)
        if rule == Rule.BAD_VALUE and text not in ("", None) and read_values([text], **_value_options(sheet)).not_finite[0]:
            rule, expected = Rule.NOT_FINITE, ACCEPTED_FINITE
        return Problem(self.file_name, sheet.name, cell_ref(row, col), rule, cell_text(text), expected)

    def uncached_problems(self, sheet: Sheet, rows: range | np.ndarray, cols: list[int] | None) -> list[Problem]:
        """Every formula without a saved value in these rows (and columns; None for every column)."""
        if not sheet.uncached:
            return []
        wanted_rows = set(int(r) for r in rows)
        wanted_cols = None if cols is None else set(cols)
        return [self.problem(sheet, r, c, Rule.UNCACHED_FORMULA, formula, ACCEPTED_UNCACHED)
                for (r, c), formula in sorted(sheet.uncached.items())
                if r in wanted_rows and (wanted_cols is None or c in wanted_cols)]

    # header --------------------------------------------------------------------------------------
    def find_header(self, sheet: Sheet) -> Header | None:
        rows, width = sheet.shape
        for r in range(min(HEADER_SEARCH_ROWS, rows)):
            roles: dict[str, int] = {}
            duplicates: list[tuple[str, int]] = []
            others: list[int] = []
            for c in range(width):
                item = sheet.cells[r, c]
                if item is None or (isinstance(item, str) and not item.strip()):
                    continue
                role = COLUMN_ROLES.get(normalise_header(item)) if isinstance(item, str) else None
                if role is None:
                    others.append(c)
                elif role in roles:
                    duplicates.append((role, c))
                else:
                    roles[role] = c
            if "measure" not in roles:
                continue
            unsaved = self.uncached_problems(sheet, [r], None)  # headings nobody can read yet
            if all(role in roles for role in TIDY_REQUIRED):
                return Header("tidy", r, roles, problems=unsaved, duplicates=duplicates)
            periods = parse_periods([sheet.cells[r, c] for c in others])
            found = {c: p for c, p in zip(others, periods, strict=True) if p is not None}
            if found:
                header = self._wide_header(sheet, r, roles, others, found)
                header.problems[:0] = unsaved
                header.duplicates = duplicates
                return header
            if "period" in roles:
                return Header("tidy", r, roles, problems=unsaved or [self.problem(
                    sheet, r, roles["measure"], Rule.MISSING_COLUMN, "",
                    "a value column in the header row beside measure and period",
                )])
            if unsaved:  # periods written as formulas with no saved value: a header, but unreadable
                return Header("unreadable", r, roles, problems=unsaved)
        return None

    def _wide_header(self, sheet: Sheet, row: int, roles: dict[str, int], others: list[int],
                     periods: dict[int, Period]) -> Header:
        kept = ("measure", "area", "target", "commentary")
        header = Header("wide", row, {k: v for k, v in roles.items() if k in kept}, periods)
        below = sheet.cells[row + 1:]
        for c in others:
            if c in periods or normalise_header(sheet.cells[row, c]) in IGNORED_WIDE_COLUMNS:
                continue
            if all(item is None or (isinstance(item, str) and not item.strip()) for item in below[:, c]):
                continue  # a stray label over an empty column holds no figures
            header.problems.append(self.problem(sheet, row, c, Rule.BAD_PERIOD, sheet.cells[row, c], ACCEPTED_HEADER))
        for role in ("period", "value", "numerator", "denominator", "breakdown"):
            if role in roles and roles[role] not in periods:
                header.problems.append(self.problem(
                    sheet, row, roles[role], Rule.BAD_PERIOD, sheet.cells[row, roles[role]],
                    f"{ACCEPTED_HEADER}; a {role} column belongs to the tidy layout, which also needs "
                    + ", ".join(TIDY_REQUIRED),
                ))
        return header

    # shared pieces -------------------------------------------------------------------------------
    def _measures_for(self, sheet: Sheet, rows: np.ndarray, col: int) -> np.ndarray:
        return np.array([self.measure_code(item) for item in sheet.cells[rows, col]], dtype=object)

    def _areas_for(self, sheet: Sheet, rows: np.ndarray, col: int | None) -> tuple[np.ndarray, np.ndarray]:
        """Area code per row (None when unknown) and whether the row named an area at all."""
        if col is None:
            return np.full(rows.size, self.default_area, dtype=object), np.zeros(rows.size, dtype=bool)
        named = np.array([not is_blank(item) for item in sheet.cells[rows, col]], dtype=bool)
        codes = np.array(  # a blank area cell is refused, so it is filed under no area at all
            [self.area_code(item) if given else None for item, given in zip(sheet.cells[rows, col], named, strict=True)],
            dtype=object,
        )
        return codes, named

    def _row_problems(self, sheet: Sheet, rows: np.ndarray, measures: np.ndarray, measure_col: int,
                      area_codes: np.ndarray, area_named: np.ndarray, area_col: int | None) -> list[Problem]:
        problems = []
        for r, code, area, named in zip(rows, measures, area_codes, area_named, strict=True):
            if code is None:
                text = cell_text(sheet.cells[r, measure_col]).strip()
                problems.append(self.problem(sheet, r, measure_col, Rule.UNKNOWN_MEASURE, sheet.cells[r, measure_col],
                                             ACCEPTED_MEASURE + measure_hint(text)))
            if area_col is not None and not named:
                # never the default area: a blank among named areas is as likely England's row as ours
                problems.append(self.problem(sheet, r, area_col, Rule.EMPTY_AREA, "", ACCEPTED_EMPTY_AREA))
            elif area is None and named:
                problems.append(self.problem(sheet, r, area_col, Rule.UNKNOWN_AREA, sheet.cells[r, area_col],
                                             ACCEPTED_AREA + area_hint(sheet.cells[r, area_col])))
            elif area is None:
                problems.append(self.problem(sheet, r, measure_col, Rule.NO_AREA, "", ACCEPTED_NO_AREA))
        return problems

    def _second_columns(self, sheet: Sheet, header: Header, rows: np.ndarray, measures: np.ndarray,
                        area_codes: np.ndarray) -> list[Problem]:
        """A second measure or area column (code and name side by side) must agree with the first on
        every row; a second column of any other kind is refused, as nobody can tell which one counts."""
        problems = []
        letters = column_letters(sheet.shape[1])
        for role, col in header.duplicates:
            if role not in ("measure", "area"):
                if role == "target" and header.layout == "tidy":
                    continue  # reported once as a tidy target column
                if self._holds_anything(sheet, rows, col):
                    problems.append(self.problem(sheet, header.row, col, Rule.DUPLICATE_COLUMN,
                                                 sheet.cells[header.row, col], ACCEPTED_ONE_COLUMN.format(role=role)))
                continue
            first = header.columns[role]
            expected = measures if role == "measure" else area_codes
            for i, r in enumerate(rows):
                item = sheet.cells[r, col]
                if is_blank(item):
                    continue
                got = self.measure_code(item) if role == "measure" else self.area_code(item)
                if got != expected[i]:
                    problems.append(self.problem(
                        sheet, r, col, Rule.UNKNOWN_MEASURE if role == "measure" else Rule.UNKNOWN_AREA, item,
                        ACCEPTED_SAME_AS.format(role=role, other=letters[first], text=cell_text(sheet.cells[r, first])),
                    ))
        return problems

    @staticmethod
    def _holds_anything(sheet: Sheet, rows: np.ndarray, col: int) -> bool:
        return any(not is_blank(item) for item in sheet.cells[rows, col]) or any(
            (r, col) in sheet.uncached for r in rows)

    def _is_percent(self, measures: np.ndarray) -> np.ndarray:
        return np.array([code in self._percent for code in measures], dtype=bool)

    def _percent_mask(self, sheet: Sheet, rows: np.ndarray, cols: np.ndarray | list[int]) -> np.ndarray | None:
        if sheet.percent is None:
            return None
        return sheet.percent[np.ix_(rows, np.asarray(cols))]

    def _headless_columns(self, sheet: Sheet, header: Header, rows: np.ndarray) -> list[Problem]:
        """A number under an empty heading would be dropped without a word: refuse it, once per column."""
        problems = []
        for c in range(sheet.shape[1]):
            if not is_blank(sheet.cells[header.row, c]) or (header.row, c) in sheet.uncached:
                continue
            numbers = read_values(sheet.cells[rows, c], **_value_options(sheet)).kind == NUMBER
            first = np.flatnonzero(numbers)
            if first.size:
                r = rows[first[0]]
                problems.append(self.problem(sheet, r, c, Rule.UNKNOWN_COLUMN, sheet.cells[r, c], ACCEPTED_NO_HEADING))
        return problems

    def _count_notes(self, sheet: Sheet, rows: np.ndarray, measure_col: int | None) -> int:
        """Rows of text only (titles, footnotes, sources); a row naming a known measure is not a note."""
        count = 0
        for r in rows:
            items = [item for item in sheet.cells[r] if not is_blank(item)]
            if not items:
                continue
            if measure_col is not None and self.measure_code(sheet.cells[r, measure_col]) is not None:
                continue
            count += 1
        return count

    def below_table(self, sheet: Sheet, rows: np.ndarray) -> SheetResult:
        """Rows after the table's first blank row: text is a note, anything that may be a figure is refused."""
        result = SheetResult()
        for r in rows:
            found: list[Problem] = []
            text = False
            for c in range(sheet.shape[1]):
                item = sheet.cells[r, c]
                if (r, c) in sheet.uncached or excel_error(sheet, r, c) is not None:
                    found.append(self.problem(sheet, r, c, Rule.BAD_VALUE, item, ACCEPTED_VALUE))
                elif is_blank(item):
                    continue
                elif self.may_be_figure(item, sheet):
                    found.append(self.problem(sheet, r, c, Rule.FIGURE_BELOW_TABLE, item, ACCEPTED_BELOW_TABLE))
                else:
                    text = True
            result.problems += found
            result.notes += int(text and not found)
        return result

    def may_be_figure(self, item: object, sheet: Sheet) -> bool:
        """A number (typed or as text) or the name of a known measure: something that must not be lost."""
        if isinstance(item, str) and self.measure_code(item) is not None:
            return True
        return bool((read_values([item], **_value_options(sheet)).kind == NUMBER).all())

    def stray_cells(self, sheet: Sheet) -> SheetResult:
        """Cells far outside the sheet's block: text is a note, a figure is refused naming its cell."""
        result = SheetResult()
        for r, c, item in sheet.outliers:
            if isinstance(item, str) and not self.may_be_figure(item, sheet) and item.strip().upper() not in EXCEL_ERRORS:
                result.notes += 1
            elif not is_blank(item):
                result.problems.append(Problem(self.file_name, sheet.name, cell_ref(r, c), Rule.STRAY_FIGURE,
                                               cell_text(item), ACCEPTED_STRAY))
        return result

    # wide ----------------------------------------------------------------------------------------
    def read_wide(self, sheet: Sheet, header: Header) -> SheetResult:
        result = SheetResult(problems=list(header.problems))
        measure_col = header.columns["measure"]
        area_col = header.columns.get("area")
        target_col = header.columns.get("target")
        period_cols = np.array(sorted(header.periods), dtype=np.intp)
        rows = np.arange(header.row + 1, sheet.shape[0])
        if rows.size == 0:
            return result
        block = sheet.cells[np.ix_(rows, period_cols)]
        cells = read_values(block, self._percent_mask(sheet, rows, period_cols), **_value_options(sheet))
        shape = block.shape
        kind = cells.kind.reshape(shape)
        keep = (kind != EMPTY).any(axis=1)
        targets = None
        if target_col is not None:
            targets = read_values(sheet.cells[rows, target_col], self._percent_mask(sheet, rows, [target_col]),
                                  **_value_options(sheet))
            keep |= targets.kind != EMPTY
        figure_cols = [*period_cols.tolist(), *([target_col] if target_col is not None else [])]
        keep |= _uncached_rows(sheet, rows, figure_cols)  # a formula with no saved value may be a figure
        result.problems += self._headless_columns(sheet, header, rows)
        # rows with neither figures nor a target are titles, notes or spacing; text there is a note
        result.notes += self._count_notes(sheet, rows[~keep], measure_col)
        commentary_col = header.columns.get("commentary")
        if commentary_col is not None and (~keep).any():
            result.problems += self._commentary_without_figures(sheet, rows[~keep], measure_col, commentary_col)
        if not keep.any():
            return result
        rows, block, kind = rows[keep], block[keep], kind[keep]
        result.hidden_rows = _hidden_count(sheet, rows)
        used = [measure_col, *([area_col] if area_col is not None else []), *figure_cols]
        result.problems += self.uncached_problems(sheet, rows, used)
        measures = self._measures_for(sheet, rows, measure_col)
        area_codes, area_named = self._areas_for(sheet, rows, area_col)
        result.problems += self._row_problems(sheet, rows, measures, measure_col, area_codes, area_named, area_col)
        result.problems += self._second_columns(sheet, header, rows, measures, area_codes)

        is_percent = self._is_percent(measures)
        percent_sign = cells.percent_sign.reshape(shape)[keep]
        percent_format = cells.percent_format.reshape(shape)[keep]
        value = scale_percent_formatted(cells.value.reshape(shape)[keep], percent_format, is_percent[:, None])
        status = cells.status.reshape(shape)[keep]
        row_idx, col_idx = np.nonzero((kind == BAD) | (percent_sign & ~is_percent[:, None]))
        for i, j in zip(row_idx, col_idx, strict=True):
            expected = ACCEPTED_VALUE if kind[i, j] == BAD else ACCEPTED_NO_PERCENT
            result.problems.append(self.problem(sheet, rows[i], period_cols[j], Rule.BAD_VALUE, block[i, j], expected))

        row_idx, col_idx = np.nonzero((kind == NUMBER) | (kind == STATUS))
        if row_idx.size:
            periods = [header.periods[c] for c in period_cols]
            period_type = np.array([p.period_type for p in periods], dtype=object)
            period_end = np.array([p.period_end for p in periods], dtype=object)
            size = row_idx.size
            columns = {
                "measure_code": measures[row_idx],
                "area_code": area_codes[row_idx],
                "period_type": period_type[col_idx],
                "period_end": period_end[col_idx],
                "dimension": np.full(size, NO_BREAKDOWN, dtype=object),
                "category": np.full(size, NO_BREAKDOWN, dtype=object),
                "value": value[row_idx, col_idx],
                "numerator": np.full(size, np.nan),
                "denominator": np.full(size, np.nan),
                "status": status[row_idx, col_idx],
                "sheet": np.full(size, sheet.name, dtype=object),
                "cell": column_letters(sheet.shape[1])[period_cols[col_idx]] + _row_numbers(rows)[row_idx],
                "text": block[row_idx, col_idx],
                PLAIN_NUMBER: ~(percent_format | percent_sign)[row_idx, col_idx],
            }
            # plain object columns: a big return is not worth converting to Arrow strings and back
            result.observations.append(pd.DataFrame({
                name: pd.Series(array, dtype=array.dtype, copy=False) for name, array in columns.items()
            }))
        if targets is not None:
            frame, problems = self._wide_targets(sheet, header, rows, targets, keep, measures, area_codes)
            result.targets.append(frame)
            result.problems += problems
        if commentary_col is not None:
            ends = [header.periods[c].period_end for c in period_cols]
            latest = _latest_with_figure(kind, ends)
            frame, problems = read_commentary(self, sheet, commentary_col, rows, measures, area_codes, latest,
                                              no_figure=np.array([end is None for end in latest], dtype=bool),
                                              header_row=header.row)
            result.commentary.append(frame)
            result.problems += problems
        return result

    def _commentary_without_figures(self, sheet: Sheet, rows: np.ndarray, measure_col: int,
                                    commentary_col: int) -> list[Problem]:
        """A commentary on a known measure's row with no figure cannot be filed under a period: refused.
        On any other row (a title, a note) the text is a note, counted with the others."""
        known = np.array([self.measure_code(sheet.cells[r, measure_col]) is not None for r in rows], dtype=bool)
        if not known.any():
            return []
        chosen = rows[known]
        measures = self._measures_for(sheet, chosen, measure_col)
        nowhere = np.full(chosen.size, None, dtype=object)
        _, problems = read_commentary(self, sheet, commentary_col, chosen, measures, nowhere, [None] * chosen.size,
                                      no_figure=np.ones(chosen.size, dtype=bool))
        return problems

    def _wide_targets(self, sheet: Sheet, header: Header, rows: np.ndarray, targets: CellValues, keep: np.ndarray,
                      measures: np.ndarray, area_codes: np.ndarray) -> tuple[pd.DataFrame, list[Problem]]:
        """A row's target holds from the start of the sheet's earliest period to the end of its latest."""
        target_col = header.columns["target"]
        is_percent = self._is_percent(measures)
        kind, percent_sign = targets.kind[keep], targets.percent_sign[keep]
        values = scale_percent_formatted(targets.value[keep], targets.percent_format[keep], is_percent)
        start = min(p.start for p in header.periods.values())
        end = max(p.period_end for p in header.periods.values())
        bad = (kind == STATUS) | (kind == BAD) | (percent_sign & ~is_percent)
        problems = [
            self.problem(sheet, rows[i], target_col, Rule.BAD_TARGET, sheet.cells[rows[i], target_col], ACCEPTED_TARGET)
            for i in np.flatnonzero(bad)
        ]
        chosen = np.flatnonzero((kind == NUMBER) & ~bad)
        frame = pd.DataFrame({
            "measure_code": measures[chosen],
            "area_code": area_codes[chosen],
            "period_start": [start] * chosen.size,
            "period_end": [end] * chosen.size,
            "value": values[chosen],
            "sheet": sheet.name,
            "cell": [cell_ref(rows[i], target_col) for i in chosen],
            "text": [cell_text(sheet.cells[rows[i], target_col]) for i in chosen],
            PLAIN_NUMBER: ~(targets.percent_format[keep] | percent_sign)[chosen],
        })
        return frame, problems

    # tidy ----------------------------------------------------------------------------------------
    def _tidy_columns(self, sheet: Sheet, header: Header, rows: np.ndarray, used: list[int]) -> list[Problem]:
        """Columns the tidy layout does not read must not hold figures, which would be lost without a word."""
        problems = self._headless_columns(sheet, header, rows)
        seconds = {c for _, c in header.duplicates}
        targets = [header.columns["target"]] if "target" in header.columns else []
        targets += [c for role, c in header.duplicates if role == "target"]
        for c in range(sheet.shape[1]):
            heading = sheet.cells[header.row, c]
            if c in used or is_blank(heading) or (header.row, c) in sheet.uncached:
                continue
            if c in targets:
                if c != header.columns.get("target") and self._holds_anything(sheet, rows, c):
                    problems.append(self.problem(sheet, header.row, c, Rule.UNKNOWN_COLUMN, heading,
                                                 ACCEPTED_TIDY_TARGET))
                continue
            if c in seconds or c == header.columns.get("commentary") or normalise_header(heading) in IGNORED_WIDE_COLUMNS:
                continue
            if (read_values(sheet.cells[rows, c], **_value_options(sheet)).kind == NUMBER).any():
                problems.append(self.problem(sheet, header.row, c, Rule.UNKNOWN_COLUMN, heading, ACCEPTED_TIDY_COLUMN))
        return problems

    def read_tidy(self, sheet: Sheet, header: Header) -> SheetResult:
        result = SheetResult(problems=list(header.problems))
        if header.problems:
            return result
        cols = header.columns
        used = [cols[role] for role in ("measure", "period", "value", "area", "numerator", "denominator", "breakdown")
                if role in cols]
        table, below = _table_rows(sheet, header.row)
        after = self.below_table(sheet, below)
        result.problems += after.problems
        result.notes += after.notes
        if table.size == 0:
            return result
        result.problems += self._tidy_columns(sheet, header, table, used)
        filled = np.array([not all(is_blank(sheet.cells[r, c]) for c in used) for r in table], dtype=bool)
        filled |= _uncached_rows(sheet, table, used)
        result.notes += self._count_notes(sheet, table[~filled], None)
        rows = table[filled]
        if rows.size == 0:
            return result
        result.hidden_rows = _hidden_count(sheet, rows)
        measure_col, period_col, value_col = cols["measure"], cols["period"], cols["value"]
        area_col = cols.get("area")
        measures = self._measures_for(sheet, rows, measure_col)
        area_codes, area_named = self._areas_for(sheet, rows, area_col)
        problems = self.uncached_problems(sheet, rows, used)
        problems += self._row_problems(sheet, rows, measures, measure_col, area_codes, area_named, area_col)
        problems += self._second_columns(sheet, header, rows, measures, area_codes)

        periods = parse_periods(list(sheet.cells[rows, period_col]))
        for r, period in zip(rows, periods, strict=True):
            if period is None:
                problems.append(self.problem(sheet, r, period_col, Rule.BAD_PERIOD, sheet.cells[r, period_col],
                                             ACCEPTED_PERIODS))

        is_percent = self._is_percent(measures)
        values = read_values(sheet.cells[rows, value_col], self._percent_mask(sheet, rows, [value_col]),
                             **_value_options(sheet))
        value = scale_percent_formatted(values.value, values.percent_format, is_percent)
        status = values.status.copy()
        kind = values.kind.copy()
        fractions = {}
        bad_fraction = np.zeros(rows.size, dtype=bool)  # already reported: not also "an empty value"
        for role in ("numerator", "denominator"):
            if role not in cols:
                fractions[role] = np.full(rows.size, np.nan)
                continue
            read = read_values(sheet.cells[rows, cols[role]], **_value_options(sheet))
            for i in np.flatnonzero((read.kind == BAD) | read.percent_sign):
                problems.append(self.problem(sheet, rows[i], cols[role], Rule.BAD_VALUE,
                                             sheet.cells[rows[i], cols[role]], ACCEPTED_FRACTION.format(role=role)))
            fractions[role] = read.value
            bad_fraction |= read.kind == BAD
        numerator, denominator = fractions["numerator"], fractions["denominator"]
        # a percentage left empty is worked out from its fraction; a fraction that breaks a rule is
        # reported by the rules on fractions, not as an empty value
        fraction = (kind == EMPTY) & is_percent & np.isfinite(numerator) & np.isfinite(denominator)
        with np.errstate(divide="ignore", invalid="ignore"):
            computable = fraction & (denominator > 0) & (numerator >= 0) & (numerator <= denominator)
            value = np.where(computable, 100.0 * numerator / denominator, value)
        kind[computable] = NUMBER
        status[computable] = VALUE
        for i in np.flatnonzero(fraction & (denominator == 0)):
            problems.append(self.problem(sheet, rows[i], cols["denominator"], Rule.BAD_VALUE,
                                         sheet.cells[rows[i], cols["denominator"]], ACCEPTED_ZERO_DENOMINATOR))

        for i in np.flatnonzero((kind == EMPTY) & ~fraction & ~(bad_fraction & is_percent)):
            problems.append(self.problem(sheet, rows[i], value_col, Rule.BAD_VALUE, "", ACCEPTED_EMPTY_VALUE))
        for i in np.flatnonzero(kind == BAD):
            problems.append(self.problem(sheet, rows[i], value_col, Rule.BAD_VALUE, sheet.cells[rows[i], value_col],
                                         ACCEPTED_VALUE))
        for i in np.flatnonzero(values.percent_sign & ~is_percent):
            problems.append(self.problem(sheet, rows[i], value_col, Rule.BAD_VALUE, sheet.cells[rows[i], value_col],
                                         ACCEPTED_NO_PERCENT))

        dimensions = np.full(rows.size, NO_BREAKDOWN, dtype=object)
        categories = np.full(rows.size, NO_BREAKDOWN, dtype=object)
        if "breakdown" in cols:
            for i, r in enumerate(rows):
                item = sheet.cells[r, cols["breakdown"]]
                if is_blank(item):
                    continue
                parsed = parse_breakdown(cell_text(item))
                too_long = breakdown_too_long(parsed) if parsed is not None else None
                if parsed is None or too_long is not None:
                    problems.append(self.problem(sheet, r, cols["breakdown"], Rule.BAD_BREAKDOWN, item,
                                                 ACCEPTED_BREAKDOWN if too_long is None else too_long))
                    dimensions[i] = categories[i] = None  # unreadable: not also "a duplicate" of the headline
                else:
                    dimensions[i], categories[i] = parsed

        letters = column_letters(sheet.shape[1])
        row_numbers = _row_numbers(rows)
        frame = pd.DataFrame({
            "measure_code": measures,
            "area_code": area_codes,
            "period_type": [p.period_type if p else None for p in periods],
            "period_end": [p.period_end if p else None for p in periods],
            "dimension": dimensions,
            "category": categories,
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "status": status,
            "sheet": sheet.name,
            "cell": letters[value_col] + row_numbers,
            "text": [cell_text(item) for item in sheet.cells[rows, value_col]],
            PLAIN_NUMBER: ~(values.percent_format | values.percent_sign | computable),
        })
        for role in ("numerator", "denominator"):
            col = cols.get(role, value_col)
            frame[f"{role}_cell"] = letters[col] + row_numbers
            frame[f"{role}_text"] = [cell_text(item) for item in sheet.cells[rows, col]]
        result.observations.append(frame)
        if "target" in cols:
            targets, target_problems = self._tidy_targets(sheet, cols["target"], rows, periods, measures,
                                                          area_codes, is_percent)
            result.targets.append(targets)
            problems += target_problems
        if "commentary" in cols:
            notes, note_problems = read_commentary(self, sheet, cols["commentary"], rows, measures, area_codes,
                                                   [p.period_end if p else None for p in periods],
                                                   header_row=header.row)
            result.commentary.append(notes)
            problems += note_problems
        result.problems += problems
        return result

    def _tidy_targets(self, sheet: Sheet, target_col: int, rows: np.ndarray, periods: list[Period | None],
                      measures: np.ndarray, area_codes: np.ndarray,
                      is_percent: np.ndarray) -> tuple[pd.DataFrame, list[Problem]]:
        """A tidy row's target holds over that row's own period; an empty cell sets no target."""
        targets = read_values(sheet.cells[rows, target_col], self._percent_mask(sheet, rows, [target_col]),
                              **_value_options(sheet))
        values = scale_percent_formatted(targets.value, targets.percent_format, is_percent)
        bad = (targets.kind == STATUS) | (targets.kind == BAD) | (targets.percent_sign & ~is_percent)
        problems = [
            self.problem(sheet, rows[i], target_col, Rule.BAD_TARGET, sheet.cells[rows[i], target_col],
                         ACCEPTED_TIDY_TARGET)
            for i in np.flatnonzero(bad)
        ]
        dated = np.array([p is not None for p in periods], dtype=bool)
        chosen = np.flatnonzero((targets.kind == NUMBER) & ~bad & dated)
        return pd.DataFrame({
            "measure_code": measures[chosen],
            "area_code": area_codes[chosen],
            "period_start": [periods[i].start for i in chosen],
            "period_end": [periods[i].period_end for i in chosen],
            "value": values[chosen],
            "sheet": sheet.name,
            "cell": [cell_ref(rows[i], target_col) for i in chosen],
            "text": [cell_text(sheet.cells[rows[i], target_col]) for i in chosen],
            PLAIN_NUMBER: ~(targets.percent_format | targets.percent_sign)[chosen],
        }), problems

    # whole file ----------------------------------------------------------------------------------
    def read(self, source: Path | bytes) -> ParsedFile:
        """Read a file from its path or its bytes (an upload): the same reading either way."""
        sha = sha256_of(source)
        try:
            workbook = read_workbook(source, file_name=self.file_name)
        except NotAWorkbook as error:
            problem = Problem(self.file_name, getattr(error, "sheet", ""), getattr(error, "cell", ""),
                              Rule.NOT_A_WORKBOOK, error.text, ACCEPTED_FILES)
            return _parsed(self.file_name, sha, {}, [], [], [problem], [])
        return self.read_sheets(workbook, sha)

    def read_sheets(self, workbook: Workbook, sha: str) -> ParsedFile:
        """Every visible sheet with a return's header; hidden sheets are named, never read."""
        layouts: dict[str, str] = {}
        observations, targets, commentary, problems, notes, hidden_rows = [], [], [], [], 0, 0
        if len(self.file_name) > MAX_FILE_NAME:
            problems.append(Problem(self.file_name, "", "", Rule.NOT_LOADED,
                                    f"its name has {len(self.file_name):,} characters", ACCEPTED_FILE_NAME))
        for sheet in workbook.sheets:
            header = self.find_header(sheet)
            if header is None:
                continue
            layouts[sheet.name] = header.layout
            if header.layout == "unreadable":
                problems += header.problems
                continue
            result = self.read_wide(sheet, header) if header.layout == "wide" else self.read_tidy(sheet, header)
            stray = self.stray_cells(sheet)
            observations += result.observations
            targets += result.targets
            commentary += result.commentary
            problems += result.problems + stray.problems
            notes += result.notes + stray.notes
            hidden_rows += result.hidden_rows
        if not layouts:
            # formulas with no saved value can hide a return's header: say so rather than "no return"
            unsaved = [p for sheet in workbook.sheets for p in self.uncached_problems(sheet, range(sheet.shape[0]), None)]
            problems += unsaved or [Problem(self.file_name, "", "", Rule.NO_RETURN, "", ACCEPTED_RETURN)]
        parsed = _parsed(self.file_name, sha, layouts, observations, targets, problems, commentary)
        parsed.hidden_sheets = list(workbook.hidden)
        parsed.notes_skipped = notes
        parsed.hidden_rows = hidden_rows
        return parsed


def excel_error(sheet: Sheet, row: int, col: int) -> str | None:
    """The Excel error a cell holds (#N/A, #DIV/0!...), from the workbook or as text in a CSV file."""
    error = sheet.errors.get((row, col))
    if error is not None:
        return error
    if row < sheet.shape[0] and col < sheet.shape[1]:
        item = sheet.cells[row, col]
        if isinstance(item, str) and item.strip().upper() in EXCEL_ERRORS:
            return item.strip().upper()
    return None


def _value_options(sheet: Sheet) -> dict[str, bool]:
    """How to read this sheet's numbers: ``61,5`` is 61.5 only in a file written with decimal commas."""
    return {"decimal_comma": True} if sheet.decimal_comma else {}


def _hidden_count(sheet: Sheet, rows: np.ndarray) -> int:
    """How many of these rows (a table's rows that hold something to load) Excel hides."""
    if not sheet.hidden_rows or rows.size == 0:
        return 0
    return int(np.isin(rows, np.fromiter(sheet.hidden_rows, dtype=np.int64)).sum())


def _uncached_rows(sheet: Sheet, rows: np.ndarray, cols: list[int] | None) -> np.ndarray:
    """Which of these rows hold a formula without a saved value (in these columns; None for any)."""
    marked = np.zeros(rows.size, dtype=bool)
    if not sheet.uncached or rows.size == 0:
        return marked
    position = {int(r): i for i, r in enumerate(rows)}
    wanted = None if cols is None else set(cols)
    for r, c in sheet.uncached:
        if r in position and (wanted is None or c in wanted):
            marked[position[r]] = True
    return marked


def _table_rows(sheet: Sheet, header_row: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows of the table under a header (from its first filled row to its first blank row) and the
    rows below that blank row. Blank rows straight under the header are spacing, not the table's end."""
    body = np.arange(header_row + 1, sheet.shape[0])
    if body.size == 0:
        return body, body
    filled = ~_blank_grid(sheet.cells[header_row + 1:]).all(axis=1) | _uncached_rows(sheet, body, None)
    first = np.flatnonzero(filled)
    if first.size == 0:
        return body[:0], body[:0]
    start = first[0]
    gaps = np.flatnonzero(~filled[start:])
    end = start + gaps[0] if gaps.size else body.size
    return body[start:end], body[end:]


def _blank_grid(cells: np.ndarray) -> np.ndarray:
    if cells.size == 0:
        return np.zeros(cells.shape, dtype=bool)
    return np.frompyfunc(is_blank, 1, 1)(cells).astype(bool)


def _row_numbers(rows: np.ndarray) -> np.ndarray:
    return np.array([str(r + 1) for r in rows], dtype=object)


def parse_breakdown(text: str) -> tuple[str, str] | None:
    """``'Age: 10-15'`` -> ``('age', '10-15')``; None when either part is missing."""
    dimension, sep, category = text.partition(":")
    dimension, category = " ".join(dimension.split()).lower(), category.strip()
    if not sep or not dimension or not category:
        return None
    return dimension, category


def breakdown_too_long(parsed: tuple[str, str]) -> str | None:
    """What to write instead when a breakdown's dimension or category is longer than the database holds."""
    dimension, category = parsed
    if len(dimension) > MAX_DIMENSION:
        return ACCEPTED_BREAKDOWN_LENGTH.format(part="dimension", length=len(dimension))
    if len(category) > MAX_CATEGORY:
        return ACCEPTED_BREAKDOWN_LENGTH.format(part="category", length=len(category))
    return None


def _sort_key(problem: Problem, sheets: list[str]) -> tuple:
    match = re.fullmatch(r"([A-Z]+)(\d+)", problem.cell)
    position = (int(match.group(2)), len(match.group(1)), match.group(1)) if match else (0, 0, "")
    return (sheets.index(problem.sheet) if problem.sheet in sheets else -1, *position)


def _parsed(file_name: str, sha: str, layouts: dict[str, str], observations: list[pd.DataFrame],
            targets: list[pd.DataFrame], problems: list[Problem], commentary: list[pd.DataFrame]) -> ParsedFile:
    sheets = list(layouts)
    obs_columns = OBSERVATION_COLUMNS + PROVENANCE
    observations = [f for f in observations if len(f)]
    targets = [f for f in targets if len(f)]
    obs = pd.concat(observations, ignore_index=True) if observations else pd.DataFrame(columns=obs_columns)
    tgt = pd.concat(targets, ignore_index=True) if targets else pd.DataFrame(columns=TARGET_COLUMNS + PROVENANCE)
    checked = obs
    if len(obs):  # rows that could not be read in full already have their problem
        readable = (obs["measure_code"].notna() & obs["area_code"].notna() & obs["period_end"].notna()
                    & obs["dimension"].notna())
        checked, found = check_observations(file_name, obs[readable])
        obs = checked if readable.all() else obs
        problems += found
    if len(tgt):
        tgt, found = check_targets(file_name, tgt)
        problems += found
    problems += likely_fractions(file_name, checked, tgt)
    commentary = [f for f in commentary if len(f)]
    notes = pd.concat(commentary, ignore_index=True) if commentary else empty_commentary()
    notes, found = one_per_figure(file_name, notes)
    problems += found
    problems = sorted(dict.fromkeys(problems), key=lambda p: _sort_key(p, sheets))
    for column in ("numerator", "denominator", "value"):
        obs[column] = obs[column].astype("float64")
    return ParsedFile(
        file_name=file_name, sha256=sha, sheets=[name for name in sheets if name],  # a CSV file has no sheet name
        observations=obs[OBSERVATION_COLUMNS + ["sheet", "cell"]].reset_index(drop=True),
        targets=tgt[TARGET_COLUMNS + ["sheet", "cell"]].reset_index(drop=True),
        commentary=notes,
        problems=problems,
        layout_by_sheet=dict(layouts),
    )


def read_return(path: Path | str | None, default_area: str | None = None, *, data: bytes | None = None,
                file_name: str | None = None) -> ParsedFile:
    """Read a return file (a path, or an upload's bytes in ``data`` named ``file_name``) into tidy
    frames with every problem found.

    ``default_area`` (ONS code, DfE number or name) files rows that name no area; without it the
    configured home area is used. The file is never partly accepted: the caller writes nothing when
    ``problems`` is not empty.
    """
    source: Path | bytes = data if data is not None else Path(path)  # type: ignore[arg-type]
    name = file_name or (Path(path).name if path is not None else "upload")
    return ReturnReader(name, resolve_default_area(default_area)).read(source)


def read_return_workbook(workbook: Workbook, file_name: str, default_area: str | None = None,
                         sha256: str = "") -> ParsedFile:
    """Read sheets already in hand (a reader's output, or sheets built in a test) as one return file."""
    return ReturnReader(file_name, resolve_default_area(default_area)).read_sheets(workbook, sha256)


def _latest_with_figure(kind: np.ndarray, ends: list) -> list:
    """Per row of a wide block, the latest period end holding a figure or a status symbol (None for none):
    the period a wide row's commentary is about."""
    order = sorted(range(len(ends)), key=lambda j: ends[j])
    latest: list = [None] * kind.shape[0]
    for j in order:  # later periods overwrite earlier ones
        for i in np.flatnonzero((kind[:, j] == NUMBER) | (kind[:, j] == STATUS)):
            latest[i] = ends[j]
    return latest


def read_return_from(workbook: Workbook | None, path: Path | None, data: bytes | None, name: str,
                     default_area: str | None, sha: str) -> ParsedFile:
    """A return read and checked in full, from the workbook already opened (loaders.workbook.workbook_or_none)
    or as text."""
    if workbook is not None:
        return read_return_workbook(workbook, name, default_area, sha)
    return read_return(path, default_area, data=data, file_name=name)

"""The blank return workbook that performance teams fill in each month.

It is laid out exactly as the wide return our reader loads (a ``measure`` column of codes, an ``area``
column, one column per month of the financial year, then ``target`` and ``commentary``), so a filled-in template loads
without anyone rearranging it. Excel's data validation catches the commonest slips while typing
(an unknown measure code, a negative number, a percentage above 100) and still lets people type the
published symbols such as ``c`` for a suppressed value. A blank template loads as no values at all:
in the wide layout an empty cell simply means no figure for that month, never a zero.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

import settings
from metrics.safe_text import spreadsheet_cell, spreadsheet_row
from reference.areas import areas
from reference.catalogue import Measure, catalogue
from reference.statuses import status_labels

MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FIRST_MONTH_OF_FINANCIAL_YEAR = 4  # April
RETURN_SHEET = "Return"
MEASURES_SHEET = "Measures"
READ_ME_SHEET = "Read me"
MEASURES_HEADER = ("code", "name", "unit", "polarity", "description")
SPARE_ROWS = 100  # rows below the catalogue where validation still applies, for extra areas or repeated measures
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
PERCENT_MAX = 100
EXCEL_TITLE_LIMIT = 32  # Excel refuses to open a workbook whose validation titles or messages are longer
EXCEL_MESSAGE_LIMIT = 255


def month_header(year: int, month: int) -> str:
    """Column heading for a month, such as ``Apr-25``: text, so no locale or cell format can change it."""
    return f"{MONTH_ABBREVIATIONS[month - 1]}-{year % 100:02d}"


def financial_year_start(today: date | None = None) -> int:
    """Calendar year in which the financial year containing ``today`` began (April to March)."""
    today = today or date.today()
    return today.year if today.month >= FIRST_MONTH_OF_FINANCIAL_YEAR else today.year - 1


def financial_year_months(start_year: int) -> list[tuple[int, int]]:
    """(year, month) for April of ``start_year`` to March of the next year."""
    return [
        (start_year + (month < FIRST_MONTH_OF_FINANCIAL_YEAR), month)
        for month in (*range(FIRST_MONTH_OF_FINANCIAL_YEAR, 13), *range(1, FIRST_MONTH_OF_FINANCIAL_YEAR))
    ]


def financial_year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def _home_area_code() -> str:
    configured = settings.HOME_AREA.value()
    area = areas().resolve(configured)
    return area.code if area is not None else configured


def _value_rule(cell: str, measure: Measure, allow_symbols: bool) -> str:
    """Excel formula that is TRUE for an acceptable entry in ``cell`` (a relative reference)."""
    number = f"ISNUMBER({cell}),{cell}>=0" + (f",{cell}<={PERCENT_MAX}" if measure.is_percent else "")
    alternatives = [f"AND({number})"]
    if allow_symbols:
        alternatives += [f'{cell}="{symbol}"' for symbol in status_labels()]
    return "OR(" + ",".join(alternatives) + ")"


def _accepted_text(measure: Measure, allow_symbols: bool) -> str:
    if measure.is_percent:
        number = "a percentage from 0 to 100 (54 or 54%)"
    else:
        number = f"a number of 0 or more ({measure.unit_label.lower()})"
    if allow_symbols:
        *first, last = status_labels()
        return f"{number}, or one of the symbols {', '.join(first)} or {last}"
    return number


def _add_row_validation(sheet: Worksheet, row: int, measure: Measure, first_col: int, last_col: int,
                        target_col: int) -> None:
    """One rule per row, because the row's measure decides whether 0-100 applies."""
    first = f"{get_column_letter(first_col)}{row}"
    values = DataValidation(
        type="custom", formula1=_value_rule(first, measure, allow_symbols=True), allow_blank=True,
        showErrorMessage=True, errorTitle="Not a value we can load",
        error=f"{measure.code}: enter {_accepted_text(measure, True)}; leave the cell empty when there is no figure"[
            :EXCEL_MESSAGE_LIMIT],
        showInputMessage=True, promptTitle=measure.short_name[:EXCEL_TITLE_LIMIT],
        prompt=_accepted_text(measure, True)[:EXCEL_MESSAGE_LIMIT],
    )
    values.add(f"{first}:{get_column_letter(last_col)}{row}")
    target_cell = f"{get_column_letter(target_col)}{row}"
    target = DataValidation(
        type="custom", formula1=_value_rule(target_cell, measure, allow_symbols=False), allow_blank=True,
        showErrorMessage=True, errorTitle="Not a target we can load",
        error=f"{measure.code}: the target for the year is {_accepted_text(measure, False)}"[:EXCEL_MESSAGE_LIMIT],
    )
    target.add(target_cell)
    sheet.add_data_validation(values)
    sheet.add_data_validation(target)


def _write_return_sheet(sheet: Worksheet, months: list[tuple[int, int]], area_code: str) -> None:
    measures = list(catalogue())
    header = ["measure", "area", *(month_header(y, m) for y, m in months), "target", "commentary"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    first_value_col, last_value_col, target_col = 3, 2 + len(months), 3 + len(months)
    for row, measure in enumerate(measures, start=2):
        sheet.cell(row=row, column=1, value=measure.code)
        sheet.cell(row=row, column=2, value=spreadsheet_cell(area_code))
        note = f"{measure.name}\n{measure.polarity_text}. Unit: {measure.unit_label}."
        sheet.cell(row=row, column=1).comment = Comment(note, "Return template", width=320, height=110)
        _add_row_validation(sheet, row, measure, first_value_col, last_value_col, target_col)
    codes = DataValidation(
        type="list", formula1=f"{quote_sheetname(MEASURES_SHEET)}!$A$2:$A${len(measures) + 1}", allow_blank=True,
        showErrorMessage=True, errorTitle="Unknown measure",
        error=f"Choose a measure code from the '{MEASURES_SHEET}' sheet.",
    )
    codes.add(f"A2:A{len(measures) + 1 + SPARE_ROWS}")
    sheet.add_data_validation(codes)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 13
    for col in range(first_value_col, target_col + 1):
        sheet.column_dimensions[get_column_letter(col)].width = 9
    sheet.column_dimensions[get_column_letter(target_col + 1)].width = 60


def _write_measures_sheet(sheet: Worksheet) -> None:
    sheet.append(list(MEASURES_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for measure in catalogue():
        sheet.append(spreadsheet_row([measure.code, measure.name, measure.unit_label, measure.polarity_text,
                                      measure.description]))
    for column, width in zip("ABCDE", (22, 60, 16, 34, 100), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def read_me_lines(start_year: int, first: str, last: str, area_code: str) -> list[str]:
    """The instructions, one paragraph a line (kept as data so a test can check what people are told)."""
    symbols = "; ".join(f"{symbol} = {label}" for symbol, label in status_labels().items())
    return [
        f"Corporate parenting monthly return, financial year {financial_year_label(start_year)}",
        "",
        "How to fill it in",
        f"Use the '{RETURN_SHEET}' sheet. Each row is one measure for one area. Do not rename or move the "
        "header row.",
        "The first column holds the measure's code; hover over it to see the measure's full name, or see the "
        f"'{MEASURES_SHEET}' sheet for every code with its name, unit, which way is better and its definition.",
        f"The second column holds the area, already filled in with {area_code}. An area may be given by its "
        "ONS code (such as E06000049), DfE's 3-digit number (such as 895) or its name. To report for more "
        "than one area, copy the rows below and change the area.",
        f"Then one column for each month of the year, {first} to {last}: enter the figure for the month, "
        "at the month end for a snapshot or for the month for a count of events. The column headings may "
        "also be written 2025-04, April 2025 or as an Excel date; keep one column per month.",
        "The target column is the target for the whole year, when the measure has one.",
        "The last column, commentary, is for a short commentary on the latest month's figure: why it moved "
        "and what is being done. It is filed under the latest month the row has a figure for, and shows on "
        "the measure's page and in the committee pack. Leave it empty when there is nothing to say.",
        "",
        "Numbers",
        "Percentages are entered from 0 to 100: 54 and 54% both mean fifty-four per cent. "
        "A number stored as text, such as 1,234, is read as a number.",
        "Counts, rates per 10,000 children and average scores are entered as numbers of 0 or more.",
        "Leave a cell empty when there is no figure: an empty cell is never read as zero.",
        "",
        "Figures that cannot be published",
        f"Type one of these symbols instead of a number: {symbols}. "
        "Use c for a small number suppressed to protect a child's identity. None of them is read as zero.",
        "",
        "Loading",
        "Load the file on the dashboard's Imports page or with: python -m loaders import FILE. "
        "If anything cannot be read, nothing is loaded and every problem is listed with its sheet and cell.",
    ]


def _write_read_me_sheet(sheet: Worksheet, lines: list[str]) -> None:
    sheet.column_dimensions["A"].width = 120
    headings = {"How to fill it in", "Numbers", "Figures that cannot be published", "Loading"}
    for row, text in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = Font(bold=True, size=14)
        elif text in headings:
            cell.font = Font(bold=True)


def build_template(start_year: int | None = None) -> Workbook:
    """The template workbook for the financial year starting in April of ``start_year`` (default: the current one)."""
    start_year = financial_year_start() if start_year is None else start_year
    months = financial_year_months(start_year)
    area_code = _home_area_code()
    workbook = Workbook()
    read_me = workbook.active
    read_me.title = READ_ME_SHEET
    _write_return_sheet(workbook.create_sheet(RETURN_SHEET), months, area_code)
    _write_measures_sheet(workbook.create_sheet(MEASURES_SHEET))
    first, last = month_header(*months[0]), month_header(*months[-1])
    _write_read_me_sheet(read_me, read_me_lines(start_year, first, last, area_code))
    return workbook


def write_template(out: BinaryIO | Path, start_year: int | None = None) -> None:
    """Write the blank return workbook to a path or a binary stream."""
    build_template(start_year).save(out)

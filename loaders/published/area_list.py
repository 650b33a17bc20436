"""DfE's list of areas (LAIT's la_code_list: LA Number, LA Name, Region, Type) read and checked in full.

Councils are kept exactly as listed; England and the regions (type 'NA', LAIT's numbers 970-990)
are not councils and are left as the shipped reference has them. The file is refused whole, naming
the cell, when a number is not a DfE number or is listed twice, a name is missing, a type is not
one of DfE's council types or a region is not an English region.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.reference_writes import ListedRow
from loaders.problems import Problem, Rule, cell_ref
from loaders.published.recognise import Recognised
from loaders.published.reference_tables import cell_at, dfe_number, read_table, text
from reference.areas import AreaDirectory
from reference.stored import COUNCIL_TYPES, NOT_A_COUNCIL, region_for

NUMBER, NAME, REGION, TYPE = "LA Number", "LA Name", "Region", "Type"


@dataclass
class AreaListFile:
    sheet: str
    rows: list[ListedRow]
    not_councils: int  # England and region rows, left as they are
    problems: list[Problem]


def read_area_list(found: Recognised, directory: AreaDirectory) -> AreaListFile:
    table = read_table(found)
    file, sheet, header = found.path.name, table.sheet, list(table.header)
    at = {column: header.index(column) for column in (NUMBER, NAME, REGION, TYPE)}
    problems: list[Problem] = []
    rows: list[ListedRow] = []
    listed: dict[str, int] = {}
    not_councils = 0

    def problem(row: int, column: str, rule: Rule, found_text: str, expected: str) -> None:
        problems.append(Problem(file, sheet, cell_ref(row, at[column]), rule, found_text, expected))

    regions = ", ".join(r.name for r in directory.regions())
    for row_index, row in table.rows:
        cells = {column: cell_at(row, index) for column, index in at.items()}
        if not any(text(c) for c in cells.values()):
            continue
        number = dfe_number(cells[NUMBER])
        kind = text(cells[TYPE])
        if number is None:
            problem(row_index, NUMBER, Rule.BAD_VALUE, text(cells[NUMBER]), "a DfE local authority number")
            continue
        if number in listed:
            problem(row_index, NUMBER, Rule.DUPLICATE, number,
                    f"each area listed once (it is already on row {listed[number] + 1})")
            continue
        listed[number] = row_index
        if kind == NOT_A_COUNCIL:
            not_councils += 1
            continue
        name, region = text(cells[NAME]), text(cells[REGION])
        if not name:
            problem(row_index, NAME, Rule.NO_AREA, "", "the council's name")
        if kind not in COUNCIL_TYPES:
            problem(row_index, TYPE, Rule.BAD_VALUE, kind,
                    f"one of DfE's council types {', '.join(COUNCIL_TYPES)} (or {NOT_A_COUNCIL} for England and regions)")
        if region_for(directory, region) is None:
            problem(row_index, REGION, Rule.UNKNOWN_AREA, region, f"an English region: {regions}, Inner or Outer London")
        rows.append(ListedRow(number, name, region, kind))
    if not rows and not problems:
        problems.append(Problem(file, sheet, "", Rule.NO_RETURN, "", "a row for each council under the header"))
    return AreaListFile(table.sheet, rows, not_councils, problems)

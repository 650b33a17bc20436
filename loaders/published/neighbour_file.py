"""A statistical neighbour release read and checked in full: every council's ten neighbours, closest first.

The file is refused whole, naming the sheet and cell, when a council is listed twice, a neighbour is
missing (fewer than ten), a neighbour number is not a council, a council is its own neighbour or
names the same neighbour twice. Councils DfE lists under 'Old SNs:' (abolished in a reorganisation)
are kept like the others: their neighbours applied in the years they existed.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.reference_writes import NeighbourLink
from loaders.problems import Problem, Rule, cell_ref
from loaders.published.recognise import Recognised
from loaders.published.reference_tables import TableRows, cell_at, dfe_number, read_table, text
from reference.areas import AreaDirectory
from reference.neighbours import NEIGHBOURS_PER_COUNCIL

COUNCIL_COLUMN, NAME_COLUMN, CLOSENESS_COLUMN = "LA num", "LA Name", "SNP"
A_NUMBER = "a council's 3-digit DfE number"


@dataclass
class NeighbourFile:
    sheet: str
    links: list[NeighbourLink]
    councils: list[tuple[str, str]]  # (DfE number, name) in file order
    problems: list[Problem]


def read_neighbour_file(found: Recognised, directory: AreaDirectory) -> NeighbourFile:
    """Every council's neighbours in the file, and every problem with them."""
    table: TableRows = read_table(found)
    file, sheet, header = found.path.name, table.sheet, list(table.header)
    at = header.index(COUNCIL_COLUMN)
    name_at = header.index(NAME_COLUMN)
    ranks = [header.index(f"SN{rank}") for rank in range(1, NEIGHBOURS_PER_COUNCIL + 1)]
    problems: list[Problem] = []

    def problem(row: int, column: int, rule: Rule, found_text: str, expected: str) -> None:
        problems.append(Problem(file, sheet, cell_ref(row, column), rule, found_text, expected))

    listed: dict[str, int] = {}  # DfE number -> the row it is first listed on
    parsed: list[tuple[int, str, str, list[tuple[int, int, str | None, str, str]]]] = []
    for row_index, row in table.rows:
        number_cell = cell_at(row, at)
        neighbour_cells = [cell_at(row, c) for c in ranks]
        if text(number_cell) == "":
            if any(text(c) for c in neighbour_cells):
                problem(row_index, at, Rule.NO_AREA, "", f"{A_NUMBER} for the council whose neighbours these are")
            continue  # a blank row, or a heading such as 'Old SNs:'
        number = dfe_number(number_cell)
        if number is None:
            problem(row_index, at, Rule.BAD_VALUE, text(number_cell), A_NUMBER)
            continue
        if number in listed:
            problem(row_index, at, Rule.DUPLICATE, number,
                    f"each council listed once (it is already on row {listed[number] + 1})")
            continue
        listed[number] = row_index
        neighbours = []
        for rank, column in enumerate(ranks, start=1):
            cell = cell_at(row, column)
            closeness = text(cell_at(row, column + 1)) if column + 1 < len(header) and \
                header[column + 1] == CLOSENESS_COLUMN else ""
            neighbours.append((rank, column, dfe_number(cell), text(cell), closeness))
        parsed.append((row_index, number, text(cell_at(row, name_at)), neighbours))

    councils = set(listed) | {a.dfe_number for a in directory.areas if a.is_la and a.dfe_number}
    links: list[NeighbourLink] = []
    for row_index, number, name, neighbours in parsed:
        seen: set[str] = set()
        for rank, column, neighbour, raw, closeness in neighbours:
            if raw == "":
                problem(row_index, column, Rule.NO_AREA, "",
                        f"{NEIGHBOURS_PER_COUNCIL} neighbours for every council (SN{rank} is empty)")
            elif neighbour is None:
                problem(row_index, column, Rule.BAD_VALUE, raw, A_NUMBER)
            elif neighbour == number:
                problem(row_index, column, Rule.UNKNOWN_AREA, raw, "a neighbour other than the council itself")
            elif neighbour not in councils:
                problem(row_index, column, Rule.UNKNOWN_AREA, raw,
                        f"{A_NUMBER}: a council listed in this file or in the dashboard's area list")
            elif neighbour in seen:
                problem(row_index, column, Rule.DUPLICATE, raw, "ten different neighbours for each council")
            else:
                seen.add(neighbour)
                links.append(NeighbourLink(number, name, rank, neighbour, closeness))
    if not parsed and not problems:
        problems.append(Problem(file, sheet, "", Rule.NO_RETURN, "",
                                f"a row for each council under the header ({COUNCIL_COLUMN}, SN1 to SN10)"))
    return NeighbourFile(sheet, links, [(n, name) for _, n, name, _ in parsed], problems)

"""Real return files for the loader tests, written with openpyxl or the csv module, and a database dump.

Rows are written from cell A1 exactly as given (``None`` is an empty cell), so a test reads like the
sheet a performance officer would see.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine, inspect, text

PERCENT_FORMAT = "0%"


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], number_formats: dict[str, dict[str, str]] | None = None) -> Path:
    """A workbook with one sheet per entry; ``number_formats`` maps sheet -> {cell: format}."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
        for ref, number_format in (number_formats or {}).get(name, {}).items():
            sheet[ref].number_format = number_format
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows([["" if v is None else v for v in row] for row in rows])
    return path


def dump_tables(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in a fixed order: equal dumps mean an unchanged database."""
    with engine.connect() as connection:
        return {
            table: sorted((tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))), key=repr)
            for table in sorted(inspect(engine).get_table_names())
        }

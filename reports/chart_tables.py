"""The data behind a chart, as CSV and as an Excel sheet with proper number formats, for a report appendix.

Read from the finished figure's own series, so the table holds exactly what is drawn (in public mode the
figure was drawn from suppressed figures, so the table is too). A point with no figure (suppressed,
not published, not loaded) is written as text with a footnote, never as 0.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from openpyxl import Workbook
from openpyxl.styles import Font

from metrics.safe_text import spreadsheet_cell, spreadsheet_row
from reference.catalogue import Measure

NO_FIGURE = "–"
NO_FIGURE_NOTE = (f"{NO_FIGURE}: no figure for this point (suppressed to protect children's privacy, not "
                  "published, or not loaded). It is never counted as 0.")
SERIES, POINT, VALUE = "Series", "Period or area", "Value"


@dataclass(frozen=True)
class ChartTable:
    title: str
    source: str
    rows: pd.DataFrame  # Series, Period or area, Value (float or None)
    unit: str  # the measure's unit: percent, count, rate_per_10k, score
    decimals: int
    footnotes: tuple[str, ...]


def _point_text(value: object) -> str:
    if isinstance(value, pd.Timestamp) or hasattr(value, "strftime"):
        return pd.Timestamp(value).strftime("%B %Y")
    text = str(value)
    if len(text) >= 10 and text[4] == "-" and text[7] == "-":  # an ISO date from the figure's JSON
        try:
            return pd.Timestamp(text[:10]).strftime("%B %Y")
        except ValueError:
            return text
    return html.unescape(text.replace("<br>", " "))


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def chart_table(figure: go.Figure, measure: Measure | None, title: str, source: str,
                extra_notes: tuple[str, ...] = ()) -> ChartTable:
    """Every named series drawn in the figure, one row a point."""
    records = []
    for trace in figure.data:
        # a legend entry is escaped for Plotly ('Children&#x27;s homes'): the table holds the text itself
        name = html.unescape(str(getattr(trace, "name", "") or "").replace("<br>", " ")).strip()
        x, y = getattr(trace, "x", None), getattr(trace, "y", None)
        if not name or x is None or y is None:
            continue
        horizontal = getattr(trace, "orientation", None) == "h"
        points, values = (y, x) if horizontal else (x, y)
        labels = getattr(trace, "customdata", None) if horizontal else None
        for i, (point, value) in enumerate(zip(points, values, strict=False)):
            label = point
            if labels is not None and i < len(labels) and isinstance(labels[i], str):
                label = labels[i]
            records.append({SERIES: name, POINT: _point_text(label), VALUE: _number(value)})
    rows = pd.DataFrame(records, columns=[SERIES, POINT, VALUE])
    notes = list(extra_notes)
    if rows[VALUE].isna().any():
        notes.append(NO_FIGURE_NOTE)
    unit = measure.unit if measure is not None else ""
    decimals = measure.decimals if measure is not None else 1
    return ChartTable(title, source, rows, unit, decimals, tuple(notes))


def _shown(value: float | None) -> str | float:
    return NO_FIGURE if value is None else value


def _source_line(table: ChartTable) -> str:
    return f"Source: {table.source}" if table.source else "Source: not recorded"


def to_csv(table: ChartTable) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens it with the right characters."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(spreadsheet_row([table.title]))
    writer.writerow(spreadsheet_row([_source_line(table)]))
    writer.writerow([])
    writer.writerow([SERIES, POINT, VALUE])
    for row in table.rows.itertuples(index=False):
        value = row[2]
        writer.writerow(spreadsheet_row([row[0], row[1], NO_FIGURE if value is None or pd.isna(value)
                                         else f"{value:.{table.decimals}f}"]))
    for note in table.footnotes:
        writer.writerow(spreadsheet_row([note]))
    return out.getvalue().encode("utf-8-sig")


def number_format(unit: str, decimals: int) -> str:
    """Excel's format for the unit: a percentage as a number with %, a count whole, a rate to its decimals."""
    places = "." + "0" * decimals if decimals > 0 else ""
    if unit == "percent":
        return f"0{places}%"
    if unit == "count":
        return "#,##0"
    return f"0{places or '.0'}" if unit == "rate_per_10k" else f"0{places}"


def to_xlsx(table: ChartTable) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Chart data"
    sheet["A1"] = spreadsheet_cell(table.title)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = spreadsheet_cell(_source_line(table))
    for column, heading in enumerate((SERIES, POINT, VALUE), start=1):
        sheet.cell(row=4, column=column, value=heading).font = Font(bold=True)
    fmt = number_format(table.unit, table.decimals)
    row_number = 4
    for row_number, row in enumerate(table.rows.itertuples(index=False), start=5):
        # a series or breakdown label is text from a file: '=HYPERLINK(...)' must stay text in Excel
        sheet.cell(row=row_number, column=1, value=spreadsheet_cell(row[0]))
        sheet.cell(row=row_number, column=2, value=spreadsheet_cell(row[1]))
        value = row[2]
        if value is None or pd.isna(value):
            sheet.cell(row=row_number, column=3, value=NO_FIGURE)
            continue
        cell = sheet.cell(row=row_number, column=3, value=value / 100 if table.unit == "percent" else value)
        cell.number_format = fmt
    for offset, note in enumerate(table.footnotes, start=2):
        sheet.cell(row=row_number + offset, column=1, value=spreadsheet_cell(note))
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 12
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

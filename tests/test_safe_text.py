"""Text from a file or a person, written to the CSV and Excel files the dashboard gives out, stays text.

A breakdown label '=HYPERLINK(...)' in a return must not become a live formula when a performance officer
opens the chart's data or the export in Excel; '+1+1' and '@SUM(1)' must not be calculated. The files are
written by the real writers and read back with openpyxl and Python's csv reader.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from charts.breakdown import breakdown_chart, breakdown_latest_chart
from charts.caption import ChartCaption
from charts.commentary_marker import hover_text
from db.queries import CommentaryNote
from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch
from loaders.export import write_export
from metrics.safe_text import chart_text, markdown_paragraphs, markdown_text, spreadsheet_cell
from reference.catalogue import catalogue
from reports.chart_images import with_caption
from reports.chart_tables import chart_table, to_csv, to_xlsx

NORTHMOOR = "E06999901"
LINK = '=HYPERLINK("https://evil.example/x","Click for the full figures")'
ATTACKS = (LINK, "+1+1", "@SUM(1)", "-2+3", "\tcmd")


def _breakdown_frame() -> pd.DataFrame:
    return pd.DataFrame({"period_end": [pd.Timestamp(2025, 3, 31)] * len(ATTACKS),
                         "category": list(ATTACKS), "value": [10.0, 20.0, 30.0, 40.0, 50.0],
                         "status": ["value"] * len(ATTACKS)})


@pytest.mark.parametrize("text", ATTACKS)
def test_text_excel_would_run_as_a_formula_starts_with_a_quote(text):
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-5, -2.5, 0.0, 1e-07, "-5", "+3.2", "-12.5%", "-1,234.5", "-1e-05", "Male", None])
def test_numbers_and_plain_text_are_never_altered(value):
    assert spreadsheet_cell(value) == value


def test_the_chart_data_excel_keeps_a_formula_like_label_as_text_and_figures_as_numbers():
    measure = catalogue().get("cla_count")
    figure = breakdown_latest_chart(_breakdown_frame(), measure, "Age", "Northmoor", "March 2025")
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(chart_table(figure, measure, "By age", "Test return"))))
    sheet = book.active
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=5) if row[2].value is not None}
    for text in ATTACKS:
        label, value = rows["'" + text][1], rows["'" + text][2]
        assert label.data_type == "s"  # text, not 'f' (a formula)
        assert value.data_type == "n" and isinstance(value.value, (int, float))
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_the_chart_data_csv_quotes_formula_like_series_names():
    measure = catalogue().get("cla_count")
    figure = breakdown_chart(_breakdown_frame(), measure, "Age", "Northmoor")
    rows = list(csv.reader(io.StringIO(to_csv(chart_table(figure, measure, "By age", "")).decode("utf-8-sig"))))
    series = {row[0] for row in rows[4:] if len(row) == 3}
    formulas = ATTACKS[:4]  # the chart names a series by its label without surrounding spaces or tabs
    assert {"'" + text for text in formulas} <= series
    assert not set(formulas) & series
    numbers = [row[2] for row in rows[4:] if len(row) == 3]
    assert "10" in numbers and not [n for n in numbers if n.startswith("'")]


def test_the_export_csv_quotes_formula_like_categories_and_keeps_numbers(engine):
    rows = [{"measure_code": "cla_count", "area_code": NORTHMOOR, "period_type": "month",
             "period_end": date(2025, 3, 31), "dimension": "age", "category": text, "value": -1.0 if i == 0 else 5.0,
             "numerator": None, "denominator": None, "status": "value"} for i, text in enumerate(ATTACKS)]
    apply_batch(engine, BatchInfo("attack.xlsx", "0" * 64, "return", ["Return"], "tester"),
                pd.DataFrame(rows, columns=OBSERVATION_COLUMNS))
    out = io.StringIO()
    write_export(engine, out)
    written = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert sorted(r["category"] for r in written) == sorted("'" + text for text in ATTACKS)
    assert sorted(r["value"] for r in written) == ["-1", "5", "5", "5", "5"]  # a negative figure is not quoted


def test_markdown_shows_a_link_an_image_and_a_heading_as_their_text():
    assert markdown_text("[Session expired](https://evil.example)") == r"\[Session expired\]\(https\://evil.example\)"
    assert markdown_text("![](https://evil.example/p.png)") == r"\!\[\]\(https\://evil.example/p.png\)"
    assert markdown_text("www.evil.example jo@evil.example") == r"www\.evil.example jo\@evil.example"
    assert markdown_text(":red[big] :material/home: $x$") == r"\:red\[big\] \:material/home\: \$x\$"
    assert markdown_paragraphs("# Heading\n- a list\n1. one\n\n    code") == "\\# Heading  \n\\- a list  \n1\\. one\n\ncode"


def test_plotly_text_shows_html_as_written():
    assert chart_text('<a href="https://evil.example">here</a> & <img src=x>\nnext') == (
        '&lt;a href="https://evil.example"&gt;here&lt;/a&gt; &amp; &lt;img src=x&gt;<br>next')


def test_a_commentary_hover_shows_its_markup_as_text_and_keeps_its_line_breaks():
    note = CommentaryNote("cla_count", NORTHMOOR, date(2025, 3, 31), '<a href="https://evil.example">Sign in</a>\n'
                          "Second line", "<b>Jo</b>", pd.Timestamp(2025, 4, 2))
    text = hover_text(note)
    assert "<a " not in text and "<b>Jo" not in text
    assert "&lt;a href=" in text and "&lt;b&gt;Jo&lt;/b&gt;" in text
    assert text.endswith("Sign in&lt;/a&gt;<br>Second line")


def test_a_chart_picture_caption_shows_a_commentary_s_markup_as_text():
    import plotly.graph_objects as go

    caption = ChartCaption(title="Children in care", council="Northmoor", period="2024-25",
                           commentary='<a href="https://evil.example">More</a>')
    figure = with_caption(go.Figure(), caption)
    [annotation] = figure.layout.annotations
    assert "<a " not in annotation.text and "&lt;a href=" in annotation.text

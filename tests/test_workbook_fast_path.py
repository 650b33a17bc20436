"""The fast sheet scanner (loaders.xlsx_fast) gives exactly the cells expat gives, or gives up.

Every workbook here is read both ways, cell by cell: values with their types, the percent-formatted
cells, error cells and formulas saved without a value. The forms Excel, openpyxl and openpyxl's
write-only mode write must be read by the scanner itself (so a change that makes it give up on them
fails here); anything unusual must make it give up, and the workbook then reads as expat reads it.
"""

from __future__ import annotations

import random
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.cell import WriteOnlyCell

from loaders.formulas import distrust_formulas
from loaders.package import Package
from loaders.workbook import NotAWorkbook, default_cap, read_workbook
from loaders.xlsx import (
    _outside_cells_ok,
    _relationships,
    _workbook_part,
    expat_cells,
    read_shared_strings,
    read_styles,
    resolve,
)
from loaders.xlsx_fast import scan_sheet
from tests.returns_files import write_xlsx
from tests.workbook_files import add_shared_strings, workbook_with_sheet


def both_ways(path: Path, date1904: bool = False,
              recalculate_on_open: bool | None = None) -> list[tuple[dict, dict | None]]:
    """For each worksheet: (what expat reads, what the scanner reads or None when it gives up); with
    ``recalculate_on_open``, after the formulas' saved results are checked (loaders.formulas)."""
    package = Package(path, default_cap())
    part = _workbook_part(package)
    rels = _relationships(package, part)
    by_type = {kind.rsplit("/", 1)[-1]: target for kind, target in rels.values()}
    styles = read_styles(package, package.find(by_type.get("styles", resolve(part, "styles.xml"))))
    shared = read_shared_strings(package, package.find(by_type.get("sharedStrings", resolve(part, "sharedStrings.xml"))))
    out = []
    for kind, target in sorted(rels.values()):
        if not kind.endswith("/worksheet"):
            continue
        member = package.find(target)
        expat_store, _ = expat_cells(package, member, "Return", shared, styles, date1904)
        fast = scan_sheet(package.chunks(member), "Return", shared, styles, date1904,
                          lambda pieces, m=member: _outside_cells_ok(package, m, "Return", shared, styles,
                                                                     date1904, pieces))
        if recalculate_on_open is not None:
            for store in (expat_store, fast):
                if store is not None:
                    distrust_formulas(store, recalculate_on_open)
        out.append((described(expat_store), None if fast is None else described(fast)))
    package.close()
    return out


def described(store) -> dict:
    """Everything a store holds, with each value's type (True and 1.0 are different cells)."""
    return {
        "cells": [(r, c, type(v).__name__, v) for r, c, v in zip(store.rows, store.cols, store.values, strict=True)],
        "percent": list(store.percent), "errors": dict(store.errors), "uncached": dict(store.uncached),
        "formulas": dict(store.formulas), "distrusted": dict(store.distrusted), "hidden_rows": set(store.hidden_rows),
    }


def read_the_same(path: Path, **kwargs) -> dict:
    [(expat, fast)] = both_ways(path, **kwargs)
    assert fast is not None, "the scanner gave up on a sheet it should read"
    assert fast == expat
    return fast


def gives_up(path: Path) -> None:
    [(expat, fast)] = both_ways(path)
    assert fast is None
    assert expat["cells"] or expat["uncached"], "the case should hold cells"


def test_a_return_as_openpyxl_writes_it_reads_the_same_both_ways(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"Return": [
        ["measure", "area", datetime(2024, 1, 1), datetime(2024, 2, 1), "target"],
        ["cla_care_leavers_eet_pct", "E06000049", 0.54, 0.615, 0.75],
        ["cla_count", "Cheshire East & Crewe <town>", 398, 401.0, None],
        ["cla_count", "E06000050", "c", True, "=B3*2"],
        ["notes", "a \"quoted\" note", -1.5e-7, 12345678901234567890, False],
    ]}, {"Return": {"C1": "mmm-yy", "D1": "dd/mm/yyyy", "C2": "0%", "D2": "0.0%", "E2": "0%"}})
    read = read_the_same(path)
    assert read["percent"] and read["uncached"] == {(3, 4): "=B3*2"}
    assert ("datetime", datetime(2024, 1, 1)) in {(t, v) for _, _, t, v in read["cells"]}


def test_the_benchmark_shape_written_row_by_row_with_inline_text_reads_the_same(tmp_path):
    rng = random.Random(7)
    book = OpenpyxlWorkbook(write_only=True)
    sheet = book.create_sheet("Return")
    sheet.append(["Monthly return"])
    sheet.append([])
    sheet.append(["Measure", "Area", *(datetime(2024, m, 1) for m in range(1, 13)), "Target"])
    for row in range(60):
        cells: list[object] = ["cla_foster_pct" if row % 2 else "cla_count", f"E0600{row:04d}"]
        for _ in range(12):
            draw = rng.random()
            if draw < 0.05:
                cells.append(None)
            elif draw < 0.1:
                cells.append("c")
            elif row % 2:
                cell = WriteOnlyCell(sheet, value=round(rng.uniform(0.2, 0.99), 3))
                cell.number_format = "0.0%"
                cells.append(cell)
            else:
                cells.append(rng.randint(0, 900))
        sheet.append(cells)
    path = tmp_path / "wide.xlsx"
    book.save(path)
    read = read_the_same(path)
    assert len(read["percent"]) > 200


EXCEL_ROWS = (
    '<row r="1" spans="1:5" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" s="3"><v>45292</v></c><c r="D1" s="3"><v>45323</v></c><c r="E1" s="1"/></row>'
    '<row r="2" spans="1:5"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c>'
    '<c r="C2" s="1"><v>0.54000000000000004</v></c><c r="D2" s="1"><f>C2+0.01</f><v>0.55000000000000004</v></c>'
    '<c r="E2" t="e"><v>#N/A</v></c></row>'
    '<row r="4" ht="20" customHeight="1"><c r="A4" t="str"><f>"a"&amp;"b"</f><v>ab &amp; &lt;c&gt;</v></c>'
    '<c r="B4" t="inlineStr"><is><t xml:space="preserve"> spaced </t></is></c>'
    '<c r="C4" t="b"><v>1</v></c><c r="D4" s="2"><f t="shared" ref="D4:D5" si="0">C4*2</f><v>2</v></c>'
    '<c r="E4"><f t="shared" si="0"/></c></row>'
    '<row r="5"/><row r="6"><c r="A6" t="n" s="2"><v>-1.5E-3</v></c><c r="B6" t="d"><v>2024-03-31T00:00:00</v></c>'
    '<c r="C6"><f>SUM(C1:C2)</f></c><c r="D6" t="s"><f>A1</f><v>1</v></c></row>'
)


def test_cells_as_excel_writes_them_read_the_same_both_ways(tmp_path):
    path = workbook_with_sheet(tmp_path / "excel.xlsx", EXCEL_ROWS, formats=("0.0%", "0.00", "mmm-yy"))
    add_shared_strings(path, ["<t>measure</t>", "<r><t>ar</t></r><r><t>ea</t></r>", "<t>cla_count</t>",
                              "<t>E06000049</t>"])
    read = read_the_same(path)
    assert read["errors"] == {(1, 4): "#N/A"}
    assert read["uncached"] == {(3, 4): "(a copy of a shared formula)", (5, 2): "=SUM(C1:C2)"}
    assert (3, 0, "str", 'ab & <c>') in read["cells"] and (3, 1, "str", " spaced ") in read["cells"]
    assert (0, 1, "str", "area") in read["cells"] and (3, 2, "bool", True) in read["cells"]


def test_dates_in_the_1904_system_read_the_same(tmp_path):
    path = workbook_with_sheet(tmp_path / "mac.xlsx", '<row r="1"><c r="A1" s="1"><v>43000</v></c></row>',
                               formats=("dd/mm/yyyy",))
    read_the_same(path, date1904=True)


def test_rows_hidden_by_hand_or_by_a_filter_read_the_same_both_ways(tmp_path):
    """Excel writes hidden="1", LibreOffice hidden="true" and hidden="false"; a hidden row may be empty."""
    rows = ('<row r="1" spans="1:2"><c r="A1"><v>1</v></c></row>'
            '<row r="2" spans="1:2" hidden="1"><c r="A2"><v>2</v></c></row>'
            '<row r="3" hidden="false"><c r="A3"><v>3</v></c></row>'
            '<row r="4" customFormat="false" hidden="true"><c r="A4"><v>4</v></c></row>'
            '<row r="5" hidden="1"/><row r="6" hidden="0"><c r="A6"><v>6</v></c></row>'
            '<row r="7" ht="0" hidden="1" customHeight="1"></row>')
    read = read_the_same(workbook_with_sheet(tmp_path / "hidden.xlsx", rows))
    assert read["hidden_rows"] == {1, 3, 4, 6}
    book = OpenpyxlWorkbook()
    for r in range(1, 6):
        book.active.cell(r, 1, r)
    book.active.row_dimensions[2].hidden = book.active.row_dimensions[5].hidden = True
    book.save(tmp_path / "openpyxl.xlsx")
    assert read_the_same(tmp_path / "openpyxl.xlsx")["hidden_rows"] == {1, 4}


def test_a_hidden_row_without_its_number_is_left_to_expat_which_counts_it(tmp_path):
    path = workbook_with_sheet(tmp_path / "unnumbered.xlsx", '<row><c r="A1"><v>1</v></c></row>'
                                                             '<row hidden="1"><c r="A2"><v>2</v></c></row>')
    gives_up(path)
    assert read_workbook(path).sheets[0].hidden_rows == {1}


@pytest.mark.parametrize("rows", [
    '<row r="1"><c><v>1</v></c></row>',  # a cell without an address
    '<row r="1">\n  <c r="A1"><v>1</v></c>\n</row>',  # pretty-printed
    '<row r="1"><c r="A1"><v>1</v></c><!-- a comment --></row>',
    "<row r='1'><c r='A1'><v>1</v></c></row>",  # single quotes
    '<row r="1"><c r="A1"><v>&#49;</v></c></row>',  # a character reference
    '<row r="1"><c r="A1" t="str"><f>A2</f><v></v></c></row>',  # an empty text value
    '<row r="1"><c r="A1" t="inlineStr"><is><r><t>rich</t></r></is></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c>stray text</row>',
    '<row r="1"><c r="A1" cm="1"><v>1</v></c></row>',  # an attribute the scanner does not read
    '<c r="A1"><v>1</v></c>',  # a cell outside any row
    '<row r="1"><c r="A1"><fx>A2</fx><v>1</v></c></row>',  # an element the scanner does not know
    '<row r="1"><c r="A1" s="0" x="2"><v>1</v></c></row>',
    '<row r="1"><c r="A1"><f t="shared" ref="A1:A2" si="0" ca="1" ref2="&amp;">A2</f><v>1</v></c></row>',
])
def test_anything_unusual_makes_the_scanner_give_up_and_expat_read_it(tmp_path, rows):
    path = workbook_with_sheet(tmp_path / "odd.xlsx", rows)
    gives_up(path)
    sheet = read_workbook(path).sheets[0]
    assert sheet.cells.size >= 1  # read by expat, as before


@pytest.mark.parametrize("rows", [
    '<row r="1"><c r="A1"><v>1e400</v></c></row>',  # too big for Excel
    '<row r="1"><c r="A1"><v>12abc</v></c></row>',
    '<row r="1"><c r="A1" t="s"><v>99</v></c></row>',  # shared text the workbook does not hold
    '<row r="1"><c r="A1" s="40"><v>1</v></c></row>',  # a style the workbook does not have
    '<row r="1"><c r="A1" t="q"><v>1</v></c></row>',
    '<row r="0"><c r="A1"><v>1</v></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c>',  # the row never ends
    '<row r="1"><c r="A1"><v>1</v></c></row></row>',
    '<row r="1"><c r="A1"><f t="shared"//><v>1</v></c></row>',
    '<row r="1"><c r="A1" s=0><v>1</v></c></row>',
    '<row r="1"><c r="A1" s="0" s="0"><v>1</v></c></row>',
])
def test_a_damaged_sheet_is_refused_with_the_same_sentence_as_before(tmp_path, rows):
    path = workbook_with_sheet(tmp_path / "damaged.xlsx", rows)
    package = Package(path, default_cap())
    shared = read_shared_strings(package, None)
    styles = read_styles(package, package.find("xl/styles.xml"))
    member = "xl/worksheets/sheet1.xml"
    assert scan_sheet(package.chunks(member), "Return", shared, styles, False,
                      lambda pieces: _outside_cells_ok(package, member, "Return", shared, styles, False,
                                                       pieces)) is None
    with pytest.raises(NotAWorkbook) as refused:
        read_workbook(path)
    assert "damaged" in str(refused.value) or "open it in Excel" in str(refused.value)


def test_a_prefixed_sheet_gives_up_and_reads_as_before(tmp_path):
    rows = '<x:row r="1"><x:c r="A1"><x:v>7</x:v></x:c></x:row>'
    path = workbook_with_sheet(tmp_path / "dotnet.xlsx", rows, prefix="x")
    gives_up(path)
    assert read_workbook(path).sheets[0].cells.tolist() == [[7.0]]


def test_the_cap_counts_a_sheet_read_twice_once(tmp_path):
    """A sheet the scanner gives up on is read again by expat; the cap on unpacked bytes must count it
    once, so a workbook that unpacks to just the cap still opens."""
    rows = "".join(f'<row r="{r}">\n<c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 2000))
    path = workbook_with_sheet(tmp_path / "pretty.xlsx", rows)
    with zipfile.ZipFile(path) as package:
        unpacked = sum(info.file_size for info in package.infolist())
    gives_up(path)
    sheet = read_workbook(path, max_uncompressed_bytes=unpacked).sheets[0]
    assert sheet.shape == (1999, 1)


@pytest.mark.parametrize("recalculate_on_open", [True, False], ids=["asks to recalculate", "saved again"])
def test_formulas_saved_by_xlsxwriter_are_distrusted_the_same_both_ways(tmp_path, recalculate_on_open):
    """Which formulas' saved results are trusted depends only on what the readers found, so both agree."""

    path = tmp_path / "xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Return")
    percent = book.add_format({"num_format": "0%"})
    sheet.write_row(0, 0, ["measure", "period", "value", "numerator", "denominator"])
    sheet.write_row(1, 0, ["cla_foster_pct", "2024-01"])
    sheet.write_formula(1, 2, "=D2/E2", percent, 0)
    sheet.write_row(1, 3, [54, 100])
    sheet.write_formula(2, 2, '="a"&"b"', None, "ab")
    sheet.write_formula(3, 2, "=SUM(D2:E2)", None, 154)
    book.close()
    [(expat, fast)] = both_ways(path, recalculate_on_open=recalculate_on_open)
    assert fast == expat
    expected = {(1, 2), (2, 2), (3, 2)} if recalculate_on_open else {(1, 2)}
    assert set(fast["distrusted"]) == expected

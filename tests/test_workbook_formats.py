"""What the reader gives for each kind of cell, in every accepted format, on real files.

Each file is written by a real tool (openpyxl, xlwt) and, where a case needs XML that openpyxl does
not write (namespace prefixes, cells without addresses, error cells, shared rich text), its sheet is
rewritten with zipfile as .NET tools, older writers or Excel itself write it.
"""

from __future__ import annotations

import io
from datetime import datetime

import numpy as np
import pytest
import xlwt
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from loaders.workbook import NotAWorkbook, read_workbook
from tests.returns_files import write_xlsx
from tests.workbook_files import SHEET_PART, add_shared_strings, base_workbook, replace_parts, workbook_with_sheet


def only_sheet(path):
    book = read_workbook(path)
    [sheet] = book.sheets
    return sheet


# .xlsx as openpyxl writes it ----------------------------------------------------------------------
def test_numbers_text_booleans_and_dates_come_through_as_excel_shows_them(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"Return": [
        ["measure", 398, 61.5, True],
        [datetime(2024, 3, 1), datetime(2024, 3, 31, 12, 30), None, "c"],
    ]}, {"Return": {"A2": "dd/mm/yyyy", "B2": "yyyy-mm-dd hh:mm"}})
    sheet = only_sheet(path)
    assert sheet.cells.tolist() == [
        ["measure", 398.0, 61.5, True],
        [datetime(2024, 3, 1), datetime(2024, 3, 31, 12, 30), "", "c"],
    ]
    assert type(sheet.cells[0, 1]) is float and sheet.percent is None and not sheet.errors


@pytest.mark.parametrize("number_format", ["0%", "0.00%", "0.0%", "[Red]0.0%;-0.0%", '#,##0.0"pts"%'])
def test_percent_formatted_numbers_are_flagged(tmp_path, number_format):
    path = write_xlsx(tmp_path / "r.xlsx", {"Return": [["measure", 0.54, 0.54]]},
                      {"Return": {"B1": number_format}})
    sheet = only_sheet(path)
    assert sheet.cells[0, 1] == 0.54
    assert sheet.percent.tolist() == [[False, True, False]]


@pytest.mark.parametrize("number_format", ['0.0" %"', "0.0\\%", "[$%-809]0.0", "0.0_%", "General", "0.0"])
def test_a_percent_sign_that_is_only_text_in_the_format_is_not_a_percentage(tmp_path, number_format):
    path = write_xlsx(tmp_path / "r.xlsx", {"Return": [[54.0]]}, {"Return": {"A1": number_format}})
    sheet = only_sheet(path)
    assert sheet.cells[0, 0] == 54.0 and sheet.percent is None


def test_the_1904_date_system_is_honoured(tmp_path):
    book = OpenpyxlWorkbook()
    book.epoch = CALENDAR_MAC_1904
    book.active.title = "Return"
    book.active["A1"] = datetime(2024, 3, 1)
    book.active["A1"].number_format = "dd/mm/yyyy"
    book.save(tmp_path / "mac.xlsx")
    assert only_sheet(tmp_path / "mac.xlsx").cells[0, 0] == datetime(2024, 3, 1)


def test_hidden_sheets_are_named_and_not_read_and_chart_sheets_are_skipped(tmp_path):
    book = OpenpyxlWorkbook()
    book.active.title = "Return"
    book.active["A1"] = "shown"
    for name, state in (("Lookups", "hidden"), ("Workings", "veryHidden")):
        sheet = book.create_sheet(name)
        sheet["A1"] = "secret"
        sheet.sheet_state = state
    book.create_chartsheet("Chart")
    book.create_sheet("Notes")["B2"] = "note"
    book.save(tmp_path / "hidden.xlsx")
    read = read_workbook(tmp_path / "hidden.xlsx")
    assert [s.name for s in read.sheets] == ["Return", "Notes"]
    assert read.hidden == ["Lookups", "Workings"]
    assert read.sheets[1].cells.tolist() == [["", ""], ["", "note"]]


def test_a_formula_openpyxl_wrote_was_never_calculated(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"Return": [[5, 6, "=SUM(A1:B1)"]]})
    sheet = only_sheet(path)
    assert sheet.cells.tolist() == [[5.0, 6.0, None]]
    assert sheet.uncached == {(0, 2): "=SUM(A1:B1)"}


def test_bytes_read_like_the_file(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"Return": [["measure", 0.5]]}, {"Return": {"B1": "0%"}})
    from_bytes = read_workbook(path.read_bytes(), file_name="upload.xlsx")
    assert from_bytes.sheets[0].cells.tolist() == [["measure", 0.5]]
    assert from_bytes.sheets[0].percent.tolist() == [[False, True]]
    csv = read_workbook(b"measure,period,value\ncla_count,2024-01,5\n", file_name="upload.csv")
    assert csv.sheets[0].cells[1].tolist() == ["cla_count", "2024-01", "5"]


# .xlsx as other tools write it ----------------------------------------------------------------------
def test_namespace_prefixes_as_dotnet_tools_write_them(tmp_path):
    rows = ('<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>cla_count</x:t></x:is></x:c>'
            '<x:c r="B1" s="1"><x:v>0.54</x:v></x:c><x:c r="C1"><x:v>12</x:v></x:c></x:row>')
    sheet = only_sheet(workbook_with_sheet(tmp_path / "dotnet.xlsx", rows, prefix="x"))
    assert sheet.cells.tolist() == [["cla_count", 0.54, 12.0]]
    assert sheet.percent.tolist() == [[False, True, False]]


def test_cells_and_rows_without_addresses_follow_the_previous_ones(tmp_path):
    rows = ('<row><c t="inlineStr"><is><t>measure</t></is></c><c><v>1</v></c><c r="E1"><v>5</v></c><c><v>6</v></c></row>'
            '<row r="3"><c s="1"><v>0.25</v></c></row><row><c r="B4"><v>7</v></c><c s="1"><v>0.5</v></c></row>')
    sheet = only_sheet(workbook_with_sheet(tmp_path / "no-r.xlsx", rows))
    assert sheet.cells.tolist() == [
        ["measure", 1.0, "", "", 5.0, 6.0],
        ["", "", "", "", "", ""],
        [0.25, "", "", "", "", ""],
        ["", 7.0, 0.5, "", "", ""],
    ]
    assert np.argwhere(sheet.percent).tolist() == [[2, 0], [3, 2]]


def test_error_cells_keep_their_text_and_are_listed(tmp_path):
    rows = ('<row r="1"><c r="A1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="B1" t="e"><v>#N/A</v></c>'
            '<c r="C1"><v>3</v></c></row>')
    sheet = only_sheet(workbook_with_sheet(tmp_path / "errors.xlsx", rows))
    assert sheet.cells.tolist() == [["#DIV/0!", "#N/A", 3.0]]
    assert sheet.errors == {(0, 0): "#DIV/0!", (0, 1): "#N/A"}


def test_formulas_without_saved_values_are_listed_and_left_empty(tmp_path):
    rows = ('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>A1*2</f></c><c r="C1" t="str"><f>"x"&amp;A1</f></c>'
            '<c r="D1"><f>A1+1</f><v>2</v></c></row>')
    sheet = only_sheet(workbook_with_sheet(tmp_path / "uncached.xlsx", rows))
    assert sheet.cells.tolist() == [[1.0, None, None, 2.0]]
    assert sheet.uncached == {(0, 1): "=A1*2", (0, 2): '="x"&A1'}


def test_every_cell_type_excel_writes(tmp_path):
    rows = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="b"><v>0</v></c>'
            '<c r="D1" t="str"><f>A1</f><v>Looked after</v></c><c r="E1" t="d"><v>2024-03-31T00:00:00</v></c>'
            '<c r="F1" t="n" s="2"><v>45382</v></c><c r="G1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>'
            '</row>')
    path = workbook_with_sheet(tmp_path / "types.xlsx", rows, formats=("0%", "dd/mm/yyyy"))
    add_shared_strings(path, ["<t>Looked after</t>",
                              '<r><t xml:space="preserve">Care </t></r><r><rPr><b/></rPr><t>leavers</t></r>'
                              "<rPh sb=\"0\" eb=\"1\"><t>ignored reading</t></rPh>"])
    sheet = only_sheet(path)
    assert sheet.cells.tolist() == [["Looked after", "Care leavers", False, "Looked after", datetime(2024, 3, 31),
                                     datetime(2024, 3, 31), "inline"]]


def test_strict_open_xml_namespaces_are_read(tmp_path):
    base_workbook(tmp_path / "strict.xlsx")
    xml = ('<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><sheetData>'
           '<row r="1"><c r="A1" s="1"><v>0.3</v></c></row></sheetData></worksheet>')
    sheet = only_sheet(replace_parts(tmp_path / "strict.xlsx", {SHEET_PART: xml}))
    assert sheet.cells.tolist() == [[0.3]] and sheet.percent.tolist() == [[True]]


def test_a_sheet_in_an_unknown_namespace_is_refused(tmp_path):
    base_workbook(tmp_path / "odd.xlsx")
    xml = '<worksheet xmlns="urn:something-else"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>'
    with pytest.raises(NotAWorkbook, match="not a worksheet"):
        read_workbook(replace_parts(tmp_path / "odd.xlsx", {SHEET_PART: xml}))


def test_a_date_formatted_number_excel_cannot_show_is_refused_naming_the_cell(tmp_path):
    rows = '<row r="1"><c r="A1" s="2"><v>-5</v></c></row>'
    with pytest.raises(NotAWorkbook, match="A1") as refused:
        read_workbook(workbook_with_sheet(tmp_path / "r.xlsx", rows, formats=("0%", "dd/mm/yyyy")))
    assert refused.value.cell == "A1" and refused.value.sheet == "Return"


# damaged styles ------------------------------------------------------------------------------------
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.mark.parametrize("styles", [
    f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="abc" formatCode="0%"/></numFmts>'
    '<cellXfs><xf numFmtId="0"/><xf numFmtId="abc"/></cellXfs></styleSheet>',
    f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="164" formatCode="0%"/></numFmts></styleSheet>',
    f'<styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="-3"/></cellXfs></styleSheet>',
    f'<styleSheet xmlns="{MAIN}"><numFmts><numFmt numFmtId="164"/></numFmts><cellXfs><xf/></cellXfs></styleSheet>',
    "this is not xml at all",
    f'<styleSheet xmlns="{MAIN}"><cellXfs><xf numFmtId="0"/>',
])
def test_damaged_styles_refuse_the_workbook_with_a_sentence(tmp_path, styles):
    path = write_xlsx(tmp_path / "r.xlsx", {"Return": [["measure", 0.54]]}, {"Return": {"B1": "0%"}})
    replace_parts(path, {"xl/styles.xml": styles})
    with pytest.raises(NotAWorkbook, match="styles") as refused:
        read_workbook(path)
    assert "save it again" in refused.value.text


def test_a_cell_style_the_styles_do_not_hold_is_refused(tmp_path):
    rows = '<row r="1"><c r="A1" s="7"><v>0.5</v></c></row>'
    with pytest.raises(NotAWorkbook, match="styles") as refused:
        read_workbook(workbook_with_sheet(tmp_path / "r.xlsx", rows))
    assert refused.value.cell == "A1"


# legacy .xls ---------------------------------------------------------------------------------------
def write_xls(path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Return")
    sheet.write(0, 0, "measure")
    sheet.write(0, 1, 0.54, xlwt.easyxf(num_format_str="0%"))
    sheet.write(0, 2, 398)
    sheet.write(0, 3, True)
    sheet.write(1, 0, datetime(2024, 3, 31), xlwt.easyxf(num_format_str="dd/mm/yyyy"))
    sheet.write(1, 1, 0.125, xlwt.easyxf(num_format_str="0.0%"))
    sheet.row(1).set_cell_error(2, 42)  # #N/A by its code: xlwt misspells the name
    sheet.row(1).set_cell_error(3, "#DIV/0!")
    hidden = book.add_sheet("Lookups")
    hidden.write(0, 0, "secret")
    hidden.visibility = 1
    very = book.add_sheet("Workings")
    very.write(0, 0, "secret")
    very.visibility = 2
    book.add_sheet("Notes").write(2, 1, "note")
    book.save(str(path))
    return path


def test_legacy_xls_values_percents_dates_errors_and_hidden_sheets(tmp_path):
    read = read_workbook(write_xls(tmp_path / "old.xls"))
    assert [s.name for s in read.sheets] == ["Return", "Notes"]
    assert read.hidden == ["Lookups", "Workings"]
    sheet = read.sheets[0]
    assert sheet.cells.tolist() == [["measure", 0.54, 398.0, True], [datetime(2024, 3, 31), 0.125, "#N/A", "#DIV/0!"]]
    assert sheet.percent.tolist() == [[False, True, False, False], [False, True, False, False]]
    assert sheet.errors == {(1, 2): "#N/A", (1, 3): "#DIV/0!"}
    assert read.sheets[1].cells.tolist() == [["", ""], ["", ""], ["", "note"]]


def test_an_xls_named_xlsx_is_still_read_as_what_it_is(tmp_path):
    path = write_xls(tmp_path / "old.xls")
    renamed = path.rename(tmp_path / "old.xlsx")
    assert read_workbook(renamed).sheets[0].cells[0, 1] == 0.54


# files that are not workbooks we can read ------------------------------------------------------------
def test_a_password_protected_workbook_says_how_to_remove_the_password(tmp_path):
    plain = write_xlsx(tmp_path / "plain.xlsx", {"Return": [["measure", 1]]})
    encrypted = io.BytesIO()
    with plain.open("rb") as handle:
        OOXMLFile(handle).encrypt("secret", encrypted)
    (tmp_path / "locked.xlsx").write_bytes(encrypted.getvalue())
    with pytest.raises(NotAWorkbook) as refused:
        read_workbook(tmp_path / "locked.xlsx")
    assert refused.value.text.startswith("password protected: remove the password (File > Info > Protect Workbook)")


def test_an_opendocument_spreadsheet_is_named_and_the_fix_given(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "return.ods", "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(NotAWorkbook, match=r"OpenDocument spreadsheet \(\.ods\): save it as an Excel workbook"):
        read_workbook(tmp_path / "return.ods")


def test_an_xlsb_binary_workbook_is_named(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "return.xlsb", "w") as package:
        package.writestr("xl/workbook.bin", b"\x83\x01")
    with pytest.raises(NotAWorkbook, match=r"\.xlsb"):
        read_workbook(tmp_path / "return.xlsb")

"""Whatever bytes arrive, the reader gives a clean Workbook or refuses with NotAWorkbook: never a traceback.

The variants are damaged copies of one real workbook (truncated, bytes overwritten, parts missing,
impossible addresses and indexes, XML bombs), as a failed download, a broken tool or a hostile file
would leave them.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
import xlwt

from loaders.sheets import Workbook
from loaders.workbook import NotAWorkbook, read_workbook
from tests.workbook_files import SHEET_PART, add_shared_strings, replace_parts, workbook_with_sheet

GOOD_ROWS = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>0.54</v></c><c r="C1" t="e"><v>#N/A</v></c></row>'
             '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>398</v></c><c r="C2"><f>B2*2</f></c></row>')
BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
                  ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                  '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>')


def good_workbook(path: Path) -> Path:
    workbook_with_sheet(path, GOOD_ROWS)
    return add_shared_strings(path, ["<t>cla_count</t>", "<r><t>care </t></r><r><t>leavers</t></r>"])


def outcome(source) -> str:
    """'read' or 'refused'; any other exception fails the test."""
    try:
        result = read_workbook(source, file_name="return.xlsx")
    except NotAWorkbook as refused:
        assert refused.text and isinstance(refused.text, str)
        return "refused"
    assert isinstance(result, Workbook)
    return "read"


def test_the_good_workbook_reads(tmp_path):
    [sheet] = read_workbook(good_workbook(tmp_path / "good.xlsx")).sheets
    assert sheet.cells.tolist() == [["cla_count", 0.54, "#N/A"], ["care leavers", 398.0, None]]
    assert sheet.errors == {(0, 2): "#N/A"} and sheet.uncached == {(1, 2): "=B2*2"}


def test_truncated_files_are_refused(tmp_path):
    data = good_workbook(tmp_path / "good.xlsx").read_bytes()
    for cut in [4, 30, 100, len(data) // 4, len(data) // 2, len(data) - 200, len(data) - 22, len(data) - 1]:
        assert outcome(data[:cut]) == "refused", cut


def test_random_bytes_anywhere_never_escape_as_anything_but_a_refusal(tmp_path):
    good = good_workbook(tmp_path / "good.xlsx")
    with zipfile.ZipFile(good) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    rng = random.Random(11)
    seen = set()
    for part in (SHEET_PART, "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        for _ in range(8):
            damaged = bytearray(parts[part])
            for _ in range(rng.randint(1, 6)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            path = replace_parts(tmp_path / "copy.xlsx" if (tmp_path / "copy.xlsx").exists() else
                                 good.rename(tmp_path / "copy.xlsx"), {part: bytes(damaged)})
            seen.add(outcome(path))
            replace_parts(path, {part: parts[part]})
    whole = (tmp_path / "copy.xlsx").read_bytes()
    for _ in range(10):
        damaged = bytearray(whole)
        for _ in range(rng.randint(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        seen.add(outcome(bytes(damaged)))
    assert "refused" in seen
    assert outcome(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(5000))) == "refused"
    assert outcome(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(5000))) == "refused"


@pytest.mark.parametrize(("rows", "said"), [
    ('<row r="1"><c r="ZZZZ1"><v>1</v></c></row>', "outside Excel's grid"),
    ('<row r="1"><c r="XFE1"><v>1</v></c></row>', "outside Excel's grid"),
    ('<row r="1"><c r="A0"><v>1</v></c></row>', "outside Excel's grid"),
    ('<row r="1"><c r="A-1"><v>1</v></c></row>', "outside Excel's grid"),
    ('<row r="1"><c r="1A"><v>1</v></c></row>', "outside Excel's grid"),
    ('<row r="1"><c r="A1048577"><v>1</v></c></row>', "outside Excel's grid"),
    ('<row r="0"><c><v>1</v></c></row>', "outside Excel's grid"),
    ('<row r="-3"><c><v>1</v></c></row>', "outside Excel's grid"),
    ('<row r="1"><c r="A1" t="s"><v>99</v></c></row>', "shared text number '99'"),
    ('<row r="1"><c r="A1" t="s"><v>-1</v></c></row>', "shared text number '-1'"),
    ('<row r="1"><c r="A1" t="s"><v>one</v></c></row>', "shared text number 'one'"),
    ('<row r="1"><c r="A1" t="q"><v>1</v></c></row>', "unknown type 'q'"),
    ('<row r="1"><c r="A1"><v>1e400</v></c></row>', "too big"),
    ('<row r="1"><c r="A1"><v>nan</v></c></row>', "where a number belongs"),
    ('<row r="1"><c r="A1"><v>12 apples</v></c></row>', "where a number belongs"),
    ('<row r="1"><c r="A1" t="b"><v>2</v></c></row>', "TRUE or FALSE"),
    ('<row r="1"><c r="A1" t="d"><v>last Tuesday</v></c></row>', "where a date belongs"),
    ('<row r="1"><c r="A1"><v>1</v></c></row', "malformed"),
])
def test_impossible_cells_are_refused_with_what_is_wrong(tmp_path, rows, said):
    with pytest.raises(NotAWorkbook, match=said) as refused:
        read_workbook(add_shared_strings(workbook_with_sheet(tmp_path / "r.xlsx", rows), ["<t>only one</t>"]))
    assert refused.value.sheet == "Return"


@pytest.mark.parametrize("part", [SHEET_PART, "xl/sharedStrings.xml", "xl/workbook.xml"])
def test_xml_with_entity_declarations_is_refused(tmp_path, part):
    path = good_workbook(tmp_path / "good.xlsx")
    replace_parts(path, {part: BILLION_LAUGHS.replace("worksheet", {"xl/sharedStrings.xml": "sst",
                                                                      "xl/workbook.xml": "workbook"}.get(part, "worksheet"))})
    assert outcome(path) == "refused"


@pytest.mark.parametrize("missing", ["xl/_rels/workbook.xml.rels", "xl/workbook.xml", SHEET_PART, "xl/sharedStrings.xml"])
def test_missing_parts_refuse_or_read_cleanly(tmp_path, missing):
    path = replace_parts(good_workbook(tmp_path / "good.xlsx"), {missing: None})
    assert outcome(path) == "refused"


def test_an_empty_sheet_part_is_refused(tmp_path):
    assert outcome(replace_parts(good_workbook(tmp_path / "good.xlsx"), {SHEET_PART: b""})) == "refused"


def test_a_truncated_xls_is_refused(tmp_path):
    book = xlwt.Workbook()
    book.add_sheet("Return").write(0, 0, 0.5, xlwt.easyxf(num_format_str="0%"))
    book.save(str(tmp_path / "old.xls"))
    data = (tmp_path / "old.xls").read_bytes()
    for cut in (600, len(data) // 2, len(data) - 100):
        assert outcome(data[:cut]) == "refused"

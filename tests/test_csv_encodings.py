"""A CSV file in any encoding Excel writes is read exactly; a file in no known encoding is refused whole.

Each test writes the file's bytes as Excel saves them and loads it into a real SQLite database.
"""

from __future__ import annotations

import codecs
from datetime import date

import pytest

from db import queries
from loaders.csvfile import read_csv
from loaders.importer import import_file
from loaders.problems import Rule
from loaders.sheets import NotAWorkbook
from tests.csv_files import EXCEL_CSV_TYPES, csv_bytes, excel_csv
from tests.returns_files import dump_tables

HOME = "E06999901"
NOTE = "£1,200 – Jo’s estimate"  # the three characters plain "CSV" stores as single Windows-1252 bytes


def wide_return(percent: str) -> list[list[object]]:
    return [
        ["measure", "2024-01", "2024-02", "notes"],
        ["Children looked after at the period end", "398", "401", NOTE],
        ["% in foster placements", percent, "72%", ""],
    ]


@pytest.mark.parametrize("excel_type", list(EXCEL_CSV_TYPES))
def test_every_kind_of_csv_excel_saves_loads_the_same_figures(engine, tmp_path, excel_type):
    decimal = "71,5" if EXCEL_CSV_TYPES[excel_type][1] == ";" else "71.5"
    suffix = ".txt" if excel_type == "Unicode Text" else ".csv"  # Excel names Unicode Text files .txt
    path = excel_csv(tmp_path / f"return{suffix}", wide_return(decimal), excel_type)

    report = import_file(engine, path, imported_by="tester")

    assert report.status == "loaded", [p.message() for p in report.problems]
    stored = queries.observations(engine)
    figures = sorted(zip(stored["measure_code"], stored["period_end"].dt.date, stored["value"], strict=True))
    assert figures == [
        ("cla_count", date(2024, 1, 31), 398.0), ("cla_count", date(2024, 2, 29), 401.0),
        ("cla_foster_pct", date(2024, 1, 31), 71.5), ("cla_foster_pct", date(2024, 2, 29), 72.0),
    ]
    assert set(stored["area_code"]) == {HOME}


@pytest.mark.parametrize("excel_type", list(EXCEL_CSV_TYPES))
def test_text_comes_through_character_for_character(tmp_path, excel_type):
    encoding, delimiter = EXCEL_CSV_TYPES[excel_type]
    sheet = read_csv(csv_bytes(wide_return("71"), encoding, delimiter))
    assert sheet.cells[1, 3] == NOTE
    assert sheet.cells[0, 0] == "measure"  # no byte order mark left on the first header
    assert sheet.shape == (3, 4)
    assert sheet.name == ""


def test_utf8_without_a_byte_order_mark_is_read_as_utf8(tmp_path):
    sheet = read_csv(csv_bytes(wide_return("71"), "utf-8"))
    assert sheet.cells[1, 3] == NOTE


def test_big_endian_unicode_text_is_read_by_its_mark():
    text = "measure\t2024-01\r\ncla_count\t398\r\n"
    sheet = read_csv(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    assert sheet.cells.tolist() == [["measure", "2024-01"], ["cla_count", "398"]]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        # 0x81 is one of the five bytes Windows-1252 leaves undefined, and is not UTF-8 here either
        (b"measure,2024-01\r\ncla_count,398\x81\r\n", "not text in a known encoding"),
        (codecs.BOM_UTF8 + b"measure,2024-01\r\n" + b"cla_count,\xa3398\r\n", "marked as UTF-8"),
        ("measure\t2024-01\r\ncla_count\t398\r\n".encode("utf-16-le"), "without the byte order mark"),
        (b"measure,2024-01\r\ncla_count,398\x07\r\n", "control character 0x07"),
        (b"", "empty file"),
        (codecs.BOM_UTF8, "empty file"),
    ],
    ids=["undefined cp1252 byte", "bad utf-8 after its mark", "utf-16 without a mark", "control character",
         "empty", "only a byte order mark"],
)
def test_a_file_in_no_known_encoding_is_refused_whole(engine, tmp_path, data, words):
    before = dump_tables(engine)
    path = tmp_path / "return.csv"
    path.write_bytes(data)

    report = import_file(engine, path)

    assert report.status == "rejected"
    [problem] = report.problems
    assert problem.rule == Rule.NOT_A_WORKBOOK
    assert words in problem.text
    assert problem.message().startswith("return.csv: not a workbook")
    assert dump_tables(engine) == before


def test_the_refusal_names_the_byte_and_says_what_to_do():
    with pytest.raises(NotAWorkbook) as refused:
        read_csv(b"measure,2024-01\r\ncla_count,398\x8d\r\n")
    assert "0x8D" in refused.value.text
    assert "CSV UTF-8" in refused.value.text


def test_windows_1252_is_chosen_only_when_the_bytes_are_not_utf8():
    """'£' is one byte (0xA3) in Windows-1252 and two (0xC2 0xA3) in UTF-8: each file reads as '£'."""
    as_cp1252 = read_csv("measure,notes\r\ncla_count,£5\r\n".encode("cp1252"))
    as_utf8 = read_csv("measure,notes\r\ncla_count,£5\r\n".encode())
    assert as_cp1252.cells[1, 1] == as_utf8.cells[1, 1] == "£5"

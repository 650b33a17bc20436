"""A formula whose saved result cannot be trusted is refused, naming its cell, as one with no saved value.

The files are written by xlsxwriter, which saves 0 for every formula and asks Excel to work them out
on opening (``fullCalcOnLoad``); LibreOffice saves such a file again without the request and with the
zeros. Both must be refused, and a file whose formulas were worked out must load.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from db import queries
from db.models import NO_BREAKDOWN
from loaders.importer import import_file
from loaders.problems import Rule
from loaders.returns import read_return
from tests.returns_files import dump_tables
from tests.workbook_files import WORKBOOK_PART, replace_parts

HOME = "E06000049"
HEADER = ["measure", "period", "value", "numerator", "denominator", "breakdown"]


def xlsxwriter_return(path: Path, worked_out: bool = False) -> Path:
    """A tidy return whose headline count is =SUM of its breakdown and whose percentage is =D5/E5*100.

    ``worked_out`` saves each formula's true result with it, as Excel would after working it out."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Return")
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ["cla_count", "2024-01"])
    sheet.write_formula(1, 2, "=SUM(C3:C4)", None, 398 if worked_out else 0)
    sheet.write_row(2, 0, ["cla_count", "2024-01", 200, None, None, "sex: male"])
    sheet.write_row(3, 0, ["cla_count", "2024-01", 198, None, None, "sex: female"])
    sheet.write_row(4, 0, ["cla_foster_pct", "2024-01"])
    sheet.write_formula(4, 2, "=D5/E5*100", None, 54 if worked_out else 0)
    sheet.write_row(4, 3, [54, 100])
    book.close()
    return path


def without_recalculation_request(path: Path) -> Path:
    """The file as LibreOffice saves it again unrecalculated: the request is gone, the results stay."""
    with zipfile.ZipFile(path) as package:
        workbook = package.read(WORKBOOK_PART).decode()
    assert 'fullCalcOnLoad="1"' in workbook
    return replace_parts(path, {WORKBOOK_PART: workbook.replace(' fullCalcOnLoad="1"', "")})


def refused(engine, path: Path) -> dict[str, tuple[Rule, str, str]]:
    """Cell -> (rule, text, expected) of each problem, after checking the database did not change."""
    before = dump_tables(engine)
    report = import_file(engine, path, default_area=HOME, imported_by="tester")
    assert report.status == "rejected"
    assert dump_tables(engine) == before
    return {p.cell: (p.rule, p.text, p.expected) for p in report.problems}


def test_a_workbook_asking_to_be_recalculated_is_refused_naming_each_formula_read(engine, tmp_path):
    found = refused(engine, xlsxwriter_return(tmp_path / "xlsxwriter.xlsx"))
    assert set(found) == {"C2", "C5"}
    assert found["C2"][:2] == (Rule.DISTRUSTED_FORMULA, "=SUM(C3:C4)")
    assert "asks Excel to work its formulas out again when it is opened" in found["C2"][2]
    assert "open the file in Excel and save it" in found["C5"][2]


def test_a_saved_result_the_formula_contradicts_is_refused_naming_both(engine, tmp_path):
    path = without_recalculation_request(xlsxwriter_return(tmp_path / "resaved.xlsx"))
    found = refused(engine, path)
    assert found["C2"][:2] == (Rule.DISTRUSTED_FORMULA, "=SUM(C3:C4)")
    assert "saved with this formula is 0, but the formula works out as 398" in found["C2"][2]
    assert "is 0, but the formula works out as 54" in found["C5"][2]


def test_formulas_saved_with_their_results_load(engine, tmp_path):
    path = without_recalculation_request(xlsxwriter_return(tmp_path / "excel.xlsx", worked_out=True))
    report = import_file(engine, path, default_area=HOME, imported_by="tester")
    assert report.status == "loaded", [p.message() for p in report.problems]
    stored = queries.observations(engine)
    headline = stored[stored["category"] == NO_BREAKDOWN]
    assert sorted(zip(headline["measure_code"], headline["value"], strict=True)) == [("cla_count", 398.0),
                                                                                   ("cla_foster_pct", 54.0)]


def _calc_installed() -> bool:
    """LibreOffice can open a workbook only with its Calc component, which many installs leave out."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return False
    program = Path(soffice).resolve().parent
    return any(program.glob("libsclo.so")) or any(Path("/usr/lib/libreoffice/program").glob("libsclo.so"))


@pytest.mark.skipif(not _calc_installed(), reason="LibreOffice Calc (Debian's libreoffice-calc-nogui, which "
                    "test.sh installs) is not installed, so the file cannot be saved again through it")
def test_an_xlsxwriter_file_saved_again_by_libreoffice_is_refused(engine, tmp_path):
    source = xlsxwriter_return(tmp_path / "xlsxwriter.xlsx")
    out = tmp_path / "libreoffice"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(source)], check=True, timeout=180,
                   capture_output=True)
    with zipfile.ZipFile(out / "xlsxwriter.xlsx") as package:
        # the request to recalculate is gone: only the formulas' own arithmetic can show the zeros are wrong
        assert "fullCalcOnLoad" not in package.read(WORKBOOK_PART).decode()
    found = refused(engine, out / "xlsxwriter.xlsx")
    assert {found["C2"][0], found["C5"][0]} == {Rule.DISTRUSTED_FORMULA}


def test_a_formula_working_from_a_contradicted_one_is_refused_too(tmp_path):
    """C4 = C3*2 agrees with C3's saved 0, but C3 itself is wrong, so C4's figure is wrong as well."""
    path = tmp_path / "chain.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Return")
    sheet.write_row(0, 0, ["measure", "period", "value", "numerator"])
    sheet.write_row(1, 0, ["cla_starts", "2024-01", 5])
    sheet.write_row(2, 0, ["cla_count", "2024-01"])
    sheet.write_formula(2, 2, "=C2+(3-1)*10", None, 0)
    sheet.write_row(3, 0, ["cla_ceased", "2024-01"])
    sheet.write_formula(3, 2, "=C3*2", None, 0)  # agrees with C3's saved 0, not with C3's formula
    sheet.write_row(4, 0, ["cla_rate", "2024-01"])
    sheet.write_formula(4, 2, "=C2/0", None, 0)
    book.close()
    parsed = read_return(without_recalculation_request(path), HOME)
    found = {p.cell: p.expected for p in parsed.problems if p.rule == Rule.DISTRUSTED_FORMULA}
    assert "works out as 25" in found["C3"]
    assert "works from cell C3" in found["C4"]
    assert "works out as #DIV/0!" in found["C5"]


def test_a_formula_it_cannot_work_out_keeps_its_saved_result(tmp_path):
    """Another sheet, another function: the saved result is all there is, and Excel saved it."""
    path = tmp_path / "other.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Return")
    book.add_worksheet("Data").write(0, 0, 398)
    sheet.write_row(0, 0, ["measure", "period", "value"])
    sheet.write_row(1, 0, ["cla_count", "2024-01"])
    sheet.write_formula(1, 2, "=Data!A1", None, 398)
    sheet.write_row(2, 0, ["cla_starts", "2024-01"])
    sheet.write_formula(2, 2, "=ROUND(12.4,0)", None, 12)
    book.close()
    parsed = read_return(without_recalculation_request(path), HOME)
    assert parsed.problems == []
    assert sorted(parsed.observations["value"]) == [12.0, 398.0]

"""How far a sheet reaches and how big a workbook may unpack: zip bombs, bloated sheets and stray cells.

The grid is the sheet's main block (see loaders.extent); cells far beyond it are kept aside as
outliers; a block too big to hold, or a workbook unpacking past the cap, is refused with a sentence.
"""

from __future__ import annotations

import zipfile

import pytest

from loaders.extent import MAX_GAP_COLUMNS, MAX_GAP_ROWS, MAX_OUTLIERS
from loaders.workbook import NotAWorkbook, read_workbook
from tests.returns_files import write_xlsx
from tests.workbook_files import SHEET_PART, workbook_with_sheet, write_repeated_rows

TABLE = [["measure", "Jan-24", "Feb-24"], ["cla_count", 398, 401], ["care_leavers", 51, 52]]


def table_with(extra: dict[tuple[int, int], object]) -> list[list[object]]:
    """TABLE plus single cells at (row, col), zero-based, as write_xlsx rows."""
    height = max([len(TABLE)] + [r + 1 for r, _ in extra])
    width = max([3] + [c + 1 for _, c in extra])
    rows = [[None] * width for _ in range(height)]
    for r, row in enumerate(TABLE):
        rows[r][:3] = row
    for (r, c), value in extra.items():
        rows[r][c] = value
    return rows


def test_one_stray_cell_at_the_last_cell_of_the_grid_is_an_outlier(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in TABLE:
        sheet.append(row)
    sheet["XFD1048576"] = "stray"
    book.save(tmp_path / "stray.xlsx")
    assert (tmp_path / "stray.xlsx").stat().st_size < 10_000
    [read] = read_workbook(tmp_path / "stray.xlsx").sheets
    assert read.shape == (3, 3)
    assert read.cells.tolist()[1] == ["cla_count", 398.0, 401.0]
    assert read.outliers == [(1_048_575, 16_383, "stray")]


def test_the_main_block_ends_after_more_than_the_allowed_gap_of_empty_rows(tmp_path):
    last = len(TABLE) - 1
    near, far = last + MAX_GAP_ROWS + 1, last + MAX_GAP_ROWS + 2  # 1,000 and 1,001 empty rows between
    beyond_note = near + MAX_GAP_ROWS + 2
    path = write_xlsx(tmp_path / "rows.xlsx", {"Return": table_with({(near, 0): "note", (beyond_note, 1): 7})})
    [read] = read_workbook(path).sheets
    assert read.shape == (near + 1, 3) and read.cells[near, 0] == "note"
    assert read.outliers == [(beyond_note, 1, 7.0)]
    path = write_xlsx(tmp_path / "rows2.xlsx", {"Return": table_with({(far, 0): "note"})})
    [read] = read_workbook(path).sheets
    assert read.shape == (3, 3) and read.outliers == [(far, 0, "note")]


def test_the_main_block_ends_after_more_than_the_allowed_gap_of_empty_columns(tmp_path):
    near, far = 2 + MAX_GAP_COLUMNS + 1, 2 + MAX_GAP_COLUMNS + 2
    path = write_xlsx(tmp_path / "cols.xlsx", {"Return": table_with({(1, near): "kept"})})
    [read] = read_workbook(path).sheets
    assert read.shape == (3, near + 1) and read.cells[1, near] == "kept" and not read.outliers
    path = write_xlsx(tmp_path / "cols2.xlsx", {"Return": table_with({(2, far): 5})})
    [read] = read_workbook(path).sheets
    assert read.shape == (3, 3) and read.outliers == [(2, far, 5.0)]


def test_a_title_far_above_the_table_stays_in_the_grid(tmp_path):
    rows = [["Monthly return"]] + [[None]] * 2000 + TABLE
    [read] = read_workbook(write_xlsx(tmp_path / "title.xlsx", {"Return": rows})).sheets
    assert read.shape == (2004, 3) and read.cells[0, 0] == "Monthly return" and not read.outliers
    assert read.cells[2002].tolist() == ["cla_count", 398.0, 401.0]


def test_a_dense_table_as_wide_as_excel_allows_is_read_whole(tmp_path):
    rows = [[f"c{c}" for c in range(16_384)], list(range(16_384))]
    [read] = read_workbook(write_xlsx(tmp_path / "wide.xlsx", {"Return": rows})).sheets
    assert read.shape == (2, 16_384) and read.cells[1, 16_383] == 16_383.0 and not read.outliers


def test_a_declared_dimension_of_the_whole_grid_is_no_reason_to_refuse(tmp_path):
    rows = '<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>'
    path = workbook_with_sheet(tmp_path / "dim.xlsx", rows, dimension="A1:XFD1048576")
    [read] = read_workbook(path).sheets
    assert read.cells.tolist() == [[1.0, 2.0]] and not read.outliers


def test_a_main_block_too_big_to_hold_is_refused_naming_the_sheet(tmp_path):
    across = "".join(f'<c r="{_letters(c)}1"><v>1</v></c>' for c in range(0, 16_384, MAX_GAP_COLUMNS))
    down = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(2, 1_048_577, MAX_GAP_ROWS))
    path = workbook_with_sheet(tmp_path / "lattice.xlsx", f'<row r="1">{across}</row>{down}')
    with pytest.raises(NotAWorkbook, match="sheet 'Return' holds a table of 1,048,002 rows by 16,201 columns") as refused:
        read_workbook(path)
    assert refused.value.sheet == "Return"


def test_too_many_cells_far_beyond_the_table_are_refused(tmp_path):
    far = "".join(f'<c r="{_letters(c)}5000"><v>1</v></c>' for c in range(MAX_OUTLIERS + 1))
    main = "".join(f'<row r="{r}">' + "".join(f'<c r="{_letters(c)}{r}"><v>2</v></c>' for c in range(12))
                   + "</row>" for r in range(1, 1000))
    with pytest.raises(NotAWorkbook, match="10,001 cells far beyond its table"):
        read_workbook(workbook_with_sheet(tmp_path / "far.xlsx", f'{main}<row r="5000">{far}</row>'))


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# the cap on uncompressed size ----------------------------------------------------------------------
def test_a_workbook_that_unpacks_past_the_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = write_repeated_rows(tmp_path / "bomb.xlsx", rows=20_000)
    assert path.stat().st_size < 1_000_000
    monkeypatch.setenv("DASHBOARD_MAX_UNCOMPRESSED_MB", "4")
    with pytest.raises(NotAWorkbook) as refused:
        read_workbook(path)
    with zipfile.ZipFile(path) as package:
        unpacked_mb = round(sum(info.file_size for info in package.infolist()) / 1e6)
    assert unpacked_mb > 8
    assert refused.value.text.startswith(f"the workbook unpacks to {unpacked_mb} MB, more than the 4 MB this dashboard reads")
    assert "DASHBOARD_MAX_UNCOMPRESSED_MB" in refused.value.text
    monkeypatch.setenv("DASHBOARD_MAX_UNCOMPRESSED_MB", "20")
    [read] = read_workbook(path).sheets
    assert read.shape == (20_000, 20) and bool(read.percent.all())


def test_the_cap_can_be_given_by_the_caller(tmp_path):
    path = write_repeated_rows(tmp_path / "bloated.xlsx", rows=20_000)
    with pytest.raises(NotAWorkbook, match="more than the 5 MB"):
        read_workbook(path, max_uncompressed_bytes=5_000_000)


def test_declared_sizes_that_lie_do_not_get_past_the_cap(tmp_path):
    path = write_repeated_rows(tmp_path / "liar.xlsx", rows=20_000)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as package:
        info = package.getinfo(SHEET_PART)
    # claim 1 KB in the local header and the central directory (zip64 extra fields too)
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = 30 if signature == b"PK\x03\x04" else 46
            name_length = int.from_bytes(data[start + name_at - 4:start + name_at - 2], "little")
            if data[start + name_at:start + name_at + name_length] == SHEET_PART.encode():
                data[start + size_at:start + size_at + 4] = (1000).to_bytes(4, "little")
            start += 4
    lying = tmp_path / "lying.xlsx"
    lying.write_bytes(bytes(data))
    assert info.file_size > 5_000_000
    with pytest.raises(NotAWorkbook):
        read_workbook(lying, max_uncompressed_bytes=5_000_000)

"""Uploading returns on the Imports page: preview first, nothing written until confirmed, then the
same import the command line makes. Driven through the real app with Streamlit's AppTest."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest
from xlwt import Workbook as XlsWorkbook

from db.engine import connect
from loaders.importer import import_file
from loaders.preview import preview_upload, too_big
from tests.app_database import HOME
from tests.databases import new_database
from tests.returns_files import dump_tables
from tests.test_app_pages import as_read

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
IMPORTS = "app_pages/imports.py"
TIMEOUT = 120
JANUARY = b"measure,area,period,value\ncla_count,E06999901,2024-01,300\ncla_count,E06999901,2024-02,310\n"
CORRECTED = b"measure,area,period,value\ncla_count,E06999901,2024-02,315\ncla_count,E06999901,2024-03,320\n"


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    url = new_database(tmp_path / 'dashboard.db')
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": HOME, "DASHBOARD_USER": "jsmith"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    monkeypatch.delenv("DASHBOARD_MAX_UPLOAD_MB", raising=False)
    import_file(connect(url), data=JANUARY, file_name="january.csv", imported_by="jsmith")
    return url


def imports_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(IMPORTS).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def said(at: AppTest) -> str:
    kinds = ("markdown", "subheader", "header", "error", "info", "success", "warning", "caption")
    return "\n".join(as_read(str(e.value)) for kind in kinds for e in at.get(kind))


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.get("file_uploader")[0].set_value([(name, content, "application/octet-stream") for name, content in files])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def stored(url: str) -> list[tuple]:
    return dump_tables(connect(url))["observation"]


def frame_with(at: AppTest, column: str):
    for frame in [*at.dataframe, *at.table]:
        value = frame.value.reset_index()
        if column in value.columns:
            return value
    raise AssertionError(f"no table with a {column!r} column")


def test_the_preview_shows_what_would_change_and_confirm_loads_it(db):
    before = dump_tables(connect(db))
    at = upload(imports_page(), ("corrected.csv", CORRECTED))
    text = said(at)
    assert "2 values, 0 targets" in text and "Children looked after at the period end" in text
    assert "add **1 new value**, replace **1 value**" in text
    replaced = frame_with(at, "After loading")
    assert list(replaced["Now"]) == ["310"] and list(replaced["After loading"]) == ["315"]
    assert dump_tables(connect(db)) == before  # nothing written by the preview
    at.button(key="confirm_0").click().run()
    assert "corrected.csv: loaded as batch 2: 1 new, 1 replaced" in said(at)
    values = {(row[4], row[7]) for row in stored(db)}
    assert {(str(v[0]), v[1]) for v in values} >= {("2024-02-29", 315.0), ("2024-03-31", 320.0)}
    batches = frame_with(at, "Batch")
    assert list(batches["File"])[:2] == ["corrected.csv", "january.csv"] and list(batches["By"])[0] == "jsmith"


def test_the_page_gives_the_limit_and_the_template(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", "7")
    at = imports_page()
    assert "up to **7 MB** each" in said(at)
    assert at.get("file_uploader")[0].proto.max_upload_size_mb == 7  # the browser refuses a bigger file too
    assert any("template" in str(b.proto.label).lower() for b in at.get("download_button"))


def test_a_file_over_the_limit_is_refused_with_a_sentence_and_nothing_read(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", "1")
    big = JANUARY + b"\n" * (1024 * 1024 + 1)
    preview = preview_upload(connect(db), big, "big.csv")
    assert not preview.can_confirm and "over the upload limit of 1 MB" in preview.refused
    assert too_big(10, 1) == ""
    before = dump_tables(connect(db))
    at = upload(imports_page(), ("big.csv", big))
    assert "over the upload limit of 1 MB" in said(at)
    assert not [b for b in at.button if str(b.key).startswith("confirm_")]
    assert dump_tables(connect(db)) == before


def _xlsx(rows: list[list[object]], hidden: list[list[object]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in rows:
        sheet.append(row)
    if hidden is not None:
        old = book.create_sheet("Old copy")
        for row in hidden:
            old.append(row)
        old.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xls_blank_area() -> bytes:
    book = XlsWorkbook()
    sheet = book.add_sheet("Return")
    for r, row in enumerate([["measure", "area", "period", "value"], ["cla_count", "", "2024-04", 330]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BAD_FILES = {
    "excel-error.xlsx": (_xlsx([["measure", "area", "period", "value"], ["cla_count", HOME, "2024-04", "#N/A"]]),
                         "D2"),
    "decimal-comma.csv": (b"measure;2024-01;2024-02\r\ncla_rate;61,5;12.5\r\n", ""),  # both marks: unsure
    "blank-area.xls": (_xls_blank_area(), "B2"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_file_with_a_problem_lists_it_by_cell_and_cannot_be_confirmed(db, name):
    content, cell = BAD_FILES[name]
    before = dump_tables(connect(db))
    at = upload(imports_page(), (name, content))
    assert "cannot be loaded" in said(at)
    problems = frame_with(at, "Problem")
    assert len(problems) >= 1
    if cell:
        assert cell in list(problems["Cell"])
    assert not [b for b in at.button if str(b.key).startswith("confirm_")]
    assert dump_tables(connect(db)) == before


def test_a_hidden_stale_sheet_is_named_and_not_read(db):
    content = _xlsx([["measure", "area", "period", "value"], ["cla_count", HOME, "2024-04", 330]],
                    hidden=[["measure", "area", "period", "value"], ["cla_count", HOME, "2024-04", 999]])
    preview = preview_upload(connect(db), content, "with-old-copy.xlsx")
    assert preview.hidden_sheets == ["Old copy"] and preview.values == 1 and preview.can_confirm
    before = dump_tables(connect(db))
    at = upload(imports_page(), ("with-old-copy.xlsx", content))
    assert "'Old copy' is hidden: not read" in said(at)
    assert dump_tables(connect(db)) == before
    at.button(key="confirm_0").click().run()
    assert 999.0 not in {row[7] for row in stored(db)} and 330.0 in {row[7] for row in stored(db)}


def test_several_files_are_previewed_each_on_its_own(db):
    at = upload(imports_page(), ("corrected.csv", CORRECTED), ("bad.csv", b"measure,area,period,value\nnope,,2024-01,1\n"))
    assert [b.key for b in at.button if str(b.key).startswith("confirm_")] == ["confirm_0"]
    assert "corrected.csv" in said(at) and "bad.csv" in said(at)


def test_a_viewer_sees_no_upload_or_undo_controls(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EDITORS", "someone.else")
    at = imports_page()
    assert not at.get("file_uploader") and not at.button and "loading and undoing returns is for editors" in said(at)
    assert list(frame_with(at, "Batch")["File"]) == ["january.csv"]

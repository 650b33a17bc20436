"""A council's 903 files dropped into the Imports page: recognised as one set, previewed with DfE's rule
problems and each figure beside DfE's, confirmed as one batch and undone; a set that cannot be read changes
nothing; viewers cannot import, and public mode shows no child. Through the real app (AppTest) on a real
SQLite file, with files written here and by scripts/make_903.py."""

from __future__ import annotations

import hashlib
import io
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from db.engine import connect
from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch
from loaders.ssda903.model import TABLE
from tests.app_database import HOME
from tests.cli import run_main
from tests.databases import new_database
from tests.returns_files import dump_tables
from tests.ssda903_files import CHILDREN, DOBS, EPISODES, HEADER, POSTCODES, REVIEWS, csv_text, write_xml
from tests.test_upload import frame_with, imports_page, said, upload
from ui.ssda903_upload import problems_csv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from make_903 import generate  # noqa: E402

PREVIEW_KEY = "imports_903_preview"


@pytest.fixture
def db(tmp_path, monkeypatch) -> str:
    """An empty dashboard database; the person using it is jsmith, an editor (no editors list); uploads' temporary
    folders go under tmp_path/tmp, so a test can see that none is left behind."""
    url = new_database(tmp_path / 'dashboard.db')
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": HOME, "DASHBOARD_USER": "jsmith"}.items():
        monkeypatch.setenv(key, value)
    for key in ("DASHBOARD_EDITORS", "DASHBOARD_MAX_UPLOAD_MB", "DASHBOARD_PUBLIC_MODE"):
        monkeypatch.delenv(key, raising=False)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    connect(url)
    return url


def table_csv(table: str, rows) -> bytes:
    return csv_text(TABLE[table].columns, rows).encode()


def small_set(episodes=None) -> list[tuple[str, bytes]]:
    """Three children in 2024-25, the year in each file's name; child 2's ETHNIC is no code (DfE rule 103)."""
    header = [list(row) for row in HEADER]
    header[1][3] = "ZZZZ"
    return [("header_2024-25.csv", table_csv("header", header)),
            ("episodes_2024-25.csv", table_csv("episodes", EPISODES if episodes is None else episodes)),
            ("reviews_2024-25.csv", table_csv("reviews", REVIEWS))]


def publish(url: str, figures: dict[str, float], year: int = 2025) -> None:
    """DfE's published figures for the home council, as loading DfE's tables writes them."""
    rows = [dict(measure_code=code, area_code=HOME, period_type="year", period_end=date(year, 3, 31), dimension="",
                 category="", value=value, numerator=None, denominator=None, status="value")
            for code, value in figures.items()]
    info = BatchInfo("dfe_published.csv", hashlib.sha256(b"dfe").hexdigest(), "published", [], "test")
    apply_batch(connect(url), info, pd.DataFrame(rows, columns=OBSERVATION_COLUMNS))


def scalar(url: str, sql: str):
    with connect(url).connect() as connection:
        return connection.execute(text(sql)).scalar()


def left_behind(tmp_path: Path) -> list[str]:
    return [p.name for p in (tmp_path / "tmp").iterdir()]


def test_a_903_set_is_previewed_with_its_problems_and_dfe_figures_then_loaded_as_one_batch_and_undone(db, tmp_path):
    publish(db, {"cla_count": 2.0, "cla_foster_pct": 80.0})
    before = dump_tables(connect(db))
    at = upload(imports_page(), *small_set())
    shown = said(at)
    # no checkbox asked for, no year asked for: every name gives one
    assert not at.checkbox
    assert "Collection year of the files whose names give none" not in [s.label for s in at.selectbox]
    assert "Recognised as the 903 return: 3 tables read" in shown
    files = frame_with(at, "Table")
    assert list(zip(files["File"], files["Table"], files["Collection year"], files["Rows"], strict=True)) == [
        ("header_2024-25.csv", "Header", "2024-25", 3), ("episodes_2024-25.csv", "Episodes", "2024-25", 4),
        ("reviews_2024-25.csv", "Reviews", "2024-25", 2)]
    rules = frame_with(at, "DfE's message")
    assert dict(zip(rules["Rule"], rules["Problems"], strict=True))["103"] == 1
    problems = frame_with(at, "Child")
    assert ("103", "Header", 3, CHILDREN[1], "header_2024-25.csv") in set(zip(
        problems["Rule"], problems["Table"], problems["Row"], problems["Child"], problems["File"], strict=True))
    [download] = [b for b in at.get("download_button") if "problem" in str(b.proto.label).lower()]
    csv = problems_csv(at.session_state[PREVIEW_KEY][1]).decode("utf-8-sig").splitlines()
    assert csv[0] == "rule,table,row,child,message,file,collection_year"
    assert f"103,header,3,{CHILDREN[1]},The ethnicity code is either not valid or has not been entered.," \
           "header_2024-25.csv,2025" in csv
    flagged = frame_with(at, "With a problem")
    cla = flagged[(flagged["Measure"].str.startswith("Children looked after")) & (flagged["Period"] == "2024-25")]
    assert list(cla["Children counted"]) == [2] and list(cla["With a problem"]) == [1]
    beside = frame_with(at, "Beside DfE's published figure")
    lines = dict(zip(beside["Beside DfE's published figure"], beside["Differs"], strict=True))
    assert lines["From your 903: 2; DfE 2024-25: 2"] == ""
    assert lines["From your 903: 100.0% (2 of 2); DfE 2024-25: 80%. These differ by more than DfE's rounding: check "
                 "the 903 against what was sent to DfE"] == "Yes"
    assert "1 figure from the 903 differ" in shown
    # no OC2 table: every health measure's gap is given with its reason, never left blank
    assert "No figure, and why" in shown
    assert "at 31 March 2025: Needs the OC2 and Episodes tables of 2024-25." in shown
    assert dump_tables(connect(db)) == before  # the preview wrote nothing
    assert PREVIEW_KEY in at.session_state and left_behind(tmp_path) == []

    at.button(key="confirm_903").click().run()
    assert not at.exception
    assert "set of 3 files: header_2024-25.csv, episodes_2024-25.csv, reviews_2024-25.csv: loaded as batch 2" in said(at)
    assert PREVIEW_KEY not in at.session_state  # the problems naming children are forgotten once loaded
    assert scalar(db, "SELECT COUNT(*) FROM import_batch WHERE source = 'ssda903'") == 1
    assert scalar(db, "SELECT COUNT(*) FROM batch_file WHERE batch_id = 2") == 3
    assert scalar(db, "SELECT value FROM observation WHERE origin = 'ssda903' AND measure_code = 'cla_foster_pct' "
                      "AND period_type = 'year'") == 100.0
    assert scalar(db, "SELECT problems FROM batch_rule_problems WHERE rule = '103'") == 1
    stored = repr(dump_tables(connect(db))).upper()
    for secret in (*CHILDREN, *DOBS, *POSTCODES):
        assert secret.upper() not in stored, f"{secret} is stored"
    assert left_behind(tmp_path) == []
    assert download.proto.url.endswith(".csv") and download.proto.ignore_rerun  # a click reads nothing again

    at.selectbox(key="undo_choice").select(2).run()
    at.button(key="undo_button").click().run()
    at.button(key="undo_confirm").click().run()
    assert not at.exception
    assert scalar(db, "SELECT COUNT(*) FROM observation WHERE origin = 'ssda903'") == 0
    assert scalar(db, "SELECT COUNT(*) FROM observation WHERE origin = 'published'") == 2


def test_the_year_is_asked_only_for_files_whose_names_give_none_and_a_zip_of_year_folders_gives_several(db):
    made = generate(24, 2, 1)
    named = io.BytesIO()
    with zipfile.ZipFile(named, "w") as archive:
        for name, content in made.files.items():
            archive.writestr(name, content)  # 2023-24/episodes.csv: the folder gives the year
    plain = [(f"{Path(name).stem}.csv", content) for name, content in made.files.items() if name.startswith("2024-25/")]

    at = upload(imports_page(), ("extract.zip", named.getvalue()))
    shown = said(at)
    assert "Recognised as the 903 return: 14 tables read" in shown
    years = frame_with(at, "Collection year")
    assert sorted(set(years["Collection year"])) == ["2023-24", "2024-25"]
    assert "put the year in each file's name (episodes_2024-25.csv, episodes_2023-24.csv) or upload one zip" in shown

    at = upload(imports_page(), *plain)
    shown = said(at)
    assert "No collection year in the name of 7 files: header.csv, episodes.csv" in shown
    assert "Nothing has been read yet." in shown
    assert not at.dataframe  # nothing read until the year is chosen
    at.selectbox(key="imports_903_year").select(2025).run()
    shown = said(at)
    assert "Recognised as the 903 return: 7 tables read" in shown
    assert set(frame_with(at, "Collection year")["Collection year"]) == {"2024-25"}
    assert PREVIEW_KEY in at.session_state
    at.switch_page("app_pages/overview.py").run()
    assert PREVIEW_KEY not in at.session_state  # leaving the page forgets the preview and its children


def test_a_set_that_cannot_be_read_is_refused_naming_file_row_column_and_value_and_changes_nothing(db):
    episodes = [list(e) for e in EPISODES]
    episodes[2][3] = "Q7"
    before = dump_tables(connect(db))
    at = upload(imports_page(), *small_set(episodes))
    shown = said(at)
    assert "This 903 set cannot be read with certainty (1 problem)" in shown
    assert "episodes_2024-25.csv, cell D4 (LS): unknown code 'Q7'" in shown
    assert not [b for b in at.button if b.key == "confirm_903"]
    assert dump_tables(connect(db)) == before


def test_a_viewer_cannot_import_and_public_mode_shows_no_child(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_EDITORS", "someone.else")
    at = imports_page()
    assert not at.get("file_uploader")
    assert "loading and undoing returns is for editors" in said(at)

    monkeypatch.delenv("DASHBOARD_EDITORS")
    monkeypatch.setenv("DASHBOARD_PUBLIC_MODE", "1")
    at = upload(imports_page(), *small_set())
    shown = said(at)
    assert "Public mode is on. A 903 preview names children" in shown
    assert CHILDREN[1] not in shown
    assert not [frame for frame in at.dataframe if "Child" in frame.value.columns]
    assert not [b for b in at.button if b.key == "confirm_903"]
    assert PREVIEW_KEY not in at.session_state


def test_the_903_in_its_xml_form_is_recognised_alone(db, tmp_path):
    xml = write_xml(tmp_path / "ssda903_2024-25.xml").read_bytes()
    at = upload(imports_page(), ("ssda903_2024-25.xml", xml))
    assert "Recognised as the 903 return: 3 tables read" in said(at)
    files = frame_with(at, "Table")
    assert set(zip(files["Table"], files["Collection year"], files["Rows"], strict=True)) == {
        ("Header", "2024-25", 3), ("Episodes", "2024-25", 4), ("Reviews", "2024-25", 2)}
    assert [b.key for b in at.button if b.key == "confirm_903"] == ["confirm_903"]


def test_a_zip_that_holds_no_903_is_offered_as_a_set_of_returns(db):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("january.csv", f"measure,area,period,value\ncla_count,{HOME},2024-01,300\n")
    at = upload(imports_page(), ("returns.zip", packed.getvalue()))
    assert "Recognised as the 903 return" not in said(at) and not at.selectbox
    at.checkbox(key="imports_as_set").check().run()
    assert "Loading the set as one batch would add **1 new value**" in said(at)


def test_with_grants_an_editor_of_another_council_cannot_load_this_council_s_903(db):
    """The page's 903 is the home council's own figures: an editor granted only another council gets a sentence,
    no preview naming children and no confirm."""
    other = "E08000003"  # Manchester, not the home council
    assert run_main("access", "grant", "jsmith", "--council", other, "--role", "editor", "--db", db).returncode == 0
    before = dump_tables(connect(db))
    at = upload(imports_page(), *small_set())
    assert "you may not change that council's figures" in said(at)
    assert CHILDREN[1] not in said(at)
    assert not [b for b in at.button if b.key == "confirm_903"]
    assert dump_tables(connect(db)) == before

"""The committee pack from a real database: what its slides say, its pictures' alt text, its PDF, its command.

Built once per database (chart pictures take a few seconds each); every assertion reads the .pptx back
with python-pptx, so it checks what a member would see, not our own data structures.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from charts.wording import spell_out
from db.engine import connect
from reference.catalogue import catalogue
from reports.pack import PackError, PackRequest, build_pack, pack_content, parse_period
from tests import app_database
from views.overview import overview_view
from views.reads import database_reads

ROOT = Path(__file__).resolve().parents[1]
CHESHIRE_EAST = "E06000049"
TODAY = date(2026, 12, 3)


def slide_texts(deck: bytes) -> list[str]:
    out = []
    for slide in Presentation(BytesIO(deck)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        out.append("\n".join(parts))
    return out


def pictures(deck: bytes) -> list[tuple[str, str]]:
    """(slide title, alt text) of every picture."""
    found = []
    for slide in Presentation(BytesIO(deck)).slides:
        title = next((s.text_frame.text for s in slide.shapes if s.has_text_frame), "")
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                found.append((title, shape._element.nvPicPr.cNvPr.get("descr") or ""))
    return found


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('pack') / 'sample.db'}"
    app_database.build(connect(url), url)
    return url


@pytest.fixture(scope="module")
def sample_deck(sample_url) -> bytes:
    return build_pack(connect(sample_url), PackRequest("2025-03", app_database.HOME), today=TODAY)


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> str:
    return app_database.published_database(tmp_path_factory.mktemp("pack_published") / "published.db")


@pytest.mark.parametrize(("text", "end", "yearly"), [
    ("2026-10", date(2026, 10, 31), False), ("2025-02", date(2025, 2, 28), False),
    ("2024-25", date(2025, 3, 31), True), (" 2019-20 ", date(2020, 3, 31), True),
])
def test_periods_are_read_as_dfe_writes_them(text, end, yearly):
    assert parse_period(text) == (end, yearly)


@pytest.mark.parametrize("text", ["2026-13", "October 2026", "2024/25", "2024-26", "26-10", ""])
def test_a_period_the_pack_cannot_read_is_refused_in_words(text):
    with pytest.raises(PackError, match="2026-10.*2024-25"):
        parse_period(text)


def test_the_pack_says_what_the_overview_says(sample_url, sample_deck):
    texts = slide_texts(sample_deck)
    joined = "\n".join(texts)
    engine = connect(sample_url)
    scope = pack_content.__globals__["pack_scope"](PackRequest("2025-03", app_database.HOME))
    overview = overview_view(database_reads(engine), scope)
    assert texts[0].startswith(overview.scope.home_name)
    assert "March 2025" in texts[0]
    assert overview.summary.split(":")[0] in joined
    red = catalogue().get(app_database.RED_MEASURE).short_name
    assert any(red in t and "Off target" in t for t in texts)
    for line in overview.attention_lines:  # every needs-attention line, no cap
        assert line.split(":")[0] in joined
    for measure in catalogue().measures:  # every measure has its chart slide, or says why not
        assert any(t.splitlines()[0].endswith(spell_out(measure.short_name)) for t in texts if t), measure.code


def test_every_chart_picture_has_alt_text_naming_the_chart_and_its_latest_figure(sample_deck):
    found = pictures(sample_deck)
    if shutil.which("chromium") is None:
        assert found == []
        return
    assert len(found) >= len(catalogue().measures) - 2  # every measure with figures has its picture
    for title, alt in found:
        assert alt.startswith("Chart: "), title
        assert "Latest:" in alt or "No figure" in alt


def test_a_measure_with_no_figures_says_why_instead_of_a_picture(sample_deck):
    short = catalogue().get(app_database.NO_DATA_MEASURE).short_name
    slide = next(t for t in slide_texts(sample_deck) if t and t.splitlines()[0].endswith(spell_out(short)))
    assert "No figure yet" in slide or "no figures" in slide.lower() or "Not published by DfE" in slide


def test_a_real_council_with_no_targets_gets_no_all_clear(published_url):
    deck = build_pack(connect(published_url), PackRequest("2024-25", CHESHIRE_EAST), today=TODAY)
    joined = "\n".join(slide_texts(deck))
    assert "Cheshire East" in joined and "2024-25" in joined
    assert "Every measure with a figure is on target" not in joined
    from tests.test_verdict import expected_stability_line

    assert expected_stability_line() in joined  # joint 112th of 150, and why that is band D, in the same line
    assert ".parquet" not in joined and ".csv" not in joined


def test_no_figures_for_the_period_is_refused_with_a_sentence(sample_url):
    with pytest.raises(PackError, match="no figures"):
        build_pack(connect(sample_url), PackRequest("2001-05", app_database.HOME), today=TODAY)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_command_writes_the_deck_and_a_pdf_with_a_page_a_slide(sample_url, tmp_path):
    out = tmp_path / "pack.pptx"
    done = subprocess.run([sys.executable, "-m", "reports", "pack", "--period", "2025-03", "--out", str(out),
                           "--area", app_database.HOME, "--db", sample_url], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    slides = len(Presentation(str(out)).slides)
    pdf = out.with_suffix(".pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == slides  # a page for every slide


@pytest.mark.parametrize(("args", "words"), [
    (["--period", "March 2025"], "is not one the pack understands"),
    (["--period", "2025-03", "--area", "Nowhere shire"], "No council called 'Nowhere shire'"),
    (["--period", "2001-05"], "no figures"),
])
def test_the_command_refuses_in_a_sentence_and_writes_nothing(sample_url, tmp_path, args, words):
    out = tmp_path / "pack.pptx"
    command = [sys.executable, "-m", "reports", "pack", "--out", str(out), "--db", sample_url, *args]
    if "--area" not in args:
        command += ["--area", app_database.HOME]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr
    assert not out.exists() and not out.with_suffix(".pdf").exists()


def test_the_command_refuses_a_name_that_is_not_a_deck(sample_url, tmp_path):
    done = subprocess.run([sys.executable, "-m", "reports", "pack", "--period", "2025-03", "--out",
                           str(tmp_path / "pack.docx"), "--db", sample_url], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 2 and ".pptx or .pdf" in done.stderr


def test_the_overview_makes_the_pack_on_request_and_offers_it_to_download(sample_url, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app_pages import APP, environment

    for key, value in environment(sample_url).items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=600)
    at.run()
    assert not at.exception
    assert "Committee pack" in [h.value for h in at.header]
    assert at.get("download_button") == []  # nothing is made before it is asked for
    at.button(key="make_pack").click().run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [str(d.proto.label) for d in at.get("download_button")]
    assert "Download the pack (.pptx)" in labels
    if shutil.which("soffice"):
        assert "Download the pack (.pdf)" in labels
    else:
        assert any("No PDF" in w.value for w in at.warning)


def test_the_public_pack_hides_a_small_count_the_full_pack_shows(sample_url, tmp_path):
    import pandas as pd

    from db.writes import OBSERVATION_COLUMNS, apply_batch
    from tests.app_database import copy_database
    from tests.test_verdict import batch, observation

    url = copy_database(sample_url, tmp_path / "small.db")
    rows = [observation("cla_starts", app_database.HOME, "month", date(2025, 3, 31), 3.0)]
    apply_batch(connect(url), batch("small_month.xlsx", "return"), pd.DataFrame(rows, columns=OBSERVATION_COLUMNS))
    starts = catalogue().get("cla_starts").short_name

    def latest_cell(deck: bytes) -> str:
        for slide in Presentation(BytesIO(deck)).slides:
            for shape in slide.shapes:
                if getattr(shape, "has_table", False) and shape.has_table:
                    for row in shape.table.rows:
                        cells = [c.text for c in row.cells]
                        if cells[0].startswith(starts):
                            return cells[1]
        raise AssertionError("no scorecard row for children starting care")

    full = build_pack(connect(url), PackRequest("2025-03", app_database.HOME), today=TODAY)
    assert latest_cell(full) == "3"
    public = build_pack(connect(url), PackRequest("2025-03", app_database.HOME, public=True), today=TODAY)
    assert latest_cell(public) != "3" and "3" not in latest_cell(public)
    said = "\n".join(slide_texts(public))
    assert "Public version" in said and "small numbers are hidden" in said


def test_the_pack_carries_the_current_commentary_and_never_an_earlier_version(sample_url, tmp_path):
    from access.users import User
    from db.commentary_writes import save_commentary
    from tests.app_database import copy_database

    url = copy_database(sample_url, tmp_path / "commentary.db")
    head = User(login="jo.smith", display_name="Jo Smith", is_editor=True)
    measure = app_database.RED_MEASURE
    save_commentary(connect(url), measure, app_database.HOME, date(2025, 3, 31), "First draft: three moves.", head)
    save_commentary(connect(url), measure, app_database.HOME, date(2025, 3, 31),
                    "Two sibling groups moved together in March; placements are now stable.", head)
    deck = build_pack(connect(url), PackRequest("2025-03", app_database.HOME), today=TODAY)
    joined = "\n".join(slide_texts(deck))
    assert "Two sibling groups moved together in March" in joined
    assert "First draft" not in joined
    assert "jo.smith" in joined


def test_public_chart_data_in_csv_and_excel_hides_a_small_count(sample_url, tmp_path):
    import pandas as pd

    from db.writes import OBSERVATION_COLUMNS, apply_batch
    from reports.chart_tables import chart_table, to_csv, to_xlsx
    from reports.pack import public_reads
    from tests.app_database import copy_database
    from tests.test_verdict import batch, observation
    from views.charts import trend_view
    from views.scope import Scope

    url = copy_database(sample_url, tmp_path / "small.db")
    rows = [observation("cla_starts", app_database.HOME, "month", date(2025, 3, 31), 3.0)]
    apply_batch(connect(url), batch("small_month.xlsx", "return"), pd.DataFrame(rows, columns=OBSERVATION_COLUMNS))
    scope = Scope(app_database.HOME, date(2024, 4, 1), date(2025, 3, 31))
    measure = catalogue().get("cla_starts")

    def march(reads) -> tuple[str, object]:
        view = trend_view(reads, scope, "cla_starts")
        table = chart_table(view.figure, measure, "Children starting care", view.source)
        text = to_csv(table).decode("utf-8-sig")
        line = next(r for r in text.splitlines() if r.startswith(f"{scope.home_name},March 2025")
                    or r.startswith(f'"{scope.home_name}",March 2025'))
        import io as _io

        import openpyxl

        sheet = openpyxl.load_workbook(_io.BytesIO(to_xlsx(table))).active
        cell = next(r[2].value for r in sheet.iter_rows(min_row=5) if r[1].value == "March 2025"
                    and r[0].value == scope.home_name)
        return line, cell

    line, cell = march(database_reads(connect(url)))
    assert line.endswith(",3") and cell == 3
    line, cell = march(public_reads(database_reads(connect(url))))
    assert not line.endswith(",3") and cell != 3

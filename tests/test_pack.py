"""The committee pack from a real database: what its slides say, its pictures' alt text, its PDF, its command.

Built once per database (chart pictures take a few seconds each); every assertion reads the .pptx back
with python-pptx, so it checks what a member would see, not our own data structures.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from charts.wording import spell_out
from db.engine import connect
from reference.catalogue import catalogue
from reports.__main__ import main as reports_main
from reports.pack import PackError, PackRequest, build_pack, pack_content, parse_period
from reports.pdf import deck_to_pdf, pdf_available
from tests import app_database
from tests.databases import new_database
from views.overview import overview_view
from views.reads import database_reads

ROOT = Path(__file__).resolve().parents[1]
CHESHIRE_EAST = "E06000049"
TODAY = date(2026, 12, 3)
NO_PDF = pdf_available()  # '' when LibreOffice Impress is installed, else the sentence the pack says
EMU_PER_POINT = 12700
FOOTER_TOP_INCHES = 7.0


def long_commentary(length: int = 1995, sentences: int = 39) -> str:
    """A commentary as long as a head of service may write: ``sentences`` numbered sentences, exactly
    ``length`` characters, so a missing one is easy to name."""
    text = " ".join(f"Placement {i} was reviewed with the carer." for i in range(1, sentences + 1))
    return text[:-1] + (" and the team" * 40)[:length - len(text)] + "."


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
    url = new_database(tmp_path_factory.mktemp('pack') / 'sample.db')
    app_database.build(connect(url), url)
    return url


@pytest.fixture(scope="module")
def sample_deck(sample_url, tmp_path_factory) -> bytes:
    """The sample council's pack, with a commentary of the longest length allowed on its red measure."""
    from access.users import User
    from db.commentary_writes import save_commentary
    from tests.app_database import copy_database

    url = copy_database(sample_url, tmp_path_factory.mktemp("pack_long") / "long.db")
    head = User(login="jo.smith", display_name="Jo Smith", is_editor=True)
    save_commentary(connect(url), app_database.RED_MEASURE, app_database.HOME, date(2025, 3, 31),
                    long_commentary(), head)
    return build_pack(connect(url), PackRequest("2025-03", app_database.HOME), today=TODAY)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class PdfPage:
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def pdf_pages(pdf: bytes, folder: Path) -> list[PdfPage]:
    """Every page's words with their positions in points, as poppler's pdftotext -bbox reads them."""
    path = folder / "pack.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', done.stdout, re.S):
        words = tuple(Word(html.unescape(w[4]), *(float(v) for v in w[:4])) for w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', match.group(3)))
        pages.append(PdfPage(float(match.group(1)), float(match.group(2)), words))
    return pages


@pytest.fixture(scope="module")
def sample_pdf(sample_deck, tmp_path_factory) -> list[PdfPage]:
    if NO_PDF or shutil.which("pdftotext") is None:
        pytest.skip(NO_PDF or "poppler-utils (pdftotext) is not installed")
    return pdf_pages(deck_to_pdf(sample_deck), tmp_path_factory.mktemp("pack_pdf"))


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
    sources = "\n".join(t for t in texts if t.startswith("Where the figures come from"))
    for measure in catalogue().measures:  # every measure has its chart slide, or is listed as left out
        name = spell_out(measure.short_name)
        assert any(t.splitlines()[0].endswith(name) for t in texts if t) or f"{name}: " in sources, measure.code


def test_every_chart_picture_has_alt_text_naming_the_chart_and_its_latest_figure(sample_deck):
    found = pictures(sample_deck)
    if shutil.which("chromium") is None:
        assert found == []
        return
    assert len(found) >= len(catalogue().measures) - 2  # every measure with figures has its picture
    for title, alt in found:
        assert alt.startswith("Chart: "), title
        assert "Latest:" in alt or "No figure" in alt


def test_a_measure_with_nothing_to_show_has_no_slide_and_is_listed_once_in_members_words(sample_deck):
    texts = slide_texts(sample_deck)
    name = spell_out(catalogue().get(app_database.NO_DATA_MEASURE).short_name)
    assert not any(t.splitlines()[0].endswith(name) for t in texts if t)  # no slide of its own
    said = f"{name}: not published by DfE, and the health provider's figures have not been loaded."
    joined = "\n".join(texts)
    assert joined.count(said) == 1
    assert any(t.startswith("Where the figures come from") and said in t for t in texts)
    for text in texts:  # no command, and no slide that only says there is nothing
        assert "python -m" not in text and "`" not in text
        assert "No figure yet" not in text
        assert "No chart" not in text


def test_every_word_of_the_longest_commentary_is_in_the_pdf(sample_pdf):
    commentary = long_commentary().split()
    words = [w.text for page in sample_pdf for w in page.words]
    found = 0
    for word in words:  # the commentary's words, in order, across as many slides as it takes
        if found < len(commentary) and word == commentary[found]:
            found += 1
    assert found == len(commentary), f"stops after {' '.join(commentary[max(0, found - 6):found])!r}"
    continued = [p for p in sample_pdf if "(continued)" in p.text and "Commentary" in p.text]
    assert continued, "the commentary that does not fit beside its chart continues on a slide marked (continued)"


def test_no_text_in_the_pdf_runs_into_the_footer_or_over_a_chart(sample_deck, sample_pdf):
    slides = list(Presentation(BytesIO(sample_deck)).slides)
    assert len(slides) == len(sample_pdf)
    council = Presentation(BytesIO(sample_deck)).core_properties.author
    for number, (slide, page) in enumerate(zip(slides, sample_pdf, strict=True), start=1):
        title = page.words[0].text if page.words else ""
        footer_top = page.height * FOOTER_TOP_INCHES / 7.5
        if number > 1:  # the title slide has no footer
            low = [w for w in page.words if w.y1 > footer_top]
            assert all(w.y0 >= footer_top for w in low), (number, title, [w.text for w in low if w.y0 < footer_top])
            footer = " ".join(w.text for w in low)
            assert footer.startswith(council) and footer.endswith(f"March 2025 {number}"), (number, footer)
        for shape in slide.shapes:
            if shape.shape_type != MSO_SHAPE_TYPE.PICTURE:
                continue
            left, top = shape.left / EMU_PER_POINT, shape.top / EMU_PER_POINT
            right, bottom = left + shape.width / EMU_PER_POINT, top + shape.height / EMU_PER_POINT
            over = [w.text for w in page.words if w.x0 < right - 0.5 and w.x1 > left + 0.5
                    and w.y0 < bottom - 0.5 and w.y1 > top + 0.5]
            assert over == [], (number, title, over)


def test_every_scorecard_row_is_in_the_pdf_above_its_notes(sample_url, sample_pdf):
    scope = pack_content.__globals__["pack_scope"](PackRequest("2025-03", app_database.HOME))
    rows = overview_view(database_reads(connect(sample_url)), scope).rows
    pages = [p for p in sample_pdf if p.text.startswith("Scorecard")]
    measure_column = " ".join(w.text for p in pages for w in p.words if w.x1 <= (0.5 + 3.2) * 72)  # its inches
    measure_column = measure_column.replace("- ", "-")  # a name broken after a hyphen ("ages 5-" / "16")
    for row in rows:
        assert spell_out(row.short_name) in measure_column, row.short_name
    assert all("Neighbours and England:" in p.text for p in pages)  # the comparators' note on every part


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


def pack_command(out: Path, url: str, *extra: str) -> list[str]:
    return ["pack", "--period", "2025-03", "--out", str(out), "--area", app_database.HOME, "--db", url, *extra]


@pytest.mark.skipif(bool(NO_PDF), reason=NO_PDF)
def test_the_command_writes_the_deck_and_a_pdf_with_a_page_a_slide_and_says_what_it_replaced(sample_url, tmp_path,
                                                                                             capsys):
    out = tmp_path / "pack.pptx"
    out.write_bytes(b"last month's deck")
    out.with_suffix(".pdf").write_bytes(b"last month's PDF")
    assert reports_main(pack_command(out, sample_url)) == 0
    said = capsys.readouterr()
    assert f"Replaced {out} and replaced {out.with_suffix('.pdf')}." in said.out
    assert "Traceback" not in said.err
    slides = len(Presentation(str(out)).slides)
    pdf = out.with_suffix(".pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == slides  # a page for every slide


@pytest.mark.parametrize(("args", "words"), [
    (["--period", "March 2025"], "is not one the pack understands"),
    (["--period", "2025-03", "--area", "Nowhere shire"], "No council called 'Nowhere shire'"),
    (["--period", "2001-05"], "no figures"),
])
def test_the_command_refuses_in_a_sentence_and_writes_nothing(sample_url, tmp_path, capsys, args, words):
    out = tmp_path / "pack.pptx"
    command = ["pack", "--out", str(out), "--db", sample_url, *args]
    if "--area" not in args:
        command += ["--area", app_database.HOME]
    assert reports_main(command) == 2
    said = capsys.readouterr().err
    assert words in said and "Traceback" not in said
    assert not out.exists() and not out.with_suffix(".pdf").exists()


def test_python_m_reports_refuses_in_a_sentence_and_exits_2(tmp_path):
    """The real ``python -m reports`` process (the tests above call its main): its exit code is main's."""
    out = tmp_path / "pack.pptx"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    done = subprocess.run([sys.executable, "-m", "reports", "pack", "--period", "March 2025", "--out", str(out),
                           "--db", new_database(tmp_path / 'dashboard.db')], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 2
    assert "is not one the pack understands" in done.stderr and "Traceback" not in done.stderr
    assert not out.exists()


@pytest.mark.parametrize(("name", "words"), [
    ("pack.docx", ".pptx or .pdf"),
    ("packs", "is a folder"),
    ("no such folder/pack.pptx", "does not exist"),
    ("pack.pptx/pack.pptx", "is a file, not a folder"),
    ("busy.pptx", "busy.pdf' is a folder"),
])
def test_the_command_checks_where_it_writes_before_building_anything(tmp_path, capsys, name, words):
    (tmp_path / "packs").mkdir()
    (tmp_path / "pack.pptx").write_bytes(b"a deck")
    (tmp_path / "busy.pdf").mkdir()
    missing_database = f"sqlite:///{tmp_path / 'never' / 'made.db'}"  # building would fail on it: the path is refused first
    assert reports_main(pack_command(tmp_path / name, missing_database)) == 2
    said = capsys.readouterr().err
    assert words in said and "period" not in said, said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy.pdf", "pack.pptx", "packs"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_the_command_refuses_a_folder_it_cannot_write_in(tmp_path, capsys):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert reports_main(pack_command(folder / "pack.pptx", new_database(tmp_path / 'x.db'))) == 2
        assert "permission to write" in capsys.readouterr().err
    finally:
        folder.chmod(stat.S_IRWXU)


@pytest.fixture
def calc_without_impress(tmp_path, monkeypatch) -> Path:
    """A machine whose LibreOffice has soffice but not Impress (Calc alone, as often installed), and no
    chromium: PATH holds only that soffice."""
    program = tmp_path / "libreoffice" / "program"
    program.mkdir(parents=True)
    soffice = program / "soffice"
    soffice.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    soffice.chmod(0o755)
    (tmp_path / "libreoffice" / "share" / ".registry").mkdir(parents=True)
    (tmp_path / "libreoffice" / "share" / ".registry" / "main.xcd").write_text("")
    monkeypatch.setenv("PATH", str(program))
    return soffice


def test_libreoffice_without_impress_is_named_as_missing_impress(calc_without_impress):
    from reports.pdf import PdfUnavailable

    assert pdf_available().startswith("LibreOffice Impress is not installed")
    with pytest.raises(PdfUnavailable, match="^LibreOffice Impress is not installed"):
        deck_to_pdf(b"not opened")


def test_without_impress_a_pdf_is_refused_before_building_and_a_deck_exits_non_zero(calc_without_impress,
                                                                                   sample_url, tmp_path, capsys):
    pdf = tmp_path / "pack.pdf"
    assert reports_main(pack_command(pdf, sample_url)) == 2
    assert "The PDF cannot be made: LibreOffice Impress is not installed" in capsys.readouterr().err
    assert not pdf.exists()
    deck = tmp_path / "pack.pptx"
    assert reports_main(pack_command(deck, sample_url)) == 1  # the deck, but not the PDF the command promises
    said = capsys.readouterr().err
    assert f"Wrote {deck}. The PDF was not made: LibreOffice Impress is not installed" in said
    assert len(Presentation(str(deck)).slides) > 5 and not pdf.exists()


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
    if not NO_PDF:
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
    from tests.app_database import copy_database
    from tests.test_verdict import batch, observation
    from views.charts import trend_view
    from views.reads import public_reads
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
    line, cell = march(public_reads(database_reads(connect(url)), 5))
    assert not line.endswith(",3") and cell != 3

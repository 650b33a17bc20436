"""A return's commentary column: loaded as that figure's commentary in the import's own transaction, shown
in the preview, withdrawn by an undo with the earlier version back, and refused with sheet and cell when it
cannot be read with certainty. Real .xlsx and CSV files, a real SQLite file, the real app for the preview."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from access import User
from db import queries
from db.commentary_writes import MAX_LENGTH, save_commentary
from db.engine import connect
from db.undo import UndoRefused, undo_batch
from loaders.importer import import_file
from loaders.preview import preview_upload
from tests.app_database import HOME
from tests.databases import new_database
from tests.returns_files import dump_tables, write_csv, write_xlsx
from tests.test_app_pages import as_read
from tests.test_commentary import migrated_with_commentary

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
EDITOR = User("jo@council.gov.uk", "Jo", True)
OTHER = User("sam@council.gov.uk", "Sam", True)
FOSTER = "cla_foster_pct"
OCTOBER, SEPTEMBER = date(2024, 10, 31), date(2024, 9, 30)
TIDY_HEADER = ["measure", "area", "period", "value", "commentary"]


@pytest.fixture
def engine(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_HOME_AREA", HOME)
    return connect(new_database(tmp_path / 'dashboard.db'))


def tidy(path: Path, *rows: list, header: list | None = None) -> Path:
    return write_xlsx(path, {"Return": [header or TIDY_HEADER, *rows]})


def load(engine, path: Path, user: User = EDITOR):
    report = import_file(engine, path, user=user)
    assert report.status == "loaded", [p.message() for p in report.problems] or report.summary()
    return report


def current(engine) -> dict[tuple, str]:
    return {(n.measure_code, n.period_end): n.text for n in queries.current_commentary(engine)}


def versions(engine, measure: str = FOSTER):
    return queries.commentary(engine, measure, HOME)


# ---- loading ---------------------------------------------------------------------------------------------

def test_a_tidy_row_s_commentary_is_that_figure_s_and_records_its_batch_and_author(engine, tmp_path):
    path = tidy(tmp_path / "october.xlsx",
                [FOSTER, HOME, "2024-09", 70, None],
                [FOSTER, HOME, "2024-10", 72.5, "  Six new foster carers approved in October.\nMore in training.  "],
                ["cla_count", HOME, "2024-10", 310, "Two large sibling groups came into care."])
    report = load(engine, path)
    assert report.outcome.commentary_set == 2 and "2 commentaries" in report.summary()
    assert current(engine) == {
        (FOSTER, OCTOBER): "Six new foster carers approved in October.\nMore in training.",
        ("cla_count", OCTOBER): "Two large sibling groups came into care.",
    }
    [version] = versions(engine).itertuples()
    assert (version.author, int(version.batch_id)) == (EDITOR.login, report.outcome.batch_id)


def test_a_wide_row_s_commentary_is_filed_under_its_latest_month_with_a_figure(engine, tmp_path):
    months = ["Apr-24", "May-24", "Jun-24", "Jul-24", "Aug-24", "Sep-24", "Oct-24", "Nov-24", "Dec-24"]
    header = ["measure", "area", *months, "target", "Commentary"]
    path = write_xlsx(tmp_path / "tracker.xlsx", {"Tracker": [
        header,
        [FOSTER, HOME, 70, 71, 70, 72, 73, 71, 74, None, None, 75, "Best month this year."],
        ["cla_count", HOME, 300, 301, 305, 306, "c", None, None, None, None, None, "Suppressed in August."],
        ["cla_rate", HOME, 60, 61, None, None, None, None, None, None, None, None, None],
    ]})
    load(engine, path)
    assert current(engine) == {(FOSTER, OCTOBER): "Best month this year.",
                               ("cla_count", date(2024, 8, 31)): "Suppressed in August."}


def test_a_filled_in_template_loads_its_commentary(engine, tmp_path):
    from openpyxl import load_workbook

    from loaders.template import RETURN_SHEET, write_template

    path = tmp_path / "template.xlsx"
    write_template(path, start_year=2024)
    book = load_workbook(path)
    sheet = book[RETURN_SHEET]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == FOSTER)
    sheet.cell(row, 3).value, sheet.cell(row, 4).value = 70, 71  # April and May
    sheet.cell(row, 16).value = "Two carers retired in May."
    book.save(path)
    load(engine, path)
    assert current(engine) == {(FOSTER, date(2024, 5, 31)): "Two carers retired in May."}


def test_a_semicolon_csv_from_excel_keeps_the_commentary_exactly(engine, tmp_path):
    path = tmp_path / "october.csv"
    rows = [["measure", "area", "period", "value", "comments"],
            [FOSTER, HOME, "2024-10", "72,5", "Carers' café; résumé of the month"]]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)  # Excel quotes a field holding the separator, as here
    path.write_bytes(out.getvalue().encode("cp1252"))
    load(engine, path)
    assert current(engine) == {(FOSTER, OCTOBER): "Carers' café; résumé of the month"}


def test_the_same_text_on_each_breakdown_row_is_one_commentary(engine, tmp_path):
    header = ["measure", "area", "period", "value", "breakdown", "commentary"]
    path = tidy(tmp_path / "ages.xlsx",
                ["cla_count", HOME, "2024-10", 310, None, "Older children rose."],
                ["cla_count", HOME, "2024-10", 120, "age: 16 and over", "Older children rose."],
                header=header)
    assert load(engine, path).outcome.commentary_set == 1
    assert len(versions(engine, "cla_count")) == 1


def test_loading_the_same_file_again_adds_no_version_and_a_new_text_keeps_the_old_one(engine, tmp_path):
    first = tidy(tmp_path / "october.xlsx", [FOSTER, HOME, "2024-10", 72.5, "First reading."])
    load(engine, first)
    again = import_file(engine, first, user=EDITOR)
    assert again.status == "unchanged" and len(versions(engine)) == 1
    corrected = tidy(tmp_path / "october v2.xlsx", [FOSTER, HOME, "2024-10", 72.5, "Corrected reading."])
    report = load(engine, corrected)
    assert (report.outcome.inserted, report.outcome.replaced, report.outcome.commentary_set) == (0, 0, 1)
    table = versions(engine)
    assert table["text"].tolist() == ["Corrected reading.", "First reading."]
    assert table["current"].tolist() == [True, False]


def test_an_empty_commentary_cell_leaves_the_current_commentary_alone(engine, tmp_path):
    save_commentary(engine, FOSTER, HOME, OCTOBER, "Written in the app.", EDITOR)
    load(engine, tidy(tmp_path / "october.xlsx", [FOSTER, HOME, "2024-10", 72.5, None]))
    assert current(engine) == {(FOSTER, OCTOBER): "Written in the app."}


# ---- refused whole, naming the cell ---------------------------------------------------------------------

def _error_cell_workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    for row in (TIDY_HEADER, [FOSTER, HOME, "2024-10", 72.5, None]):
        sheet.append(row)
    sheet["E2"] = "#N/A"  # openpyxl writes this as an error cell, as Excel saves one
    book.save(path)
    return path


@pytest.mark.parametrize(("rows", "cell", "said"), [
    ([[FOSTER, HOME, "2024-10", 72.5, 42]], "E2", "holds only a number"),
    ([[FOSTER, HOME, "2024-10", 72.5, "x" * (MAX_LENGTH + 1)]], "E2", f"up to {MAX_LENGTH:,} characters"),
    ([[FOSTER, HOME, "2024-10", 72.5, "Up."], [FOSTER, HOME, "2024-10", 72.5, "Down."]], "E3",
     "the same text as E2"),
])
def test_a_commentary_that_cannot_be_read_with_certainty_refuses_the_file(engine, tmp_path, rows, cell, said):
    load(engine, tidy(tmp_path / "before.xlsx", ["cla_count", HOME, "2024-09", 300, "Before."]))
    before = dump_tables(engine)
    report = import_file(engine, tidy(tmp_path / "bad.xlsx", *rows), user=EDITOR)
    assert report.status == "rejected"
    [problem] = report.problems
    assert (problem.sheet, problem.cell) == ("Return", cell) and said in problem.message()
    assert dump_tables(engine) == before


def test_an_excel_error_in_the_commentary_column_is_named_with_its_text(engine, tmp_path):
    report = import_file(engine, _error_cell_workbook(tmp_path / "error.xlsx"), user=EDITOR)
    [problem] = report.problems
    assert (problem.cell, problem.text) == ("E2", "#N/A")
    assert dump_tables(engine)["commentary"] == []


def test_a_wide_commentary_on_a_row_with_no_figure_is_refused_but_a_title_row_is_a_note(engine, tmp_path):
    path = write_xlsx(tmp_path / "tracker.xlsx", {"Tracker": [
        ["measure", "area", "Sep-24", "Oct-24", "commentary"],
        ["Placement stability", None, None, None, "Figures from the placements team"],  # a title: a note
        [FOSTER, HOME, None, None, "Figure not ready yet."],
        ["cla_count", HOME, 300, 310, None],
    ]})
    report = import_file(engine, path, user=EDITOR)
    [problem] = report.problems
    assert problem.cell == "E3" and "a figure on this row" in problem.message()
    assert dump_tables(engine)["observation"] == []


def test_two_commentary_columns_are_refused(engine, tmp_path):
    path = tidy(tmp_path / "two.xlsx", [FOSTER, HOME, "2024-10", 72.5, "One.", "Two."],
                header=[*TIDY_HEADER, "comments"])
    report = import_file(engine, path, user=EDITOR)
    assert [(p.cell, p.rule.value) for p in report.problems] == [("F1", "the same column twice")]


def test_a_notes_column_is_still_not_loaded(engine, tmp_path):
    load(engine, tidy(tmp_path / "notes.xlsx", [FOSTER, HOME, "2024-10", 72.5, "provisional"],
                      header=["measure", "area", "period", "value", "notes"]))
    assert current(engine) == {}


# ---- undo -----------------------------------------------------------------------------------------------

def test_undo_withdraws_the_commentary_it_loaded_and_brings_the_earlier_one_back(engine, tmp_path):
    save_commentary(engine, FOSTER, HOME, OCTOBER, "Written in the app.", OTHER)
    path = tidy(tmp_path / "october.xlsx", [FOSTER, HOME, "2024-10", 72.5, "From the return."])
    batch = load(engine, path).outcome.batch_id
    assert current(engine) == {(FOSTER, OCTOBER): "From the return."}
    outcome = undo_batch(engine, batch, EDITOR)
    assert (outcome.commentary_withdrawn, outcome.commentary_restored) == (1, 1)
    assert "1 commentary it loaded withdrawn" in outcome.summary()
    assert current(engine) == {(FOSTER, OCTOBER): "Written in the app."}
    table = versions(engine)  # the withdrawn text stays readable, marked with the undo
    withdrawn = table[table["text"] == "From the return."].iloc[0]
    assert int(withdrawn["withdrawn_by_batch_id"]) == outcome.undo_batch_id and not withdrawn["current"]
    again = load(engine, path)  # the same file loads again after the undo
    assert again.outcome.commentary_set == 1 and current(engine) == {(FOSTER, OCTOBER): "From the return."}


def test_undo_waits_for_a_later_batch_that_replaced_its_commentary(engine, tmp_path):
    first = load(engine, tidy(tmp_path / "a.xlsx", [FOSTER, HOME, "2024-10", 72.5, "First."])).outcome.batch_id
    later = load(engine, tidy(tmp_path / "b.xlsx", [FOSTER, HOME, "2024-10", 72.5, "Second."])).outcome.batch_id
    with pytest.raises(UndoRefused, match=f"later batch {later}"):
        undo_batch(engine, first, EDITOR)
    undo_batch(engine, later, EDITOR)
    assert current(engine) == {(FOSTER, OCTOBER): "First."}
    undo_batch(engine, first, EDITOR)
    assert current(engine) == {}


def test_an_edit_in_the_app_after_undo_of_its_batch_stays_current(engine, tmp_path):
    batch = load(engine, tidy(tmp_path / "a.xlsx", [FOSTER, HOME, "2024-10", 72.5, "From the return."]))
    save_commentary(engine, FOSTER, HOME, OCTOBER, "Rewritten in the app.", OTHER)
    undo_batch(engine, batch.outcome.batch_id, EDITOR)
    assert current(engine) == {(FOSTER, OCTOBER): "Rewritten in the app."}


def test_the_same_file_after_an_edit_in_the_app_is_read_again_not_taken_as_unchanged(engine, tmp_path):
    path = tidy(tmp_path / "a.xlsx", [FOSTER, HOME, "2024-10", 72.5, "From the return."])
    load(engine, path)
    save_commentary(engine, FOSTER, HOME, OCTOBER, "Rewritten in the app.", OTHER)
    preview = preview_upload(engine, path.read_bytes(), path.name)
    [change] = preview.comparison.commentary
    assert (change.old_text, change.text) == ("Rewritten in the app.", "From the return.")


# ---- preview, migration, the app ------------------------------------------------------------------------

def test_the_preview_lists_each_commentary_with_the_text_it_replaces_and_writes_nothing(engine, tmp_path):
    save_commentary(engine, FOSTER, HOME, OCTOBER, "Written in the app.", OTHER)
    before = dump_tables(engine)
    content = b"measure,area,period,value,commentary\ncla_foster_pct,E06999901,2024-10,72.5,From the return.\n"
    preview = preview_upload(engine, content, "october.csv")
    assert preview.can_confirm and preview.changes_anything and preview.commentary == 1
    [change] = preview.comparison.commentary
    assert (change.period_end, change.old_text, change.text) == (OCTOBER, "Written in the app.", "From the return.")
    assert dump_tables(engine) == before


def test_migration_0005_keeps_every_commentary_current(tmp_path):
    engine = migrated_with_commentary(tmp_path / "old.db", "0004", FOSTER, "2024-10-31",
                                      "Written before undo could withdraw")
    assert current(engine) == {(FOSTER, OCTOBER): "Written before undo could withdraw"}


def test_the_imports_page_preview_shows_the_commentary_it_would_write(tmp_path, monkeypatch):
    url = new_database(tmp_path / 'dashboard.db')
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": HOME, "DASHBOARD_USER": "jsmith"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    engine = connect(url)
    write_csv(tmp_path / "sep.csv", [["measure", "area", "period", "value"], [FOSTER, HOME, "2024-09", 70]])
    import_file(engine, tmp_path / "sep.csv", imported_by="jsmith")
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/imports.py").run()
    content = b"measure,area,period,value,commentary\ncla_foster_pct,E06999901,2024-09,70,Stable all month.\n"
    at.get("file_uploader")[0].set_value([("september.csv", content, "text/csv")])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    said = "\n".join(str(e.value) for e in at.markdown)
    assert "write **1 commentary**" in said and "leave **1** unchanged" in said
    [table] = [f.value.reset_index() for f in at.table if "Commentary now" in f.value.columns]
    shown = table[["Commentary now", "After loading"]].map(as_read)  # st.table renders its cells as markdown
    assert shown.values.tolist() == [["(none)", "Stable all month."]]
    at.button(key="confirm_0").click().run()
    assert current(engine) == {(FOSTER, SEPTEMBER): "Stable all month."}
    assert versions(engine).iloc[0]["author"] == "jsmith"


def test_the_history_says_how_many_commentaries_a_batch_loaded(engine, tmp_path):
    from loaders.cli import history_lines

    load(engine, tidy(tmp_path / "october.xlsx", [FOSTER, HOME, "2024-10", 72.5, "From the return."],
                      ["cla_count", HOME, "2024-10", 310, "Also from the return."]))
    [line] = history_lines(engine)
    assert "2 new, 0 replaced, 0 unchanged, 2 commentaries" in line


def test_a_commentary_cut_by_an_unquoted_comma_is_refused_not_loaded_short(engine):
    content = b"measure,area,period,value,commentary\ncla_foster_pct,E06999901,2024-10,72.5,Rose, then fell back\n"
    report = import_file(engine, data=content, file_name="october.csv", user=EDITOR)
    [problem] = report.problems
    assert (problem.cell, problem.text) == ("F2", " then fell back") and "double quotes" in problem.message()
    assert dump_tables(engine)["commentary"] == []


def test_an_old_xls_return_loads_its_commentary(engine, tmp_path):
    from xlwt import Workbook as XlsWorkbook

    book = XlsWorkbook()
    sheet = book.add_sheet("Return")
    for r, row in enumerate([TIDY_HEADER, [FOSTER, HOME, "2024-10", 72.5, "Written in an old workbook."]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "october.xls"
    book.save(str(path))
    load(engine, path)
    assert current(engine) == {(FOSTER, OCTOBER): "Written in an old workbook."}

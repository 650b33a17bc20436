"""A set of files that belong together loads as ONE batch: one history line naming its files, one undo,
refused whole (the database untouched) when any file of it has a problem, and recognised unchanged when
the same files come again, given as files, a folder or a zip.

Real returns written by the tests into a real SQLite file, through ``import_set`` and the command line's
``main``, in-process.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import text

from access import command_line_user
from db.engine import connect, create, migrate
from db.undo import undo_batch
from loaders.cli import history_lines, main
from loaders.importer import import_file, import_set
from tests.databases import new_database
from tests.returns_files import dump_tables, write_csv, write_xlsx
from tests.test_migrations import at_first_schema
from tests.test_upload import imports_page, said, upload

ROOT = Path(__file__).resolve().parents[1]
HOME = "E06999901"
MEASURES = {"cla.xlsx": ("cla_count", [400, 405]), "foster.xlsx": ("cla_foster_pct", [71, 72]),
            "stability.csv": ("stab_3plus_pct", [9, 10])}


def tracker(folder, name: str, values=None, measure: str | None = None):
    """A monthly tracker for one measure, April and May 2024, as a workbook or a CSV file."""
    code, figures = MEASURES[name]
    rows = [["Measure", "Area", "Apr-24", "May-24"], [measure or code, HOME, *(values or figures)]]
    folder.mkdir(parents=True, exist_ok=True)
    if name.endswith(".csv"):
        return write_csv(folder / name, rows)
    return write_xlsx(folder / name, {"Tracker": rows})


def three_trackers(folder):
    return [tracker(folder, name) for name in MEASURES]


def scalar(engine, sql: str):
    with engine.connect() as connection:
        return connection.execute(text(sql)).scalar()


def test_three_returns_load_as_one_batch_and_one_undo_removes_them_all(engine, tmp_path):
    before = dump_tables(engine)
    report = import_set(engine, three_trackers(tmp_path / "trackers"), imported_by="tester")
    assert report.status == "loaded", report.summary()
    assert report.summary() == (f"set of 3 files: cla.xlsx, foster.xlsx, stability.csv: loaded as batch "
                                f"{report.outcome.batch_id}: 6 new, 0 replaced, 0 unchanged values, 0 targets")
    assert scalar(engine, "SELECT COUNT(*) FROM import_batch") == 1
    assert scalar(engine, "SELECT COUNT(DISTINCT batch_id) FROM observation") == 1
    assert scalar(engine, "SELECT COUNT(DISTINCT measure_code) FROM observation") == 3
    with engine.connect() as connection:
        files = connection.execute(text("SELECT file_name, size_bytes, sha256 FROM batch_file ORDER BY position")).all()
    assert [f[0] for f in files] == ["cla.xlsx", "foster.xlsx", "stability.csv"]
    assert [f[1] for f in files] == [(tmp_path / "trackers" / f[0]).stat().st_size for f in files]

    outcome = undo_batch(engine, report.outcome.batch_id, command_line_user())
    assert outcome.removed == 6
    assert scalar(engine, "SELECT COUNT(*) FROM observation") == 0
    after = dump_tables(engine)
    assert after["observation"] == before["observation"] == []


def test_a_set_with_one_bad_file_is_refused_whole_naming_the_file(engine, tmp_path):
    paths = three_trackers(tmp_path / "trackers")
    import_file(engine, tracker(tmp_path / "earlier", "cla.xlsx", [390, 395]), imported_by="tester")
    before = dump_tables(engine)
    tracker(tmp_path / "trackers", "foster.xlsx", [71, "seventy"])
    report = import_set(engine, paths, imported_by="tester")
    assert report.status == "rejected"
    assert report.summary() == ("set of 3 files: cla.xlsx, foster.xlsx, stability.csv: rejected, 1 problem in "
                                "foster.xlsx; nothing was loaded from any file of the set")
    assert [p.file for p in report.problems] == ["foster.xlsx"]
    assert "'seventy'" in report.problems[0].message()
    assert [f.line() for f in report.files][1] == "foster.xlsx: rejected, 1 problem"
    assert dump_tables(engine) == before  # cla.xlsx's new figures were not loaded either


def test_two_files_giving_different_figures_for_one_month_are_refused_naming_both(engine, tmp_path):
    folder = tmp_path / "trackers"
    first = tracker(folder, "cla.xlsx")
    second = write_csv(folder / "cla_again.csv", [["Measure", "Area", "May-24"], ["cla_count", HOME, 406]])
    before = dump_tables(engine)
    report = import_set(engine, [first, second])
    assert report.status == "rejected"
    [problem] = report.problems
    assert problem.file == "cla_again.csv"
    assert "cla.xlsx, sheet 'Tracker' cell D2 already gives '405'" in problem.message()
    assert dump_tables(engine) == before


def test_the_same_set_again_is_recognised_unchanged(engine, tmp_path):
    paths = three_trackers(tmp_path / "trackers")
    first = import_set(engine, paths)
    before = dump_tables(engine)
    again = import_set(engine, list(reversed(paths)))
    assert again.status == "unchanged"
    assert again.same_as_batch == first.outcome.batch_id
    assert "unchanged, all 6 values already loaded (the same files as batch" in again.summary()
    assert dump_tables(engine) == before


def test_a_folder_and_a_zip_of_the_same_files_are_one_set(engine, tmp_path):
    paths = three_trackers(tmp_path / "2024-25")
    from_folder = import_set(engine, [tmp_path / "2024-25"])
    assert from_folder.status == "loaded"
    assert from_folder.summary().startswith("set of 3 files in 2024-25: loaded as batch")
    archive = tmp_path / "trackers.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in paths:
            zipped.write(path, path.name)
        zipped.writestr("__MACOSX/._cla.xlsx", b"left behind by a Mac")
    before = dump_tables(engine)
    from_zip = import_set(engine, [archive])
    assert from_zip.status == "unchanged"  # the same names and contents: the same set
    assert from_zip.same_as_batch == from_folder.outcome.batch_id
    assert dump_tables(engine) == before


def test_a_zip_keeps_its_folders_in_the_names(engine, tmp_path):
    archive = tmp_path / "903.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in three_trackers(tmp_path / "files"):
            zipped.write(path, f"2024-25/{path.name}")
    report = import_set(engine, [archive])
    assert report.status == "loaded"
    assert [f.name for f in report.files] == ["2024-25/cla.xlsx", "2024-25/foster.xlsx", "2024-25/stability.csv"]


def test_a_zip_reaching_outside_its_folder_is_refused(engine, tmp_path):
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("../../outside.csv", "Measure,Area,Apr-24\ncla_count,E06999901,1\n")
    before = dump_tables(engine)
    report = import_set(engine, [archive])
    assert report.status == "rejected"
    assert "bad.zip: could not be read: its file '../../outside.csv' would be unpacked outside its folder" in (
        report.problems[0].message())
    assert dump_tables(engine) == before


def test_a_published_table_is_not_part_of_a_set(engine, tmp_path):
    folder = tmp_path / "mixed"
    cla = tracker(folder, "cla.xlsx")
    shipped = ROOT / "data" / "dfe" / "cla_number_and_rate_per_10k_children.csv"
    dfe = folder / shipped.name
    dfe.write_bytes(b"".join(shipped.open("rb").readlines()[:5]))
    before = dump_tables(engine)
    report = import_set(engine, [cla, dfe])
    assert report.status == "rejected"
    [problem] = report.problems
    assert problem.message() == (
        "cla_number_and_rate_per_10k_children.csv: no recognisable return; expected a return: this is one of DfE's "
        "published tables, which load on their own (python -m loaders import FILE), not as part of a set of files")
    assert dump_tables(engine) == before


def test_the_command_line_loads_a_set_and_history_lists_its_files(db_url, tmp_path, capsys):
    paths = three_trackers(tmp_path / "trackers")
    assert main(["import", "--set", *map(str, paths), "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("set of 3 files: cla.xlsx, foster.xlsx, stability.csv: loaded as batch 1")
    assert "  foster.xlsx: 2 values; read sheet 'Tracker' (wide)" in out.splitlines()
    assert main(["history", "--db", db_url]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith("1 set of 3 files: cla.xlsx, foster.xlsx, stability.csv · return · ")
    for path in paths:
        assert f"{path.name} ({path.stat().st_size:,} bytes, sha256 " in line
    assert main(["undo", "1", "--yes", "--db", db_url]) == 0
    assert "Batch 1 undone" in capsys.readouterr().out


def test_the_command_line_refuses_a_set_with_a_bad_file(db_url, tmp_path, capsys):
    three_trackers(tmp_path / "trackers")
    tracker(tmp_path / "trackers", "stability.csv", [9, "ten"])
    assert main(["import", "--set", str(tmp_path / "trackers"), "--db", db_url]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("set of 3 files in trackers: rejected, 1 problem in stability.csv; nothing was loaded from "
                      "any file of the set")
    assert out[-1].startswith("  - stability.csv, cell D2: unreadable value 'ten'")
    assert main(["history", "--db", db_url]) == 0
    assert capsys.readouterr().out.strip() == "No batches: nothing has been loaded yet."


def test_a_database_from_before_sets_upgrades_and_takes_a_set(tmp_path):
    old = create(new_database(tmp_path / 'old.db'))
    at_first_schema(old)
    migrate(old)
    with old.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM import_batch")).scalar() == 3
        assert connection.execute(text("SELECT COUNT(*) FROM batch_file")).scalar() == 0
    report = import_set(old, three_trackers(tmp_path / "trackers"))
    assert report.status == "loaded"
    lines = history_lines(old)
    assert lines[0].startswith(f"{report.outcome.batch_id} set of 3 files")
    assert " · files: cla.xlsx (" in lines[0]
    assert [line.split(" ")[1] for line in lines[1:]] == [
        "northmoor_monthly_return.xlsx", "cheshire_east_year_end.xlsx", "cla_number_and_rate_per_10k_children.csv"]
    old.dispose()


def test_the_imports_page_lists_a_sets_files(tmp_path, monkeypatch):
    url = new_database(tmp_path / 'dashboard.db')
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": HOME, "DASHBOARD_USER": "jsmith"}.items():
        monkeypatch.setenv(key, value)
    paths = three_trackers(tmp_path / "trackers")
    assert import_set(connect(url), paths, imported_by="jsmith").status == "loaded"
    at = imports_page()
    assert not at.exception
    shown = said(at)
    assert "set of 3 files: cla.xlsx, foster.xlsx, stability.csv" in shown
    sizes = ", ".join(f"{p.name} ({p.stat().st_size:,} bytes)" for p in paths)
    assert f"files: {sizes}" in shown


def test_the_imports_page_loads_uploads_as_one_set_or_refuses_them_whole(tmp_path, monkeypatch):
    url = new_database(tmp_path / 'dashboard.db')
    for key, value in {"DASHBOARD_DB_URL": url, "DASHBOARD_LOAD_SAMPLE": "0", "DASHBOARD_LOAD_PUBLISHED": "0",
                       "DASHBOARD_HOME_AREA": HOME, "DASHBOARD_USER": "jsmith"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    good = [(p.name, p.read_bytes()) for p in three_trackers(tmp_path / "good")]
    bad_path = tracker(tmp_path / "bad", "foster.xlsx", [71, "seventy"])
    bad = [good[0], (bad_path.name, bad_path.read_bytes()), good[2]]
    engine = connect(url)
    before = dump_tables(engine)

    at = upload(imports_page(), *bad)
    at.checkbox(key="imports_as_set").check().run()
    shown = said(at)
    assert "foster.xlsx: rejected, 1 problem" in shown
    assert "1 problem found: this set cannot be loaded, and no file of it is." in shown
    assert not [b for b in at.button if b.key == "confirm_set"]
    assert dump_tables(engine) == before

    at = upload(imports_page(), *good)
    at.checkbox(key="imports_as_set").check().run()
    assert "Loading the set as one batch would add **6 new values**, replace **0 values**" in said(at)
    [confirm] = [b for b in at.button if b.key == "confirm_set"]
    confirm.click().run()
    assert not at.exception
    assert "set of 3 files: cla.xlsx, foster.xlsx, stability.csv: loaded as batch 1" in said(at)
    assert scalar(engine, "SELECT COUNT(*) FROM import_batch") == 1
    assert scalar(engine, "SELECT COUNT(*) FROM batch_file") == 3


def test_a_row_hidden_in_excel_is_counted_in_its_files_line(db_url, tmp_path, capsys):
    paths = three_trackers(tmp_path / "trackers")
    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    for row in [["Measure", "Area", "Apr-24", "May-24"], ["cla_count", HOME, 400, 405], ["cla_starts", HOME, 30, 41]]:
        sheet.append(row)
    sheet.row_dimensions[3].hidden = True
    book.save(paths[0])
    assert main(["import", "--set", *map(str, paths), "--db", db_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert ("  cla.xlsx: 4 values; read sheet 'Tracker' (wide); 1 row was hidden in Excel and was loaded too: check "
            "it is meant to be") in lines

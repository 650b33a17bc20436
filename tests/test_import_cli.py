"""``python -m loaders`` as a performance officer runs it: exit codes, summaries and every problem."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from db import queries
from db.engine import connect
from tests.cli import Ran, run_main
from tests.databases import new_database
from tests.returns_files import dump_tables, write_xlsx

ROOT = Path(__file__).resolve().parents[1]
HOME = "E06999901"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> Ran:
    return run_main("loaders", *args, env=env, cwd=cwd)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "good": write_xlsx(tmp_path / "january.xlsx", {"Return": [["measure", "Jan-24", "Feb-24"], ["cla_count", 398, "c"]]}),
        "bad": write_xlsx(tmp_path / "february.xlsx", {"Return": [
            ["measure", "area", "Jan-24"], ["bogus", HOME, 5], ["cla_count", "Narnia", 5], ["cla_starts", HOME, -2]]}),
    }


def test_import_loads_then_finds_nothing_new(db_url, files):
    first = run("import", str(files["good"]), "--db", db_url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == ("january.xlsx: loaded as batch 1: 2 new, 0 replaced, 0 unchanged values, "
                                    "0 targets; read sheet 'Return' (wide)")
    again = run("import", str(files["good"]), "--db", db_url)
    assert again.returncode == 0
    assert again.stdout.strip() == ("january.xlsx: unchanged, all 2 values already loaded (the same file as batch 1, "
                                    "with nothing it loaded changed since: not read again)")


def test_a_rejected_file_lists_every_problem_and_fails(db_url, files):
    result = run("import", str(files["good"]), str(files["bad"]), "--db", db_url)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("january.xlsx: loaded as batch 1")
    assert lines[1] == "february.xlsx: rejected, 3 problems; nothing was loaded; read sheet 'Return' (wide)"
    assert lines[2].startswith("  - february.xlsx, sheet 'Return', cell A2: unknown measure 'bogus'; expected ")
    assert lines[3].startswith("  - february.xlsx, sheet 'Return', cell B3: unknown area 'Narnia'; expected ")
    assert lines[4] == ("  - february.xlsx, sheet 'Return', cell C4: value outside its range '-2'; "
                        "expected a value as a count from 0 to 1,000,000")
    assert lines[5] == "2 files: 1 loaded, 0 unchanged, 1 rejected"
    engine = connect(db_url)
    assert queries.batches(engine)["file_name"].tolist() == ["january.xlsx"]


def test_a_missing_file_is_reported_and_fails(db_url, tmp_path):
    result = run("import", str(tmp_path / "nowhere.xlsx"), "--db", db_url)
    assert result.returncode == 1
    assert "nowhere.xlsx: rejected, no such file" in result.stdout


@pytest.mark.parametrize("area", ["Cheshire East", "895", "E06000049", "cheshire east"])
def test_area_option_in_any_form(db_url, files, area):
    result = run("import", str(files["good"]), "--area", area, "--db", db_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(queries.observations(connect(db_url))["area_code"]) == {"E06000049"}


def test_an_unknown_area_option_is_a_usage_error_and_changes_nothing(db_url, files):
    engine = connect(db_url)
    before = dump_tables(engine)
    result = run("import", str(files["good"]), "--area", "Narnia", "--db", db_url)
    assert result.returncode == 2
    assert "Unknown area 'Narnia'" in result.stderr
    assert dump_tables(engine) == before


@pytest.mark.parametrize("url", ["not-a-database-url", "sqlite:////proc/no/such/folder/dashboard.db"])
def test_a_database_that_cannot_be_opened_is_a_usage_error(files, url):
    result = run("import", str(files["good"]), "--db", url)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Cannot open the database {url!r}")
    assert "Traceback" not in result.stderr


def test_the_database_comes_from_the_environment_without_db(tmp_path, files):
    url = new_database(tmp_path / 'from-env.db')
    result = run("import", str(files["good"]), env={"DASHBOARD_DB_URL": url, "DASHBOARD_HOME_AREA": "895"})
    assert result.returncode == 0, result.stderr
    assert set(queries.observations(connect(url))["area_code"]) == {"E06000049"}


def test_help_explains_each_command():
    result = run("--help")
    assert result.returncode == 0
    for command in ("import", "export", "template"):
        assert command in result.stdout
    assert "--area" in run("import", "--help").stdout
    assert run().returncode == 2  # no command


def test_export_writes_the_loaded_values_as_csv(db_url, files):
    pytest.importorskip("loaders.export")
    run("import", str(files["good"]), "--db", db_url)
    result = run("export", "--measure", "Children in care", "--db", db_url)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["measure"], r["area"], r["period_end"], r["value"], r["status"]) for r in rows] == [
        ("cla_count", HOME, "2024-01-31", "398", "value"),
        ("cla_count", HOME, "2024-02-29", "", "c"),  # suppressed: empty with its symbol, never 0
    ]
    unknown = run("export", "--measure", "bogus", "--db", db_url)
    assert unknown.returncode == 2 and "bogus" in unknown.stderr


def test_a_filled_in_template_loads(db_url, tmp_path):
    pytest.importorskip("loaders.template")
    result = run("template", cwd=tmp_path)  # default output: the current folder
    assert result.returncode == 0, result.stderr
    template = tmp_path / "return_template.xlsx"
    assert str(template) in result.stdout
    blank = run("import", str(template), "--db", db_url)
    assert blank.returncode == 0, blank.stdout
    assert "no figures in the file; nothing to load" in blank.stdout  # empty cells are no figures, not zeros
    book = load_workbook(template)
    sheet = book["Return"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "cla_count")
    sheet.cell(row, 3).value = 398
    book.save(tmp_path / "filled.xlsx")
    filled = run("import", str(tmp_path / "filled.xlsx"), "--db", db_url)
    assert filled.returncode == 0, filled.stdout
    assert queries.observations(connect(db_url))["value"].tolist() == [398.0]


def test_export_piped_into_a_reader_that_stops_early_ends_quietly(db_url, tmp_path):
    """The real ``python -m loaders`` process: a pipe closed early is something only a process meets."""
    months = [f"{m}-{y}" for y in range(15, 25) for m in ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")]
    big = write_xlsx(tmp_path / "ten_years.xlsx", {"Return": [
        ["measure", "area", *months],
        *[["cla_count", area, *range(100, 100 + len(months))] for area in ("E06000049", "E06000050", "E08000001",
                                                                           "E08000002", "E08000003", "E09000001")],
    ]})
    assert run("import", str(big), "--db", db_url).returncode == 0
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    reader = subprocess.Popen([sys.executable, "-m", "loaders", "export", "--db", db_url], cwd=ROOT,
                              env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    assert reader.stdout.read(80).startswith(b"measure,area,")
    reader.stdout.close()  # like `| head -1`
    stderr = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 0
    assert "Traceback" not in stderr

"""Messages a performance officer can act on, and a command line that never stops at one bad file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db import queries
from db.engine import connect
from db.locks import write_transaction
from loaders.problems import Rule
from loaders.returns import read_return
from reference.areas import areas
from tests.cli import Ran, run_main
from tests.returns_files import dump_tables, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict[str, str] | None = None) -> Ran:
    return run_main("loaders", *args, env=env)


def run_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real ``python -m loaders`` process, for what only a process meets (its own PYTHONPATH)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "loaders", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=180)


# Council names ------------------------------------------------------------------------------------------

COUNCILS = areas().local_authorities(include_fictional=False, current_only=False)


@pytest.mark.parametrize("suffix", [" Council", " Borough Council", " County Council", " City Council",
                                    " Metropolitan Borough Council", " District Council"])
def test_every_council_name_with_a_council_word_resolves_to_itself(suffix):
    wrong = {c.name: getattr(areas().resolve(c.name + suffix), "name", None) for c in COUNCILS
             if getattr(areas().resolve(c.name + suffix), "code", None) != c.code}
    assert wrong == {}


def test_no_two_councils_collide_under_any_written_form():
    forms = [" Council", "", " City Council"]
    for form in forms:
        codes = [areas().resolve(c.name.upper() + form).code for c in COUNCILS]
        assert len(set(codes)) == len(COUNCILS), form


@pytest.mark.parametrize(("written", "name"), [
    ("Cheshire East Council", "Cheshire East"),
    ("London Borough of Barking & Dagenham", "Barking and Dagenham"),
    ("Royal Borough of Windsor and Maidenhead", "Windsor and Maidenhead"),
    ("Royal Borough of Kensington & Chelsea", "Kensington and Chelsea"),
    ("City of Bristol", "Bristol, City of"),
    ("Bristol City Council", "Bristol, City of"),
    ("Herefordshire Council", "Herefordshire, County of"),
    ("Kingston upon Hull City Council", "Kingston upon Hull, City of"),
    ("Hull City Council", "Kingston upon Hull, City of"),
    ("Durham County Council", "County Durham"),
    ("City of London", "City of London"),
    ("London", "London"),  # the region, not the City of London
    ("St Helens Council", "St. Helens"),
    ("St. Helens Metropolitan Borough Council", "St. Helens"),
    ("City of York Council", "York"),
    ("Westminster City Council", "Westminster"),
    ("Council of the Isles of Scilly", "Isles of Scilly"),
    ("BCP Council", "Bournemouth, Christchurch and Poole"),
    ("brighton  &  hove", "Brighton and Hove"),
    ("Stoke-on-Trent City Council", "Stoke-on-Trent"),
])
def test_the_usual_ways_councils_write_their_names(written, name):
    assert areas().resolve(written).name == name


@pytest.mark.parametrize("text", ["Council", "Borough Council", "City of", "London Borough of", "Narnia Council"])
def test_council_words_alone_name_no_area(text):
    assert areas().resolve(text) is None


# Suggestions and long text -----------------------------------------------------------------------------

def test_an_unknown_measure_suggests_the_nearest_names(tmp_path):
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [["measure", "2024-01"], ["cla_cnt", 398]]}))
    [problem] = parsed.problems
    assert problem.rule == Rule.UNKNOWN_MEASURE
    assert "did you mean 'cla_count' (Children looked after at the period end)" in problem.message()


def test_an_unknown_area_suggests_the_nearest_names(tmp_path):
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [
        ["measure", "area", "2024-01"], ["cla_count", "Cheshire Eats", 398]]}))
    [problem] = parsed.problems
    assert problem.rule == Rule.UNKNOWN_AREA
    assert "did you mean 'Cheshire East' (E06000049)?" in problem.message()


def test_nothing_near_is_not_suggested(tmp_path):
    parsed = read_return(write_xlsx(tmp_path / "r.xlsx", {"R": [["measure", "2024-01"], ["zzqqxx", 1]]}))
    assert "did you mean" not in parsed.problems[0].message()


def test_a_huge_cell_is_quoted_shortened(tmp_path):
    essay = ("Figures are provisional because " + "the system changed " * 6000)[:100_000]
    parsed = read_return(write_csv(tmp_path / "r.csv", [["measure", "2024-01"], ["cla_count", essay]]))
    [problem] = parsed.problems
    assert problem.text == essay  # the report keeps the whole text
    message = problem.message()
    assert len(message) < 400
    assert "Figures are provisional" in message and f"({len(problem.text):,} characters)" in message


# The command line -------------------------------------------------------------------------------------

def test_fifty_thousand_problems_are_listed_fifty_then_counted(db_url, tmp_path):
    rows = [["measure", "period", "value"]] + [["cla_count", "2024-01", f"about {n}"] for n in range(50_000)]
    path = write_csv(tmp_path / "broken.csv", rows)
    result = run("import", str(path), "--db", db_url)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "broken.csv: rejected, 50,000 problems; nothing was loaded; read as a tidy table"
    assert len(lines) == 1 + 50 + 1
    assert lines[1].startswith("  - broken.csv, cell C2: unreadable value 'about 0'")
    assert lines[-1] == "  ... and 49,950 more problems"


def _unreadable_styles(good: Path, path: Path) -> Path:
    """A workbook whose styles give a number format as a word: an unforeseen failure inside the reader."""
    import zipfile

    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/styles.xml":
                data = data.replace(b'<xf numFmtId="9"', b'<xf numFmtId="nine"', 1)
            target.writestr(name, data)
    return path


@pytest.mark.parametrize("broken", ["folder", "styles"])
def test_a_broken_file_in_the_middle_does_not_stop_the_others(db_url, tmp_path, broken):
    first = write_xlsx(tmp_path / "january.xlsx", {"R": [["measure", "2024-01"], ["cla_count", 398]]})
    last = write_xlsx(tmp_path / "march.xlsx", {"R": [["measure", "2024-03"], ["cla_count", 402]]})
    if broken == "folder":
        middle = tmp_path / "february.xlsx"
        middle.mkdir()
    else:
        percent = write_xlsx(tmp_path / "percent.xlsx", {"R": [["measure", "2024-02"], ["cla_foster_pct", 0.7]]},
                             {"R": {"B2": "0%"}})
        middle = _unreadable_styles(percent, tmp_path / "february.xlsx")
    result = run("import", str(first), str(middle), str(last), "--db", db_url)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("january.xlsx: loaded as batch 1")
    assert lines[1] == "february.xlsx: rejected, 1 problem; nothing was loaded"
    assert lines[2].startswith("  - february.xlsx: ")
    if broken == "folder":
        assert lines[2] == ("  - february.xlsx: could not be read: it is a folder, not a file; nothing was loaded; "
                            "give a return file (.xlsx or .csv) that opens in Excel, or save it again from Excel")
    assert lines[3].startswith("march.xlsx: loaded as batch 2")
    assert lines[4] == "3 files: 2 loaded, 0 unchanged, 1 rejected"
    assert sorted(queries.batches(connect(db_url))["file_name"]) == ["january.xlsx", "march.xlsx"]


def test_a_database_driver_that_cannot_be_imported_is_one_sentence(tmp_path):
    shim = tmp_path / "shim" / "psycopg"
    shim.mkdir(parents=True)  # a psycopg that fails to import, as on a machine without it
    (shim / "__init__.py").write_text('raise ModuleNotFoundError("No module named \'psycopg\'", name="psycopg")\n')
    path = write_xlsx(tmp_path / "january.xlsx", {"R": [["measure", "2024-01"], ["cla_count", 398]]})
    result = run_process("import", str(path), "--db", "postgresql+psycopg://officer:s3cret@db.example/dashboard",
                         env={"PYTHONPATH": f"{shim.parent}{os.pathsep}{ROOT}"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "the Python package 'psycopg' that talks to it is not installed" in result.stderr
    assert "pip install psycopg" in result.stderr and "s3cret" not in result.stderr


def test_a_database_held_by_another_import_is_reported_for_that_file(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_LOCK_TIMEOUT_SECONDS", "0.5")  # every connection the engine opens
    engine = connect(db_url)
    before = dump_tables(engine)
    path = write_xlsx(tmp_path / "january.xlsx", {"R": [["measure", "2024-01"], ["cla_count", 398]]})
    with write_transaction(engine):  # the write lock, as an import in another process holds it
        result = run("import", str(path), "--db", db_url, env={"DASHBOARD_LOCK_TIMEOUT_SECONDS": "0.5"})
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines()[0] == "january.xlsx: not loaded: another import is in progress; try again"
    assert dump_tables(engine) == before

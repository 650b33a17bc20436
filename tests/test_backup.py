"""Backup and restore from the command line: a round trip gives back every row of every table, and a restore
over a database holding newer batches is refused, naming the newest batch on each side, unless forced.

Runs on the suite's database: SQLite here, PostgreSQL (pg_dump's custom format) with
DASHBOARD_TEST_DATABASE=postgresql.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from access import User
from db.commentary_writes import save_commentary
from db.engine import connect
from loaders.importer import import_file
from tests import app_database
from tests.cli import run_main
from tests.databases import ON_POSTGRES, new_database
from tests.returns_files import dump_tables

EDITOR = User("jsmith", "J Smith", True)
LATER_RETURN = b"measure,area,period,value\ncla_count,E06999901,2025-04,333\n"


@pytest.fixture
def built(tmp_path) -> str:
    """A database with the built council's returns, DfE-style yearly figures, targets and a commentary."""
    url = new_database(tmp_path / "dashboard.db")
    app_database.build(connect(url), url)
    save_commentary(connect(url), app_database.RED_MEASURE, app_database.HOME, date(2025, 3, 31),
                    "Two moves were planned.", EDITOR)
    return url


def loaders(*args: str):
    return run_main("loaders", *args, env={"DASHBOARD_USER": "jsmith"})


def test_a_backup_restored_into_an_empty_database_holds_every_row_of_every_table(built, tmp_path):
    file = tmp_path / "dashboard.backup"
    saved = loaders("backup", str(file), "--db", built)
    assert saved.returncode == 0, saved.stderr
    assert f"to {file}" in saved.stdout and "newest batch 3 (dfe_published.csv" in saved.stdout, saved.stdout
    empty = new_database(tmp_path / "restored.db")
    restored = loaders("restore", str(file), "--db", empty)  # an empty database: no --force needed
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("Restored dashboard.backup"), restored.stdout
    original, copy = dump_tables(connect(built)), dump_tables(connect(empty))
    assert copy == original
    assert len(copy["observation"]) > 100 and len(copy["commentary"]) == 1  # rows really were compared


def test_a_restore_over_newer_batches_is_refused_naming_both_then_done_when_forced(built, tmp_path):
    file = tmp_path / "dashboard.backup"
    assert loaders("backup", str(file), "--db", built).returncode == 0
    at_backup = dump_tables(connect(built))
    assert import_file(connect(built), data=LATER_RETURN, file_name="april.csv", imported_by="jsmith").status == \
        "loaded"
    after_import = dump_tables(connect(built))
    refused = loaders("restore", str(file), "--db", built)
    assert refused.returncode == 1
    said = refused.stderr
    assert "Not restored" in said and "Traceback" not in said, said
    assert "The database's newest is batch 4 (april.csv, loaded" in said, said
    assert "the backup's newest is batch 3 (dfe_published.csv, loaded" in said, said
    assert "--force" in said
    assert dump_tables(connect(built)) == after_import  # refused: nothing changed
    forced = loaders("restore", str(file), "--force", "--db", built)
    assert forced.returncode == 0, forced.stderr
    connect.cache_clear()
    assert dump_tables(connect(built)) == at_backup


def test_a_restore_over_the_same_or_older_batches_needs_no_flag(built, tmp_path):
    file = tmp_path / "dashboard.backup"
    assert loaders("backup", str(file), "--db", built).returncode == 0
    again = loaders("restore", str(file), "--db", built)
    assert again.returncode == 0, again.stderr


def test_a_file_that_is_not_a_backup_is_refused_in_a_sentence(built, tmp_path):
    file = tmp_path / "return.csv"
    file.write_bytes(LATER_RETURN)
    before = dump_tables(connect(built))
    result = loaders("restore", str(file), "--db", built)
    assert result.returncode == 2
    assert "return.csv is not a dashboard backup" in result.stderr and "Traceback" not in result.stderr
    assert dump_tables(connect(built)) == before


def test_a_backup_of_the_other_kind_of_database_is_refused(built, tmp_path):
    """A PostgreSQL dump given to a SQLite install (or the reverse) says so instead of failing half way."""
    other = tmp_path / "other.backup"
    other.write_bytes(b"SQLite format 3\x00" if ON_POSTGRES else b"PGDMP\x01\x0e")
    result = loaders("restore", str(other), "--db", built)
    assert result.returncode == 2
    assert "restore it into a database of the same kind" in result.stderr, result.stderr


def test_a_database_that_cannot_be_opened_is_said_in_a_sentence(tmp_path):
    backup_file = tmp_path / "dashboard.backup"
    backup_file.write_bytes(b"PGDMP\x01\x0e")
    result = loaders("restore", str(backup_file), "--db", "postgresql+psycopg://nobody:s3cret@127.0.0.1:1/none")
    assert result.returncode == 2
    assert "Cannot open the database" in result.stderr and "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr


def test_a_backup_made_by_a_newer_version_of_the_dashboard_is_refused(built, tmp_path):
    with connect(built).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_later'"))
    file = tmp_path / "dashboard.backup"
    assert loaders("backup", str(file), "--db", built).returncode == 0
    empty = new_database(tmp_path / "older_install.db")
    result = loaders("restore", str(file), "--db", empty)
    assert result.returncode == 2
    assert "made by a newer version of the dashboard (schema 9999_later)" in result.stderr, result.stderr

"""DfE's published tables are every council's: once grants keep councils apart, one council's editor cannot load
them (they would change what every other council is compared with); the database's administrator does, as
the owner. Run on a real database through the real command line (in this process)."""

from __future__ import annotations

import csv
from pathlib import Path

from access.grants import grant
from db.engine import connect
from settings import DATA_DIR
from tests.cli import run_main
from tests.returns_files import dump_tables

STABILITY = DATA_DIR / "dfe" / "la_cla_placement_stability.csv"
MANCHESTER = "E08000003"


def small_dfe_table(folder: Path) -> Path:
    """DfE's real placement stability table cut to England's rows and Manchester's: still DfE's table."""
    path = folder / STABILITY.name
    with STABILITY.open(encoding="utf-8-sig", newline="") as source, path.open("w", encoding="utf-8", newline="") as out:
        rows = csv.DictReader(source)
        writer = csv.DictWriter(out, fieldnames=rows.fieldnames)
        writer.writeheader()
        writer.writerows(r for r in rows if r["geographic_level"] == "National" or r["new_la_code"] == MANCHESTER)
    return path


def test_a_council_s_editor_cannot_load_dfe_s_table_once_grants_exist_and_nothing_changes(db_url, tmp_path):
    table = small_dfe_table(tmp_path)
    engine = connect(db_url)
    grant(engine, "jo.smith", "editor", MANCHESTER, "admin")
    before = dump_tables(engine)
    ran = run_main("loaders", "import", str(table), "--db", db_url, env={"DASHBOARD_USER": "jo.smith"})
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert ran.stdout.startswith(f"{table.name}: rejected")
    assert "DfE's figures, which every council on this database shares" in ran.stdout
    assert "python -m loaders import FILE, run with DASHBOARD_OWNER_DB_URL set" in ran.stdout
    assert dump_tables(engine) == before


def test_without_grants_the_same_table_loads_as_before(db_url, tmp_path):
    table = small_dfe_table(tmp_path)
    ran = run_main("loaders", "import", str(table), "--db", db_url, env={"DASHBOARD_USER": "jo.smith"})
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.startswith(f"{table.name}: loaded as batch 1: ")


def test_the_administrator_with_the_owner_s_url_loads_dfe_s_table_without_a_grant_but_not_a_return(db_url, tmp_path):
    from tests.returns_files import write_csv

    table = small_dfe_table(tmp_path)
    engine = connect(db_url)
    grant(engine, "jo.smith", "editor", MANCHESTER, "admin")
    administrator = {"DASHBOARD_USER": "it.admin", "DASHBOARD_OWNER_DB_URL": db_url}  # holds the owner's URL
    loaded = run_main("loaders", "import", str(table), "--db", db_url, env=administrator)
    assert loaded.returncode == 0 and loaded.stdout.startswith(f"{table.name}: loaded as batch 1: "), loaded
    before = dump_tables(engine)
    own = write_csv(tmp_path / "return.csv", [["measure", "area", "period", "value"],
                                              ["cla_count", "Manchester", "2025-01", 500]])
    refused = run_main("loaders", "import", str(own), "--db", db_url, env=administrator)
    assert refused.returncode == 1 and "it.admin may view the dashboard but not load a return" in refused.stderr, refused
    assert "Traceback" not in refused.stdout + refused.stderr and dump_tables(engine) == before

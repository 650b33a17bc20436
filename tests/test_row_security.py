"""Row-level security on a real PostgreSQL server, proved from the app's own role.

The administrator's two roles are made as the issue's README asks: an owner, which owns the database and
runs the migrations, and an app role, which owns nothing, is not a superuser and cannot bypass row-level
security. The app connects as the app role with DASHBOARD_OWNER_DB_URL set, so the schema is upgraded as
the owner by itself. Councils A and B each load their own figures, targets and commentary beside one
DfE published figure; then grants switch scoping on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from access.grants import grant
from access.users import User
from access.viewer import Viewer
from db.commentary_writes import save_commentary
from db.engine import connect
from db.rls import definer_views, unprotected_tables
from db.scope import DatabaseScope, install_scope_hook, use_scope
from db.writes import TARGET_COLUMNS, BatchInfo, apply_batch
from tests.postgres_server import throwaway_postgres, unavailable_reason
from views.reads import database_reads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(unavailable_reason() is not None, reason=unavailable_reason() or ""),
]

A, B = "E08000003", "E08000006"  # Manchester, Salford
MEASURE = "cla_count"
OWN = {A: 111.0, B: 222.0}  # each council's own figure; DfE's published figure for B is 999
EDITOR = User("setup", "setup", True)
COUNCIL_TABLES = ("observation", "observation_history", "target", "commentary", "import_batch", "batch_coverage")


def _row(area: str, value: float, period_type: str = "month", end: date = date(2025, 1, 31)) -> dict:
    return dict(measure_code=MEASURE, area_code=area, period_type=period_type, period_end=end, dimension="",
                category="", value=value, numerator=None, denominator=None, status="value")


def _info(name: str, source: str = "return") -> BatchInfo:
    return BatchInfo(name, hashlib.sha256(name.encode()).hexdigest(), source, [], "setup")


def _load(engine: Engine, council: str) -> None:
    targets = pd.DataFrame([dict(measure_code=MEASURE, area_code=council, period_start=date(2024, 4, 1),
                                 period_end=date(2025, 3, 31), value=OWN[council])], columns=TARGET_COLUMNS)
    apply_batch(engine, _info(f"{council}-1.csv"), pd.DataFrame([_row(council, OWN[council] - 1)]), targets)
    apply_batch(engine, _info(f"{council}-2.csv"), pd.DataFrame([_row(council, OWN[council])]))  # first -> history
    save_commentary(engine, MEASURE, council, date(2025, 1, 31), f"{council}'s own note", EDITOR)


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, str]]:
    """URLs of the superuser, the owner and the app role on one fresh database, filled and granted."""
    with throwaway_postgres() as admin_url:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.exec_driver_sql("CREATE ROLE dashboard_owner LOGIN")
            c.exec_driver_sql("CREATE ROLE dashboard_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB")
            c.exec_driver_sql("ALTER DATABASE dashboard OWNER TO dashboard_owner")
        admin.dispose()
        urls = {"admin": admin_url, "owner": admin_url.replace("//postgres@", "//dashboard_owner@"),
                "app": admin_url.replace("//postgres@", "//dashboard_app@")}
        mp = pytest.MonkeyPatch()
        mp.setenv("DASHBOARD_OWNER_DB_URL", urls["owner"])
        mp.setenv("DASHBOARD_DB_URL", urls["app"])
        try:
            app = connect(urls["app"])  # upgrades as the owner, which grants the app role
            _load(app, A)
            _load(app, B)
            apply_batch(app, _info("dfe.csv", "published"), pd.DataFrame([_row(B, 999.0, "year", date(2024, 3, 31))]))
            owner = connect(urls["owner"])
            grant(owner, "jo@a.gov.uk", "editor", A, "admin")
            grant(owner, "bo@b.gov.uk", "editor", B, "admin")
            grant(owner, "ria@region.org.uk", "regional", None, "admin")
            yield urls
        finally:
            mp.undo()
            connect.cache_clear()


@pytest.fixture
def app(server) -> Engine:
    return connect(server["app"])


def scope_of(*councils: str, edits: tuple[str, ...] | None = None) -> DatabaseScope:
    return DatabaseScope(frozenset(councils), frozenset(councils if edits is None else edits))


def own_rows(connection, table: str, council: str) -> int:
    column = "council_code" if table == "import_batch" else "area_code"
    published = " AND origin <> 'published'" if table in ("observation", "observation_history", "batch_coverage") else ""
    return connection.execute(text(f"SELECT count(*) FROM {table} WHERE {column} = :c{published}"),
                              {"c": council}).scalar_one()


def test_the_app_role_owns_nothing_and_cannot_bypass_row_security(app):
    with app.connect() as c:
        attributes = c.execute(text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        owned = c.execute(text("SELECT count(*) FROM pg_class WHERE relowner = "
                               "(SELECT oid FROM pg_roles WHERE rolname = current_user)")).scalar_one()
    assert tuple(attributes) == (False, False) and owned == 0


def test_every_council_table_has_forced_row_security_and_the_check_names_one_that_lacks_it(server):
    owner = create_engine(server["owner"])
    with owner.begin() as c:
        assert unprotected_tables(c) == [] and definer_views(c) == []
        c.exec_driver_sql("CREATE TABLE problem_count (batch_id integer, area_code varchar(16), problems integer)")
        c.exec_driver_sql("CREATE VIEW council_figures AS SELECT area_code FROM observation")
        assert unprotected_tables(c) == ["problem_count"]
        assert definer_views(c) == ["council_figures"]
        c.exec_driver_sql("ALTER TABLE problem_count ENABLE ROW LEVEL SECURITY")
        assert unprotected_tables(c) == ["problem_count"]  # enabled but not forced: the owner would see all
        c.rollback()
    owner.dispose()


def test_council_a_reads_none_of_b_s_own_rows_through_every_read_even_when_the_code_asks_for_them(app):
    with use_scope(scope_of(A)):
        reads = database_reads(app, Viewer.of("confused code", [A, B]))  # the code above wrongly allows B
        assert OWN[B] not in reads.observations(B)["value"].tolist()
        assert 999.0 in reads.observations(B)["value"].tolist()  # B's published figure: everyone's
        assert OWN[A] in reads.observations(A)["value"].tolist()
        assert reads.targets(B).empty and not reads.targets(A).empty
        assert reads.history(MEASURE, B).empty and not reads.history(MEASURE, A).empty
        assert reads.commentary(MEASURE, B).empty and reads.notes(B) == []
        assert OWN[B] not in reads.measure(B, MEASURE)["value"].tolist()
        assert B not in set(reads.batches()["council_code"]) and A in set(reads.batches()["council_code"])
        with app.connect() as c:
            assert [own_rows(c, t, B) for t in COUNCIL_TABLES] == [0] * len(COUNCIL_TABLES)
            assert [own_rows(c, t, A) > 0 for t in COUNCIL_TABLES] == [True] * len(COUNCIL_TABLES)


def test_council_a_updates_and_deletes_none_of_b_s_rows_and_cannot_insert_one(app):
    with use_scope(scope_of(A)), app.connect() as c:
        for table, own in (("observation", " AND origin = 'local'"), ("observation_history", ""), ("target", ""),
                           ("commentary", "")):
            where = f"WHERE area_code = :b{own}"
            assert c.execute(text(f"UPDATE {table} SET area_code = area_code {where}"), {"b": B}).rowcount == 0
            assert c.execute(text(f"DELETE FROM {table} {where}"), {"b": B}).rowcount == 0
        assert c.execute(text("DELETE FROM import_batch WHERE council_code = :b"), {"b": B}).rowcount == 0
        c.commit()
    with use_scope(scope_of(A)), pytest.raises(DBAPIError, match="row-level security"):
        apply_batch(app, _info("sneaky.csv"), pd.DataFrame([_row(B, 5.0, end=date(2025, 2, 28))]))
    with use_scope(scope_of(B)), app.connect() as c:
        assert own_rows(c, "observation", B) == 1 and own_rows(c, "target", B) == 1


def test_an_unset_or_empty_scope_returns_no_council_s_own_rows(server, app):
    plain = create_engine(server["app"])  # no scope hook at all: the setting is never set
    with plain.connect() as c:
        assert c.execute(text("SELECT count(*) FROM observation WHERE origin = 'local'")).scalar_one() == 0
        assert c.execute(text("SELECT count(*) FROM observation WHERE origin = 'published'")).scalar_one() == 1
        assert c.execute(text("SELECT count(*) FROM target")).scalar_one() == 0
    plain.dispose()
    for scope in (DatabaseScope(frozenset(), frozenset()), DatabaseScope()):  # empty; '*' once grants exist
        with use_scope(scope), app.connect() as c:
            assert [own_rows(c, t, council) for t in COUNCIL_TABLES for council in (A, B)] == [0] * 12


def test_one_pooled_connection_serving_a_then_b_leaks_nothing(server):
    pooled = create_engine(server["app"], pool_size=1, max_overflow=0)
    install_scope_hook(pooled)
    with use_scope(scope_of(A)), pooled.connect() as c:
        first_pid = c.execute(text("SELECT pg_backend_pid()")).scalar_one()
        assert own_rows(c, "observation", A) == 1
    with use_scope(scope_of(B)), pooled.connect() as c:
        assert c.execute(text("SELECT pg_backend_pid()")).scalar_one() == first_pid  # the same connection
        assert (own_rows(c, "observation", A), own_rows(c, "observation", B)) == (0, 1)
    with pooled.connect() as raw:  # and once a transaction ends, its scope has gone with it
        raw.exec_driver_sql("SELECT set_config('dashboard.councils', 'E08000003', true)")
        raw.commit()
        left = raw.exec_driver_sql("SELECT NULLIF(current_setting('dashboard.councils', true), '')").scalar_one()
        assert left in (None, "*")  # a new transaction sets the scope in force, never the last one's
    pooled.dispose()


def test_the_regional_scope_reads_every_council_and_writes_none(app):
    with use_scope(scope_of(A, B, edits=())), app.connect() as c:
        assert (own_rows(c, "observation", A), own_rows(c, "observation", B)) == (1, 1)
        assert c.execute(text("UPDATE target SET value = 0")).rowcount == 0
        assert c.execute(text("DELETE FROM commentary")).rowcount == 0
        c.commit()
    with use_scope(scope_of(A, B, edits=())), pytest.raises(DBAPIError, match="row-level security"):
        save_commentary(app, MEASURE, A, date(2025, 1, 31), "a regional note", EDITOR)


def test_the_owner_reads_every_row_for_backups(server):
    owner = create_engine(server["owner"])
    with owner.connect() as c:
        assert (own_rows(c, "observation", A), own_rows(c, "observation", B)) == (1, 1)
    owner.dispose()


def test_the_app_on_postgres_shows_a_person_their_council_and_only_published_figures_of_another(server, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app_pages import APP, TIMEOUT, texts
    from ui.filters import NO_ACCESS_TEXT

    grant(connect(server["owner"]), "jsmith", "viewer", A, "admin")
    for key, value in {"DASHBOARD_HOME_AREA": A, "DASHBOARD_USER": "jsmith", "DASHBOARD_LOAD_SAMPLE": "0",
                       "DASHBOARD_LOAD_PUBLISHED": "0"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("DASHBOARD_EDITORS", raising=False)
    mine = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not mine.exception and NO_ACCESS_TEXT not in texts(mine)
    assert "Manchester" in texts(mine) and "(viewer)" in texts(mine)
    other = AppTest.from_file(APP, default_timeout=TIMEOUT)
    other.query_params["area"] = B
    other.run()
    assert not other.exception and NO_ACCESS_TEXT in texts(other)


def test_a_role_the_database_cannot_keep_to_one_council_is_named_for_the_administrator(server, app):
    from db.rls import unsafe_role

    with app.connect() as c:
        assert unsafe_role(c) == ""
    for url, why in ((server["owner"], "owns the dashboard's tables"), (server["admin"], "is a superuser")):
        other = create_engine(url)
        with other.connect() as c:
            said = unsafe_role(c)
        other.dispose()
        assert why in said and "does not keep councils' own figures apart" in said


def test_once_grants_exist_dfe_s_figures_and_lists_are_written_by_the_owner_alone(server, app):
    from settings import DATA_DIR
    from tests.cli import run_main

    release = DATA_DIR / "dfe" / "sn_april_2021.csv"  # DfE's statistical neighbours: every council's
    as_editor = {"DASHBOARD_USER": "jo@a.gov.uk"}
    refused = run_main("loaders", "import", str(release), "--db", server["app"], env=as_editor)
    assert refused.returncode == 1 and "DASHBOARD_OWNER_DB_URL" in refused.stdout, refused.stdout + refused.stderr
    loaded = run_main("loaders", "import", str(release), "--db", server["app"],
                      env={**as_editor, "DASHBOARD_OWNER_DB_URL": server["owner"]})
    assert loaded.returncode == 0 and " loaded as batch " in loaded.stdout, loaded.stdout + loaded.stderr

    shared = ("UPDATE observation SET value = 0 WHERE origin = 'published'",
              "DELETE FROM observation WHERE origin = 'published'",
              "DELETE FROM import_batch WHERE council_code = ''",
              "UPDATE neighbour_release SET file_name = 'x'",
              "UPDATE statistical_neighbour SET neighbour_dfe_number = '999'",
              "DELETE FROM statistical_neighbour")
    for scope in (scope_of(A), scope_of(A, B, edits=()), DatabaseScope()):  # an editor, regional, '*'
        with use_scope(scope), app.connect() as c:
            assert c.execute(text("SELECT count(*) FROM statistical_neighbour")).scalar_one() > 0  # read by all
            assert [c.execute(text(sql)).rowcount for sql in shared] == [0] * len(shared)
            c.commit()
        with use_scope(scope), pytest.raises(DBAPIError, match="row-level security"):
            apply_batch(app, _info("not-dfe.csv", "published"), pd.DataFrame([_row(A, 1.0, "year", date(2023, 3, 31))]))
    owner = create_engine(server["owner"])
    with owner.connect() as c:  # the owner (the administrator) still may
        assert c.execute(text("UPDATE statistical_neighbour SET rank = rank")).rowcount > 0
        assert c.execute(text("SELECT count(*) FROM observation WHERE origin = 'published' AND value = 999")).scalar_one() == 1
        c.rollback()
    owner.dispose()

"""Councils, people and roles in the database: who may see and change which council's own figures.

A real SQLite file; grants made through ``python -m access`` run in this process; returns written as real
CSV files. Council A is Manchester, council B Salford (two real councils); without grants everything works
as a one-council install does.
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from access.grants import access_for, command_line_user, grants
from access.users import NotYourCouncil, User
from db import queries
from db.commentary_writes import save_commentary
from db.target_writes import TargetEdit, save_targets
from db.undo import undo_batch
from loaders.export import write_export
from loaders.importer import import_file, import_set
from tests.cli import run_main
from tests.returns_files import dump_tables, write_csv
from tests.ssda903_files import write_set

A, B = "E08000003", "E08000006"  # Manchester, Salford
HEADER = ["measure", "area", "period", "value"]


def grant(url: str, *args: str):
    return run_main("access", *args, "--db", url)


def a_return(tmp_path, name: str, *areas: str):
    rows = [HEADER] + [["cla_count", area, "2025-01", 100 + i] for i, area in enumerate(areas)]
    return write_csv(tmp_path / name, rows)


def test_grants_are_made_listed_and_revoked_from_the_command_line(engine, db_url):
    assert grant(db_url, "list").stdout.startswith("No grants")
    made = grant(db_url, "grant", "Jo@Manchester.gov.uk", "--council", "Manchester", "--role", "editor")
    assert made.returncode == 0, made.stderr
    assert grant(db_url, "grant", "sam@salford.gov.uk", "--council", "355", "--role", "viewer").returncode == 0
    assert grant(db_url, "grant", "ria@region.org.uk", "--role", "regional").returncode == 0
    lines = grant(db_url, "list").stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("jo@manchester.gov.uk\teditor\tManchester (E08000003)")
    assert lines[1].startswith("ria@region.org.uk\tregional\tevery member council")
    assert lines[2].startswith("sam@salford.gov.uk\tviewer\tSalford (E08000006)")
    assert grant(db_url, "revoke", "sam@salford.gov.uk", "--council", "E08000006").returncode == 0
    assert grant(db_url, "revoke", "ria@region.org.uk", "--role", "regional").returncode == 0
    assert [g.login for g in grants(engine)] == ["jo@manchester.gov.uk"]


@pytest.mark.parametrize(("args", "said"), [
    (["grant", "jo", "--council", "Atlantis", "--role", "viewer"], "'Atlantis' is not a council"),
    (["grant", "jo", "--role", "editor"], "needs --council"),
    (["grant", "jo", "--council", "Manchester", "--role", "regional"], "give no --council"),
    (["grant", "jo", "--council", "North West", "--role", "viewer"], "is not a council"),
])
def test_a_grant_that_cannot_be_made_is_refused_in_a_sentence(engine, db_url, args, said):
    ran = grant(db_url, *args)
    assert ran.returncode == 2 and said in ran.stderr and "Traceback" not in ran.stderr
    assert grants(engine) == []


def test_without_grants_everyone_sees_and_changes_every_council_as_today(engine):
    access = access_for(engine, "anyone")
    assert access.sees is None and access.edits is None
    user = command_line_user(engine, "anyone")
    assert user.is_editor and user.may_edit(A) and user.may_edit(B)


def test_the_first_grant_switches_scoping_on(engine, db_url):
    grant(db_url, "grant", "jo@a.gov.uk", "--council", A, "--role", "editor")
    grant(db_url, "grant", "sam@b.gov.uk", "--council", B, "--role", "viewer")
    grant(db_url, "grant", "ria@region.org.uk", "--role", "regional")
    jo, sam, ria, nobody = (access_for(engine, who) for who in ("JO@a.gov.uk", "sam@b.gov.uk", "ria@region.org.uk", "x"))
    assert (jo.sees, jo.edits) == ({A}, {A})
    assert (sam.sees, sam.edits) == ({B}, frozenset())
    assert (ria.sees, ria.edits, ria.regional) == ({A, B}, frozenset(), True)
    assert (nobody.sees, nobody.edits) == (frozenset(), frozenset())
    assert not command_line_user(engine, "sam@b.gov.uk").is_editor


def test_a_return_with_a_row_for_a_council_the_editor_may_not_change_is_refused_whole_naming_the_cell(
        engine, db_url, tmp_path):
    grant(db_url, "grant", "jo@a.gov.uk", "--council", A, "--role", "editor")
    jo = command_line_user(engine, "jo@a.gov.uk")
    before = dump_tables(engine)
    report = import_file(engine, a_return(tmp_path, "both.csv", A, B), user=jo)
    assert report.status == "rejected"
    messages = [p.message() for p in report.problems]
    assert messages == [f"both.csv, cell D3: a council you may not change 'Salford ({B})'; figures only for "
                        f"Manchester ({A}), the councils you may change; ask for an editor grant for another"]
    assert dump_tables(engine) == before
    loaded = import_file(engine, a_return(tmp_path, "mine.csv", A), user=jo)
    assert loaded.status == "loaded"
    assert queries.batches(engine)["file_name"].tolist() == ["mine.csv"]


def test_an_editor_of_two_councils_loads_each_council_s_return_as_its_own_batch(engine, db_url, tmp_path):
    for council in (A, B):
        grant(db_url, "grant", "jo@a.gov.uk", "--council", council, "--role", "editor")
    jo = command_line_user(engine, "jo@a.gov.uk")
    report = import_file(engine, a_return(tmp_path, "both.csv", A, B), user=jo)
    assert report.status == "rejected"
    assert "a second council's figures 'Salford (E08000006)'" in report.problems[0].message()


def test_targets_commentary_and_undo_of_another_council_are_refused(engine, db_url, tmp_path):
    grant(db_url, "grant", "jo@a.gov.uk", "--council", A, "--role", "editor")
    grant(db_url, "grant", "bo@b.gov.uk", "--council", B, "--role", "editor")
    jo, bo = command_line_user(engine, "jo@a.gov.uk"), command_line_user(engine, "bo@b.gov.uk")
    b_batch = import_file(engine, a_return(tmp_path, "b.csv", B), user=bo).outcome.batch_id
    assert queries.batches(engine)["id"].tolist() == [b_batch]
    with pytest.raises(NotYourCouncil, match="may not write commentary for Salford"):
        save_commentary(engine, "cla_count", B, date(2025, 1, 31), "not mine", jo)
    with pytest.raises(NotYourCouncil, match="may not edit targets for Salford"):
        save_targets(engine, [TargetEdit("cla_count", B, date(2024, 4, 1), date(2025, 3, 31), 5.0)], jo)
    with pytest.raises(NotYourCouncil, match="may not undo an import for Salford"):
        undo_batch(engine, b_batch, jo)
    ran = run_main("loaders", "undo", str(b_batch), "--yes", "--db", str(engine.url),
                   env={"DASHBOARD_USER": "jo@a.gov.uk"})
    assert ran.returncode != 0 and "may not undo an import for Salford" in ran.stderr
    assert undo_batch(engine, b_batch, bo).undo_batch_id


def test_export_as_someone_shows_only_what_their_grants_allow(engine, db_url, tmp_path):
    editor = User("setup", "setup", True)
    for council in (A, B):
        import_file(engine, a_return(tmp_path, f"{council}.csv", council), user=editor)
    grant(db_url, "grant", "jo@a.gov.uk", "--council", A, "--role", "viewer")

    def exported(login: str) -> set[str]:
        ran = run_main("loaders", "export", "--as", login, "--db", db_url)
        assert ran.returncode == 0, ran.stderr
        return {line.split(",")[1] for line in ran.stdout.splitlines()[1:]}

    assert exported("jo@a.gov.uk") == {A}
    assert exported("nobody@x.gov.uk") == set()  # no grant: published figures only (none here)
    out = io.StringIO()
    assert write_export(engine, out) == 2  # the operator's own export, unscoped in code


def test_the_committee_pack_of_another_council_leaves_its_own_figures_out(engine, tmp_path):
    from access.viewer import LOCAL_VIEWER, Viewer
    from reports.pack import ChartPictures, PackError, PackRequest, pack_content

    import_file(engine, a_return(tmp_path, "b.csv", B), user=User("setup", "setup", True))
    words_only = ChartPictures()
    words_only.missing = "no pictures in this test"
    content = pack_content(engine, PackRequest("2025-01", B, viewer=LOCAL_VIEWER), words_only)
    assert content.council == "Salford"
    with pytest.raises(PackError, match="There are no figures for Salford"):
        pack_content(engine, PackRequest("2025-01", B, viewer=Viewer.of("jo@a.gov.uk", [A])), words_only)


def test_a_file_another_council_loaded_is_refused_not_reported_as_loaded_before(engine, db_url, tmp_path):
    grant(db_url, "grant", "jo@a.gov.uk", "--council", A, "--role", "editor")
    grant(db_url, "grant", "bo@b.gov.uk", "--council", B, "--role", "editor")
    path = a_return(tmp_path, "b.csv", B)
    assert import_file(engine, path, user=command_line_user(engine, "bo@b.gov.uk")).status == "loaded"
    again = import_file(engine, path, user=command_line_user(engine, "jo@a.gov.uk"))
    assert again.status == "rejected" and again.same_as_batch is None
    assert "a council you may not change 'Salford (E08000006)'" in again.problems[0].message()
    assert import_file(engine, path, user=command_line_user(engine, "bo@b.gov.uk")).status == "unchanged"


def test_the_history_command_lists_only_the_batches_of_councils_the_person_may_see(engine, db_url, tmp_path):
    for council in (A, B):
        import_file(engine, a_return(tmp_path, f"{council}.csv", council), user=User("setup", "setup", True))
    grant(db_url, "grant", "jo@a.gov.uk", "--council", A, "--role", "viewer")
    ran = run_main("loaders", "history", "--db", db_url, env={"DASHBOARD_USER": "jo@a.gov.uk"})
    assert f"{A}.csv" in ran.stdout and f"{B}.csv" not in ran.stdout
    assert "No batches" in run_main("loaders", "history", "--db", db_url, env={"DASHBOARD_USER": "x"}).stdout


def test_migration_0010_keeps_every_batch_and_gives_each_the_council_it_was_loaded_for(tmp_path):
    from alembic import command
    from sqlalchemy import text

    from db.engine import alembic_config, create, migrate

    engine = create(f"sqlite:///{tmp_path / 'old.db'}")
    command.upgrade(alembic_config(engine), "0008")
    batch = ("INSERT INTO import_batch (id, file_name, sha256, source, sheets, rows, inserted, replaced, unchanged, "
             "imported_by, imported_at, result, note, default_area) VALUES (:id, :name, '', :source, '[]', 1, 1, 0, 0, "
             "'jsmith', '2025-04-02 10:00:00', 'loaded', '', :area)")
    with engine.begin() as connection:
        for values in ({"id": 1, "name": "a.xlsx", "source": "return", "area": A},
                       {"id": 2, "name": "dfe.csv", "source": "published", "area": ""},
                       {"id": 3, "name": "b.csv", "source": "return", "area": ""}):
            connection.execute(text(batch), values)
        connection.execute(text("INSERT INTO batch_coverage VALUES (3, 'cla_count', :b, 'local')"), {"b": B})
    migrate(engine)
    with engine.connect() as connection:
        found = connection.execute(text("SELECT id, file_name, council_code FROM import_batch ORDER BY id")).all()
    assert [tuple(row) for row in found] == [(1, "a.xlsx", A), (2, "dfe.csv", ""), (3, "b.csv", B)]
    engine.dispose()


def test_the_preview_of_an_upload_names_the_council_the_editor_may_not_change(engine, db_url, tmp_path):
    from loaders.preview import preview_upload

    grant(db_url, "grant", "jo@a.gov.uk", "--council", A, "--role", "editor")
    data = a_return(tmp_path, "both.csv", A, B).read_bytes()
    preview = preview_upload(engine, data, "both.csv", user=command_line_user(engine, "jo@a.gov.uk"))
    assert [p.cell for p in preview.problems] == ["D3"] and not preview.can_confirm


def test_a_903_set_loads_only_for_a_council_the_editor_may_change(engine, db_url, tmp_path):
    grant(db_url, "grant", "jo@a.gov.uk", "--council", A, "--role", "editor")
    jo = command_line_user(engine, "jo@a.gov.uk")
    write_set(tmp_path / "903")
    before = dump_tables(engine)
    refused = import_set(engine, [tmp_path / "903"], default_area=B, user=jo)
    assert refused.status == "rejected"
    assert [p.message() for p in refused.problems] == [
        f"set of 3 files in 903: a council you may not change 'Salford ({B})'; figures only for Manchester ({A}), the councils you "
        "may change; ask for an editor grant for another"]
    assert dump_tables(engine) == before
    assert import_set(engine, [tmp_path / "903"], default_area=A, user=jo).status == "loaded"


@pytest.mark.parametrize("login", ["someone.else", "sam@salford.gov.uk"])  # no grant; another council's editor
def test_a_903_set_or_a_set_of_returns_loaded_without_an_editors_grant_is_refused_in_a_sentence(engine, db_url,
                                                                                              tmp_path, login):
    assert grant(db_url, "grant", "jo@manchester.gov.uk", "--council", A, "--role", "editor").returncode == 0
    assert grant(db_url, "grant", "sam@salford.gov.uk", "--council", B, "--role", "editor").returncode == 0
    before = dump_tables(engine)
    for args in (["import", str(write_set(tmp_path / "set"))],
                 ["import", "--set", str(a_return(tmp_path, "one.csv", A)), str(a_return(tmp_path, "two.csv", A))]):
        ran = run_main("loaders", *args, "--area", A, "--db", db_url, env={"DASHBOARD_USER": login})
        assert ran.returncode == 1, ran
        assert "Traceback" not in ran.stderr + ran.stdout
        said = ran.stderr + ran.stdout
        assert f"{login} may view the dashboard but not load" in said or "the councils you may change" in said
    assert dump_tables(engine) == before

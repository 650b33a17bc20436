"""A 903 set through the one import: one batch of figures of origin ssda903, undone as one, refused whole with
the database unchanged, and nothing personal stored anywhere in the database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import text

from access import command_line_user
from db.undo import undo_batch
from loaders.cli import main
from loaders.members import set_members
from loaders.ssda903.load import assemble, prepare, write_prepared
from loaders.ssda903.model import Figure903, Problem903
from loaders.ssda903.read import read_903
from tests.returns_files import dump_tables
from tests.ssda903_files import CHILDREN, DOBS, EPISODES, POSTCODES, write_set, write_table

AREA = "E08000030"  # Walsall
FAKE = Path(__file__).parent / "data" / "ssda903_fake"


def figures() -> list[Figure903]:
    """What the measures give for the small set (written here: the measures are tested on their own)."""
    return [
        Figure903("cla_count", "year", date(2025, 3, 31), 1.0, None, None, children=frozenset({CHILDREN[0], CHILDREN[1]}),
                  tables=("episodes",)),
        Figure903("cla_foster_pct", "year", date(2025, 3, 31), 100.0, 2.0, 2.0,
                  children=frozenset({CHILDREN[0], CHILDREN[1]}), tables=("episodes",)),
        Figure903("cla_count", "month", date(2024, 12, 31), 2.0, None, None, children=frozenset(CHILDREN[:2])),
    ]


def problems() -> list[Problem903]:
    return [Problem903("103", "header", 3, CHILDREN[1], "The ETHNIC code is not valid.", "2024-25/header.csv", 2025),
            Problem903("103", "header", 4, CHILDREN[2], "The ETHNIC code is not valid.", "2024-25/header.csv", 2025),
            Problem903("141", "episodes", 3, CHILDREN[1], "Date of episode is not a valid date.",
                       "2024-25/episodes.csv", 2025)]


def load_with_figures(engine, folder: Path):
    with set_members([folder]) as members:
        prepared = prepare(engine, "set of 3 files in 903", "f" * 64, members, None, AREA)
        assert not isinstance(prepared, list), [p.message() for p in prepared]
        prepared = assemble(prepared.parsed.file_name, prepared.parsed.sha256, members, prepared.ret, problems(),
                            figures())
        return write_prepared(engine, prepared, "tester", "v1")


def rows(engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql))]


def test_a_set_loads_as_one_batch_of_ssda903_figures_with_problem_counts_and_undoes_as_one(engine, tmp_path):
    before = dump_tables(engine)
    report = load_with_figures(engine, write_set(tmp_path / "903"))
    assert report.status == "loaded", report.summary()
    batch = report.outcome.batch_id
    assert rows(engine, "SELECT source, file_name FROM import_batch") == [("ssda903", "set of 3 files in 903")]
    assert rows(engine, "SELECT measure_code, period_type, value, numerator, denominator, origin FROM observation "
                        "ORDER BY measure_code, period_type") == [
        ("cla_count", "month", 2.0, None, None, "ssda903"), ("cla_count", "year", 1.0, None, None, "ssda903"),
        ("cla_foster_pct", "year", 100.0, 2.0, 2.0, "ssda903")]
    assert rows(engine, "SELECT rule, collection_year, problems FROM batch_rule_problems ORDER BY rule") == [
        ("103", 2025, 2), ("141", 2025, 1)]
    # cla_count (year) reads episodes only: the header problem of child 2 does not touch it, the episode one does;
    # the month figure reads every table: child 2's problems touch it.
    assert rows(engine, "SELECT measure_code, period_type, children, with_problems FROM figure_problem_children "
                        "ORDER BY measure_code, period_type") == [
        ("cla_count", "month", 2, 1), ("cla_count", "year", 2, 1), ("cla_foster_pct", "year", 2, 1)]
    assert [f[0] for f in rows(engine, "SELECT file_name FROM batch_file ORDER BY position")] == [
        "2024-25/episodes.csv", "2024-25/header.csv", "2024-25/reviews.csv"]

    undo_batch(engine, batch, command_line_user())
    after = dump_tables(engine)
    assert after["observation"] == before["observation"] == []


def test_nothing_personal_is_stored_anywhere_in_the_database(engine, tmp_path):
    assert load_with_figures(engine, write_set(tmp_path / "903")).status == "loaded"
    stored = repr(dump_tables(engine)).upper()
    iso = [datetime.strptime(d, "%d/%m/%Y").date().isoformat() for d in DOBS]
    dates_of_episodes = [e[1] for e in EPISODES]
    for secret in (*CHILDREN, *DOBS, *iso, *POSTCODES, *(p.replace(" ", "") for p in POSTCODES), *dates_of_episodes,
                   "A123456789012"):
        assert secret.upper() not in stored, f"{secret} is stored"


def test_the_command_line_recognises_a_903_set_without_being_told(db_url, tmp_path, capsys):
    write_set(tmp_path / "903")
    assert main(["import", str(tmp_path / "903" / "2024-25" / "header.csv"),
                 str(tmp_path / "903" / "2024-25" / "episodes.csv"), "--db", db_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("set of 2 files: header.csv, episodes.csv: ")
    assert "  header.csv: Header 2024-25: 3 rows" in out and "  episodes.csv: Episodes 2024-25: 4 rows" in out
    # no Reviews file and no DfE population loaded: each gap is said with its reason
    assert any(line.startswith("  No figure for Children looked after per 10,000 under-18s at 9 dates from 30 April "
                               "2024 to 31 March 2025: DfE's "
                               "population under 18 for this council is not loaded for 2024-25") for line in out)


def test_the_command_line_refuses_a_set_naming_file_row_column_and_value_and_writes_nothing(db_url, engine, tmp_path,
                                                                                          capsys):
    before = dump_tables(engine)
    episodes = [list(e) for e in EPISODES]
    episodes[2][3] = "Q7"
    write_set(tmp_path / "903", episodes=episodes)
    assert main(["import", str(tmp_path / "903"), "--db", db_url]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("set of 3 files in 903: rejected, 1 problem in 2024-25/episodes.csv; nothing was loaded from any "
                      "file of the set")
    assert out[-1].startswith("  - 2024-25/episodes.csv, cell D4 (LS): unknown code 'Q7'; expected one of C1, C2")
    assert dump_tables(engine) == before


def test_a_collection_year_given_on_the_command_line(db_url, tmp_path, capsys):
    write_set(tmp_path / "plain", "")
    assert main(["import", str(tmp_path / "plain"), "--db", db_url]) == 1
    assert "no collection year; expected the collection year in the file's" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "plain"), "--collection-year", "2024-25", "--db", db_url]) == 0
    assert "header.csv: Header 2024-25: 3 rows" in capsys.readouterr().out


def test_dfes_fake_903_in_csv_loads_and_its_xml_form_is_refused_with_a_reason_not_a_traceback(db_url, capsys):
    assert main(["import", str(FAKE / "csv"), "--collection-year", "2018", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "  episodes.csv: Episodes 2017-18: 5,050 rows" in out and "Traceback" not in out
    assert main(["import", str(FAKE / "xml" / "fake_903.xml"), "--db", db_url]) == 1
    out = capsys.readouterr().out
    assert "fake_903.xml: no collection year; expected the collection year" in out and "Traceback" not in out


def test_dfes_fake_903_xml_is_read_as_the_same_tables_as_its_csv_form():
    with set_members([FAKE / "xml" / "fake_903.xml"]) as members:
        ret = read_903(members, 2018, AREA)
    assert not isinstance(ret, list), [p.message() for p in ret]
    assert len(ret.table("header")) == 253 and len(ret.table("episodes")) == 459


def test_a_903_file_among_returns_is_not_taken_for_a_return(db_url, tmp_path, capsys):
    write_table(tmp_path / "episodes 2024-25.csv", "episodes", EPISODES)
    assert main(["import", str(tmp_path / "episodes 2024-25.csv"), "--db", db_url]) == 0
    assert capsys.readouterr().out.startswith("set of 1 file: episodes 2024-25.csv: ")


def test_public_mode_hides_a_small_903_figure_as_it_hides_the_councils_own(engine, tmp_path):
    from db.queries import observations
    from metrics.suppression import apply_public_rules

    assert load_with_figures(engine, write_set(tmp_path / "903")).status == "loaded"
    public = apply_public_rules(observations(engine), threshold=5).frame
    assert set(public["origin"]) == {"ssda903"}
    assert public["value"].isna().all()  # 1 and 2 children, 2 of 2 in foster care: each below 5


def test_the_command_line_lists_each_rule_problem_with_its_file_row_and_child(db_url, tmp_path, capsys):
    """A placement code outside its year (K3 before 2024-25) loads, and DfE's rule 146 names where it is."""
    episodes = [list(e) for e in EPISODES]
    episodes[0][5] = "K3"
    write_set(tmp_path / "903", "2023-24", episodes=episodes)
    assert main(["import", str(tmp_path / "903"), "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "rule 146: 1" in out
    assert f"- rule 146, 2023-24/episodes.csv row 2, child {EPISODES[0][0]}: Placement type code is not a valid code." in out


def test_two_years_of_tables_given_file_by_file_are_named_by_their_folders(db_url, tmp_path, capsys):
    """`import 2023-24/*.csv 2024-25/*.csv`: two episodes.csv, each named by its year's folder, not refused."""
    write_set(tmp_path / "903", "2023-24")
    write_set(tmp_path / "903", "2024-25")
    files = sorted((tmp_path / "903").glob("*/*.csv"))
    assert main(["import", *map(str, files), "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "  2023-24/episodes.csv: Episodes 2023-24: 4 rows" in out and "  2024-25/episodes.csv: Episodes 2024-25: 4 rows" in out
    assert main(["import", str(files[0]), str(files[0]), "--db", db_url]) == 1  # one file given twice is still refused
    assert "two files of the set have this name" in capsys.readouterr().out

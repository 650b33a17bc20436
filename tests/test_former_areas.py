"""An area code that names no current English council is explained in words, and a council's figures
must fall within its lifetime (data/reference/former_areas.csv)."""

from __future__ import annotations

from loaders.importer import import_file
from loaders.problems import Rule
from tests.returns_files import dump_tables, write_csv


def problems_for(engine, tmp_path, rows: list[list[object]]):
    """The problems a tidy CSV return gets, after checking a refusal left the database as it was."""
    before = dump_tables(engine)
    path = write_csv(tmp_path / "return.csv", [["measure", "area", "period", "value"], *rows])
    report = import_file(engine, path, imported_by="tester")
    if report.status == "rejected":
        assert dump_tables(engine) == before
    return report


def test_a_welsh_code_is_said_to_be_welsh_not_a_digit_away_from_derby(engine, tmp_path):
    report = problems_for(engine, tmp_path, [["cla_count", "W06000015", "2024-01", 398],
                                             ["cla_count", "S12000033", "2024-01", 12],
                                             ["cla_count", "N09000003", "2024-01", 13]])
    expected = {p.cell: p.expected for p in report.problems}
    assert "a Welsh council or area: this dashboard covers English councils" in expected["B2"]
    assert "Scottish" in expected["B3"] and "Northern Irish" in expected["B4"]
    assert not any("Derby" in text or "did you mean" in text for text in expected.values())


def test_an_abolished_county_code_says_what_it_was_and_who_took_over(engine, tmp_path):
    report = problems_for(engine, tmp_path, [["cla_count", "E10000023", "2022-23", 398],
                                             ["cla_count", "Bournemouth", "2018-19", 12]])
    expected = {p.cell: p.expected for p in report.problems}
    assert "North Yorkshire County Council until March 2023: its area is now North Yorkshire" in expected["B2"]
    assert "Bournemouth Borough Council until March 2019: its area is now Bournemouth, Christchurch and Poole" \
        in expected["B3"]
    assert not any("London" in text for text in expected.values())


def test_figures_after_a_council_ended_or_before_one_began_are_refused_naming_the_dates(engine, tmp_path):
    report = problems_for(engine, tmp_path, [["cla_count", "E10000006", "2023-04", 398],
                                             ["cla_count", "Cumberland", "2022-23", 210]])
    assert report.status == "rejected"
    found = {p.cell: (p.rule, p.expected) for p in report.problems}
    assert found["D2"][0] == found["D3"][0] == Rule.AREA_LIFETIME
    assert "up to 31 March 2023" in found["D2"][1] and "Cumberland and Westmorland and Furness" in found["D2"][1]
    assert "from 1 April 2023, when Cumberland began" in found["D3"][1]


def test_figures_within_a_council_s_lifetime_load_including_a_council_carrying_on_under_a_new_code(engine, tmp_path):
    report = problems_for(engine, tmp_path, [["cla_count", "E10000006", "2022-23", 398],
                                             ["cla_count", "Cumberland", "2023-24", 210],
                                             ["cla_count", "North Yorkshire", "2022-23", 450]])
    assert report.status == "loaded", [p.message() for p in report.problems]

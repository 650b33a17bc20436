"""Every figure and target must be possible for its measure; the ranges are data in the catalogue.

A unit's range is in data/units.csv (a count from 0 to 1,000,000, England's total being about 84,000),
and a measure may narrow it in data/measures.csv (the SDQ score runs from 0 to 40). A figure outside
is refused naming its cell, its text and the range in words; figures on the edges load.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest

from db import queries
from loaders.importer import import_file
from loaders.problems import Rule
from reference.catalogue import UNITS, CatalogueError, catalogue, read_catalogue
from settings import DATA_DIR
from tests.csv_files import excel_csv
from tests.returns_files import PERCENT_FORMAT, dump_tables, write_xlsx

CATALOGUE_FILES = ("units.csv", "measures.csv", "measure_aliases.csv", "themes.csv")


def test_each_unit_has_its_range():
    ranges = {code: (unit.minimum, unit.maximum) for code, unit in UNITS.items()}
    assert ranges == {
        "count": (0, 1_000_000), "percent": (0, 100), "rate_per_10k": (0, 10_000), "score": (-math.inf, math.inf),
    }


def test_a_measure_takes_its_units_range_unless_it_narrows_it():
    measures = catalogue()
    assert (measures.get("health_sdq_avg").minimum, measures.get("health_sdq_avg").maximum) == (0, 40)
    assert (measures.get("cla_count").minimum, measures.get("cla_count").maximum) == (0, 1_000_000)
    assert measures.get("cla_rate").accepted_range == "a rate per 10,000 from 0 to 10,000"
    assert measures.get("health_sdq_avg").accepted_range == "a score from 0 to 40"
    for measure in measures:
        assert math.isfinite(measure.minimum) and math.isfinite(measure.maximum), measure.code


def _copy(tmp_path: Path) -> Path:
    for name in CATALOGUE_FILES:
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def _add_measure(folder: Path, minimum: str, maximum: str) -> None:
    with (folder / "measures.csv").open("a", encoding="utf-8") as handle:
        handle.write(f'\nvisits_pct,% visits on time,Visits on time,percent,higher,cla,0,5,Local,'
                     f'"The share of statutory visits made on time.",{minimum},{maximum}\n')


def test_a_council_narrows_a_range_by_editing_data(tmp_path):
    folder = _copy(tmp_path)
    _add_measure(folder, "10", "90")
    measure = read_catalogue(folder).get("visits_pct")
    assert (measure.minimum, measure.maximum) == (10, 90)
    assert measure.accepted_range.startswith("a percentage from 10 to 90")


def test_a_councils_unit_range_is_used_by_its_measures(tmp_path):
    folder = _copy(tmp_path)
    units = (folder / "units.csv").read_text(encoding="utf-8").replace("a count,0,1000000", "a count,0,5000")
    (folder / "units.csv").write_text(units, encoding="utf-8")
    assert read_catalogue(folder).get("cla_count").maximum == 5000


@pytest.mark.parametrize(
    ("minimum", "maximum", "words"),
    [("0", "150", "may only narrow"), ("-5", "", "may only narrow"), ("ten", "", "'ten' is not a number"),
     ("60", "40", "may only narrow"), ("", "inf", "not a finite number")],
)
def test_a_range_that_is_not_possible_is_refused_naming_the_line(tmp_path, minimum, maximum, words):
    folder = _copy(tmp_path)
    _add_measure(folder, minimum, maximum)
    with pytest.raises(CatalogueError, match=r"measures.csv line \d+.*" + re.escape(words)):
        read_catalogue(folder)


# ------------------------------------------------------------------------------------------- on import


@pytest.mark.parametrize(
    ("measure", "typed"),
    [("cla_count", 0), ("cla_count", 1_000_000), ("cla_count", "1,000,000"), ("cla_foster_pct", 100),
     ("cla_foster_pct", 0), ("cla_rate", 10_000), ("health_sdq_avg", 40), ("health_sdq_avg", "0")],
)
def test_figures_on_the_edges_of_their_range_load(engine, tmp_path, measure, typed):
    path = write_xlsx(tmp_path / "r.xlsx", {"R": [["measure", "2024-01"], [measure, typed]]})
    report = import_file(engine, path)
    assert report.status == "loaded", [p.message() for p in report.problems]
    assert queries.observations(engine)["value"].tolist() == [float(str(typed).replace(",", ""))]


@pytest.mark.parametrize(
    ("measure", "typed", "words"),
    [
        ("cla_count", 1_000_001, "a value as a count from 0 to 1,000,000"),
        ("cla_count", "1e300", "a value as a count from 0 to 1,000,000"),
        ("cla_starts", -1, "a value as a count from 0 to 1,000,000"),
        ("cla_foster_pct", 100.5, "a value as a percentage from 0 to 100 (54, 54% or 0.54"),
        ("cla_rate", 10_000.5, "a value as a rate per 10,000 from 0 to 10,000"),
        ("health_sdq_avg", 40.1, "a value as a score from 0 to 40"),
        ("health_sdq_avg", -0.5, "a value as a score from 0 to 40"),
    ],
)
def test_a_figure_outside_its_range_is_refused_naming_cell_text_and_range(engine, tmp_path, measure, typed, words):
    before = dump_tables(engine)
    path = write_xlsx(tmp_path / "r.xlsx", {"R": [["measure", "2024-01", "2024-02"], [measure, 1, typed]]})

    report = import_file(engine, path)

    assert report.status == "rejected"
    [problem] = report.problems
    assert (problem.rule, problem.sheet, problem.cell) == (Rule.OUT_OF_RANGE, "R", "C2")
    assert problem.message() == (
        f"r.xlsx, sheet 'R', cell C2: value outside its range {str(typed)!r}; expected {problem.expected}"
    )
    assert problem.expected.startswith(words)
    assert dump_tables(engine) == before


def test_a_target_outside_its_range_is_refused(engine, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"R": [["measure", "2024-01", "target"], ["health_sdq_avg", 14.1, 41]]})
    [problem] = import_file(engine, path).problems
    assert (problem.rule, problem.cell, problem.text) == (Rule.OUT_OF_RANGE, "C2", "41")
    assert problem.expected == "a target as a score from 0 to 40"


@pytest.mark.parametrize(
    ("numerator", "denominator", "refused"),
    [
        ("2000000", "3000000", [("B2", "2000000", "a numerator"), ("C2", "3000000", "a denominator")]),
        ("5", "1e7", [("C2", "1e7", "a denominator")]),
        ("-1", "10", [("B2", "-1", "a numerator")]),
    ],
)
def test_a_numerator_or_denominator_outside_a_counts_range_is_refused(engine, tmp_path, numerator, denominator,
                                                                       refused):
    path = excel_csv(tmp_path / "r.csv", [["measure", "numerator", "denominator", "period", "value"],
                                          ["health_dental_pct", numerator, denominator, "2023-24", "50"]])
    report = import_file(engine, path)
    assert report.status == "rejected"
    assert [(p.rule, p.cell, p.text) for p in report.problems] == [(Rule.OUT_OF_RANGE, c, t) for c, t, _ in refused]
    for problem, (_, _, role) in zip(report.problems, refused, strict=True):
        assert problem.expected == f"{role} from 0 to 1,000,000 (a number of children)"


def test_a_percentage_worked_out_from_its_fraction_is_held_to_the_range_too(engine, tmp_path):
    path = excel_csv(tmp_path / "r.csv", [["measure", "numerator", "denominator", "period", "value"],
                                          ["health_dental_pct", "45", "50", "2023-24", ""]])
    assert import_file(engine, path).status == "loaded"
    assert queries.observations(engine)["value"].tolist() == [90.0]


def test_a_huge_figure_in_a_percent_formatted_cell_is_refused_as_out_of_range(engine, tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", {"R": [["measure", "2024-01"], ["cla_foster_pct", 1e300]]},
                      {"R": {"B2": PERCENT_FORMAT}})
    [problem] = import_file(engine, path).problems
    assert (problem.rule, problem.cell) == (Rule.OUT_OF_RANGE, "B2")

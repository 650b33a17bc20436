"""The measure catalogue is complete, consistent with DOMAIN's codes, and editable as data."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from reference.catalogue import POLARITIES, UNITS, CatalogueError, catalogue, read_catalogue
from settings import DATA_DIR

DOMAIN_CODES = {
    "cla_count": "count", "cla_rate": "rate_per_10k", "cla_starts": "count", "cla_ceased": "count",
    "cla_foster_pct": "percent", "cla_20miles_pct": "percent", "stab_3plus_pct": "percent",
    "stab_long_pct": "percent", "cl_eet_17_18": "percent", "cl_eet_19_21": "percent",
    "cl_accom_17_18": "percent", "cl_accom_19_21": "percent", "health_iha_pct": "percent",
    "health_rha_pct": "percent", "health_annual_pct": "percent", "health_dental_pct": "percent",
    "health_imms_pct": "percent", "health_sdq_avg": "score",
}


def test_every_domain_measure_is_in_the_catalogue_with_its_unit():
    found = {m.code: m.unit for m in catalogue()}
    for code, unit in DOMAIN_CODES.items():
        assert found.get(code) == unit, code


@pytest.mark.parametrize("measure", catalogue().measures, ids=lambda m: m.code)
def test_every_measure_is_complete(measure):
    assert measure.unit in UNITS
    assert measure.polarity in POLARITIES
    assert measure.theme in {t.code for t in catalogue().themes}
    assert len(measure.description) > 40, "a plain-English description a councillor can read"
    assert measure.short_name and measure.source
    if measure.polarity != "neither" and measure.tolerance is not None:
        assert measure.tolerance >= 0


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("cla_count", "cla_count"),
        ("CLA_COUNT", "cla_count"),
        ("Children looked after at the period end", "cla_count"),
        ("  children LOOKED after at the period end ", "cla_count"),
        ("% In foster placements", "cla_foster_pct"),
        ("in foster placements", "cla_foster_pct"),
        ("CLA rate per 10,000", "cla_rate"),
        ("Rate per 10000", "cla_rate"),
        ("IHA within 20 working days", "health_iha_pct"),
        ("SDQ average score", "health_sdq_avg"),
    ],
)
def test_measures_are_found_by_code_name_or_alias(text, code):
    assert catalogue().find(text).code == code


@pytest.mark.parametrize("text", ["", None, "children", "foster", "cla_counts"])
def test_unknown_names_find_nothing(text):
    assert catalogue().find(text) is None


def _copy_catalogue(tmp_path: Path) -> Path:
    for name in ("units.csv", "measures.csv", "measure_aliases.csv", "themes.csv"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_a_council_adds_a_measure_and_an_alias_by_editing_data(tmp_path):
    folder = _copy_catalogue(tmp_path)
    with (folder / "measures.csv").open("a", encoding="utf-8") as handle:
        handle.write('pep_on_time_pct,% PEPs completed on time,PEPs on time,percent,higher,cla,0,5,Virtual school,'
                     '"The share of children in our care whose personal education plan was reviewed on time."\n')
    with (folder / "measure_aliases.csv").open("a", encoding="utf-8") as handle:
        handle.write("pep_on_time_pct,Personal education plans on time\n")
    edited = read_catalogue(folder)
    assert edited.find("personal education plans on time").code == "pep_on_time_pct"
    assert edited.get("pep_on_time_pct").polarity == "higher"
    assert len(edited) == len(catalogue()) + 1


@pytest.mark.parametrize(
    ("column", "bad", "message"),
    [("unit", "percentage", "unit"), ("polarity", "up", "polarity"), ("theme", "education", "theme")],
)
def test_a_broken_catalogue_row_is_named(tmp_path, column, bad, message):
    folder = _copy_catalogue(tmp_path)
    with (folder / "measures.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))  # line 3 (cla_rate) has quoted commas: "per 10,000"
    rows[2][rows[0].index(column)] = bad
    with (folder / "measures.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    with pytest.raises(CatalogueError, match=re.escape("line 3") + ".*" + message):
        read_catalogue(folder)

"""A band and a rank side by side never contradict each other without the words that say why."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.comparators import quartile_bands, rank_areas
from metrics.formatting import ordinal
from metrics.standing import standings
from reference.catalogue import catalogue


def councils(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"area_code": [f"E0{i:07d}" for i in range(len(values))], "value": values,
                         "status": "value"})


def test_a_crowd_at_the_top_is_joint_first_and_band_b_says_why_when_higher_is_better():
    # 8 councils, 3 of them at 100%: the upper quartile is 100% itself, so LAIT bands them B
    values = councils([100, 100, 100, 90, 80, 70, 60, 50])
    measure = catalogue().get("health_imms_pct")
    assert measure.polarity == "higher"
    found = standings(values, measure)
    top = found["E00000000"]
    assert (top.rank, top.band, top.tied) == (1, "B", 3)
    assert top.band == quartile_bands(values, "higher")["E00000000"]  # LAIT's band, unchanged
    assert top.rank == rank_areas(values, "higher")["E00000000"]
    assert not top.agrees
    assert top.reading == (
        "ranked joint 1st of 8 (3 councils at 100%); band B, as LAIT gives it: 100% is LAIT's line between bands "
        "A and B (the upper quartile of all councils' figures: more than a quarter of councils are at 100%), and "
        "where higher is better LAIT puts a figure on a line in the worse of the two bands")
    assert top.table_rank == "joint 1" and top.table_band == "B (100% is LAIT's line between A and B)"
    assert found["E00000003"].reading == "2nd quartile (B): better than most councils, ranked 4th of 8"


def test_a_crowd_on_the_line_gets_the_better_band_when_lower_is_better_and_says_why():
    # 9 councils; 3 at 20% sit on the lower quartile: joint 2nd to 4th, 4th being past the top quarter
    values = councils([10, 30, 20, 20, 40, 50, 60, 70, 20])
    values.loc[1, "value"] = 25.0
    measure = catalogue().get("stab_3plus_pct")
    assert measure.polarity == "lower"
    found = standings(values, measure)
    crowd = found["E00000002"]
    assert (crowd.rank, crowd.band, crowd.tied, crowd.of) == (2, "A", 3, 9)
    assert crowd.agrees  # joint 2nd of 9 is in the top quarter: band A agrees, so only 'joint' is added
    assert crowd.reading == "1st quartile (A), ranked joint 2nd of 9 (3 councils at 20%)"


@pytest.mark.parametrize(("polarity_measure", "values", "code", "expected_band", "rank"), [
    ("cla_foster_pct", [68, 68, 68, 70, 72, 74, 60, 62, 64], "E00000000", "C", 4),  # the median line, higher better
    ("cla_20miles_pct", [13, 13, 13, 10, 11, 20, 24, 30, 40], "E00000000", "A", 3),  # the lower quartile, lower better
])
def test_a_band_on_a_line_that_the_rank_would_not_suggest_is_explained_for_either_polarity(
        polarity_measure, values, code, expected_band, rank):
    measure = catalogue().get(polarity_measure)
    frame = councils(values)
    standing = standings(frame, measure)[code]
    assert standing.band == quartile_bands(frame, measure.polarity)[code] == expected_band
    assert standing.rank == rank and standing.joint
    assert not standing.agrees, (standing.rank_band, standing.band)
    assert f"band {expected_band}, as LAIT gives it: " in standing.reading
    assert f"where {measure.polarity} is better" in standing.reading
    assert standing.rank_and_band.startswith(f"joint {ordinal(rank)} of 9 (3 councils at ")


def test_no_polarity_has_no_standing():
    assert standings(councils([1, 2, 3]), catalogue().get("cla_rate")) == {}

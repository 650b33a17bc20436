"""LAIT's comparison rules: neighbour average, rank with shared ties, quartile bands, and yearly comparators."""

from __future__ import annotations

import random
import statistics

import numpy as np
import pandas as pd
import pytest

from metrics.comparators import (
    comparator_series,
    neighbour_average,
    quartile_bands,
    rank_areas,
)
from reference.areas import ENGLAND_CODE, areas

NEIGHBOURS = [f"N{i:02d}" for i in range(1, 11)]


def values(pairs: list[tuple[str, float | None]] | dict) -> pd.DataFrame:
    """(area, value or None) -> frame; None is published as 'c' (suppressed), as the database holds it."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    rows = [{"area_code": code, "value": np.nan if v is None else float(v), "status": "c" if v is None else "value"}
            for code, v in items]
    frame = pd.DataFrame(rows, columns=["area_code", "value", "status"])
    frame["value"] = frame["value"].astype("float64")
    return frame


@pytest.mark.parametrize(("given", "expected_value", "used", "missing"), [
    # all ten published: plain mean
    ({code: float(i) for i, code in enumerate(NEIGHBOURS, start=1)}, 5.5, 10, ()),
    # one suppressed: left out, not counted as 0
    ({**{code: 50.0 for code in NEIGHBOURS[:9]}, NEIGHBOURS[9]: None}, 50.0, 9, ("N10",)),
    # some neighbours have no row at all
    ({NEIGHBOURS[0]: 40.0, NEIGHBOURS[1]: 60.0}, 50.0, 2, tuple(NEIGHBOURS[2:])),
    # every neighbour suppressed
    ({code: None for code in NEIGHBOURS}, None, 0, tuple(NEIGHBOURS)),
    # nothing published at all
    ({}, None, 0, tuple(NEIGHBOURS)),
    # rows for councils that are not neighbours are ignored
    ({"E06000049": 100.0, NEIGHBOURS[0]: 10.0}, 10.0, 1, tuple(NEIGHBOURS[1:])),
    # a real zero is a value
    ({NEIGHBOURS[0]: 0.0, NEIGHBOURS[1]: 10.0}, 5.0, 2, tuple(NEIGHBOURS[2:])),
])
def test_neighbour_average(given, expected_value, used, missing):
    average = neighbour_average(values(given), NEIGHBOURS)
    assert average.used == used and average.of == 10 and average.missing == missing
    if expected_value is None:
        assert average.value is None
    else:
        assert average.value == pytest.approx(expected_value)


def test_neighbour_average_matches_the_mean_of_published_values():
    rng = random.Random(42)
    given = {code: (None if rng.random() < 0.3 else round(rng.uniform(30, 90), 1)) for code in NEIGHBOURS}
    published = [v for v in given.values() if v is not None]
    average = neighbour_average(values(given), NEIGHBOURS)
    assert average.value == pytest.approx(statistics.fmean(published))
    assert average.used == len(published)


@pytest.mark.parametrize(("given", "polarity", "expected"), [
    ({"a": 90, "b": 80, "c": 80, "d": 70}, "higher", {"a": 1, "b": 2, "c": 2, "d": 4}),  # 1, 2, 2, 4
    ({"a": 10, "b": 12, "c": 12, "d": 15}, "lower", {"a": 1, "b": 2, "c": 2, "d": 4}),
    ({"a": 5, "b": 5, "c": 5}, "higher", {"a": 1, "b": 1, "c": 1}),  # everyone tied
    ({"a": 5, "b": None, "c": 7}, "higher", {"c": 1, "a": 2}),  # suppressed councils are not ranked
    ({"a": 5, "b": None, "c": 7}, "lower", {"a": 1, "c": 2}),
    ({"a": None, "b": None}, "higher", {}),  # nothing to rank
    ({}, "lower", {}),
    ({"a": 90, "b": 80}, "neither", {}),  # no direction is better: no rank
    ({"a": 0, "b": 3}, "lower", {"a": 1, "b": 2}),
])
def test_rank_areas(given, polarity, expected):
    ranks = rank_areas(values(given), polarity)
    assert ranks.to_dict() == expected
    assert all(isinstance(r, (int, np.integer)) for r in ranks.tolist())


def lait_band(value: float, numbers: list[float], polarity: str) -> str:
    """LAIT's rule as DOMAIN.md writes it, on quartiles from the statistics module (R's default, type 7)."""
    q1, median, q3 = statistics.quantiles(numbers, n=4, method="inclusive")
    position = 0 if value <= q1 else 1 if value <= median else 2 if value <= q3 else 3
    return ("DCBA" if polarity == "higher" else "ABCD")[position]


@pytest.mark.parametrize("polarity", ["higher", "lower"])
@pytest.mark.parametrize("count", [4, 5, 7, 151, 152])
def test_quartile_bands_follow_lait(polarity, count):
    rng = random.Random(42)
    given = {f"E{i:08d}": float(rng.randint(20, 90)) for i in range(count)}  # whole numbers: many ties
    given["SUPPRESSED"] = None
    bands = quartile_bands(values(given), polarity)
    numbers = [v for v in given.values() if v is not None]
    assert "SUPPRESSED" not in bands.index and len(bands) == count
    assert np.allclose(np.quantile(numbers, [0.25, 0.5, 0.75]), statistics.quantiles(numbers, n=4, method="inclusive"))
    for code, value in given.items():
        if value is not None:
            assert bands[code] == lait_band(value, numbers, polarity), (code, value)


# values 1..8: numpy's linear quartiles are 2.75, 4.5 and 6.25; 1..9: exactly 3, 5 and 7 (on the boundary)
@pytest.mark.parametrize(("numbers", "polarity", "expected"), [
    (range(1, 9), "higher", "DDCCBBAA"),
    (range(1, 9), "lower", "AABBCCDD"),
    (range(1, 10), "higher", "DDDCCBBAA"),  # 3 is at the lower quartile: D; 5 at the median: C; 7: B
    (range(1, 10), "lower", "AAABBCCDD"),
])
def test_quartile_boundaries(numbers, polarity, expected):
    given = {f"a{n}": float(n) for n in numbers}
    bands = quartile_bands(values(given), polarity)
    assert "".join(bands[f"a{n}"] for n in numbers) == expected


@pytest.mark.parametrize(("given", "polarity"), [
    ({"a": 1.0, "b": 2.0}, "neither"),
    ({"a": None}, "higher"),
    ({}, "lower"),
])
def test_quartile_bands_when_there_is_nothing_to_band(given, polarity):
    assert quartile_bands(values(given), polarity).empty


def test_one_council_alone_is_in_the_worst_band():
    # every quartile equals its value: "at or below the lower quartile"
    assert quartile_bands(values({"a": 50.0}), "higher").to_dict() == {"a": "D"}
    assert quartile_bands(values({"a": 50.0}), "lower").to_dict() == {"a": "A"}


HOME = "E06999901"


def observations(rows: list[tuple[str, str, float | None]], measure: str = "stab_long_pct") -> pd.DataFrame:
    """(area, 'YYYY-03-31', value or None) yearly headline rows; None is suppressed ('c')."""
    frame = pd.DataFrame([{
        "measure_code": measure, "area_code": area, "period_type": "year", "period_end": pd.Timestamp(end),
        "dimension": "", "category": "", "value": np.nan if v is None else float(v), "numerator": np.nan,
        "denominator": np.nan, "status": "c" if v is None else "value", "batch_id": 1,
    } for area, end, v in rows])
    return frame.astype({"value": "float64", "numerator": "float64", "denominator": "float64"})


def test_comparator_series():
    directory = areas()
    neighbours = [a.code for a in directory.neighbours(HOME)]
    region = directory.region_of(HOME)
    rows = [(HOME, "2024-03-31", 64.0), (HOME, "2025-03-31", 67.0)]
    rows += [(code, "2024-03-31", 60.0 + i) for i, code in enumerate(neighbours)]  # 60..69, mean 64.5
    rows += [(code, "2025-03-31", None if i == 0 else 70.0) for i, code in enumerate(neighbours)]  # 9 of 10
    rows += [(region.code, "2024-03-31", 68.0), (region.code, "2025-03-31", None)]
    rows += [(ENGLAND_CODE, "2024-03-31", 70.0), (ENGLAND_CODE, "2025-03-31", 71.0)]
    rows += [("E06000049", "2025-03-31", 1.0)]  # not a comparator
    obs = pd.concat([observations(rows), observations([(ENGLAND_CODE, "2025-03-31", 5.0)], "cla_count")])
    before = obs.copy(deep=True)
    frame = comparator_series(obs, "stab_long_pct", HOME, neighbours, region.code)
    pd.testing.assert_frame_equal(obs, before)
    assert list(frame.columns) == ["period_end", "series", "kind", "value", "used", "of"]
    got = [(r.series, r.kind, r.period_end.year, None if pd.isna(r.value) else round(r.value, 6),
            None if pd.isna(r.used) else int(r.used), None if pd.isna(r.of) else int(r.of))
           for r in frame.itertuples(index=False)]
    assert got == [
        ("Statistical neighbour average", "neighbours", 2024, 64.5, 10, 10),
        ("Statistical neighbour average", "neighbours", 2025, 70.0, 9, 10),
        ("North West", "region", 2024, 68.0, None, None),
        ("North West", "region", 2025, None, None, None),  # suppressed: a gap, not 0
        ("England", "england", 2024, 70.0, None, None),
        ("England", "england", 2025, 71.0, None, None),
    ]


@pytest.mark.parametrize(("neighbour_codes", "region_code", "kinds"), [
    ([], None, ["england"]),  # a council without neighbours or region
    (NEIGHBOURS, None, ["neighbours", "england"]),
    (NEIGHBOURS, "E12000002", ["neighbours", "region", "england"]),
])
def test_comparator_series_with_fewer_comparators(neighbour_codes, region_code, kinds):
    rows = [(ENGLAND_CODE, "2025-03-31", 71.0), ("E12000002", "2025-03-31", 69.0)]
    rows += [(code, "2025-03-31", None) for code in NEIGHBOURS]  # every neighbour suppressed
    frame = comparator_series(observations(rows), "stab_long_pct", HOME, neighbour_codes, region_code)
    assert frame["kind"].tolist() == kinds
    sn = frame[frame["kind"] == "neighbours"]
    if len(sn):
        assert sn["value"].isna().all() and int(sn["used"].iloc[0]) == 0 and int(sn["of"].iloc[0]) == 10


def test_comparator_series_without_data():
    frame = comparator_series(observations([(HOME, "2025-03-31", 1.0)]), "stab_long_pct", HOME, NEIGHBOURS,
                              "E12000002")
    assert frame.empty and list(frame.columns) == ["period_end", "series", "kind", "value", "used", "of"]


def test_inputs_are_not_changed():
    frame = values({"a": 90, "b": 80, "c": None, "d": 70})
    before = frame.copy(deep=True)
    neighbour_average(frame, ["a", "c"])
    rank_areas(frame, "higher")
    quartile_bands(frame, "lower")
    pd.testing.assert_frame_equal(frame, before)

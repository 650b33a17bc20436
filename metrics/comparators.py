"""How a council compares: statistical neighbour average, rank and quartile band, by LAIT's rules.

LAIT (DfE's Local Authority Interactive Tool, ``R/fn_analysis.R``): the neighbour average is the plain
mean of the neighbours with a published value; rank counts only councils with a value and ties share
the best rank (1, 2, 2, 4); quartile bands come from the linear-interpolation quartiles of every
council's value that year, A best to D worst by polarity. Suppressed values are left out, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from metrics.ratings import check_polarity
from metrics.series import published_only
from reference.areas import ENGLAND_CODE, areas
from reference.statuses import VALUE

NEIGHBOURS_SERIES = "Statistical neighbour average"
ENGLAND_SERIES = "England"
KIND_ORDER = ("neighbours", "region", "england")
COMPARATOR_COLUMNS = ["period_end", "series", "kind", "value", "used", "of"]
BANDS = ("A", "B", "C", "D")
BAND_READINGS = {
    "A": "1st quartile (A): among the best quarter of councils",
    "B": "2nd quartile (B): better than most councils",
    "C": "3rd quartile (C): worse than most councils",
    "D": "4th quartile (D): among the worst quarter of councils",
}


@dataclass(frozen=True)
class NeighbourAverage:
    value: float | None
    used: int
    of: int
    missing: tuple[str, ...]


def published_values(values: pd.DataFrame) -> pd.Series:
    """area_code -> value for rows with a real published number (status 'value', not NaN); last row per area."""
    numbers = values["value"].to_numpy(dtype="float64", na_value=np.nan)
    keep = ~np.isnan(numbers)
    if "status" in values:
        keep &= values["status"].fillna(VALUE).to_numpy() == VALUE
    published = pd.Series(numbers[keep], index=values["area_code"].to_numpy()[keep], dtype="float64")
    return published[~published.index.duplicated(keep="last")]


def _average_of(published: dict[str, float], neighbour_codes: list[str]) -> NeighbourAverage:
    found = [published[code] for code in neighbour_codes if code in published]
    missing = tuple(code for code in neighbour_codes if code not in published)
    value = float(np.mean(found)) if found else None
    return NeighbourAverage(value=value, used=len(found), of=len(neighbour_codes), missing=missing)


def neighbour_average(values: pd.DataFrame, neighbour_codes: list[str]) -> NeighbourAverage:
    """The plain mean of the neighbours with a published value that year.

    ``values`` has area_code, value and status for one measure and year. Suppressed or missing
    neighbours are left out of the mean and listed in ``missing``; no neighbour with a value gives None.
    """
    return _average_of(published_values(values).to_dict(), neighbour_codes)


def rank_areas(values: pd.DataFrame, polarity: str) -> pd.Series:
    """area_code -> rank, 1 the best by polarity; ties share the best rank (1, 2, 2, 4).

    Only areas with a published value are ranked. Polarity 'neither' gives an empty Series: no
    direction is better, so no order means anything. The caller passes local authorities only.
    """
    check_polarity(polarity)
    if polarity == "neither":
        return pd.Series(dtype="int64", name="rank")
    published = published_values(values)
    ranks = published.rank(method="min", ascending=(polarity == "lower"))
    return ranks.astype("int64").sort_values(kind="stable").rename("rank").rename_axis("area_code")


def quartiles(numbers: np.ndarray) -> tuple[float, float, float]:
    """Lower quartile, median and upper quartile by linear interpolation (numpy's and R's default)."""
    q1, median, q3 = np.quantile(numbers, [0.25, 0.5, 0.75])
    return float(q1), float(median), float(q3)


def quartile_bands(values: pd.DataFrame, polarity: str) -> pd.Series:
    """area_code -> band 'A' (best quarter) to 'D' (worst), from the quartiles of every value given.

    Higher is better: at or below the lower quartile D, at or below the median C, at or below the
    upper quartile B, above it A. Lower is better runs the other way. 'neither' gives an empty Series.
    """
    check_polarity(polarity)
    if polarity == "neither":
        return pd.Series(dtype="str", name="band")
    published = published_values(values)
    if published.empty:
        return pd.Series(dtype="str", name="band")
    q1, median, q3 = quartiles(published.to_numpy())
    numbers = published.to_numpy()
    position = np.select([numbers <= q1, numbers <= median, numbers <= q3], [0, 1, 2], default=3)
    order = BANDS if polarity == "lower" else BANDS[::-1]
    bands = [order[p] for p in position]
    return pd.Series(bands, index=published.index, dtype="str", name="band").rename_axis("area_code")


def _area_name(code: str) -> str:
    directory = areas()
    return directory.get(code).name if code in directory else code


def comparator_series(obs: pd.DataFrame, measure: str, home_area: str, neighbour_codes: list[str],
                      region_code: str | None, england_code: str = ENGLAND_CODE) -> pd.DataFrame:
    """Yearly comparators for the home council: statistical neighbour average, region and England.

    One row per comparator and year with any figure (a year whose figures are all suppressed keeps a
    row with no value, so it reads as a gap, not a zero). ``used``/``of`` say how many neighbours the
    average rests on and are empty for region and England. Ordered neighbours, region, England, then by year.
    Only DfE's published figures count: a council's own provisional figure is never compared as if published.
    """
    obs = published_only(obs)
    wanted = {code for code in (*neighbour_codes, region_code, england_code) if code and code != home_area}
    mask = (obs["measure_code"].to_numpy() == measure) & (obs["period_type"].to_numpy() == "year")
    mask &= obs["area_code"].isin(wanted).to_numpy()
    for column in ("dimension", "category"):
        if column in obs:
            mask &= obs[column].fillna("").to_numpy() == ""
    # year -> area -> published value (None when the figure is a symbol)
    by_year: dict[pd.Timestamp, dict[str, float | None]] = {}
    chosen = obs[mask]
    statuses = chosen["status"].fillna(VALUE).to_numpy() if "status" in chosen else [VALUE] * len(chosen)
    numbers = chosen["value"].to_numpy(dtype="float64", na_value=np.nan)
    for area, end, number, status in zip(chosen["area_code"].to_numpy(), pd.to_datetime(chosen["period_end"]),
                                         numbers, statuses, strict=True):
        value = None if np.isnan(number) or status != VALUE else float(number)
        by_year.setdefault(end, {})[area] = value
    years = sorted(by_year)
    rows: list[dict] = []
    neighbours = set(neighbour_codes)
    for year in years:
        if neighbours.intersection(by_year[year]):
            published = {code: v for code, v in by_year[year].items() if v is not None}
            average = _average_of(published, neighbour_codes)
            rows.append({"period_end": year, "series": NEIGHBOURS_SERIES, "kind": "neighbours",
                         "value": average.value, "used": average.used, "of": average.of})
    for code, kind in ((region_code, "region"), (england_code, "england")):
        if not code or code == home_area:
            continue
        name = ENGLAND_SERIES if kind == "england" else _area_name(code)
        rows.extend({"period_end": year, "series": name, "kind": kind, "value": by_year[year][code],
                     "used": None, "of": None} for year in years if code in by_year[year])
    return pd.DataFrame({
        "period_end": pd.to_datetime(pd.Series([r["period_end"] for r in rows], dtype="datetime64[ns]")),
        "series": pd.Series([r["series"] for r in rows], dtype="str"),
        "kind": pd.Series([r["kind"] for r in rows], dtype="str"),
        "value": pd.Series([np.nan if r["value"] is None else r["value"] for r in rows], dtype="float64"),
        "used": pd.Series(pd.array([r["used"] for r in rows], dtype="Int64")),
        "of": pd.Series(pd.array([r["of"] for r in rows], dtype="Int64")),
    }, columns=COMPARATOR_COLUMNS)

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

from metrics.formatting import ordinal
from metrics.ratings import check_polarity
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
    status = values["status"] if "status" in values else pd.Series(VALUE, index=values.index)
    rows = values[values["value"].notna() & (status.fillna(VALUE) == VALUE)]
    rows = rows.drop_duplicates("area_code", keep="last")
    return pd.Series(rows["value"].astype("float64").to_numpy(), index=rows["area_code"].to_numpy(), dtype="float64")


def neighbour_average(values: pd.DataFrame, neighbour_codes: list[str]) -> NeighbourAverage:
    """The plain mean of the neighbours with a published value that year.

    ``values`` has area_code, value and status for one measure and year. Suppressed or missing
    neighbours are left out of the mean and listed in ``missing``; no neighbour with a value gives None.
    """
    published = published_values(values)
    found = [published[code] for code in neighbour_codes if code in published.index]
    missing = tuple(code for code in neighbour_codes if code not in published.index)
    value = float(np.mean(found)) if found else None
    return NeighbourAverage(value=value, used=len(found), of=len(neighbour_codes), missing=missing)


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


def quartile_reading(band: str, rank: int, of: int) -> str:
    """'2nd quartile (B): better than most councils, ranked 40th of 152'."""
    if band not in BAND_READINGS:
        raise ValueError(f"quartile band {band!r} is not one of {', '.join(BANDS)}")
    return f"{BAND_READINGS[band]}, ranked {ordinal(int(rank))} of {int(of)}"


def _area_name(code: str) -> str:
    directory = areas()
    return directory.get(code).name if code in directory else code


def comparator_series(obs: pd.DataFrame, measure: str, home_area: str, neighbour_codes: list[str],
                      region_code: str | None, england_code: str = ENGLAND_CODE) -> pd.DataFrame:
    """Yearly comparators for the home council: statistical neighbour average, region and England.

    One row per comparator and year with any figure (a year whose figures are all suppressed keeps a
    row with no value, so it reads as a gap, not a zero). ``used``/``of`` say how many neighbours the
    average rests on and are empty for region and England. Ordered neighbours, region, England, then by year.
    """
    yearly = obs[(obs["measure_code"] == measure) & (obs["period_type"] == "year")]
    for column in ("dimension", "category"):
        if column in yearly:
            yearly = yearly[yearly[column].fillna("") == ""]
    yearly = yearly[yearly["area_code"] != home_area]
    rows: list[dict] = []
    neighbour_rows = yearly[yearly["area_code"].isin(neighbour_codes)]
    for period_end, group in neighbour_rows.groupby("period_end", sort=True):
        average = neighbour_average(group, neighbour_codes)
        rows.append({"period_end": period_end, "series": NEIGHBOURS_SERIES, "kind": "neighbours",
                     "value": average.value, "used": average.used, "of": average.of})
    singles = [(region_code, "region"), (england_code, "england")]
    for code, kind in singles:
        if code is None:
            continue
        name = ENGLAND_SERIES if kind == "england" else _area_name(code)
        own = yearly[yearly["area_code"] == code].sort_values("period_end", kind="stable")
        for period_end, value in published_by_year(own).items():
            rows.append({"period_end": period_end, "series": name, "kind": kind, "value": value,
                         "used": None, "of": None})
    frame = pd.DataFrame(rows, columns=COMPARATOR_COLUMNS)
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    frame["value"] = pd.to_numeric(frame["value"]).astype("float64")
    frame["used"] = frame["used"].astype("Int64")
    frame["of"] = frame["of"].astype("Int64")
    frame["series"] = frame["series"].astype("str")
    frame["kind"] = frame["kind"].astype("str")
    rank = frame["kind"].map({k: i for i, k in enumerate(KIND_ORDER)})
    frame = frame.assign(_order=rank).sort_values(["_order", "period_end"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def published_by_year(rows: pd.DataFrame) -> dict[pd.Timestamp, float | None]:
    """period_end -> the published value, None where the figure is suppressed or not available."""
    out: dict[pd.Timestamp, float | None] = {}
    for row in rows.itertuples(index=False):
        status = getattr(row, "status", VALUE)
        out[pd.Timestamp(row.period_end)] = None if pd.isna(row.value) or status != VALUE else float(row.value)
    return out

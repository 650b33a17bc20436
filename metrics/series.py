"""One area's headline series for one measure, and the rows a scorecard compares it with.

Inputs are frames from ``db.queries.observations`` / ``db.queries.targets``. Suppressed values stay
in the series as NaN with their status, so a chart shows a gap and a table shows the symbol's label.

A council may have its own figures of two origins for the same period ("local": its return, often
provisional; "ssda903": computed from its SSDA903 return) besides DfE's published one. Both of its own
are kept; the council's own figure is the one loaded last (the later batch), and DfE's where it has
none. A series carries an ``origin`` column saying which each row is; ``published_series`` gives DfE's
figures alone, so a page can draw them beside the council's own. Benchmarking (ranks, quartiles,
neighbour averages) reads ``published_only`` rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from db.models import LOCAL, PUBLISHED, SSDA903  # the origins, defined once
from metrics.formatting import is_missing

OWN_ORIGINS = (LOCAL, SSDA903)  # a council's own figures: its return's, and those computed from its 903
COUNCILS_OWN = "own"  # ``prefer``: the council's own figure (the later loaded of LOCAL and SSDA903), else DfE's

FREQUENCIES = ("month", "quarter", "year")  # finest first
SERIES_COLUMNS = ["period_type", "period_end", "value", "numerator", "denominator", "status"]
NO_BREAKDOWN = ""


def published_only(obs: pd.DataFrame) -> pd.DataFrame:
    """DfE's published figures alone (a frame without an origin column is taken as all published)."""
    if "origin" not in obs:
        return obs
    return obs[obs["origin"].to_numpy() == PUBLISHED]


def is_own(origin: object) -> bool:
    """True for a council's own figure (its return's or its 903's), False for DfE's published one."""
    return str(origin) in OWN_ORIGINS


def one_per_period(rows: pd.DataFrame, prefer: str = COUNCILS_OWN) -> pd.DataFrame:
    """At most one row per area and period end, oldest first.

    ``prefer`` PUBLISHED: DfE's figure where there is one, else the council's own. Anything else (COUNCILS_OWN,
    or LOCAL or SSDA903 as before there were two): the council's own, else DfE's. Between a council's two own
    figures (its return's and its 903's) the one loaded last wins: the higher batch id, batches being numbered
    as they are loaded. Rows are kept in their order otherwise; a frame without an origin column is returned
    as it is.
    """
    if "origin" not in rows or rows.empty:
        return rows
    keys = [c for c in ("measure_code", "area_code", "period_type", "dimension", "category", "period_end") if c in rows]
    origins = rows["origin"].astype(str).to_numpy()
    preferred = origins == PUBLISHED if prefer == PUBLISHED else np.isin(origins, OWN_ORIGINS)
    batch = (pd.to_numeric(rows["batch_id"], errors="coerce").fillna(-1).to_numpy() if "batch_id" in rows
             else np.zeros(len(rows)))
    # Sorted by the keys' codes (factorised in sorted order, a blank last, as sort_values puts it), then the
    # preferred origin and the later batch: the last row of each key is the one kept. numpy's lexsort is
    # stable and takes its first sort key last.
    codes = [pd.factorize(rows[column], sort=True, use_na_sentinel=False)[0] for column in keys]
    order = np.lexsort((batch, preferred, *reversed(codes)))
    keyed = np.column_stack([code[order] for code in codes])
    last = np.ones(len(order), dtype=bool)
    last[:-1] = (keyed[1:] != keyed[:-1]).any(axis=1)
    return rows.iloc[order[last]]


def empty_series() -> pd.DataFrame:
    return pd.DataFrame({
        "period_type": pd.Series(dtype="str"),
        "period_end": pd.Series(dtype="datetime64[ns]"),
        "value": pd.Series(dtype="float64"),
        "numerator": pd.Series(dtype="float64"),
        "denominator": pd.Series(dtype="float64"),
        "status": pd.Series(dtype="str"),
    })


def headline_rows(obs: pd.DataFrame, measure: str, area: str) -> pd.DataFrame:
    """The measure's headline rows for the area (no breakdown category), any frequency."""
    mask = (obs["measure_code"].to_numpy() == measure) & (obs["area_code"].to_numpy() == area)
    for column in ("dimension", "category"):
        if column in obs:
            mask &= obs[column].fillna(NO_BREAKDOWN).to_numpy() == NO_BREAKDOWN
    return obs[mask]


def _as_series(rows: pd.DataFrame, prefer: str = COUNCILS_OWN) -> pd.DataFrame:
    if rows.empty:
        return empty_series()
    with_origin = "origin" in rows
    if with_origin and not rows["period_end"].is_unique:
        rows = one_per_period(rows, prefer)
    out = rows.reindex(columns=SERIES_COLUMNS + (["origin"] if with_origin else []))
    if out["period_end"].dtype.kind != "M":
        out["period_end"] = pd.to_datetime(out["period_end"])
    for column in ("value", "numerator", "denominator"):
        if out[column].dtype != "float64":
            out[column] = out[column].astype("float64")
    if not out["period_end"].is_monotonic_increasing:
        out = out.sort_values("period_end", kind="stable")
    if not out["period_end"].is_unique:
        out = out.drop_duplicates("period_end", keep="last")
    return out.reset_index(drop=True)


def own_series(obs: pd.DataFrame, measure: str, area: str) -> pd.DataFrame:
    """The area's headline series at its finest loaded frequency (month, else quarter, else year), oldest first.

    For a period with several, the council's own figure loaded last (its return's or its 903's); DfE's
    published one where it has none.
    """
    rows = headline_rows(obs, measure, area)
    kinds = rows["period_type"].to_numpy()
    for frequency in FREQUENCIES:
        chosen = kinds == frequency
        if chosen.any():
            return _as_series(rows[chosen])
    return empty_series()


def yearly_series(obs: pd.DataFrame, measure: str, area: str, prefer: str = COUNCILS_OWN) -> pd.DataFrame:
    """The area's yearly headline series (years ending 31 March for DfE figures), oldest first.

    Where a year has several figures, the ``prefer`` origin's (one_per_period): the council's own loaded
    last by default, DfE's for benchmarking.
    """
    rows = headline_rows(obs, measure, area)
    return _as_series(rows[rows["period_type"] == "year"], prefer)


def published_series(obs: pd.DataFrame, measure: str, area: str) -> pd.DataFrame:
    """DfE's published yearly figures for the area alone, to draw beside the council's own series."""
    return yearly_series(published_only(obs), measure, area, PUBLISHED)


def latest(series: pd.DataFrame) -> pd.Series | None:
    """The last row, even when its value is suppressed (the newest figure is what was published)."""
    if series.empty:
        return None
    return series.iloc[-1]


def _day(when) -> np.datetime64:
    return np.datetime64(pd.Timestamp(when).normalize().to_datetime64(), "D")


def previous(series: pd.DataFrame, period_end) -> pd.Series | None:
    """The row before the period ending ``period_end`` (None for the first)."""
    if series.empty or is_missing(period_end):
        return None
    ends = series["period_end"].to_numpy().astype("datetime64[D]")
    earlier = np.flatnonzero(ends < _day(period_end))
    return None if earlier.size == 0 else series.iloc[earlier[-1]]


def one_year_earlier(period_end) -> pd.Timestamp:
    """The same period end a year before: a month end stays a month end (29 Feb 2024 <- 28 Feb 2025)."""
    when = pd.Timestamp(period_end)
    earlier = when - pd.DateOffset(years=1)
    if when.is_month_end:
        earlier = earlier + pd.offsets.MonthEnd(0)
    return earlier.normalize()


def year_earlier(series: pd.DataFrame, period_end) -> pd.Series | None:
    """The row of the same period type whose period ended one year before ``period_end``."""
    if series.empty or is_missing(period_end):
        return None
    ends = series["period_end"].to_numpy().astype("datetime64[D]")
    kinds = series["period_type"].to_numpy()
    same = np.flatnonzero(ends == _day(period_end))
    kind = kinds[same[-1]] if same.size else kinds[-1]
    found = np.flatnonzero((ends == _day(one_year_earlier(period_end))) & (kinds == kind))
    return None if found.size == 0 else series.iloc[found[-1]]


def target_at(targets: pd.DataFrame | None, measure: str, area: str, period_end) -> tuple[float, float | None] | None:
    """The target (value, tolerance) whose period range contains ``period_end``, or None.

    Where ranges overlap, the one starting latest wins (a new in-year target beats a standing one).
    """
    if targets is None or targets.empty or is_missing(period_end):
        return None
    when = _day(period_end)
    mine = np.flatnonzero((targets["measure_code"].to_numpy() == measure) & (targets["area_code"].to_numpy() == area))
    if mine.size == 0:
        return None
    starts = pd.to_datetime(targets["period_start"]).to_numpy().astype("datetime64[D]")
    ends = pd.to_datetime(targets["period_end"]).to_numpy().astype("datetime64[D]")
    values = targets["value"].to_numpy(dtype="float64", na_value=np.nan)
    tolerances = (targets["tolerance"].to_numpy(dtype="float64", na_value=np.nan) if "tolerance" in targets
                  else np.full(len(targets), np.nan))
    best = None
    for i in mine:
        if np.isnan(values[i]) or not (starts[i] <= when <= ends[i]):
            continue
        key = (starts[i], -ends[i].astype("int64"))
        if best is None or key >= best[0]:
            best = (key, i)
    if best is None:
        return None
    i = best[1]
    return float(values[i]), (None if np.isnan(tolerances[i]) else float(tolerances[i]))

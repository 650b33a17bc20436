"""One area's headline series for one measure, and the rows a scorecard compares it with.

Inputs are frames from ``db.queries.observations`` / ``db.queries.targets``. Suppressed values stay
in the series as NaN with their status, so a chart shows a gap and a table shows the symbol's label.
"""

from __future__ import annotations

import pandas as pd

from metrics.formatting import is_missing

FREQUENCIES = ("month", "quarter", "year")  # finest first
SERIES_COLUMNS = ["period_type", "period_end", "value", "numerator", "denominator", "status"]
NO_BREAKDOWN = ""


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
    mask = (obs["measure_code"] == measure) & (obs["area_code"] == area)
    for column in ("dimension", "category"):
        if column in obs:
            mask &= obs[column].fillna(NO_BREAKDOWN) == NO_BREAKDOWN
    return obs[mask]


def _as_series(rows: pd.DataFrame) -> pd.DataFrame:
    if rows.empty:
        return empty_series()
    out = rows.reindex(columns=SERIES_COLUMNS).copy()
    out["period_end"] = pd.to_datetime(out["period_end"])
    for column in ("value", "numerator", "denominator"):
        out[column] = out[column].astype("float64")
    out = out.sort_values("period_end", kind="stable").drop_duplicates("period_end", keep="last")
    return out.reset_index(drop=True)


def own_series(obs: pd.DataFrame, measure: str, area: str) -> pd.DataFrame:
    """The area's headline series at its finest loaded frequency (month, else quarter, else year), oldest first."""
    rows = headline_rows(obs, measure, area)
    for frequency in FREQUENCIES:
        chosen = rows[rows["period_type"] == frequency]
        if not chosen.empty:
            return _as_series(chosen)
    return empty_series()


def yearly_series(obs: pd.DataFrame, measure: str, area: str) -> pd.DataFrame:
    """The area's yearly headline series (years ending 31 March for DfE figures), oldest first."""
    rows = headline_rows(obs, measure, area)
    return _as_series(rows[rows["period_type"] == "year"])


def latest(series: pd.DataFrame) -> pd.Series | None:
    """The last row, even when its value is suppressed (the newest figure is what was published)."""
    if series.empty:
        return None
    return series.iloc[-1]


def previous(series: pd.DataFrame, period_end) -> pd.Series | None:
    """The row before the period ending ``period_end`` (None for the first)."""
    if series.empty or is_missing(period_end):
        return None
    earlier = series[series["period_end"] < pd.Timestamp(period_end)]
    return None if earlier.empty else earlier.iloc[-1]


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
    when = pd.Timestamp(period_end)
    same = series[series["period_end"].dt.normalize() == when.normalize()]
    kind = same["period_type"].iloc[-1] if not same.empty else series["period_type"].iloc[-1]
    found = series[(series["period_type"] == kind)
                   & (series["period_end"].dt.normalize() == one_year_earlier(when))]
    return None if found.empty else found.iloc[-1]


def target_at(targets: pd.DataFrame | None, measure: str, area: str, period_end) -> tuple[float, float | None] | None:
    """The target (value, tolerance) whose period range contains ``period_end``, or None.

    Where ranges overlap, the one starting latest wins (a new in-year target beats a standing one).
    """
    if targets is None or targets.empty or is_missing(period_end):
        return None
    when = pd.Timestamp(period_end).normalize()
    rows = targets[(targets["measure_code"] == measure) & (targets["area_code"] == area)]
    rows = rows[(pd.to_datetime(rows["period_start"]) <= when) & (pd.to_datetime(rows["period_end"]) >= when)
                & rows["value"].notna()]
    if rows.empty:
        return None
    row = rows.sort_values(["period_start", "period_end"], ascending=[True, False], kind="stable").iloc[-1]
    tolerance = row["tolerance"] if "tolerance" in row.index else None
    return float(row["value"]), (None if is_missing(tolerance) else float(tolerance))

"""Tables on the measure page: the values behind the chart with their status and batch, comparators by year,
and values that a later return replaced. Frames in, new frames out: nothing here changes its input."""

from __future__ import annotations

import pandas as pd

from metrics.formatting import format_period, format_value
from reference.catalogue import Measure
from reference.statuses import label as status_label

NOT_GIVEN = "–"


def _count_text(value: object) -> str:
    if value is None or pd.isna(value):
        return NOT_GIVEN
    return f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.1f}"


def _status_text(status: str) -> str:
    return "figure given" if status == "value" else status_label(status)


def _batch_text(batch_id: object, batches: pd.DataFrame) -> str:
    found = batches[batches["id"] == batch_id]
    if found.empty:
        return f"batch {batch_id}"
    return f"{found['file_name'].iloc[0]} (batch {int(batch_id)})"


def _loaded_on(batch_id: object, batches: pd.DataFrame) -> str:
    found = batches[batches["id"] == batch_id]
    if found.empty or pd.isna(found["imported_at"].iloc[0]):
        return ""
    return pd.Timestamp(found["imported_at"].iloc[0]).strftime("%d %b %Y %H:%M")


def values_table(rows: pd.DataFrame, measure: Measure, batches: pd.DataFrame) -> pd.DataFrame:
    """One line per value, newest first: period, value as published (a symbol's label, never 0), the
    numerator and denominator behind it, its status and the file it came from."""
    rows = rows.sort_values(["period_end", "period_type"], ascending=[False, True])
    out = pd.DataFrame({
        "Period": [format_period(t, e) for t, e in zip(rows["period_type"], rows["period_end"], strict=True)],
        "Frequency": rows["period_type"].map({"month": "Monthly", "quarter": "Quarterly", "year": "Yearly"}),
        "Value": [format_value(None if pd.isna(v) else float(v), measure, s)
                  for v, s in zip(rows["value"], rows["status"], strict=True)],
        "Numerator": [_count_text(v) for v in rows["numerator"]],
        "Denominator": [_count_text(v) for v in rows["denominator"]],
        "Status": [_status_text(s) for s in rows["status"]],
        "Loaded from": [_batch_text(b, batches) for b in rows["batch_id"]],
        "Loaded on": [_loaded_on(b, batches) for b in rows["batch_id"]],
    })
    if rows["numerator"].isna().all() and rows["denominator"].isna().all():
        out = out.drop(columns=["Numerator", "Denominator"])
    return out.reset_index(drop=True)


def comparator_table(own_yearly: pd.DataFrame, comparators: pd.DataFrame, measure: Measure, home_name: str) -> pd.DataFrame:
    """Years down, the council and each comparator across, formatted; 'n of 10' beside the neighbour average."""
    years = sorted(set(own_yearly["period_end"]) | set(comparators["period_end"]), reverse=True)
    table: dict[str, list[str]] = {"Year": [format_period("year", y) for y in years]}
    own = dict(zip(own_yearly["period_end"], zip(own_yearly["value"], own_yearly["status"], strict=True), strict=True))
    table[home_name] = [format_value(_num(own[y][0]), measure, own[y][1]) if y in own else NOT_GIVEN for y in years]
    for series in comparators["series"].drop_duplicates():
        part = comparators[comparators["series"] == series]
        by_year = {row.period_end: row for row in part.itertuples(index=False)}
        cells = []
        for y in years:
            row = by_year.get(y)
            if row is None or pd.isna(row.value):
                cells.append(NOT_GIVEN)
                continue
            text = format_value(float(row.value), measure)
            if row.kind == "neighbours" and not pd.isna(row.used):
                text += f" ({int(row.used)} of {int(row.of)})"
            cells.append(text)
        table[str(series)] = cells
    return pd.DataFrame(table)


def _num(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def history_table(history: pd.DataFrame, measure: Measure, batches: pd.DataFrame) -> pd.DataFrame:
    """Replaced values: what the figure was, which file gave it and which file replaced it."""
    history = history[history["dimension"] == ""].sort_values("period_end", ascending=False)
    return pd.DataFrame({
        "Period": [format_period(t, e) for t, e in zip(history["period_type"], history["period_end"], strict=True)],
        "Value then": [format_value(_num(v), measure, s) for v, s in zip(history["value"], history["status"], strict=True)],
        "Loaded from": [_batch_text(b, batches) for b in history["batch_id"]],
        "Replaced by": [_batch_text(b, batches) for b in history["replaced_by_batch_id"]],
    }).reset_index(drop=True)

"""Tables on the measure page: the values behind the chart with their status and batch, comparators by year,
and values that a later return replaced. Frames in, new frames out: nothing here changes its input."""

from __future__ import annotations

import pandas as pd

from charts.trend import TOTAL_KINDS
from metrics.formatting import format_period, format_value
from metrics.series import LOCAL, PUBLISHED, is_own
from reference.catalogue import Measure
from reference.statuses import label as status_label
from views.sources import DFE_PUBLISHED, batch_facts, loaded_on, row_source

NOT_GIVEN = "–"


def _count_text(value: object) -> str:
    if value is None or pd.isna(value):
        return NOT_GIVEN
    return f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.1f}"


def _status_text(status: str) -> str:
    return "figure given" if status == "value" else status_label(status)


OWN_COLUMN = "Council's own figure"
PUBLISHED_COLUMN = DFE_PUBLISHED
FREQUENCY = {"month": "Monthly", "quarter": "Quarterly", "year": "Yearly"}


def _value_text(row: pd.Series | None, measure: Measure) -> str:
    if row is None:
        return NOT_GIVEN
    return format_value(None if pd.isna(row["value"]) else float(row["value"]), measure, row["status"])


def _loaded_last(rows: list[pd.Series]) -> pd.Series | None:
    """Of the council's own figures for one period (its return's, its 903's), the one loaded last: the one shown."""
    if not rows:
        return None
    return max(rows, key=lambda r: -1 if pd.isna(r["batch_id"]) else int(r["batch_id"]))


def values_table(rows: pd.DataFrame, measure: Measure, batches: pd.DataFrame) -> pd.DataFrame:
    """One line per period, newest first: the council's own figure (of its return's and its 903's, the one
    loaded last) and DfE's published one in columns of their own (a symbol's label, never 0), the numerator
    and denominator behind the figure, its status and where each came from in words. A column nobody's figures fill is left out."""
    facts = batch_facts(batches)
    has_origin = "origin" in rows
    rows = rows.sort_values(["period_end", "period_type"], ascending=[False, True], kind="stable")
    keys = list(dict.fromkeys(zip(rows["period_type"], rows["period_end"], strict=True)))
    by_key: dict[tuple, dict[str, pd.Series]] = {}
    for _, row in rows.iterrows():
        origin = str(row["origin"]) if has_origin else LOCAL
        by_key.setdefault((row["period_type"], row["period_end"]), {})[origin] = row
    lines = []
    for key in keys:
        found = by_key[key]
        own = _loaded_last([r for origin, r in found.items() if is_own(origin)])
        published = found.get(PUBLISHED)
        main = own if own is not None else published if published is not None else next(iter(found.values()))
        sources = [row_source(r["batch_id"], facts, r["period_end"], origin)
                   for origin, r in sorted(found.items(), key=lambda item: item[0] == PUBLISHED)]
        lines.append({
            "Period": format_period(key[0], key[1]),
            "Frequency": FREQUENCY.get(key[0], key[0]),
            OWN_COLUMN: _value_text(own, measure),
            PUBLISHED_COLUMN: _value_text(published, measure),
            "Numerator": _count_text(main["numerator"]),
            "Denominator": _count_text(main["denominator"]),
            "Status": _status_text(main["status"]),
            "Source": "; ".join(s for s in sources if s),
            "Loaded on": loaded_on(main["batch_id"], facts),
        })
    out = pd.DataFrame(lines, columns=["Period", "Frequency", OWN_COLUMN, PUBLISHED_COLUMN, "Numerator",
                                       "Denominator", "Status", "Source", "Loaded on"])
    if rows["numerator"].isna().all() and rows["denominator"].isna().all():
        out = out.drop(columns=["Numerator", "Denominator"])
    if len(out) and (out[PUBLISHED_COLUMN] == NOT_GIVEN).all():
        out = out.drop(columns=[PUBLISHED_COLUMN])
    if len(out) and (out[OWN_COLUMN] == NOT_GIVEN).all():
        out = out.drop(columns=[OWN_COLUMN])
    return out.reset_index(drop=True)


def comparator_table(own_yearly: pd.DataFrame, comparators: pd.DataFrame, measure: Measure, home_name: str) -> pd.DataFrame:
    """Years down, the council and each comparator across, formatted; 'n of 10' beside the neighbour average.

    For a count, the region's and England's totals are left out: beside one council's number of children
    they compare councils of very different sizes.
    """
    if measure.is_count:
        comparators = comparators[~comparators["kind"].isin(TOTAL_KINDS)]
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
    """Replaced values: what the figure was, where it came from and what replaced it, in words."""
    facts = batch_facts(batches)
    history = history[history["dimension"] == ""].sort_values("period_end", ascending=False)
    origins = history["origin"] if "origin" in history else pd.Series("", index=history.index)
    return pd.DataFrame({
        "Period": [format_period(t, e) for t, e in zip(history["period_type"], history["period_end"], strict=True)],
        "Value then": [format_value(_num(v), measure, s) for v, s in zip(history["value"], history["status"], strict=True)],
        "Source": [row_source(b, facts, e, str(o)) for b, e, o in
                   zip(history["batch_id"], history["period_end"], origins, strict=True)],
        "Replaced by": [row_source(b, facts, e, str(o)) for b, e, o in
                        zip(history["replaced_by_batch_id"], history["period_end"], origins, strict=True)],
    }).reset_index(drop=True)


HISTORY_KEY = ["period_type", "period_end", "dimension", "category", "origin"]


def _same_figure(value: object, status: object, next_value: object, next_status: object) -> bool:
    if str(status) != str(next_status):
        return False
    if pd.isna(value) or pd.isna(next_value):
        return pd.isna(value) and pd.isna(next_value)
    return float(value) == float(next_value)


def replaced_by_another_figure(history: pd.DataFrame, current: pd.DataFrame) -> pd.DataFrame:
    """The replaced values whose replacement gave a different figure or symbol.

    A figure given again unchanged (DfE's newer table repeating LAIT's 81 with its denominator added, a
    return loaded twice) is not an earlier value: listed, it would read '81' replaced by '81'. Each
    replaced value's replacement is the next one for the same period, breakdown and origin (history is
    in the order values were replaced), or the current value after the last. Neither frame is changed.
    """
    if history.empty:
        return history
    origin = "origin" in history and "origin" in current
    key = HISTORY_KEY if origin else HISTORY_KEY[:-1]
    after = {tuple(k): (v, s) for k, v, s in zip(current[key].itertuples(index=False, name=None), current["value"],
                                                  current["status"], strict=True)}
    keep, following = [], {}
    for index in reversed(history.index):  # newest replacement first, so the next value is known
        row = history.loc[index]
        row_key = tuple(row[k] for k in key)
        next_value = following.get(row_key, after.get(row_key))
        keep.append(next_value is None or not _same_figure(row["value"], row["status"], *next_value))
        following[row_key] = (row["value"], row["status"])
    return history.loc[[i for i, k in zip(reversed(history.index), keep, strict=True) if k][::-1]]

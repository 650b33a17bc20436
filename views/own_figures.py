"""What the measure page says about the council's own figures: which return the figure shown came from,
its 903 figure beside DfE's for every year DfE published, where its return and its 903 disagree, and how a
measure is computed from the 903.

A council may hold two figures of its own for one period: its return's (origin LOCAL) and its 903's
(origin SSDA903). Both are kept; the one loaded last is shown as the council's figure everywhere
(metrics.series.one_per_period), and this module names it, so a member knows which they are reading.
Only figures are read here (the 903's children are never stored), and the public mode's reads give the
figures already suppressed, so a small figure reads 'suppressed' here as everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from charts.sources import SAMPLE, day_words
from db.models import LOCAL, PUBLISHED, SSDA903
from metrics.formatting import YEAR_END_MONTH, format_period, format_value, is_missing, year_label
from metrics.series import headline_rows, is_own, own_series
from metrics.ssda903.beside import BesideDfE, figures_differ
from metrics.ssda903.methods import how_computed
from reference.catalogue import Measure, catalogue
from reference.statuses import VALUE
from views.reads import Reads
from views.sources import BatchFacts, batch_facts

DIFFER = ("These differ by more than rounding: check which is right (the one loaded last is shown as the "
          "council's figure).")


@dataclass(frozen=True)
class OwnFigures:
    """The measure page's sentences about the council's own figures ('' or () where there is nothing to say)."""

    shown_from: str  # 'from your 903 return, loaded 7 December 2026': where the latest figure shown came from
    beside_dfe: tuple[str, ...]  # newest year first: 'From your 903: 63.2% (43 of 68); DfE 2024-25: 63%'
    return_and_903: tuple[str, ...]  # newest first: each period both the return and the 903 give a figure for
    how_computed: str  # metrics.ssda903.methods' text for a measure the 903 gives, '' for any other


def from_words(facts: BatchFacts | None) -> str:
    """'from your 903 return, loaded 7 December 2026', 'from your return monthly.xlsx, loaded 3 May 2026'."""
    if facts is None:
        return "from your return"
    loaded = f", loaded {day_words(facts.loaded)}" if facts.loaded is not None else ""
    if facts.kind == SSDA903:
        return f"from your 903 return{loaded}"
    named = f" {facts.file_name}" if facts.file_name else ""
    if facts.kind == SAMPLE:
        return f"from the fictional sample council's return{named}{loaded}"
    return f"from your return{named}{loaded}"


def _value(row: pd.Series, measure: Measure) -> str:
    return format_value(None if is_missing(row["value"]) else float(row["value"]), measure, str(row["status"]))


def _number(value: object) -> float | None:
    return None if is_missing(value) else float(value)


def _batch_words(row: pd.Series, facts: dict[int, BatchFacts]) -> str:
    batch = row.get("batch_id")
    return from_words(None if is_missing(batch) else facts.get(int(batch)))


def shown_from(rows: pd.DataFrame, shown: pd.DataFrame, period_end, facts: dict[int, BatchFacts]) -> str:
    """Where the council's figure shown for ``period_end`` came from: '' when it is DfE's or there is none."""
    if shown.empty or is_missing(period_end):
        return ""
    found = shown[shown["period_end"] == pd.Timestamp(period_end)]
    if found.empty or "origin" not in found or not is_own(found["origin"].iloc[-1]):
        return ""
    last = found.iloc[-1]
    behind = rows[(rows["period_type"] == last["period_type"]) & (rows["period_end"] == last["period_end"])
                  & (rows["origin"] == last["origin"])]
    return _batch_words(behind.iloc[-1], facts) if not behind.empty else ""


def beside_dfe(rows: pd.DataFrame, measure: Measure) -> tuple[str, ...]:
    """For every year the 903 gives a figure at 31 March: it beside DfE's for the same year, flagged where
    they differ by more than DfE's rounding; newest first."""
    years = rows[(rows["period_type"] == "year") & (rows["period_end"].dt.month == YEAR_END_MONTH)]
    ours = years[years["origin"] == SSDA903].set_index("period_end")
    dfe = years[years["origin"] == PUBLISHED].set_index("period_end")
    out = []
    for end in sorted(ours.index.unique(), reverse=True):
        mine = ours.loc[[end]].iloc[-1]
        if end not in dfe.index:
            out.append(f"From your 903: {_value(mine, measure)}; no DfE figure for {year_label(end.year)} is loaded")
            continue
        theirs = dfe.loc[[end]].iloc[-1]
        beside = BesideDfE(int(end.year), _number(mine["value"]), _number(mine["numerator"]),
                           _number(mine["denominator"]), _number(theirs["value"]), str(theirs["status"]),
                           str(mine["status"]))
        out.append(beside.sentence(measure))
    return tuple(out)


def return_and_903(rows: pd.DataFrame, measure: Measure, facts: dict[int, BatchFacts]) -> tuple[str, ...]:
    """Each period the council's return and its 903 both give: both figures, which is shown (the one loaded
    last) and a flag where they differ by more than rounding; newest first."""
    own = rows[rows["origin"].isin([LOCAL, SSDA903])]
    out = []
    for (kind, end), both in own.groupby(["period_type", "period_end"], sort=False):
        if set(both["origin"]) != {LOCAL, SSDA903}:
            continue
        both = both.sort_values("batch_id", kind="stable")
        shown, other = both.iloc[-1], both.iloc[0]
        text = (f"{format_period(kind, end)}: {_value(shown, measure)} {_batch_words(shown, facts)}, shown as the "
                f"council's figure; {_value(other, measure)} {_batch_words(other, facts)}.")
        if (str(shown["status"]) == VALUE and str(other["status"]) == VALUE
                and not is_missing(shown["value"]) and not is_missing(other["value"])
                and figures_differ(float(shown["value"]), float(other["value"]))):
            text += f" {DIFFER}"
        out.append((end, kind, text))
    return tuple(text for _, _, text in sorted(out, key=lambda item: (item[0], item[1]), reverse=True))


def own_figures(reads: Reads, home: str, code: str, period_end=None) -> OwnFigures:
    """The sentences for the measure ``code`` of council ``home``; ``period_end`` is the figure shown as the
    latest (the scorecard's), whose source is named."""
    measure = catalogue().get(code)
    obs = reads.observations(home)
    rows = headline_rows(obs, code, home)
    if "origin" not in rows:
        rows = rows.assign(origin=LOCAL)
    rows = rows.assign(period_end=pd.to_datetime(rows["period_end"]))
    facts = batch_facts(reads.batches())
    return OwnFigures(
        shown_from=shown_from(rows, own_series(obs, code, home), period_end, facts),
        beside_dfe=beside_dfe(rows, measure),
        return_and_903=return_and_903(rows, measure, facts),
        how_computed=how_computed(code).text,
    )

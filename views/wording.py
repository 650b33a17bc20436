"""The sentences views put under a chart or beside a figure: what a measure is, its target, why a figure
is missing. Kept here so a page and the committee pack say exactly the same thing."""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pandas as pd

from metrics.formatting import format_period
from metrics.scorecard import target_text as scorecard_target_text
from reference.catalogue import Measure

DEFAULT_MEASURE = "cla_rate"  # the measure page's first measure: a rate compares councils of any size
RATE_OF_COUNT = {"cla_count": "cla_rate"}  # a count's comparisons are made on its rate
COUNT_COMPARISON = ("A number of children depends on the size of the council, so councils are compared on the "
                    "rate per 10,000 children instead.")


def first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + ("." if dot or not head.endswith(".") else "")


def target_text(measure: Measure, target: tuple[float, float | None] | None,
                target_period: tuple[pd.Timestamp, pd.Timestamp] | None = None) -> str:
    """'Target: 70% or more (April 2024 to March 2025)'; for polarity 'neither' the target is context only."""
    if target is None:
        return "No target set."
    value, _tolerance = target
    text = f"Target: {scorecard_target_text(value, measure)}"
    if target_period is not None:
        start, end = target_period
        text += f" ({format_period('month', start)} to {format_period('month', end)})"
    if measure.polarity == "neither":
        text += ", for context: neither higher nor lower is better"
    return text + "."


def measure_explanation(measure: Measure, target_line: str) -> str:
    """One plain line under a chart: what the measure is, which way is better, and the target."""
    description = first_sentence(measure.description)
    polarity = "" if measure.polarity_text.lower() in description.lower() else f" {measure.polarity_text}."
    return f"{description}{polarity} {target_line}".strip()


@functools.lru_cache(maxsize=1)
def _published_measures() -> frozenset[str]:
    from loaders.published.mapping import published_mapping

    mapping = published_mapping()
    return frozenset(m.measure_code for m in (*mapping.ees, *mapping.lait))


def dfe_publishes(code: str) -> bool:
    """Whether DfE publishes the measure for every council (from data/published's mappings), so a page can
    say 'Not published by DfE' for a local measure instead of asking for a wider period."""
    return code in _published_measures()


def not_published_short(measure: Measure) -> str:
    """'Not published by DfE: the health provider's figures have not been loaded' for a measure only a
    local return gives: what is missing, in a member's words (loading a file is for the Imports page)."""
    whose = "the health provider's figures" if "health provider" in measure.source.lower() else "the council's own figures"
    return f"Not published by DfE: {whose} have not been loaded"


def not_published_text(measure: Measure) -> str:
    """The short text, with what the figures must give and who loads them."""
    return (f"{not_published_short(measure)} for {measure.short_name.lower()}. An editor loads the return that "
            f"gives them on the Imports page.")


def span_label(series: pd.DataFrame) -> str:
    """'April 2023 to March 2025' for a monthly series, '2022-23 to 2024-25' for years ending 31 March
    (as DfE writes them), 'Q1 2023-24 to Q4 2024-25' for quarters: each end as its own period type."""
    return drawn_span([series])


def drawn_span(frames: Iterable[pd.DataFrame | None]) -> str:
    """The span of everything a chart draws, from the earliest period end in any of ``frames`` to the
    latest, each end written as its own period type: '2023-24 to October 2026' for DfE's years beside a
    council's months. Frames without a period_type column are DfE's yearly comparators."""
    ends = []
    for frame in frames:
        if frame is None or frame.empty:
            continue
        kinds = frame["period_type"] if "period_type" in frame else pd.Series("year", index=frame.index)
        ends += list(zip(frame["period_end"], kinds, strict=True))
    if not ends:
        return ""
    (first, first_type), (last, last_type) = min(ends, key=lambda e: e[0]), max(ends, key=lambda e: e[0])
    if first == last:
        return format_period(last_type, last)
    return f"{format_period(first_type, first)} to {format_period(last_type, last)}"


def dimension_label(dimension: str) -> str:
    """'placement_type' -> 'Placement type'."""
    text = dimension.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def safe_name(text: str) -> str:
    """A file name from a chart's words: letters, digits, '-' and '_' only, at most 120 characters."""
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)
    return "_".join(part for part in keep.split("_") if part)[:120]

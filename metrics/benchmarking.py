"""Benchmarking analysis for one measure: the council, its neighbours, region and England in a year, ranks
and quartile bands as LAIT gives them, the year-by-year sources table and the in-year sentence.

Pure calculations on frames read from the database (no Streamlit): the Benchmarking page and the
committee pack both use them. Where a figure came from is given by the caller as words (``SourceOf``),
so a table never shows a file name such as bds_long_0.parquet to a councillor.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from charts.bars import sort_best_first
from metrics.comparison import MISSING, NO_FIGURE, AreaFigure, Comparison
from metrics.formatting import YEAR_END_MONTH, format_period, format_value, is_missing, round_half_up, year_end
from metrics.formatting import year_label as dfe_year_label
from metrics.series import PUBLISHED, one_per_period
from metrics.standing import Standing
from metrics.travel import direction_of_travel
from reference.areas import ENGLAND_CODE, AreaDirectory
from reference.catalogue import Measure
from reference.neighbours import IN_FORCE, NeighbourRelease, current_release, release_in_force
from reference.statuses import VALUE

SOURCE = "Source"  # the column saying where each figure came from, in words
SourceOf = Callable[[object, object, str], str]  # (batch id, period end, origin) -> where it came from, in words



NOT_GIVEN = "–"




# DfE's files publish each London borough's figures for London (E12000007) and for its half of it:
# Inner London (E13000001) or Outer London (E13000002), by the borough's type in LAIT's area list.
LONDON_PARTS = {"ILB": "E13000001", "OLB": "E13000002"}


COUNT_RANK_NOTE = ("A count is not ranked: councils differ in size, so more or fewer children says nothing "
                   "about how well one council does. Compare the rate per 10,000 children instead.")


def year_label(year: int) -> str:
    """'2024-25 (year to 31 March 2025)': DfE's name for the year (``metrics.formatting.year_label``, as
    every other page writes it) with its end spelt out. The Benchmarking page alone picks a year by itself,
    from a list, rather than a period on the slider: the end says which twelve months a '2024-25' covers."""
    return f"{dfe_year_label(year)} (year to 31 March {year})"


def london_part(home: str, directory: AreaDirectory) -> str | None:
    """Inner or Outer London's code for a London borough, else None."""
    if home not in directory:
        return None
    return LONDON_PARTS.get(directory.get(home).la_type)


def region_words(home: str, directory: AreaDirectory) -> str:
    """The region a council is compared with, in a sentence: 'the North West'; for a London borough, where
    DfE also publishes Inner and Outer London, 'London as a whole (not Inner London alone)'; '' without one."""
    region = directory.region_of(home)
    if region is None:
        return ""
    part = london_part(home, directory)
    if part is None or part not in directory:
        return f"the {region.name}" if region.name.startswith(("North", "South", "East", "West")) else region.name
    return f"{region.name} as a whole (not {directory.get(part).name} alone)"


def real_area_codes(directory: AreaDirectory) -> set[str]:
    """Areas DfE publishes for: current English councils, regions and England (no sample councils)."""
    return {a.code for a in directory.areas if not a.fictional}


def published_years(figures: pd.DataFrame, directory: AreaDirectory) -> list[int]:
    """Years (ending 31 March) in which DfE published a real number for any council, region or England.

    A sample council's own year-end return does not make a year of published figures.
    """
    if figures.empty:
        return []
    ends = pd.to_datetime(figures["period_end"])
    mask = ((figures["period_type"] == "year") & figures["value"].notna() & (ends.dt.month == YEAR_END_MONTH)
            & figures["area_code"].isin(real_area_codes(directory)) & (figures["origin"] == PUBLISHED))
    return sorted({int(y) for y in ends[mask].dt.year})


def grouping_label(grouping: str, found: list[NeighbourRelease]) -> str:
    """'the current grouping (May 2025)' or 'the grouping in force each year', for the page's choice."""
    if grouping == IN_FORCE:
        return "the grouping in force each year"
    latest = current_release(found)
    return f"the current grouping ({latest.label})" if latest else "the current grouping"


def release_for(found: list[NeighbourRelease], grouping: str, year: int, home_number: str) -> NeighbourRelease:
    """The release whose neighbours a year is compared with: the current one (as LAIT does), or the one in
    force at the year's end (the latest dated on or before 31 March, else the earliest)."""
    if grouping == IN_FORCE:
        return release_in_force(found, year_end(year), home_number)
    return current_release(found)


def releases_text(used: dict[int, NeighbourRelease]) -> str:
    """'Statistical neighbours as named by DfE in May 2025', saying which years each release covers."""
    if not used:
        return ""
    distinct = list(dict.fromkeys(used.values()))
    if len(distinct) == 1:
        return f"{distinct[0].named_by()}."
    parts = []
    for release in distinct:
        years = sorted(y for y, r in used.items() if r == release)
        span = format_period("year", year_end(years[0]))
        if len(years) > 1:
            span += f" to {format_period('year', year_end(years[-1]))}"
        parts.append(f"{release.label} for {span}")
    return f"Statistical neighbours as named by DfE in {' and '.join(parts)}."


def year_rows(figures: pd.DataFrame, year: int) -> pd.DataFrame:
    ends = pd.to_datetime(figures["period_end"])
    rows = figures[(figures["period_type"] == "year") & (ends == pd.Timestamp(year_end(year)))]
    return one_per_period(rows, PUBLISHED).drop_duplicates("area_code", keep="last")


def rank_sentence(comparison: Comparison) -> str:
    """The one-line reading of the council's rank and quartile, or why there is none."""
    measure, home = comparison.measure, comparison.area
    name, label = home.name, format_period("year", year_end(comparison.year))
    if measure.is_count:
        return COUNT_RANK_NOTE
    if measure.polarity == "neither":
        return (f"Neither higher nor lower is better for {measure.short_name.lower()}, so no rank or quartile "
                f"is given: the figure is context for the other measures.")
    if comparison.standing is not None:
        reading = comparison.standing.reading
        return f"{reading[:1].upper()}{reading[1:]}."
    own = comparison.own
    if own.status != VALUE or own.value is None:
        return (f"{name} has no published figure for {label} ({format_value(None, measure, own.status)}), "
                f"so it has no rank.")
    if home.fictional and comparison.placed is not None:
        found = comparison.placed
        return (f"{name}'s own figure is not in DfE's tables. Placed among the {found.of - 1} councils DfE "
                f"published a figure for, it would be: {found.reading}.")
    return f"{name} is not among the councils DfE ranks for {label}."


def _figure_row(figure: AreaFigure, year: int, role: str, kind: str, source_of: SourceOf) -> dict:
    if figure.status == MISSING:
        return {"area_code": figure.code, "name": figure.name, "role": role, "kind": kind, "value": np.nan,
                "status": NO_FIGURE, "source": ""}
    return {"area_code": figure.code, "name": figure.name, "role": role, "kind": kind,
            "value": np.nan if figure.value is None else figure.value, "status": figure.status,
            "source": source_of(figure.batch_id, pd.Timestamp(year_end(year)), figure.origin)}


def year_figures(comparison: Comparison, source_of: SourceOf) -> pd.DataFrame:
    """The council, each neighbour (closest first), the neighbour average, the region and England for one
    year: area_code, name, role, kind, value (NaN when suppressed), status and where it came from in words.

    Read from the comparison (metrics.comparison), so the bar chart and its table show its figures."""
    year = comparison.year
    out = [_figure_row(comparison.own, year, "Our council", "la", source_of)]
    out += [_figure_row(n, year, f"Statistical neighbour {i}", "la", source_of)
            for i, n in enumerate(comparison.neighbours, start=1)]
    average = comparison.neighbour_average
    if average.of:
        neighbour_files = sorted({r["source"] for r in out[1:] if r["source"]})
        out.append({"area_code": "neighbours",
                    "name": f"Statistical neighbour average ({average.used} of {average.of} councils)",
                    "role": "Average of the neighbours with a figure", "kind": "neighbours",
                    "value": np.nan if average.value is None else average.value,
                    "status": VALUE if average.value is not None else NO_FIGURE,
                    "source": " and ".join(neighbour_files)})
    if comparison.region is not None:
        out.append(_figure_row(comparison.region, year, "Region", "region", source_of))
    out.append(_figure_row(comparison.england, year, "England", "england", source_of))
    frame = pd.DataFrame(out, columns=["area_code", "name", "role", "kind", "value", "status", "source"])
    frame["value"] = frame["value"].astype("float64")
    return frame


def figures_table(figures: pd.DataFrame, measure: Measure, places: dict[str, Standing], ranked: int) -> pd.DataFrame:
    """The bar chart as a table, best first like the chart: area, figure as published (a symbol's word,
    never 0), rank ('joint 38' when tied) and quartile among councils (not for polarity 'neither'; a band
    that the rank alone would not suggest says why) and where it came from."""
    ordered = sort_best_first(figures, measure.polarity)
    table = pd.DataFrame({
        "Area": list(ordered["name"]),
        "Who": list(ordered["role"]),
        "Figure": [format_value(None if is_missing(v) else float(v), measure, s)
                   for v, s in zip(ordered["value"], ordered["status"], strict=True)],
    })
    if measure.polarity != "neither" and not measure.is_count:
        table[f"Rank of {ranked}"] = [places[c].table_rank if c in places else NOT_GIVEN for c in ordered["area_code"]]
        table["Quartile"] = [places[c].table_band if c in places else NOT_GIVEN for c in ordered["area_code"]]
    table[SOURCE] = [s or NOT_GIVEN for s in ordered["source"]]
    return table


def london_note(home: str, rows: pd.DataFrame, measure: Measure, directory: AreaDirectory) -> str:
    """For a London borough: 'The whole of London. Inner London, where Camden is: 52 per 10,000.'; '' elsewhere."""
    part = london_part(home, directory)
    region = directory.region_of(home)
    if part is None or region is None or part not in directory:
        return ""
    part_name = directory.get(part).name
    text = f"{region.name} as a whole, not {part_name} alone."
    found = rows[rows["area_code"] == part]
    if not found.empty and not measure.is_count:
        row = found.iloc[-1]
        value = None if is_missing(row["value"]) else float(row["value"])
        status = VALUE if is_missing(row["status"]) else str(row["status"])
        text += f" {part_name}, where {directory.get(home).name} is: {format_value(value, measure, status)}."
    return text


def sources_table(own: pd.DataFrame, comparators: pd.DataFrame, figures: pd.DataFrame, measure: Measure,
                  home: str, home_name: str, neighbour_codes: list[str] | dict[pd.Timestamp, list[str]],
                  source_of: SourceOf) -> pd.DataFrame:
    """Newest year first: the council's, the neighbours' average and England's figure, and where each
    came from in words (one source when all three share it, else each named with whose it is)."""
    yearly = figures[figures["period_type"] == "year"]
    years = sorted({pd.Timestamp(e) for e in own["period_end"]} | {pd.Timestamp(e) for e in comparators["period_end"]},
                   reverse=True)

    def files(codes: list[str], end: pd.Timestamp) -> list[str]:
        found = yearly[yearly["area_code"].isin(codes) & (yearly["period_end"] == end)]
        return sorted({source_of(b, e, str(o or "")) for b, e, o in
                       zip(found["batch_id"], found["period_end"], found.get("origin", [""] * len(found)), strict=True)})

    def comparator(kind: str, end: pd.Timestamp) -> pd.Series | None:
        found = comparators[(comparators["kind"] == kind) & (comparators["period_end"] == end)]
        return None if found.empty else found.iloc[0]

    table: dict[str, list[str]] = {"Year": [], home_name: [], "Statistical neighbour average": [], "England": [],
                                   SOURCE: []}
    for end in years:
        table["Year"].append(format_period("year", end))
        mine = own[own["period_end"] == end]
        if mine.empty:
            table[home_name].append(NOT_GIVEN)
        else:
            row = mine.iloc[-1]
            table[home_name].append(format_value(None if is_missing(row["value"]) else float(row["value"]),
                                                 measure, row["status"]))
        sn = comparator("neighbours", end)
        if sn is None or is_missing(sn["value"]):
            table["Statistical neighbour average"].append(NOT_GIVEN)
        else:
            table["Statistical neighbour average"].append(
                f"{format_value(float(sn['value']), measure)} ({int(sn['used'])} of {int(sn['of'])})")
        england = comparator("england", end)
        table["England"].append(NOT_GIVEN if england is None or is_missing(england["value"])
                                else format_value(float(england["value"]), measure))
        parts = [("ours", files([home], end) if not mine.empty else []),
                 ("neighbours", files(neighbour_codes.get(end, []) if isinstance(neighbour_codes, dict)
                                      else neighbour_codes, end) if sn is not None else []),
                 ("England", files([ENGLAND_CODE], end) if england is not None else [])]
        by_file: dict[str, list[str]] = {}
        for who, found in parts:
            for file_name in found:
                by_file.setdefault(file_name, []).append(who)
        if len(by_file) <= 1:
            table[SOURCE].append(next(iter(by_file), NOT_GIVEN))
        else:
            table[SOURCE].append("; ".join(f"{f} ({', '.join(w)})" for f, w in by_file.items()))
    return pd.DataFrame(table)


def comparison_word(own: float, other: float, measure: Measure) -> str:
    """'better than', 'worse than', 'level with' by polarity; 'higher than' / 'lower than' for 'neither'.

    Judged on the figures as shown (rounded to the measure's decimals), so '75% ... 75%' never reads 'worse'.
    """
    shown_own, shown_other = (float(round_half_up(v, measure.decimals)) for v in (own, other))
    travel = direction_of_travel(shown_own, shown_other, measure.polarity)
    return {"better": "better than", "worse": "worse than", "same": "level with", "up": "higher than",
            "down": "lower than"}.get(travel.code, "")


def in_year_sentence(own: pd.DataFrame, compared: pd.DataFrame, measure: Measure) -> str:
    """'This year so far: **12%** at October 2026, against last year's statistical neighbour average of
    **10%** (2025-26, 10 of 10 councils) and England's **11%**: better than the neighbours' average.'"""
    last = own.iloc[-1]
    when = format_period(str(last["period_type"]), last["period_end"])
    if is_missing(last["value"]):
        return (f"This year so far: the latest figure, {when}, is "
                f"{format_value(None, measure, last['status'])}, so there is nothing to compare yet.")
    value = float(last["value"])
    text = f"This year so far: **{format_value(value, measure)}** at {when}"
    end = pd.Timestamp(last["period_end"])
    neighbours = compared[(compared["kind"] == "neighbours") & compared["value"].notna()
                          & (compared["period_end"] <= end)]
    if neighbours.empty:
        return text + ". DfE has not published a statistical neighbour average to compare it with."
    sn = neighbours.iloc[-1]
    sn_end = pd.Timestamp(sn["period_end"])
    this_year_end = end.year + (1 if end.month > YEAR_END_MONTH else 0)
    which = "last year's" if sn_end.year == this_year_end - 1 else "the latest published"
    if sn_end.year == this_year_end:
        which = "this year's published"
    sn_value = float(sn["value"])
    text += (f", against {which} statistical neighbour average of **{format_value(sn_value, measure)}** "
             f"({format_period('year', sn_end)}, {int(sn['used'])} of {int(sn['of'])} councils)")
    england = compared[(compared["kind"] == "england") & (compared["period_end"] == sn_end) & compared["value"].notna()]
    if not england.empty and not measure.is_count:
        text += f" and England's **{format_value(float(england['value'].iloc[0]), measure)}**"
    word = comparison_word(value, sn_value, measure)
    if word:
        text += f": {word} the neighbours' average"
    return text + "."


def comparators_in_view(compared: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """The yearly points within the council's own series; when none falls within it, the latest year before
    it, so there is always a published figure to read the months against."""
    ends = compared["period_end"]
    inside = compared[(ends >= first) & (ends <= last)]
    if len(inside):
        return inside.reset_index(drop=True)
    before = ends[ends < first]
    if before.empty:
        return inside.reset_index(drop=True)
    return compared[ends == before.max()].reset_index(drop=True)

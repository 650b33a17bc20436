"""Cached reads and finished views for the Benchmarking page: one measure, every council, one year.

Benchmarking needs every council's published figure for a measure (for the rank and the quartile
bands), not only the home council's comparison areas that ``ui.data.observations`` reads, so this
module reads one measure for all areas, once per data version. The calculations are LAIT's rules in
``metrics.comparators`` and ``metrics.benchmark_report``; the figures come from ``charts``. Here we
only pick rows, name the file each figure came from and put the answers into plain sentences.

Like ``ui.views``, finished figures are kept with st.cache_resource (shared, never changed after
they are built) and everything is keyed on plain values: database URL, data version, codes, dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from charts.bars import neighbour_bar_chart, sort_best_first
from charts.config import image_filename
from charts.layout import time_ticks
from charts.palette import TEXT
from charts.sources import FigureOrigin, source_words
from charts.trend import trend_chart
from db import queries
from db.engine import connect
from db.reference_queries import neighbour_releases
from metrics.benchmark_report import benchmark_report
from metrics.comparators import comparator_series, quartile_bands, quartile_reading, rank_areas
from metrics.formatting import format_period, format_value, is_missing, round_half_up
from metrics.series import PUBLISHED, one_per_period, own_series, published_only, target_at, yearly_series
from metrics.travel import direction_of_travel
from reference.areas import ENGLAND_CODE, AreaDirectory, areas
from reference.catalogue import Measure, catalogue
from reference.neighbours import (
    CURRENT,
    IN_FORCE,
    NeighbourRelease,
    current_release,
    directory_with,
    release_in_force,
    shipped_release,
)
from reference.statuses import VALUE
from ui import data
from ui.views import ChartView

CACHE_ENTRIES = 256
YEAR_END_MONTH = 3  # DfE's years end on 31 March
TREND_KINDS = ("neighbours", "england")  # the 10-year trend: the council, its neighbours' average and England
NOT_GIVEN = "–"
NO_FIGURE = "x"  # the status a bar gets when nothing at all was loaded for the area that year
# DfE's files publish each London borough's figures for London (E12000007) and for its half of it:
# Inner London (E13000001) or Outer London (E13000002), by the borough's type in LAIT's area list.
LONDON_PARTS = {"ILB": "E13000001", "OLB": "E13000002"}
COUNT_RANK_NOTE = ("A count is not ranked: councils differ in size, so more or fewer children says nothing "
                   "about how well one council does. Compare the rate per 10,000 children instead.")
FILE_KINDS = {  # how the sources table explains a file name to people who do not know DfE's files
    ".parquet": "DfE's Local Authority Interactive Tool (LAIT)",
    ".csv": "DfE's Explore Education Statistics table",
    ".xlsx": "the council's own return",
}


def year_end(year: int) -> date:
    return date(year, YEAR_END_MONTH, 31)


def year_label(year: int) -> str:
    """'2024-25 (year to 31 March 2025)': the financial year DfE's figures cover, and its end."""
    return f"{format_period('year', year_end(year))} (year to 31 March {year})"


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


# ---- where the figures came from, in words a chart can print ----------------------------------------------

def figure_origins(rows: pd.DataFrame, batches: pd.DataFrame) -> list[FigureOrigin]:
    """Where each figure in ``rows`` came from: DfE's publication and year for a published figure (by the
    file it was loaded from), the day a council's own return was loaded for its own figures."""
    if rows.empty:
        return []
    by_batch = {int(b): (str(f), str(src), when) for b, f, src, when in
                zip(batches["id"], batches["file_name"], batches["source"], batches["imported_at"], strict=True)}
    out = []
    for (batch, origin), group in rows.groupby(["batch_id", "origin"], sort=False):
        file_name, kind, loaded = by_batch.get(int(batch), ("", "", None))
        if origin == PUBLISHED:
            out += [FigureOrigin(PUBLISHED, year=int(y), file_name=file_name)
                    for y in sorted({pd.Timestamp(e).year for e in group["period_end"]})]
        else:
            when = pd.Timestamp(loaded).date() if loaded is not None and not is_missing(loaded) else None
            out.append(FigureOrigin(kind or "return", loaded=when, file_name=file_name))
    return out


def chart_source(rows: pd.DataFrame) -> str:
    """The source line for a chart of these figures: 'DfE: Children looked after in England ..., 2025'."""
    return source_words(figure_origins(rows, data.batches()))


def home_target(code: str, home: str, year: int) -> float | None:
    """The council's own target for the measure in force on 31 March of the year, if it set one."""
    found = target_at(data.targets(home), code, home, pd.Timestamp(year_end(year)))
    return None if found is None else float(found[0])


def home_targets(code: str, home: str) -> pd.DataFrame:
    """The council's targets for the measure (period_start, period_end, value), for a trend chart's step line."""
    targets = data.targets(home)
    return targets[(targets["measure_code"] == code) & (targets["area_code"] == home)].reset_index(drop=True)


# ---- reads -------------------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=64)
def _measure_figures(url: str, version: int, code: str) -> pd.DataFrame:
    return queries.observations(connect(url), measures=[code])


def measure_figures(code: str) -> pd.DataFrame:
    """Every area's headline figures for one measure: DfE's yearly ones and any council's own returns
    (public mode applied: the key ``data.data_version()`` names it)."""
    return _public_measure_figures(data.database_url(), data.data_version(), code, data.public_limit())


@st.cache_data(show_spinner=False, max_entries=64)
def _public_measure_figures(url: str, version: int | str, code: str, limit: int | None) -> pd.DataFrame:
    return data.for_public(_measure_figures(url, version, code), limit)


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


def years_for(code: str) -> list[int]:
    """Years with published figures for the measure, oldest first (cached with the data version)."""
    return _years_for(data.database_url(), data.data_version(), code)


@st.cache_data(show_spinner=False, max_entries=64)
def _years_for(url: str, version: int, code: str) -> list[int]:
    return published_years(_measure_figures(url, version, code), areas())


# ---- which statistical neighbour release gives the neighbours ----------------------------------------

@st.cache_data(show_spinner=False, max_entries=8)
def _releases(url: str, version: int) -> list[NeighbourRelease]:
    return neighbour_releases(connect(url))


def releases_in(url: str, version: int) -> list[NeighbourRelease]:
    """The database's neighbour releases, oldest first; the shipped grouping when it holds none."""
    return _releases(url, version) or [shipped_release(areas())]


def releases() -> list[NeighbourRelease]:
    return releases_in(data.database_url(), data.data_version())


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


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _release_directory(url: str, version: int, released: date, file_name: str) -> AreaDirectory:
    release = next(r for r in releases_in(url, version) if (r.released, r.file_name) == (released, file_name))
    return directory_with(areas(), release)


def release_directory(url: str, version: int, release: NeighbourRelease) -> AreaDirectory:
    """The areas with the neighbours of the release (built once per data version)."""
    return _release_directory(url, version, release.released, release.file_name)


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


# ---- one year: figures, ranks, the bar chart -----------------------------------------------------------

def file_names(batches: pd.DataFrame) -> dict[int, str]:
    return {int(b): str(name) for b, name in zip(batches["id"], batches["file_name"], strict=True)}


def _year_rows(figures: pd.DataFrame, year: int) -> pd.DataFrame:
    ends = pd.to_datetime(figures["period_end"])
    rows = figures[(figures["period_type"] == "year") & (ends == pd.Timestamp(year_end(year)))]
    return one_per_period(rows, PUBLISHED).drop_duplicates("area_code", keep="last")


def council_codes(directory: AreaDirectory) -> set[str]:
    """Every real council, including those since reorganised (Cumbria, Northamptonshire...): in the
    years they published, they were ranked like any other."""
    return {a.code for a in directory.local_authorities(include_fictional=False, current_only=False)}


def council_ranks(rows: pd.DataFrame, measure: Measure, directory: AreaDirectory) -> tuple[pd.Series, pd.Series, int]:
    """Rank and quartile band of every council with a published value that year, and how many were ranked.

    As LAIT does: only councils count (no regions, England or sample councils), and every council that
    published that year, whether or not it still exists. Polarity 'neither' gives empty Series and 0, and
    so does a count: a bigger council has more children, which is no measure of how well it does.
    """
    if measure.is_count:
        empty = pd.Series(dtype="object")
        return empty, empty, 0
    values = published_only(rows)
    values = values[values["area_code"].isin(council_codes(directory))][["area_code", "value", "status"]]
    ranks = rank_areas(values, measure.polarity)
    bands = quartile_bands(values, measure.polarity)
    return ranks, bands, int(len(ranks))


def sample_council_rank(rows: pd.DataFrame, measure: Measure, directory: AreaDirectory,
                        home: str) -> tuple[int, str, int] | None:
    """Where a sample council's own figure would sit among the real councils: (rank, band, of), or None."""
    values = rows[rows["area_code"].isin(council_codes(directory)) & (rows["origin"] == PUBLISHED)
                  | (rows["area_code"] == home)][["area_code", "value", "status"]]
    ranks = rank_areas(values, measure.polarity)
    if home not in ranks.index:
        return None
    bands = quartile_bands(values, measure.polarity)
    return int(ranks[home]), str(bands[home]), int(len(ranks))


def rank_sentence(report: dict, measure: Measure, rows: pd.DataFrame, directory: AreaDirectory,
                  ranks: pd.Series, bands: pd.Series, ranked: int) -> str:
    """The one-line reading of the council's rank and quartile, or why there is none."""
    name, label, home = report["area_name"], format_period("year", year_end(report["year"])), report["area"]
    if measure.is_count:
        return COUNT_RANK_NOTE
    if measure.polarity == "neither":
        return (f"Neither higher nor lower is better for {measure.short_name.lower()}, so no rank or quartile "
                f"is given: the figure is context for the other measures.")
    if home in ranks.index:
        reading = quartile_reading(str(bands[home]), int(ranks[home]), ranked)
        return f"{reading[:1].upper()}{reading[1:]}."
    if report["status"] != VALUE or report["value"] is None:
        return (f"{name} has no published figure for {label} ({format_value(None, measure, report['status'])}), "
                f"so it has no rank.")
    if directory.get(home).fictional:
        found = sample_council_rank(rows, measure, directory, home)
        if found is not None:
            rank, band, of = found
            return (f"{name}'s own figure is not in DfE's tables. Placed among the {of - 1} councils DfE "
                    f"published a figure for, it would be: {quartile_reading(band, rank, of)}.")
    return f"{name} is not among the councils DfE ranks for {label}."


def _figure_row(code: str, name: str, role: str, kind: str, rows: pd.DataFrame, names: dict[int, str]) -> dict:
    found = rows[rows["area_code"] == code]
    if found.empty:
        return {"area_code": code, "name": name, "role": role, "kind": kind, "value": np.nan, "status": NO_FIGURE,
                "source": ""}
    row = found.iloc[-1]
    value = np.nan if is_missing(row["value"]) else float(row["value"])
    status = VALUE if is_missing(row["status"]) else str(row["status"])
    return {"area_code": code, "name": name, "role": role, "kind": kind, "value": value, "status": status,
            "source": names.get(int(row["batch_id"]), "")}


def year_figures(report: dict, rows: pd.DataFrame, names: dict[int, str], directory: AreaDirectory) -> pd.DataFrame:
    """The council, each neighbour (closest first), the neighbour average, the region and England for one
    year: area_code, name, role, kind, value (NaN when suppressed), status and the file it came from."""
    home = report["area"]
    out = [_figure_row(home, report["area_name"], "Our council", "la", rows, names)]
    out += [_figure_row(n["area"], n["name"], f"Statistical neighbour {i}", "la", rows, names)
            for i, n in enumerate(report["neighbours"], start=1)]
    if report["sn_of"]:
        neighbour_files = sorted({r["source"] for r in out[1:] if r["source"]})
        out.append({"area_code": "neighbours",
                    "name": f"Statistical neighbour average ({report['sn_count']} of {report['sn_of']} councils)",
                    "role": "Average of the neighbours with a figure", "kind": "neighbours",
                    "value": np.nan if report["sn_average"] is None else report["sn_average"],
                    "status": VALUE if report["sn_average"] is not None else NO_FIGURE,
                    "source": " and ".join(neighbour_files)})
    if report["region"] is not None:
        out.append(_figure_row(report["region"]["code"], report["region"]["name"], "Region", "region", rows, names))
    england = directory.get(ENGLAND_CODE)
    out.append(_figure_row(england.code, england.name, "England", "england", rows, names))
    frame = pd.DataFrame(out, columns=["area_code", "name", "role", "kind", "value", "status", "source"])
    frame["value"] = frame["value"].astype("float64")
    return frame


def figures_table(figures: pd.DataFrame, measure: Measure, ranks: pd.Series, bands: pd.Series,
                  ranked: int) -> pd.DataFrame:
    """The bar chart as a table, best first like the chart: area, figure as published (a symbol's word,
    never 0), rank and quartile among councils (not for polarity 'neither') and the file it came from."""
    ordered = sort_best_first(figures, measure.polarity)
    table = pd.DataFrame({
        "Area": list(ordered["name"]),
        "Who": list(ordered["role"]),
        "Figure": [format_value(None if is_missing(v) else float(v), measure, s)
                   for v, s in zip(ordered["value"], ordered["status"], strict=True)],
    })
    if measure.polarity != "neither" and not measure.is_count:
        table[f"Rank of {ranked}"] = [str(int(ranks[c])) if c in ranks.index else NOT_GIVEN
                                      for c in ordered["area_code"]]
        table["Quartile"] = [str(bands[c]) if c in bands.index else NOT_GIVEN for c in ordered["area_code"]]
    table["Loaded from"] = [s or NOT_GIVEN for s in ordered["source"]]
    return table


@dataclass(frozen=True)
class YearView:
    """What the page shows for one measure, council and year."""

    report: dict
    figures: pd.DataFrame  # year_figures(): one row per area, with the file each figure came from
    table: pd.DataFrame  # figures_table(): what the page lists under the bar chart
    bars: ChartView
    rank_text: str
    release_text: str = ""  # 'Statistical neighbours as named by DfE in May 2025.'
    region_note: str = ""  # under the region's figure: what it covers ('the whole of London, not Inner London...')

    def figure(self, kind: str) -> pd.Series | None:
        """The row for 'la' (the home council), 'neighbours', 'region' or 'england'."""
        if kind == "la":
            found = self.figures[self.figures["area_code"] == self.report["area"]]
        else:
            found = self.figures[self.figures["kind"] == kind]
        return None if found.empty else found.iloc[0]

    @property
    def not_published(self) -> list[tuple[str, str]]:
        """Neighbours without a number that year: (name, what was published instead)."""
        rows = self.figures[(self.figures["role"].str.startswith("Statistical neighbour "))
                            & self.figures["value"].isna()]
        return [(str(n), str(s)) for n, s in zip(rows["name"], rows["status"], strict=True)]


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _year_view(url: str, version: int, code: str, home: str, year: int, grouping: str = CURRENT) -> YearView:
    measure = catalogue().get(code)
    release = release_for(releases_in(url, version), grouping, year, areas().get(home).dfe_number)
    directory = release_directory(url, version, release)
    figures = _measure_figures(url, version, code)
    report = benchmark_report(figures, measure, directory.get(home), directory, year)
    rows = _year_rows(figures, year)
    names = file_names(data.batches())
    shown = year_figures(report, rows, names, directory)
    ranks, bands, ranked = council_ranks(rows, measure, directory)
    label = format_period("year", year_end(year))
    drawn = shown[["area_code", "name", "value", "status", "kind"]]
    source = chart_source(rows[rows["area_code"].isin(set(shown["area_code"]))])
    bars = neighbour_bar_chart(drawn, measure, label, home, target=home_target(code, home, year), source=source)
    bars.update_yaxes(tickfont_color=TEXT)  # the area names: dark, not the page theme's grey, on a projector
    region = region_words(home, directory)
    explanation = (f"{report['area_name']} and its 10 statistical neighbours, the councils most like it "
                   f"(DfE's Children's Services Statistical Neighbour Benchmarking Tool, {release.label}), with "
                   f"{region + ' ' if region else ''}and England, for {year_label(year)}. "
                   f"{measure.polarity_text}.")
    view = ChartView(bars, image_filename(measure, f"{report['area_name']} and neighbours", label), explanation, True)
    return YearView(report, shown, figures_table(shown, measure, ranks, bands, ranked), view,
                    rank_sentence(report, measure, rows, directory, ranks, bands, ranked),
                    releases_text({year: release}), london_note(home, rows, measure, directory))


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


def year_view(code: str, home: str, year: int, grouping: str = CURRENT) -> YearView:
    """The council against its neighbours, region and England in one published year, with its rank.

    ``grouping`` is CURRENT (every year against the latest release, as LAIT does) or IN_FORCE.
    """
    return _year_view(data.database_url(), data.data_version(), code, home, year, grouping)


# ---- the 10-year trend and where each figure came from -------------------------------------------------

def source_text(files: list[str]) -> str:
    return " and ".join(sorted(set(files))) if files else NOT_GIVEN


def sources_table(own: pd.DataFrame, comparators: pd.DataFrame, figures: pd.DataFrame, measure: Measure,
                  home: str, home_name: str, neighbour_codes: list[str] | dict[pd.Timestamp, list[str]],
                  names: dict[int, str]) -> pd.DataFrame:
    """Newest year first: the council's, the neighbours' average and England's figure, and the file each
    was loaded from (one name when all three came from the same file, else each named)."""
    yearly = figures[figures["period_type"] == "year"]
    years = sorted({pd.Timestamp(e) for e in own["period_end"]} | {pd.Timestamp(e) for e in comparators["period_end"]},
                   reverse=True)

    def files(codes: list[str], end: pd.Timestamp) -> list[str]:
        found = yearly[yearly["area_code"].isin(codes) & (yearly["period_end"] == end)]
        return sorted({names.get(int(b), f"batch {int(b)}") for b in found["batch_id"]})

    def comparator(kind: str, end: pd.Timestamp) -> pd.Series | None:
        found = comparators[(comparators["kind"] == kind) & (comparators["period_end"] == end)]
        return None if found.empty else found.iloc[0]

    table: dict[str, list[str]] = {"Year": [], home_name: [], "Statistical neighbour average": [], "England": [],
                                   "Loaded from": []}
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
            table["Loaded from"].append(next(iter(by_file), NOT_GIVEN))
        else:
            table["Loaded from"].append("; ".join(f"{f} ({', '.join(w)})" for f, w in by_file.items()))
    return pd.DataFrame(table)


def files_explained(table: pd.DataFrame) -> str:
    """'bds_long_0.parquet: DfE's Local Authority Interactive Tool (LAIT); ...' for the files in the table."""
    if "Loaded from" not in table:
        return ""
    seen = sorted({part.split(" (")[0].strip() for cell in table["Loaded from"] for part in str(cell).split("; ")}
                  - {"", NOT_GIVEN})
    parts = []
    for name in seen:
        kind = next((text for suffix, text in FILE_KINDS.items() if name.lower().endswith(suffix)), "")
        parts.append(f"{name}: {kind}" if kind else name)
    return "; ".join(parts)


@dataclass(frozen=True)
class TrendView:
    chart: ChartView
    sources: pd.DataFrame
    files: str
    release_text: str = ""


def grouped_comparators(url: str, version: int, figures: pd.DataFrame, code: str, home: str,
                        grouping: str) -> tuple[pd.DataFrame, dict[pd.Timestamp, list[str]], dict[int, NeighbourRelease]]:
    """Yearly comparators with each year's neighbour average taken over the release chosen for that year.

    Returns the comparators (as ``comparator_series``), the neighbours used for each year end, and the
    release used for each year.
    """
    found = releases_in(url, version)
    home_number = areas().get(home).dfe_number
    region = areas().region_of(home)
    ends = sorted({pd.Timestamp(e) for e in figures.loc[figures["period_type"] == "year", "period_end"]})
    used = {int(e.year): release_for(found, grouping, int(e.year), home_number) for e in ends
            if e.month == YEAR_END_MONTH}
    if grouping != IN_FORCE:  # one fixed group for every year, as LAIT compares
        release = current_release(found)
        neighbours = [a.code for a in release_directory(url, version, release).neighbours(home)]
        compared = comparator_series(figures, code, home, neighbours, region.code if region else None)
        years = set(compared.loc[compared["kind"] == "neighbours", "period_end"])
        return compared, {e: neighbours for e in years}, {int(e.year): release for e in years}
    series, codes = [], {}
    for release in dict.fromkeys(used.values()):
        neighbours = [a.code for a in release_directory(url, version, release).neighbours(home)]
        compared = comparator_series(figures, code, home, neighbours, region.code if region else None)
        years = {y for y, r in used.items() if r == release}
        at = compared["period_end"].dt.year.isin(years) & (compared["period_end"].dt.month == YEAR_END_MONTH)
        series.append(compared[(compared["kind"] != "neighbours") | at])
        codes.update({pd.Timestamp(year_end(y)): neighbours for y in years})
    if not series:
        return comparator_series(figures, code, home, [], region.code if region else None), {}, {}
    compared = pd.concat(series, ignore_index=True)
    others = compared[compared["kind"] != "neighbours"].drop_duplicates(["kind", "period_end"])
    compared = pd.concat([compared[compared["kind"] == "neighbours"], others], ignore_index=True)
    kinds = {"neighbours": 0, "region": 1, "england": 2}
    compared = compared.sort_values(["kind", "period_end"], key=lambda c: c.map(kinds) if c.name == "kind" else c,
                                    kind="stable").reset_index(drop=True)
    return compared, codes, {y: r for y, r in used.items() if pd.Timestamp(year_end(y)) in
                             set(compared.loc[compared["kind"] == "neighbours", "period_end"])}


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _trend_view(url: str, version: int, code: str, home: str, grouping: str = CURRENT) -> TrendView:
    measure = catalogue().get(code)
    directory = areas()
    figures = _measure_figures(url, version, code)
    own = yearly_series(figures, code, home, prefer=PUBLISHED)
    compared, neighbours, used = grouped_comparators(url, version, figures, code, home, grouping)
    compared = compared[compared["kind"].isin(TREND_KINDS)].reset_index(drop=True)
    name = directory.get(home).name
    ends = sorted({*own["period_end"], *compared["period_end"]})
    if not ends:
        empty = ChartView(None, "", "", False)
        return TrendView(empty, pd.DataFrame(), "")
    label = (f"{format_period('year', ends[0])} to {format_period('year', ends[-1])}" if len(ends) > 1
             else format_period("year", ends[0]))
    shown_areas = {home, ENGLAND_CODE, *(c for codes in neighbours.values() for c in codes)}
    yearly = figures[(figures["period_type"] == "year") & figures["area_code"].isin(shown_areas)]
    figure = trend_chart(own, measure, name, targets=home_targets(code, home), comparators=compared,
                         title_period=label, source=chart_source(yearly))
    # Label the years across the whole chart, not only the council's own years (a sample council or a
    # council with gaps would otherwise leave most of the ten years unlabelled).
    tickvals, ticktext = time_ticks(ends, "year")
    figure.update_xaxes(tickvals=tickvals, ticktext=ticktext)
    explanation = (f"{name}'s yearly figure beside the average of its 10 statistical neighbours and England, "
                   f"{label}. {measure.polarity_text}.")
    sources = sources_table(own, compared, figures, measure, home, name, neighbours, file_names(data.batches()))
    return TrendView(ChartView(figure, image_filename(measure, name, label), explanation, True), sources,
                     files_explained(sources), releases_text(used))


def trend_view(code: str, home: str, grouping: str = CURRENT) -> TrendView:
    """Every published year: the council, its statistical neighbour average and England, with sources."""
    return _trend_view(data.database_url(), data.data_version(), code, home, grouping)


# ---- this year so far: the council's own monthly or quarterly figures against the published years -----

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


@dataclass(frozen=True)
class InYearView:
    chart: ChartView
    sentence: str
    frequency: str  # 'monthly' or 'quarterly'; '' when the council has no in-year figures


NO_IN_YEAR = InYearView(ChartView(None, "", "", False), "", "")
FREQUENCY_WORDS = {"month": "monthly", "quarter": "quarterly"}


@st.cache_resource(show_spinner=False, max_entries=CACHE_ENTRIES)
def _in_year_view(url: str, version: int, code: str, home: str, start: date, end: date,
                  grouping: str = CURRENT) -> InYearView:
    measure = catalogue().get(code)
    directory = areas()
    figures = _measure_figures(url, version, code)
    own = own_series(figures, code, home)
    if own.empty or own["period_type"].iloc[0] not in FREQUENCY_WORDS:
        return NO_IN_YEAR
    own = own[(own["period_end"] >= pd.Timestamp(start)) & (own["period_end"] <= pd.Timestamp(end))]
    if own.empty:
        return NO_IN_YEAR
    compared, _neighbours, _used = grouped_comparators(url, version, figures, code, home, grouping)
    compared = compared[compared["kind"].isin(TREND_KINDS)]
    shown = comparators_in_view(compared, own["period_end"].iloc[0], own["period_end"].iloc[-1])
    name = directory.get(home).name
    frequency = FREQUENCY_WORDS[str(own["period_type"].iloc[0])]
    label = f"{format_period('month', own['period_end'].iloc[0])} to {format_period('month', own['period_end'].iloc[-1])}"
    shown_ends = set(shown["period_end"])
    published_shown = figures[(figures["period_type"] == "year") & figures["period_end"].isin(shown_ends)
                              & figures["area_code"].isin({ENGLAND_CODE, *(c for codes in _neighbours.values()
                                                                          for c in codes)})]
    own_rows = figures[(figures["area_code"] == home) & (figures["period_type"] == own["period_type"].iloc[0])
                       & figures["period_end"].isin(set(own["period_end"]))]
    source = chart_source(pd.concat([own_rows, published_shown], ignore_index=True))
    figure = trend_chart(own.reset_index(drop=True), measure, name, targets=home_targets(code, home),
                         comparators=shown, title_period=label, source=source)
    explanation = (f"{name}'s own {frequency} figures (the line) with DfE's yearly figures for the statistical "
                   f"neighbour average and England, each plotted at the 31 March its year ends. "
                   f"{measure.polarity_text}.")
    chart = ChartView(figure, image_filename(measure, f"{name} this year", label), explanation, True)
    return InYearView(chart, in_year_sentence(own, compared, measure), frequency)


def in_year_view(code: str, home: str, start: date, end: date, grouping: str = CURRENT) -> InYearView:
    """The council's own in-year series in the period in view, against the published yearly comparators."""
    return _in_year_view(data.database_url(), data.data_version(), code, home, start, end, grouping)

"""The overview's scorecard as tables people read: one row per measure, words and symbols beside colour.

The rating is each measure's verdict (metrics.verdict): against its target where it has one, else its
quartile band among all councils, with a column saying which ('Target 70% or more', 'DfE 2024-25:
63%, 112th of 150'). It is a coloured tag (a one-item list shown by MultiselectColumn) rather than a
styled cell: pandas' Styler costs about 30 ms a table on every page run.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from metrics.ratings import ALL_RATINGS
from reference.catalogue import catalogue
from ui import data
from ui.components import rating_colour
from ui.filters import Filters
from views.overview import ScorecardRow, scorecard_rows

COLUMNS = {
    "measure": "Measure",
    "latest": "Latest",
    "rating": "Rating",
    "previous": "Since last period",
    "neighbours": "Neighbours",
    "england": "England",
    "link": "Details",
    "basis": "Rated against",
    "period": "Period",
    "comparator_year": "Comparator year",
    "trend": "Trend",
    "commentary": "Commentary",
}
COMMENTED = " ✎"  # after a measure's name: the head of service wrote commentary on a period in view
COMPARATOR_COLUMNS = ("neighbours", "england", "comparator_year")


def display_frame(rows: tuple[ScorecardRow, ...], filters: Filters,
                  commented: dict[str, str] | None = None) -> pd.DataFrame:
    """Scorecard rows (views.overview) as the table's columns.

    The columns a committee reads first come first (name, figure, rating, travel, neighbours, England), so
    they fit a 1280 by 720 projector beside the menu; what it reads less often comes after them.
    ``commented`` is measure code -> the latest period with commentary ('March 2025'): the name gets a
    marker and the Commentary column says which period.
    """
    commented = commented or {}
    out = pd.DataFrame({
        COLUMNS["measure"]: [r.short_name + (COMMENTED if r.measure_code in commented else "") for r in rows],
        COLUMNS["latest"]: [r.latest for r in rows],
        COLUMNS["rating"]: [[r.rating.label] for r in rows],
        COLUMNS["previous"]: [r.travel for r in rows],
        COLUMNS["neighbours"]: [r.neighbours for r in rows],
        COLUMNS["england"]: [r.england for r in rows],
        COLUMNS["link"]: [filters.measure_url(r.measure_code) for r in rows],
        COLUMNS["basis"]: [r.basis for r in rows],
        COLUMNS["period"]: [r.period for r in rows],
        COLUMNS["comparator_year"]: [r.comparator_year for r in rows],
        COLUMNS["trend"]: [list(r.spark) for r in rows],
        COLUMNS["commentary"]: [commented.get(r.measure_code, "") for r in rows],
    })
    if not filters.comparators:
        out = out.drop(columns=[COLUMNS[c] for c in COMPARATOR_COLUMNS])
    return out.reset_index(drop=True)


ROW_HEIGHT_PX = 35  # st.dataframe's row height: tables are sized to show every row without scrolling
# Widths in pixels: the name (pinned), figure, rating, travel, neighbours, England and the link fit the
# 900 pixels a 1280 by 720 screen leaves beside the menu; the columns after them scroll into view.
WIDTHS = {"measure": 262, "latest": 64, "rating": 210, "previous": 112, "neighbours": 86, "england": 66,
          "link": 62, "basis": 250, "period": 100, "comparator_year": 110, "trend": 90, "commentary": 110}


CHAR_PX = 7.6  # the widest a character of the tables' 14px type takes on average, digits and capitals included
CELL_PADDING_PX = 26  # a cell's padding and the column's resize handle


def fitting_width(texts, minimum: int) -> int:
    """A column wide enough for its longest text (header included), never narrower than ``minimum``: the
    table's cells are drawn on a canvas that cuts a long text off ('Target 72% or m…', 'suppresse')."""
    longest = max((len(str(text)) for text in texts if text is not None), default=0)
    return max(minimum, math.ceil(longest * CHAR_PX) + CELL_PADDING_PX)


def table_height(rows: int) -> int:
    return (rows + 1) * ROW_HEIGHT_PX + 3


def column_config(frames: list[pd.DataFrame] | tuple[pd.DataFrame, ...] = ()) -> dict:
    """The tables' columns; each text column wide enough for its longest text in any of ``frames``, so the
    tables of one page line up and nothing in them is cut off."""
    widths = dict(WIDTHS)
    for name in WIDTHS:
        if name in ("rating", "trend", "link"):
            continue
        texts = [COLUMNS[name]] + [text for frame in frames if COLUMNS[name] in frame for text in frame[COLUMNS[name]]]
        widths[name] = fitting_width(texts, WIDTHS[name])
    helps = {
        "rating": "Against the council's target where it has one: ✔ on target, ▲ close to target (within the "
                  "tolerance), ✖ off target. With no target, the quartile band among all councils on DfE's "
                  "latest published figures: A top quarter to D bottom quarter.",
        "basis": "What the rating was judged against: the target, or DfE's published figures for every council "
                 "(the year, the council's figure and its rank, 1st the best).",
        "previous": "Better or worse than the previous period, judged by which way is better for the measure.",
        "neighbours": "Average of the 10 statistical neighbours' published figures (how many, when fewer than "
                      "10 published one). A number of children is compared on the rate per 10,000 instead.",
        "england": "England's published figure. A number of children is compared on the rate per 10,000 "
                   "instead: England's total covers every council.",
        "period": "The period of the latest figure.",
        "commentary": "The latest period in view with commentary from the head of service (✎ after the "
                      "name): open the measure to read it.",
        "comparator_year": "The year the neighbour average and England figure are for.",
    }
    config = {
        COLUMNS[name]: st.column_config.TextColumn(width=width, help=helps.get(name))
        for name, width in widths.items() if name not in ("measure", "rating", "trend", "link")
    }
    config[COLUMNS["measure"]] = st.column_config.TextColumn(width=widths["measure"], pinned=True)
    config[COLUMNS["rating"]] = st.column_config.MultiselectColumn(
        width=WIDTHS["rating"], help=helps["rating"], options=[r.label for r in ALL_RATINGS],
        color=[rating_colour(r.colour_code) for r in ALL_RATINGS])
    config[COLUMNS["trend"]] = st.column_config.LineChartColumn(
        width=WIDTHS["trend"], help="The latest figures, oldest on the left.")
    config[COLUMNS["link"]] = st.column_config.LinkColumn(
        display_text="Open ›", width=WIDTHS["link"], help="The measure's own page: trend, comparators, values.")
    return config


@st.cache_data(show_spinner=False, max_entries=64)
def _theme_frames(url: str, version: int, filters: Filters,
                  commented: tuple[tuple[str, str], ...] = ()) -> dict[str, pd.DataFrame]:
    from ui.views import scorecard, verdicts

    rows = scorecard_rows(scorecard(filters), verdicts(filters))
    frames = {}
    for theme in catalogue().themes:
        mine = tuple(r for r in rows if r.theme == theme.code)
        if mine:
            frames[theme.code] = display_frame(mine, filters, dict(commented))
    return frames


def commented_measures(filters: Filters) -> tuple[tuple[str, str], ...]:
    """(measure code, latest period with commentary in view), read each run: writing commentary is not an
    import, so the data version does not see it."""
    from db.queries import latest_in_view
    from metrics.formatting import format_period

    latest = latest_in_view(data.notes(filters.home), filters.start, filters.end)
    kind = "year" if filters.by_year else "month"
    return tuple(sorted((code, format_period(kind, note.period_end)) for code, note in latest.items()))


def theme_frames(filters: Filters) -> dict[str, pd.DataFrame]:
    """The scorecard's table for each theme with measures, in theme order, for the view."""
    return _theme_frames(data.database_url(), data.data_version(), filters, commented_measures(filters))

"""The overview's scorecard as tables people read: one row per measure, words and symbols beside colour.

The rating is each measure's verdict (metrics.verdict): against its target where it has one, else its
quartile band among all councils, with a column saying which ('Target 70% or more', 'DfE 2024-25:
63%, 112th of 150'). It is a coloured tag (a one-item list shown by MultiselectColumn) rather than a
styled cell: pandas' Styler costs about 30 ms a table on every page run.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.formatting import RATE_SUFFIX, format_value
from metrics.ratings import ALL_RATINGS
from metrics.verdict import OverviewVerdict, Verdict
from reference.catalogue import catalogue
from ui import data
from ui.components import rating_colour
from ui.filters import Filters

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
}
COMPARATOR_COLUMNS = ("neighbours", "england", "comparator_year")
COUNT_COMPARATOR = "see rate"  # a number of children is compared on the rate per 10,000, never on totals


def _with_symbol(symbol: object, word: object) -> str:
    word = "" if word is None or (isinstance(word, float) and pd.isna(word)) else str(word)
    symbol = "" if symbol is None or (isinstance(symbol, float) and pd.isna(symbol)) else str(symbol)
    return f"{symbol} {word}".strip()


def _comparator_text(value: object, measure_code: str, used: object = None, of: object = None) -> str:
    """'69%', or '69% (8 of 10)' when some neighbours had no published figure; 'see rate' for a count."""
    measure = catalogue().get(measure_code)
    if measure.is_count:
        return COUNT_COMPARATOR
    if value is None or pd.isna(value):
        return "–"
    text = format_value(float(value), measure, unit=False)
    if used is not None and of is not None and not pd.isna(used) and not pd.isna(of) and int(used) < int(of):
        text += f" ({int(used)} of {int(of)})"
    return text


def basis_text(verdict: Verdict) -> str:
    """What the rating was judged against; for a local measure with no figure, that DfE does not publish it."""
    if not verdict.has_figure and verdict.benchmark is None:
        from ui.views import dfe_publishes, not_published_short

        if not dfe_publishes(verdict.measure_code):
            return not_published_short(catalogue().get(verdict.measure_code))
    return verdict.basis_text


def display_frame(card: pd.DataFrame, filters: Filters, overview: OverviewVerdict) -> pd.DataFrame:
    """Scorecard rows turned into the words and numbers of the table (a new frame; ``card`` is not changed).

    The rating and what it was judged against come from the measures' verdicts, in ``overview``. The
    columns a committee reads first come first (name, figure, rating, travel, neighbours, England), so
    they fit a 1280 by 720 projector beside the menu; what it reads less often comes after them.
    """
    verdicts = [overview.verdict(code) for code in card["measure_code"]]
    out = pd.DataFrame({
        COLUMNS["measure"]: card["short_name"],
        COLUMNS["latest"]: [str(t).removesuffix(RATE_SUFFIX) for t in card["value_text"]],  # the name says per 10,000
        COLUMNS["rating"]: [[v.rating.label] for v in verdicts],
        COLUMNS["previous"]: [_with_symbol(s, w) for s, w in
                              zip(card["travel_previous_symbol"], card["travel_previous_word"], strict=True)],
        COLUMNS["neighbours"]: [_comparator_text(v, c, u, o) for v, c, u, o in
                                zip(card["sn_average"], card["measure_code"], card["sn_used"], card["sn_of"],
                                    strict=True)],
        COLUMNS["england"]: [_comparator_text(v, c) for v, c in zip(card["england"], card["measure_code"], strict=True)],
        COLUMNS["link"]: [filters.measure_url(code) for code in card["measure_code"]],
        COLUMNS["basis"]: [basis_text(v) for v in verdicts],
        COLUMNS["period"]: card["period_label"].fillna(""),
        COLUMNS["comparator_year"]: card["comparator_period_label"].fillna(""),
        COLUMNS["trend"]: [list(s) if s is not None else [] for s in card["spark"]],
    })
    if not filters.comparators:
        out = out.drop(columns=[COLUMNS[c] for c in COMPARATOR_COLUMNS])
    return out.reset_index(drop=True)


ROW_HEIGHT_PX = 35  # st.dataframe's row height: tables are sized to show every row without scrolling
# Widths in pixels: the name (pinned), figure, rating, travel, neighbours, England and the link fit the
# 900 pixels a 1280 by 720 screen leaves beside the menu; the columns after them scroll into view.
WIDTHS = {"measure": 262, "latest": 64, "rating": 210, "previous": 112, "neighbours": 86, "england": 66,
          "link": 62, "basis": 250, "period": 100, "comparator_year": 110, "trend": 90}


def table_height(rows: int) -> int:
    return (rows + 1) * ROW_HEIGHT_PX + 3


def column_config() -> dict:
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
        "comparator_year": "The year the neighbour average and England figure are for.",
    }
    config = {
        COLUMNS[name]: st.column_config.TextColumn(width=width, help=helps.get(name))
        for name, width in WIDTHS.items() if name not in ("measure", "rating", "trend", "link")
    }
    config[COLUMNS["measure"]] = st.column_config.TextColumn(width=WIDTHS["measure"], pinned=True)
    config[COLUMNS["rating"]] = st.column_config.MultiselectColumn(
        width=WIDTHS["rating"], help=helps["rating"], options=[r.label for r in ALL_RATINGS],
        color=[rating_colour(r.colour_code) for r in ALL_RATINGS])
    config[COLUMNS["trend"]] = st.column_config.LineChartColumn(
        width=WIDTHS["trend"], help="The latest figures, oldest on the left.")
    config[COLUMNS["link"]] = st.column_config.LinkColumn(
        display_text="Open ›", width=WIDTHS["link"], help="The measure's own page: trend, comparators, values.")
    return config


@st.cache_data(show_spinner=False, max_entries=64)
def _theme_frames(url: str, version: int, filters: Filters) -> dict[str, pd.DataFrame]:
    from ui.views import scorecard, verdicts

    card = scorecard(filters)
    overview = verdicts(filters)
    frames = {}
    for theme in catalogue().themes:
        rows = card[card["theme"] == theme.code].reset_index(drop=True)
        if len(rows):
            frames[theme.code] = display_frame(rows, filters, overview)
    return frames


def theme_frames(filters: Filters) -> dict[str, pd.DataFrame]:
    """The scorecard's table for each theme with measures, in theme order, for the view."""
    return _theme_frames(data.database_url(), data.data_version(), filters)

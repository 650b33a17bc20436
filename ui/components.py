"""Page parts every page shares: the header, rating badges, measure explanations and the first-run message.

A rating is always shown as a word and a symbol as well as a colour, so it reads on a black and white
printout and for people who do not see colour.
"""

from __future__ import annotations

import html

import streamlit as st

from charts.palette import RATING_COLOURS
from metrics.ratings import Rating
from metrics.verdict import Verdict
from reference.catalogue import Measure
from ui.filters import Filters, area_name, configured_home
from ui.navigation import MEASURE

LOAD_COMMAND = "python -m loaders import FILE"
RATING_TEXT_COLOUR = {"green": "#FFFFFF", "amber": "#0B0C0C", "red": "#FFFFFF", "none": "#0B0C0C"}
NO_RATING_COLOUR = "#F3F2F1"


PAGE_STYLE = """
<style>
/* Less empty space above the header and at the sides, so a projector shows more of each page. */
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; padding-left: 2rem; padding-right: 2rem; }
/* On a laptop screen beside the menu, tables keep every column in view (the Imports table's last ones). */
@media (max-width: 1366px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1rem; padding-right: 1rem; } }
/* Keyboard focus on a link (the menu, "More about" links): a dark outline inside a yellow halo, as on
   GOV.UK, so it never looks like the current page's grey highlight (WCAG 2.4.7 focus visible). */
[data-testid="stSidebarNav"] a:focus-visible, [data-testid="stPageLink-NavLink"]:focus-visible {
  outline: 3px solid #0B0C0C; outline-offset: 0; box-shadow: 0 0 0 6px #FFDD00; }
/* A chosen council or measure in the sidebar reads in full over two lines rather than being cut off,
   and so do long options in the open list. */
[data-testid="stSidebar"] [data-baseweb="select"] > div > div:first-child,
[data-testid="stSidebar"] [data-baseweb="select"] > div > div:first-child > div {
  white-space: normal; overflow: visible; text-overflow: clip; height: auto; }
[data-baseweb="popover"] li[role="option"] { white-space: normal; height: auto; min-height: 2.5rem; }
</style>
"""


def page_style() -> None:
    """Spacing for the whole app (drawn once per run from app.py)."""
    st.html(PAGE_STYLE)


def page_header(title: str, filters: Filters | None, question: str = "") -> None:
    """Council, page title, the question the page answers and the period in view, at the top of every page."""
    council = filters.home_name if filters else area_name(configured_home())
    st.caption(f"{council} · corporate parenting dashboard")
    st.title(title, anchor=False)
    lines = []
    if question:
        lines.append(question)
    if filters is not None:
        comparators = "with statistical neighbours, region and England" if filters.comparators else "comparators hidden"
        lines.append(f"**{filters.home_name}** · period in view **{filters.period_text}** · {comparators}")
    if lines:
        st.markdown("  \n".join(lines))


def rating_colour(code: str) -> str:
    return RATING_COLOURS.get(code, NO_RATING_COLOUR)


def rating_badge(code: str, word: str, symbol: str) -> str:
    """An inline HTML badge: symbol and word on the rating colour (for st.markdown with unsafe_allow_html)."""
    background = rating_colour(code)
    colour = RATING_TEXT_COLOUR.get(code, "#0B0C0C")
    return (
        f'<span style="background:{background};color:{colour};padding:0.15em 0.55em;border-radius:0.3em;'
        f'font-weight:600;white-space:nowrap">{html.escape(symbol)} {html.escape(word)}</span>'
    )


def rating_html(rating: Rating, word: str | None = None) -> str:
    """The rating's label ('✖ Off target', 'D · Bottom quartile nationally') as a badge on its colour."""
    symbol = rating.label.removesuffix(rating.word).rstrip()
    return rating_badge(rating.colour_code, word or rating.word, symbol)


def verdict_html(verdict: Verdict) -> str:
    """The rating badge and, beside it, what it was judged against: '[✖ Off target] target 10% or less',
    '[D · Bottom quartile nationally] DfE 2024-25: 63%, 112th of 150'. Every rating says its basis."""
    return f"{rating_html(verdict.rating)} {html.escape(verdict.basis_text)}"


def first_run_message() -> None:
    """What an empty database shows instead of a page: in words, that an editor loads the council's returns
    on the Imports page. Commands for a terminal belong to the Imports page's editors, never to members."""
    st.info(
        "**No figures are loaded yet.**\n\n"
        "An editor loads the council's returns (Excel workbooks or CSV files) on the Imports page; the "
        "figures appear here once they are loaded.",
        icon=":material/info:",
    )


def measure_link(measure: Measure, filters: Filters, label: str | None = None) -> None:
    """A link to the measure's own page, keeping the view (months, comparators, council)."""
    st.page_link(MEASURE, label=label or f"More about: {measure.short_name}", icon=":material/arrow_forward:",
                 query_params=filters.params(measure.code))

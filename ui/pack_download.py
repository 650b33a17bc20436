"""The committee pack from the page: the same pack as ``python -m reports pack``, for the council and the
last month (or year) in view, made only when asked (it takes a few seconds a chart)."""

from __future__ import annotations

import streamlit as st

from metrics.formatting import format_period
from ui import data
from ui.filters import Filters

PACK_KEY = "committee_pack"


def pack_period(filters: Filters) -> str:
    """'2026-10' for a monthly view, '2024-25' for a council on DfE's yearly figures."""
    end = filters.end
    if filters.by_year:
        first = end.year - 1 if end.month <= 3 else end.year
        return f"{first}-{(first + 1) % 100:02d}"
    return f"{end.year}-{end.month:02d}"


def pack_section(filters: Filters, public: bool = False) -> None:
    from reports.pack import PackError, PackRequest, build_pack, parse_period
    from reports.pdf import PdfUnavailable, deck_to_pdf

    period = pack_period(filters)
    end, by_year = parse_period(period)
    label = format_period("year" if by_year else "month", end)
    st.header("Committee pack", anchor=False)
    st.caption(f"A PowerPoint deck for {filters.home_name}, {label}: the scorecard, what needs attention, what "
               f"changed since the period before, every measure's chart with its commentary, definitions and "
               f"sources. It takes about half a minute.")
    wanted = (data.database_url(), data.data_version(), filters.home, period, public)
    made = st.session_state.get(PACK_KEY)
    if st.button("Make the committee pack", icon=":material/slideshow:", key="make_pack"):
        with st.spinner("Making the pack: drawing every chart..."):
            try:
                deck = build_pack(data.engine(), PackRequest(period, filters.home, public, data.viewer()))
                try:
                    pdf, pdf_problem = deck_to_pdf(deck), ""
                except PdfUnavailable as error:
                    pdf, pdf_problem = None, f"No PDF: {error}"
                made = (wanted, deck, "", pdf, pdf_problem)
            except PackError as error:
                made = (wanted, None, str(error), None, "")
            except Exception as error:  # noqa: BLE001 - a sentence, never a traceback
                made = (wanted, None, f"The pack could not be made ({error.__class__.__name__}). Try again; if it "
                                      "fails again, send this message to the dashboard's administrator.", None, "")
        st.session_state[PACK_KEY] = made
    if made is None or made[0] != wanted:
        return
    _, deck, problem, pdf, pdf_problem = made
    if problem:
        st.error(problem)
        return
    name = f"{filters.home_name} committee pack {label}".replace(" ", "_").replace("(", "").replace(")", "")
    st.download_button("Download the pack (.pptx)", deck, file_name=f"{name}.pptx", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                       key="download_pack")
    if pdf is not None:
        st.download_button("Download the pack (.pdf)", pdf, file_name=f"{name}.pdf", icon=":material/download:",
                           mime="application/pdf", key="download_pack_pdf")
    else:
        st.warning(pdf_problem)

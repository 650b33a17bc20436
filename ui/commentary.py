"""The Commentary section of a measure page: the current text for each period, every earlier version
under "Earlier versions", and for editors a box to write or change one.

Read straight from the database on every run (not cached by the data version), so a saved commentary
shows at once.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from db.commentary_writes import MAX_LENGTH, CommentaryRefused, save_commentary
from db.locks import BUSY_MESSAGE, ImportBusy
from metrics.formatting import format_period, moment_text
from metrics.safe_text import markdown_paragraphs, markdown_text
from reference.catalogue import Measure
from ui import data
from ui.signin import current_user
from views.commentary import withdrawn_note

SAVED_KEY = "commentary_saved"


def _written(row) -> str:
    """Who wrote it and when; for a version loaded from a return, which batch, and whether an undo withdrew it."""
    words = f"{markdown_text(row.author)} · {moment_text(row.written_at)}"
    if not pd.isna(row.batch_id):
        words += f" · loaded from a return (batch {int(row.batch_id)})"
    if not pd.isna(row.withdrawn_by_batch_id):
        words += f" · withdrawn when that batch was undone (batch {int(row.withdrawn_by_batch_id)})"
    return words


def _periods(measure: Measure, home: str) -> dict[date, str]:
    """The periods the council has a figure for, newest first, as {period end: 'March 2025'}."""
    obs = data.observations(home)
    own = obs[(obs["measure_code"] == measure.code) & (obs["area_code"] == home)]
    own = own.drop_duplicates("period_end").sort_values("period_end", ascending=False)
    return {pd.Timestamp(e).date(): format_period(t, e) for t, e in zip(own["period_type"], own["period_end"],
                                                                         strict=True)}


def _period_words(periods: dict[date, str], when) -> str:
    day = pd.Timestamp(when).date()
    return periods.get(day) or format_period("month", when)


def commentary_section(measure: Measure, home: str) -> None:
    st.header("Commentary", anchor=False)
    if message := st.session_state.pop(SAVED_KEY, None):
        st.success(message)
    periods = _periods(measure, home)
    versions = data.commentary(measure.code, home)
    current = versions[versions["current"]]
    if current.empty:
        st.markdown("No commentary yet.")
    for note in current.itertuples(index=False):
        with st.container(border=True):
            st.caption(f"{_period_words(periods, note.period_end)} · {_written(note)}")
            st.markdown(markdown_paragraphs(note.text))  # plain text with its line breaks: no image, link or heading
            if withdrawn := withdrawn_note(note.period_end, periods, _period_words(periods, note.period_end)):
                st.warning(withdrawn)  # beside the text: it is about a figure no chart shows any more
    earlier = versions[~versions["current"]]
    if len(earlier):
        with st.expander(f"Earlier versions ({len(earlier)})"):
            for note in earlier.itertuples(index=False):
                st.caption(f"{_period_words(periods, note.period_end)} · {_written(note)}")
                st.text(note.text)
    if current_user().may_edit(home):  # an editor of this council (with grants, only of their own councils)
        _editor(measure, home, periods, current)


def _editor(measure: Measure, home: str, periods: dict[date, str], current: pd.DataFrame) -> None:
    if not periods:
        st.caption("Commentary is written for a period the council has a figure for; there is none yet.")
        return
    with st.form("commentary_form", clear_on_submit=False):
        st.subheader("Write or change a commentary", anchor=False)
        period = st.selectbox("Period", list(periods), format_func=periods.get, key="commentary_period")
        existing = current[pd.to_datetime(current["period_end"]).dt.date == period]
        st.caption("Changing the text keeps the earlier version readable under 'Earlier versions'."
                   + (" This period already has a commentary: the new text replaces it." if len(existing) else ""))
        text = st.text_area("Why the figure moved, and what we are doing about it", max_chars=MAX_LENGTH,
                            key="commentary_text")
        if not st.form_submit_button("Save commentary", type="primary"):
            return
    try:
        saved = save_commentary(data.engine(), measure.code, home, period, text, current_user())
    except (CommentaryRefused, PermissionError) as refused:  # PermissionError: another council's figures
        st.error(f"Nothing was saved. {markdown_text(refused)}")
        return
    except ImportBusy:  # the text stays in the box, ready to save again
        st.error(f"Nothing was saved: {BUSY_MESSAGE}.")
        return
    if saved.id is None:
        st.info("The text is the same as the current commentary: nothing changed.")
        return
    st.session_state[SAVED_KEY] = f"Commentary for {periods[period]} saved."
    st.rerun()

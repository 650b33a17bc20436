"""Imports: every batch that changed the database, for performance officers checking what was loaded."""

import pandas as pd
import streamlit as st

from ui import data
from ui.components import LOAD_COMMAND, first_run_message, page_header

TITLE = "Imports"
SOURCES = {"return": "Council return", "sample": "Sample council", "published": "DfE published"}


def batch_table(batches: pd.DataFrame) -> pd.DataFrame:
    """Newest first: file, when, who and how many values were new, replaced or unchanged.

    Only columns that fit beside the menu on a laptop screen: a table wider than the page hides its
    last columns behind a scroll bar that nobody notices. Who loaded each file, its sheets and the
    reader's note, which can run to a paragraph, are listed under the table (``batch_notes``).
    """
    return pd.DataFrame({
        "Batch": batches["id"].astype(int),
        "File": batches["file_name"],
        "Loaded on": pd.to_datetime(batches["imported_at"]).dt.strftime("%d %b %Y %H:%M"),
        "Source": batches["source"].map(lambda s: SOURCES.get(s, s)),
        "Values in file": batches["rows"].astype(int),
        "New": batches["inserted"].astype(int),
        "Replaced": batches["replaced"].astype(int),
        "Unchanged": batches["unchanged"].astype(int),
    })


def batch_notes(batches: pd.DataFrame) -> list[str]:
    """'**12 · sn_may_2025.xlsx** · loaded by jsmith · sheets: LA SN Groups · statistical neighbour release ...'
    for each batch, newest first."""
    lines = []
    for batch, name, who, sheets, note in zip(batches["id"], batches["file_name"], batches["imported_by"].fillna(""),
                                              batches["sheets"], batches["note"].fillna(""), strict=True):
        parts = [f"loaded by {who or 'unknown'}"]
        if str(sheets).strip():
            parts.append(f"sheets: {sheets}")
        if str(note).strip():
            parts.append(str(note).strip())
        lines.append(f"- **{int(batch)} · {name}** · {' · '.join(parts)}")
    return lines


page_header(TITLE, None, "Every file that changed the figures, newest first.")
batches = data.batches()
if batches.empty:
    first_run_message()
else:
    st.markdown(f"To load a return, run `{LOAD_COMMAND}` in the dashboard's folder. A file with any problem is "
                "refused whole and every problem is listed by sheet and cell; loading the same file again changes "
                "nothing. A replaced value is kept in the history on its measure's page.")
    st.dataframe(batch_table(batches), hide_index=True, width="stretch", key="batches")
    notes = batch_notes(batches)
    if notes:
        st.subheader("Who loaded each file, and what it held", anchor=False)
        st.markdown("\n".join(notes))
    if data.is_empty():
        first_run_message()

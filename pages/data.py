"""Imports: every batch that changed the database, for performance officers checking what was loaded."""

import pandas as pd
import streamlit as st

from ui import data
from ui.components import LOAD_COMMAND, first_run_message, page_header
from ui.navigation import ensure_app_navigation

ensure_app_navigation()  # before anything else: see ui.navigation

TITLE = "Imports"
SOURCES = {"return": "Council return", "sample": "Sample council", "published": "DfE published"}


def batch_table(batches: pd.DataFrame) -> pd.DataFrame:
    """Newest first: file, when, who and how many values were new, replaced or unchanged."""
    return pd.DataFrame({
        "Batch": batches["id"].astype(int),
        "File": batches["file_name"],
        "Loaded on": pd.to_datetime(batches["imported_at"]).dt.strftime("%d %b %Y %H:%M"),
        "Loaded by": batches["imported_by"],
        "Source": batches["source"].map(lambda s: SOURCES.get(s, s)),
        "Sheets": batches["sheets"],
        "Values in file": batches["rows"].astype(int),
        "New": batches["inserted"].astype(int),
        "Replaced": batches["replaced"].astype(int),
        "Unchanged": batches["unchanged"].astype(int),
        "Note": batches["note"].fillna(""),
    })


page_header(TITLE, None, "Every file that changed the figures, newest first.")
batches = data.batches()
if batches.empty:
    first_run_message()
else:
    st.markdown(f"To load a return, run `{LOAD_COMMAND}` in the dashboard's folder. A file with any problem is "
                "refused whole and every problem is listed by sheet and cell; loading the same file again changes "
                "nothing. A replaced value is kept in the history on its measure's page.")
    st.dataframe(batch_table(batches), hide_index=True, width="stretch", key="batches",
                 column_config={"Note": st.column_config.TextColumn(width="large")})
    if data.is_empty():
        first_run_message()

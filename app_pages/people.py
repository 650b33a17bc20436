"""People and councils: who may see and change which council's own figures, for editors only.

Grants are made on the command line by the dashboard's administrator (``python -m access``); this page
lists them so an editor can check who sees their council's unpublished figures. A viewer sees only that
the list is for editors.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from access.grants import REGIONAL, grants
from access.users import council_words
from ui import data
from ui.components import page_header
from ui.signin import current_user

TITLE = "People and councils"
NO_GRANTS_TEXT = ("No grants yet: everyone who can open the dashboard sees every figure in it, and the editors "
                  "list in the settings says who may change them. The first grant (`python -m access grant "
                  "LOGIN --council CODE --role viewer|editor`) switches this on: from then on each person sees "
                  "their own councils' figures and DfE's published ones only.")


def grant_table() -> pd.DataFrame:
    found = grants(data.engine())
    return pd.DataFrame({
        "Person": [g.login for g in found],
        "Role": [g.role for g in found],
        "Council": ["every member council" if g.role == REGIONAL else council_words(g.council_code) for g in found],
        "Granted by": [g.granted_by for g in found],
        "Granted on": [g.granted_at.strftime("%d %b %Y") for g in found],
    })


page_header(TITLE, None, "Who may see and change which council's own figures.")
if not current_user().is_editor:
    st.info("Only editors can see who has access to which council. Ask one of your council's editors.")
    st.stop()
table = grant_table()
if table.empty:
    st.info(NO_GRANTS_TEXT)
else:
    st.dataframe(table, hide_index=True, width="stretch", key="grants")
    st.caption("Grants are changed on the command line: `python -m access grant|revoke|list` (see the README).")

"""Targets: what each measure is judged against, per council and period range, with its amber tolerance.

Editors change them in a table; the edits are checked like an import (a possible value for the measure,
ranges that do not overlap) and saved as one batch, so the import history lists them and the scorecard
uses them at once. Every earlier target stays readable under "Earlier targets".
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from db.locks import BUSY_MESSAGE, ImportBusy
from db.target_writes import TargetEdit, TargetProblems, save_targets, target_history
from metrics.formatting import moment_texts
from metrics.safe_text import markdown_text
from reference.catalogue import catalogue
from ui import data
from ui.components import page_header
from ui.filters import own_home
from ui.signin import current_user

TITLE = "Targets"
COLUMNS = {"id": "Id", "measure": "Measure", "area": "Council code", "start": "From", "end": "To",
           "value": "Target", "tolerance": "Tolerance (amber within)"}


def _names() -> dict[str, str]:
    return {m.code: m.short_name for m in catalogue()}


def target_table(current: pd.DataFrame) -> pd.DataFrame:
    """The current targets as the editor shows them, in the catalogue's words."""
    names = _names()
    return pd.DataFrame({
        COLUMNS["id"]: current["id"].astype("Int64"),
        COLUMNS["measure"]: current["measure_code"].map(lambda c: names.get(c, c)),
        COLUMNS["area"]: current["area_code"],
        COLUMNS["start"]: pd.to_datetime(current["period_start"]).dt.date,
        COLUMNS["end"]: pd.to_datetime(current["period_end"]).dt.date,
        COLUMNS["value"]: current["value"].astype("float64"),
        COLUMNS["tolerance"]: current["tolerance"].astype("float64"),
    })


def _date(item) -> date | None:
    if item is None or pd.isna(item):
        return None
    return pd.Timestamp(item).date()


def _number(item) -> float | None:
    return None if item is None or pd.isna(item) else float(item)


def edits_from(before: pd.DataFrame, after: pd.DataFrame, home: str) -> tuple[list[TargetEdit], list[str]]:
    """What the officer changed in the table, as edits, and each row that cannot be read as a sentence."""
    codes = {name: code for code, name in _names().items()}
    edits, problems = [], []
    for number, row in enumerate(after.to_dict("records"), start=1):
        start, end = _date(row[COLUMNS["start"]]), _date(row[COLUMNS["end"]])
        name = row[COLUMNS["measure"]]
        if not name or (isinstance(name, float) and pd.isna(name)):
            problems.append(f"Row {number} has no measure: choose one, or delete the row.")
            continue
        if start is None or end is None:
            problems.append(f"Row {number} ({name}) needs both a 'From' and a 'To' date.")
            continue
        ident = row.get(COLUMNS["id"])
        edits.append(TargetEdit(codes.get(name, name), str(row[COLUMNS["area"]] or home).strip(), start, end,
                                _number(row[COLUMNS["value"]]), _number(row[COLUMNS["tolerance"]]),
                                replaces=None if ident is None or pd.isna(ident) else int(ident)))
    kept = {e.replaces for e in edits}
    for ident, row in zip(before[COLUMNS["id"]], before.to_dict("records"), strict=True):
        if int(ident) not in kept:
            edits.append(TargetEdit(codes.get(row[COLUMNS["measure"]], ""), row[COLUMNS["area"]],
                                    row[COLUMNS["start"]], row[COLUMNS["end"]], None, replaces=int(ident),
                                    remove=True))
    return edits, problems


def editor(table: pd.DataFrame, home: str) -> None:
    st.caption("Change a cell, add a row at the bottom or delete a row, then save. Percentages are 0 to 100. "
               "A figure worse than its target by no more than the tolerance is amber, further off red; "
               "leave the tolerance empty to use the measure's usual tolerance. Ranges for one measure and council may not overlap.")
    edited = st.data_editor(
        table, key="targets_editor", num_rows="dynamic", hide_index=True, width="stretch",
        disabled=[COLUMNS["id"]],
        column_config={
            COLUMNS["id"]: None,
            COLUMNS["measure"]: st.column_config.SelectboxColumn(options=sorted(_names().values()), required=True),
            COLUMNS["area"]: st.column_config.TextColumn(default=home, required=True),
            COLUMNS["start"]: st.column_config.DateColumn(format="D MMM YYYY", required=True),
            COLUMNS["end"]: st.column_config.DateColumn(format="D MMM YYYY", required=True),
            COLUMNS["value"]: st.column_config.NumberColumn(required=True),
            COLUMNS["tolerance"]: st.column_config.NumberColumn(min_value=0.0),
        },
    )
    if not st.button("Save targets", type="primary", key="save_targets"):
        return
    edits, problems = edits_from(table, edited, home)
    if problems:
        st.error("Nothing was saved.\n\n" + "\n".join(f"- {markdown_text(p)}" for p in problems))
        return
    try:
        saved = save_targets(data.engine(), edits, current_user())
    except TargetProblems as refused:
        st.error("Nothing was saved.\n\n" + "\n".join(f"- {markdown_text(p)}" for p in refused.problems))
        return
    except PermissionError as refused:  # a viewer, or another council's targets
        st.error(f"Nothing was saved. {markdown_text(refused)}")
        return
    except ImportBusy:  # the edits stay in the table, ready to save again
        st.error(f"Nothing was saved: {BUSY_MESSAGE}.")
        return
    if saved.batch_id is None:
        st.info("Nothing changed: the targets are as they were.")
        return
    st.session_state["targets_saved"] = (f"Saved as batch {saved.batch_id}: {saved.set} targets set, "
                                         f"{saved.withdrawn} withdrawn. Earlier targets are kept below.")
    st.rerun()


def earlier_targets(home: str) -> None:
    history = target_history(data.engine(), area=home)
    replaced = history[history["replaced_by_batch_id"].notna()]
    with st.expander(f"Earlier targets ({len(replaced)})"):
        if replaced.empty:
            st.markdown("No target has been changed yet.")
            return
        names = _names()
        st.dataframe(pd.DataFrame({
            "Measure": replaced["measure_code"].map(lambda c: names.get(c, c)),
            "From": pd.to_datetime(replaced["period_start"]).dt.date,
            "To": pd.to_datetime(replaced["period_end"]).dt.date,
            "Target": replaced["value"], "Tolerance": replaced["tolerance"],
            "Set by": replaced["set_by"], "Set on": moment_texts(replaced["set_at"]).to_numpy(),
            "Replaced by batch": replaced["replaced_by_batch_id"].astype("Int64"),
        }), hide_index=True, width="stretch", key="earlier_targets")


page_header(TITLE, None, "What each measure is judged against, and how close counts as amber.")
home = own_home()
if home is None:
    st.info("You hold no grant for any council, so there are no targets of yours to show. Ask the dashboard's "
            "administrator for access to your council.")
    st.stop()
if message := st.session_state.pop("targets_saved", None):
    st.success(message)
history = target_history(data.engine(), area=home)
table = target_table(history[history["replaced_by_batch_id"].isna()].iloc[::-1].reset_index(drop=True))
user = current_user()
if user.is_editor:
    editor(table, home)
else:
    st.caption("Only editors can change targets; ask one of them to change a target.")
    st.dataframe(table.drop(columns=[COLUMNS["id"]]), hide_index=True, width="stretch", key="targets_view")
earlier_targets(home)

"""Imports: load returns in the browser (upload, preview, confirm), every batch that changed the
database, and undo.

Performance officers on council networks have no shell on the server, so the monthly cycle happens
here. Nothing is written before the preview; confirming writes the file by the same ``import_file``
the command line uses. Only editors see the upload and undo controls, and the functions refuse a
viewer too.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import streamlit as st

from access import NotAnEditor, NotYourCouncil
from db.batch_files import files_by_batch
from db.locks import BUSY_MESSAGE, ImportBusy
from db.queries import commentary_version
from db.undo import UNDO_SOURCE, UndoRefused, undo_batch, undone_batches
from db.writes import PUBLISHED_SOURCE, FileInBatch
from loaders.importer import import_file, import_set
from loaders.preview import (
    UPLOAD_TYPES,
    FilePreview,
    max_upload_mb,
    preview_set,
    preview_upload,
    uploads_on_disk,
)
from loaders.ssda903.upload import holds_903
from loaders.template import write_template
from metrics.formatting import count_words, moment_text, moment_texts
from metrics.safe_text import markdown_table, markdown_text
from reference.areas import areas
from reference.catalogue import catalogue
from ui import data
from ui.components import LOAD_COMMAND, first_run_message, page_header
from ui.signin import current_user
from ui.ssda903_upload import forget as forget_903
from ui.ssda903_upload import show_903

TITLE = "Imports"
SOURCES = {"return": "Council return", "sample": "Sample council", PUBLISHED_SOURCE: "DfE published", UNDO_SOURCE: "Undo"}
MESSAGE_KEY = "imports_message"  # what the last confirm or undo did, shown after the rerun
PENDING_UNDO_KEY = "imports_undo_pending"  # the batch whose undo waits for "Yes, undo"
UNDO_CHOICE_KEY = "undo_choice"  # the "Batch to undo" box: forgotten after a load or an undo, so it offers the newest
# "Values in file" headed "Values" on screen: the long heading pushed the Undone column off a laptop's screen
BATCH_COLUMNS = {"Values in file": st.column_config.NumberColumn("Values", help="How many values the file held")}
TEMPLATE_NAME = "return_template.xlsx"
SET_CHOICE = "Load these files as one set: one batch and one undo, refused whole if any file has a problem"


def batch_table(batches: pd.DataFrame, undone_by: dict[int, int] | None = None) -> pd.DataFrame:
    """Newest first: file, when, who and how many values were new, replaced or unchanged.

    Only columns that fit beside the menu on a laptop screen: a table wider than the page hides its
    last columns behind a scroll bar that nobody notices. Each batch's sheets, SHA-256 and the
    reader's note, which can run to a paragraph, are listed under the table (``batch_notes``).
    """
    undone_by = undone_by or {}
    table = pd.DataFrame({
        "Batch": batches["id"].astype(int),
        "File": batches["file_name"],
        "Loaded on": moment_texts(batches["imported_at"]).to_numpy(),
        "By": batches["imported_by"].fillna(""),
        "Source": batches["source"].map(lambda s: SOURCES.get(s, s)),
        "Values in file": batches["rows"].astype(int),
        "New": batches["inserted"].astype(int),
        "Replaced": batches["replaced"].astype(int),
        "Unchanged": batches["unchanged"].astype(int),
        "Undone": [f"by batch {undone_by[int(b)]}" if int(b) in undone_by else "" for b in batches["id"]],
    })
    if not table["Undone"].any():  # the column only when something was undone: it would not fit otherwise
        table = table.drop(columns=["Undone"])
    return table


def batch_notes(batches: pd.DataFrame, files: dict[int, list[FileInBatch]] | None = None) -> list[str]:
    """'**12 · sn_may_2025.xlsx** · loaded by jsmith · sheets: LA SN Groups · SHA-256 ab12... · note'
    for each batch, newest first ('undone by' for an undo, which loaded nothing); a set loaded as one
    batch lists its ``files``."""
    files = files or {}
    lines = []
    loaded = dict(zip(batches["id"], batches["commentary"], strict=True)) if "commentary" in batches else {}
    for batch, name, source, who, sheets, sha, note in zip(
            batches["id"], batches["file_name"], batches["source"], batches["imported_by"].fillna(""),
            batches["sheets"], batches["sha256"].fillna(""), batches["note"].fillna(""), strict=True):
        parts = [f"{'undone' if source == UNDO_SOURCE else 'loaded'} by {markdown_text(who or 'unknown')}"]
        if notes := int(loaded.get(batch, 0)):
            parts.append(count_words(notes, "commentary", "commentaries"))
        if str(sheets).strip():
            parts.append(f"sheets: {markdown_text(sheets)}")
        if int(batch) in files:
            parts.append("files: " + ", ".join(f"{markdown_text(f.file_name)} ({f.size_bytes:,} bytes)"
                                               for f in files[int(batch)]))
        if str(sha).strip():
            parts.append(f"SHA-256 `{sha}`")
        if str(note).strip():
            parts.append(markdown_text(note))
        lines.append(f"- **{int(batch)} · {markdown_text(name)}** · {' · '.join(parts)}")
    return lines


def _measure_name(code: str) -> str:
    measures = catalogue()
    return measures.get(code).name if code in measures else code


def _area_name(code: str) -> str:
    directory = areas()
    return directory.get(code).name if code in directory else code


def _figure(value: float | None, status: str) -> str:
    """A stored figure as written: the number, or the published symbol (never a zero for it)."""
    if status != "value" or value is None:
        return f"{status} (no figure)"
    return f"{value:,.10g}"


def _period(end: date) -> str:
    return f"{end:%d %b %Y}"


WRAPPED_PROBLEMS = 200  # up to this many, a table whose long sentences wrap; more, a scrolling one


def _problem_text(problem) -> str:
    """The problem's sentence without the file, sheet and cell, which have their own columns."""
    message = problem.message()
    where = ", ".join(part for part in (problem.file, f"sheet '{problem.sheet}'" if problem.sheet else "",
                                        f"cell {problem.cell}" if problem.cell else "") if part)
    return message[len(where) + 2:] if where and message.startswith(where + ": ") else message


def problems_table(preview: FilePreview) -> pd.DataFrame:
    return pd.DataFrame({
        "Sheet": [p.sheet or "(the file)" for p in preview.problems],
        "Cell": [p.cell for p in preview.problems],
        "Problem": [_problem_text(p) for p in preview.problems],
    })


def replaced_table(preview: FilePreview) -> pd.DataFrame:
    """Old and new side by side. The Breakdown column only when a replaced value has one: empty, it pushed
    the batch the value came from off a laptop's screen."""
    rows = preview.replaced
    table = pd.DataFrame({
        "Measure": [_measure_name(r.measure_code) for r in rows],
        "Area": [_area_name(r.area_code) for r in rows],
        "Period ending": [_period(r.period_end) for r in rows],
        "Breakdown": [f"{r.dimension}: {r.category}" if r.dimension else "" for r in rows],
        "Now": [_figure(r.old_value, r.old_status) for r in rows],
        "After loading": [_figure(r.new_value, r.new_status) for r in rows],
        "Now from batch": [r.old_batch_id for r in rows],
    })
    return _without_idle_columns(table)


def _without_idle_columns(table: pd.DataFrame) -> pd.DataFrame:
    """No Area column for one council (named in the lines above) and no Breakdown column with none, so
    the figures beside them fit the page instead of hiding behind a scroll bar."""
    if table["Area"].nunique() <= 1:
        table = table.drop(columns=["Area"])
    if "Breakdown" in table and not table["Breakdown"].astype(bool).any():
        table = table.drop(columns=["Breakdown"])
    return table


def commentary_table(preview: FilePreview) -> pd.DataFrame:
    """Every commentary loading would write, with the current text it replaces."""
    rows = preview.comparison.commentary if preview.comparison is not None else []
    table = pd.DataFrame({
        "Measure": [_measure_name(r.measure_code) for r in rows],
        "Area": [_area_name(r.area_code) for r in rows],
        "Period ending": [_period(r.period_end) for r in rows],
        "Commentary now": [r.old_text or "(none)" for r in rows],
        "After loading": [r.text for r in rows],
    })
    return _without_idle_columns(table)


def recognised_lines(preview: FilePreview) -> list[str]:
    """What the reader found in the file, as the officer checks it against what they meant to load."""
    lines = []
    if preview.what_was_read:
        lines.append(f"- {markdown_text(preview.what_was_read[:1].upper() + preview.what_was_read[1:])}")
    if preview.hidden_sheets and "hidden" not in preview.what_was_read:
        lines.append(f"- Hidden sheets not read: {markdown_text(', '.join(preview.hidden_sheets))}")
    if preview.problems:  # some rows may be the ones in error: what was read, not what would load
        lines.append(f"- {count_words(preview.values, 'row')} of figures read, {count_words(preview.targets, 'target')}; "
                     "none can be loaded until every problem below is fixed")
    else:
        lines.append(f"- {count_words(preview.values, 'value')}, {count_words(preview.targets, 'target')}"
                     + (f", {count_words(preview.commentary, 'commentary', 'commentaries')}" if preview.commentary else ""))
    if preview.measures:
        lines.append(f"- Measures ({len(preview.measures)}): " + ", ".join(_measure_name(m) for m in preview.measures))
    if preview.areas:
        lines.append(f"- Areas ({len(preview.areas)}): " + ", ".join(_area_name(a) for a in preview.areas))
    if preview.periods:
        first, last = preview.periods[0], preview.periods[-1]
        span = _period(first) if first == last else f"{_period(first)} to {_period(last)}"
        lines.append(f"- Periods ({len(preview.periods)}): ending {span}")
    return lines


def _preview_of(upload, version: tuple) -> FilePreview:
    """One preview per file and data version: a rerun (a click elsewhere) does not read the file again."""
    previews = st.session_state.setdefault("imports_previews", {})
    key = (upload.file_id, version)
    if key not in previews:
        previews[key] = preview_upload(data.engine(), upload.getvalue(), upload.name, user=current_user())
    return previews[key]


def show_preview(upload, index: int, user) -> None:
    preview = _preview_of(upload, (data.data_version(), commentary_version(data.engine())))
    st.subheader(markdown_text(upload.name), anchor=False)
    if preview.refused:
        st.error(markdown_text(preview.refused))
        return
    st.markdown("\n".join(recognised_lines(preview)))
    if preview.problems:
        count = len(preview.problems)
        st.error(f"{count:,} problem{'s' if count != 1 else ''} found: this file cannot be loaded. Correct "
                 "every problem listed below in the file, save it and upload it again. Nothing was written.")
        table = problems_table(preview)
        if len(table) <= WRAPPED_PROBLEMS:
            st.table(markdown_table(table).set_index("Sheet"))
        else:
            st.dataframe(table, hide_index=True, width="stretch", key=f"problems_{index}")
        return
    comparison = preview.comparison
    assert comparison is not None
    st.markdown(f"Loading it would add **{count_words(comparison.new, 'new value')}**, replace "
                f"**{count_words(len(comparison.replaced), 'value')}**, leave **{comparison.unchanged:,}** unchanged and "
                f"set **{count_words(comparison.targets_new, 'target')}**"
                + (f" (taking over from {count_words(comparison.targets_replaced, 'target')} in force for those periods, "
                   "kept in the history)" if comparison.targets_replaced else "")
                + (f" and write **{count_words(len(comparison.commentary), 'commentary', 'commentaries')}**" if comparison.commentary else "")
                + ".")
    if comparison.replaced:
        st.markdown("Every value it would replace, as stored now and as the file gives it (the value stored now "
                    "stays in the history):")
        st.dataframe(replaced_table(preview), hide_index=True, width="stretch", key=f"replaced_{index}")
    if comparison.commentary:
        st.markdown("Every commentary it would write (a changed one keeps the text it replaces under 'Earlier "
                    "versions' on the measure's page):")
        notes = commentary_table(preview)
        if len(notes) <= WRAPPED_PROBLEMS:  # a table whose texts wrap, so each can be read whole
            st.table(markdown_table(notes).set_index("Measure"))
        else:
            st.dataframe(notes, hide_index=True, width="stretch", key=f"commentary_{index}")
    if not preview.changes_anything:
        st.info("Everything in this file is already loaded: confirming would change nothing.")
        return
    if st.button(f"Confirm: load {markdown_text(upload.name)}", key=f"confirm_{index}", type="primary"):
        try:
            report = import_file(data.engine(), data=upload.getvalue(), file_name=upload.name, user=user)
        except NotAnEditor as error:
            st.error(markdown_text(error))
            return
        except ValueError as error:
            st.error(markdown_text(f"{upload.name} was not loaded: {error}"))
            return
        st.session_state[MESSAGE_KEY] = ("success" if report.status == "loaded" else "warning", report.summary())
        st.session_state.pop(UNDO_CHOICE_KEY, None)  # offer the file just loaded, not what was chosen before
        st.rerun()


def upload_section(user) -> None:
    limit = max_upload_mb()
    st.header("Load returns", anchor=False)
    st.markdown(f"To load a return, upload it here: one or more files (.xlsx, .xlsm, .xls or .csv, up to **{limit} MB** each). Each is read "
                "and checked first and nothing is written until you confirm it; a file with any problem cannot be "
                "loaded, and every problem is listed by sheet and cell. On the server, "
                f"`{LOAD_COMMAND}` loads a file the same way. The SSDA903 return's files (its CSV tables, its XML "
                "form, or a zip of them) are recognised and loaded together as one set.")
    template = io.BytesIO()
    write_template(template)
    st.download_button("Download the blank return template", template.getvalue(), file_name=TEMPLATE_NAME,
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="template_download")
    uploads = st.file_uploader("Returns to load", type=list(UPLOAD_TYPES), accept_multiple_files=True,
                               max_upload_size=limit, key="returns_upload")
    files = [(upload.name, upload.getvalue()) for upload in uploads or []]
    if files and holds_903(files):  # the 903 return's tables, its XML form or a zip of them: one set, as the command line takes it
        report = show_903(uploads, files, user)
        if report is not None:
            st.session_state[MESSAGE_KEY] = ("success" if report.status == "loaded" else "warning", report.summary())
            st.session_state.pop(UNDO_CHOICE_KEY, None)
            st.rerun()
        return
    forget_903()  # the 903 files were removed: so is their preview, which names children
    several = len(files) > 1 or any(name.lower().endswith(".zip") for name, _ in files)  # a zip is a set of files
    if several and st.checkbox(SET_CHOICE, key="imports_as_set"):
        show_set_preview(uploads, user)
        return
    for index, upload in enumerate(uploads or []):
        show_preview(upload, index, user)


def show_set_preview(uploads, user) -> None:
    """The uploads as one set: each file as read, every problem, what loading it would do, one confirm."""
    files = [(upload.name, upload.getvalue()) for upload in uploads]
    previews = st.session_state.setdefault("imports_set_previews", {})  # a rerun does not read the files again
    key = (tuple(upload.file_id for upload in uploads), data.data_version(), commentary_version(data.engine()))
    if key not in previews:
        previews[key] = preview_set(data.engine(), files, user=user)
    preview = previews[key]
    st.subheader(markdown_text(preview.name), anchor=False)
    if preview.refused:
        st.error(markdown_text(preview.refused))
        return
    st.markdown("\n".join(f"- {markdown_text(entry.line('preview'))}" for entry in preview.files))
    if preview.problems:
        count = len(preview.problems)
        st.error(f"{count:,} problem{'s' if count != 1 else ''} found: this set cannot be loaded, and no file of it "
                 "is. Correct every problem listed below, save the files and upload them again. Nothing was written.")
        listed = [f"- {markdown_text(p.message())}" for p in preview.problems[:WRAPPED_PROBLEMS]]
        if count > WRAPPED_PROBLEMS:
            listed.append(f"- ... and {count - WRAPPED_PROBLEMS:,} more")
        st.markdown("\n".join(listed))
        return
    comparison = preview.comparison
    assert comparison is not None
    st.markdown(f"Loading the set as one batch would add **{count_words(comparison.new, 'new value')}**, replace "
                f"**{count_words(len(comparison.replaced), 'value')}**, leave **{comparison.unchanged:,}** unchanged "
                f"and set **{count_words(comparison.targets_new, 'target')}**.")
    if not (comparison.new or comparison.replaced or comparison.targets_new or comparison.commentary):
        st.info("Everything in these files is already loaded: confirming would change nothing.")
        return
    if st.button(f"Confirm: load the {len(files)} files as one set", key="confirm_set", type="primary"):
        try:
            with uploads_on_disk(files) as paths:
                report = import_set(data.engine(), paths, user=user)
        except NotAnEditor as error:
            st.error(markdown_text(error))
            return
        st.session_state[MESSAGE_KEY] = ("success" if report.status == "loaded" else "warning", report.summary())
        st.session_state.pop(UNDO_CHOICE_KEY, None)
        st.rerun()


def undo_section(batches: pd.DataFrame, undone_by: dict[int, int], user) -> None:
    undoable = batches[(batches["source"] != UNDO_SOURCE) & ~batches["id"].astype(int).isin(list(undone_by))]
    if undoable.empty:
        return
    st.header("Undo an import", anchor=False)
    st.markdown("Undoing a batch puts back every value it replaced exactly as it was and removes the values it "
                "added; the undo is recorded as a batch of its own. A batch whose figures a later batch changed, or gave "
                "again unchanged, cannot be undone until that later batch is.")
    labels = {int(b): f"{int(b)} · {name}" for b, name in zip(undoable["id"], undoable["file_name"], strict=True)}
    chosen = int(st.selectbox("Batch to undo", undo_order(undoable), format_func=labels.get, key=UNDO_CHOICE_KEY))
    if st.button("Undo this batch", key="undo_button"):
        st.session_state[PENDING_UNDO_KEY] = chosen
    if st.session_state.get(PENDING_UNDO_KEY) != chosen:  # choosing another batch withdraws the question
        st.session_state.pop(PENDING_UNDO_KEY, None)
        return
    _confirm_undo(undoable[undoable["id"].astype(int) == chosen].iloc[0], user)


def undo_order(undoable: pd.DataFrame) -> list[int]:
    """The batches to offer, the council's own (its returns, the Targets page) newest first, then DfE's.

    The first is what an officer who has just loaded a file wants to undo: the file itself, not DfE's
    tables or neighbour list loaded at first start.
    """
    own = undoable["source"] != PUBLISHED_SOURCE
    ids = undoable["id"].astype(int)
    return sorted(ids[own], reverse=True) + sorted(ids[~own], reverse=True)


def _confirm_undo(batch: pd.Series, user) -> None:
    """Ask before undoing, as the command line does: one click would otherwise remove a whole return, and
    after an undo the list offers the next batch in its place."""
    chosen = int(batch["id"])
    st.warning(f"Undo batch {chosen}, {markdown_text(batch['file_name'])}, loaded "
               f"{moment_text(batch['imported_at'])} by "
               f"{markdown_text(batch['imported_by'] or 'unknown')}? "
               "Every value it added is removed and every value it replaced is put back.")
    yes, keep, _ = st.columns([1, 1, 2])
    if keep.button("No, keep it", key="undo_keep"):
        st.session_state.pop(PENDING_UNDO_KEY, None)
        st.rerun()
    if not yes.button(f"Yes, undo batch {chosen}", key="undo_confirm", type="primary"):
        return
    st.session_state.pop(PENDING_UNDO_KEY, None)
    try:
        outcome = undo_batch(data.engine(), chosen, user)
    except (UndoRefused, NotAnEditor, NotYourCouncil) as error:
        st.error(markdown_text(error))
        return
    except ImportBusy:
        st.error(f"Batch {chosen} was not undone: {BUSY_MESSAGE}.")
        return
    st.session_state[MESSAGE_KEY] = ("success", outcome.summary())
    st.session_state.pop(UNDO_CHOICE_KEY, None)  # offer the newest batch left, not the one just undone
    st.rerun()


page_header(TITLE, None, "Load a return, check what it would change, and see every file that changed the figures.")
user = current_user()
message = st.session_state.pop(MESSAGE_KEY, None)
if message is not None:
    (st.success if message[0] == "success" else st.warning)(markdown_text(message[1]))
    # the buttons sit far down the page: a toast says what happened where the officer is looking
    st.toast(markdown_text(message[1]), icon=":material/check_circle:" if message[0] == "success" else ":material/warning:")
if user.is_editor:
    upload_section(user)
else:
    st.info(f"{markdown_text(user.label)} can view the dashboard; loading and undoing returns is for editors.")
batches = data.batches()
asked = st.query_params.get("batch")  # a link from the Data quality page: the batch behind a finding
if asked:
    found = batches[batches["id"].astype(str) == str(asked).strip()] if not batches.empty else batches
    if found.empty:
        st.warning(f"There is no batch {markdown_text(asked)}: it may have been undone, or the link is wrong. Every batch is "
                   f"listed below.")
    else:
        row = found.iloc[0]
        st.info(f"**Batch {int(row['id'])}**: {markdown_text(row['file_name'])}, loaded "
                f"{moment_text(row['imported_at'])} by "
                f"{markdown_text(row['imported_by'] or 'unknown')}.")
        st.dataframe(batch_table(found, undone_batches(data.engine())), hide_index=True, width="stretch",
                     column_config=BATCH_COLUMNS, key="asked_batch")
st.header("Every batch, newest first", anchor=False)
if batches.empty:
    first_run_message()
else:
    undone = undone_batches(data.engine())
    st.dataframe(batch_table(batches, undone), hide_index=True, width="stretch", column_config=BATCH_COLUMNS,
                 key="batches")
    if user.is_editor:
        undo_section(batches, undone, user)
    notes = batch_notes(batches, files_by_batch(data.engine()))
    if notes:
        st.subheader("Who loaded each file, and what it held", anchor=False)
        st.markdown("\n".join(notes))
    if data.is_empty():
        first_run_message()

"""The Imports page's part for a council's SSDA903 return: the uploads recognised as a 903 set, the
collection year asked for only where a file's name gives none, the preview (files, DfE's rule problems,
figures whose children have problems, each figure beside DfE's), then one confirm writing one batch.

The problems name children, so they are shown to editors only, never while public mode is on (the screen
may be a projector), and kept in memory only while the preview is on screen: confirming, clearing
the uploads or leaving the page forgets them (``forget``). Their CSV is made in memory for the download
button; nothing of the set is cached to disk.
"""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import streamlit as st

from access import NotAnEditor, User, require_editor
from access.users import council_words
from loaders.report import SetReport
from loaders.returns import resolve_default_area
from loaders.ssda903.check_command import write_problems
from loaders.ssda903.load import collection_year_of, write_prepared
from loaders.ssda903.model import TABLE, collection_year_label
from loaders.ssda903.upload import Preview903, files_without_year, preview_903
from loaders.unchanged import reader_version
from metrics.formatting import count_words, format_period
from metrics.safe_text import markdown_text
from reference.catalogue import catalogue
from ui import data
from ui.navigation import IMPORTS, page_specs

PREVIEW_KEY = "imports_903_preview"  # (what it was read from, Preview903): only while the preview is on screen
YEAR_KEY = "imports_903_year"
LOADED_KEY = "imports_903_loaded"  # the uploads just loaded: not read (nor their children shown) again
FIRST_YEAR = 2014  # the first collection year (2013-14) a council is likely to still hold a 903 extract for
PROBLEMS_CSV = "903_problems.csv"
SEVERAL_YEARS = ("A browser upload has no folders: to load several collection years at once, put the year in each "
                 "file's name (episodes_2024-25.csv, episodes_2023-24.csv) or upload one zip with a folder for each "
                 "year (2023-24/episodes.csv, 2024-25/episodes.csv).")
PUBLIC_MODE_TEXT = ("Public mode is on. A 903 preview names children and shows small numbers, so it is not shown in "
                    "public mode: switch public mode off (at the foot of the menu) to check and load these files.")


def forget() -> None:
    """Drop the preview, and with it every problem naming a child."""
    st.session_state.pop(PREVIEW_KEY, None)


def forget_off_page(url_path: str) -> None:
    """Called for every page run: any page but Imports drops the 903 preview (the uploads go with the page)."""
    imports = next((spec.url_path for spec in page_specs() if spec.path == IMPORTS), None)
    if url_path != imports:
        forget()


def _year_options() -> list[int | None]:
    latest = collection_year_of(date.today())
    return [None, *range(latest, FIRST_YEAR - 1, -1)]


def _collection_year(needing: list[str]) -> tuple[bool, int | None]:
    """(asked and answered, the year): asked only when some 903 file's name gives none."""
    if not needing:
        return True, None
    st.markdown(f"No collection year in the name of {count_words(len(needing), 'file')}: "
                f"{markdown_text(', '.join(needing))}. Choose the year they are for (1 April to 31 March); files "
                "whose names give a year keep their own.")
    year = st.selectbox("Collection year of the files whose names give none", _year_options(), index=0,
                        format_func=lambda y: "Choose a year" if y is None else collection_year_label(y), key=YEAR_KEY)
    if year is None:
        st.info("Choose the collection year to see what loading these files would do. Nothing has been read yet.")
        return False, None
    return True, year


def _preview(uploads, files: list[tuple[str, bytes]], year: int | None) -> Preview903:
    """One reading per set of uploads, year and data version: a rerun (a click) does not read the files again."""
    key = (tuple(u.file_id for u in uploads), year, data.data_version())
    held = st.session_state.get(PREVIEW_KEY)
    if held is None or held[0] != key:
        forget()
        with st.spinner("Reading the 903 files, checking them with DfE's rules and computing every measure..."):
            preview = preview_903(data.engine(), files, year, resolve_default_area(None) or "")
        st.session_state[PREVIEW_KEY] = (key, preview)
        return preview
    return held[1]


def _measure(code: str) -> str:
    measures = catalogue()
    return measures.get(code).name if code in measures else code


def files_table(preview: Preview903) -> pd.DataFrame:
    return pd.DataFrame({
        "File": [f.name for f in preview.files],
        "Table": [TABLE[f.table].title for f in preview.files],
        "Collection year": [collection_year_label(f.collection_year) for f in preview.files],
        "Rows": [f.rows for f in preview.files],
    })


def rules_table(preview: Preview903) -> pd.DataFrame:
    messages = {}
    for problem in preview.problems:
        messages.setdefault(problem.rule, problem.message)
    rules = preview.by_rule
    return pd.DataFrame({"Rule": [r for r, _ in rules], "Problems": [n for _, n in rules],
                         "DfE's message": [messages[r] for r, _ in rules]})


def problems_table(preview: Preview903) -> pd.DataFrame:
    """Every problem, as DfE's validator reports it, with the file and collection year the row is in."""
    p = preview.problems
    return pd.DataFrame({
        "Rule": [x.rule for x in p], "Table": [TABLE[x.table].title if x.table in TABLE else x.table for x in p],
        "Row": [x.row for x in p], "Child": [x.child for x in p], "Message": [x.message for x in p],
        "File": [x.file for x in p],
        "Collection year": [collection_year_label(x.collection_year) if x.collection_year else "" for x in p],
    })


def problems_csv(preview: Preview903) -> bytes:
    """The problems as ``python -m loaders check --problems-csv`` writes them, made in memory."""
    out = io.StringIO()
    write_problems(preview.problems, out)
    return out.getvalue().encode("utf-8-sig")


def flagged_table(preview: Preview903) -> pd.DataFrame:
    f = preview.flagged
    return pd.DataFrame({
        "Measure": [_measure(x.measure_code) for x in f],
        "Period": [format_period("year", x.period_end) if x.period_type == "year"
                   else f"12 months to {format_period('month', x.period_end)}" for x in f],
        "Children counted": [x.children for x in f],
        "With a problem": [x.with_problems for x in f],
    })


def beside_table(preview: Preview903) -> pd.DataFrame:
    measures = catalogue()
    rows = [(code, b) for code, b in preview.beside if code in measures]
    return pd.DataFrame({
        "Measure": [_measure(code) for code, _ in rows],
        "Beside DfE's published figure": [b.sentence(measures.get(code)) for code, b in rows],
        "Differs": ["Yes" if b.differs else "" for _, b in rows],
    })


def _show_refused(preview: Preview903) -> None:
    count = len(preview.refused)
    st.error(f"This 903 set cannot be read with certainty ({count_words(count, 'problem')}), so nothing can be loaded "
             "from it and nothing was written. Correct each file below and upload the files again.")
    st.markdown("\n".join(f"- {markdown_text(p.message())}" for p in preview.refused))


def _show_problems(preview: Preview903) -> None:
    st.markdown(f"**{count_words(len(preview.problems), 'problem')} by DfE's validation rules.** None stops the "
                "import: DfE computes its own figures from what councils send. This list names children: it is "
                "shown here and in the download only, and never stored.")
    st.dataframe(rules_table(preview), hide_index=True, width="stretch", key="rules_903")
    st.dataframe(problems_table(preview), hide_index=True, width="stretch", key="problems_903")
    st.download_button("Download every problem (CSV)", problems_csv(preview), file_name=PROBLEMS_CSV,
                       mime="text/csv", key="problems_903_download", on_click="ignore")
    if preview.flagged:
        st.markdown(f"{count_words(len(preview.flagged), 'computed figure')} count children with a problem by a "
                    "rule touching that measure:")
        st.dataframe(flagged_table(preview), hide_index=True, width="stretch", key="flagged_903")


def _show_beside(preview: Preview903) -> None:
    if not preview.beside:
        st.markdown("DfE has published none of these figures for the council yet, so none can be set beside DfE's.")
        return
    differ = preview.differences
    st.markdown(f"**Beside DfE's published figures** ({count_words(len(preview.beside), 'figure')} at 31 March "
                "for years DfE has published):")
    if differ:
        st.warning(f"{count_words(differ, 'figure')} from the 903 differ from DfE's by more than DfE's rounding "
                   "(marked Yes below): check the 903 against what was sent to DfE.")
    st.dataframe(beside_table(preview), hide_index=True, width="stretch", key="beside_903")


def _show_without(preview: Preview903) -> None:
    """The measures with no figure at some dates, each with its reason: a gap is never left unexplained."""
    if not preview.without:
        return
    st.markdown("**No figure, and why**: the measures the set gives no figure for at some dates.")
    st.markdown("\n".join(f"- {markdown_text(_measure(n.measure_code))}, {n.when}: {markdown_text(n.reason)}"
                          for n in preview.without))


def show_903(uploads, files: list[tuple[str, bytes]], user: User) -> SetReport | None:
    """The 903 set's preview and confirm; the report once confirmed (the page says what happened)."""
    st.subheader("SSDA903 return", anchor=False)
    st.caption(SEVERAL_YEARS)
    uploaded = tuple(u.file_id for u in uploads)
    if st.session_state.get(LOADED_KEY) == uploaded:
        forget()
        st.info("These files have just been loaded (the message at the top of the page says how). Remove them from "
                "the box above to load others.")
        return None
    st.session_state.pop(LOADED_KEY, None)
    if data.public_mode():
        forget()
        st.info(PUBLIC_MODE_TEXT)
        return None
    council = resolve_default_area(None) or ""
    if user.edits is not None and council not in user.edits:  # with grants: only an editor of this council
        forget()
        st.error(markdown_text(f"A 903 set loads as {council_words(council)}'s own figures, and you may not change "
                               "that council's figures. Ask for an editor grant for it."))
        return None
    answered, year = _collection_year(files_without_year(files))
    if not answered:
        forget()
        return None
    preview = _preview(uploads, files, year)
    st.markdown(f"**{markdown_text(preview.name)}**")
    if preview.refused:
        _show_refused(preview)
        return None
    st.markdown(f"Recognised as the 903 return: {count_words(len(preview.files), 'table')} read, "
                f"{count_words(preview.figures, 'figure')} computed.")
    st.dataframe(files_table(preview), hide_index=True, width="stretch", key="files_903")
    if preview.notes:
        st.markdown("\n".join(f"- {markdown_text(note)}" for note in preview.notes))
    if preview.problems:
        _show_problems(preview)
    else:
        st.markdown("No problem by DfE's validation rules.")
    _show_beside(preview)
    _show_without(preview)
    comparison = preview.comparison
    assert comparison is not None and preview.prepared is not None
    st.markdown(f"Loading the set as one batch would add **{count_words(comparison.new, 'new figure')}**, replace "
                f"**{count_words(len(comparison.replaced), 'figure')}** computed from an earlier 903 and leave "
                f"**{comparison.unchanged:,}** unchanged. Only the figures, their numerators and denominators, the "
                "count of problems per rule and the files' names, sizes and hashes are stored: no child, date of "
                "birth or postcode.")
    if not preview.changes_anything:
        st.info("Everything in these files is already loaded: confirming would change nothing.")
        return None
    if not st.button("Confirm: load the 903 set as one batch", key="confirm_903", type="primary"):
        return None
    try:
        require_editor(user, "load a 903 set")
    except NotAnEditor as error:
        st.error(markdown_text(error))
        return None
    report = write_prepared(data.engine(), preview.prepared, user.login, reader_version())
    forget()
    if report.ok:
        st.session_state[LOADED_KEY] = uploaded
    return report

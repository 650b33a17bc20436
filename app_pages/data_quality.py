"""Data quality: what is missing from a council's figures and what looks wrong in them, for the
performance officer checking a month's load before the figures reach a committee paper.

Every finding names its measure, council and period, quotes the figures as stored and links to the
Imports page for the batch that loaded each figure (``?batch=N``). A check the loaded figures cannot
support says why it was not made, so "No gaps found" is only ever said of a check that ran.
"""

import streamlit as st

import settings
from metrics.data_quality import GROUPS, CheckResult, Finding, QualityReport, findings_frame, kind_text, quality_report
from metrics.safe_text import markdown_text, spreadsheet_cell
from ui import data
from ui.components import first_run_message
from ui.filters import council_filter
from ui.navigation import IMPORTS

TITLE = "Data quality"
PARAM_BATCH = "batch"  # the Imports page's parameter for one batch
OPEN_UP_TO = 5  # a kind with this many findings or fewer is shown open; more start folded, with the count


@st.cache_data(show_spinner="Checking the figures...", max_entries=8)
def _report(url: str, version: int | str, area: str, threshold: float, public_limit: int | None) -> QualityReport:
    return quality_report(data.engine(), area, threshold, public_limit, frozenset(data.own(area)))  # version names the viewer


def found_text(check: CheckResult) -> str:
    """What the summary table says for a check: a count, 'none', or that it could not be made."""
    if not check.checked:
        return "cannot be checked"
    return str(check.count) if check.count else "none"


def summary_line(report: QualityReport) -> str:
    """'**Northmoor**: 26 findings, 0 of what is missing and 26 of what looks wrong · 1 of 5 checks cannot be
    made ...'; never an all-clear for a check that was not made."""
    missing = sum(c.count for c in report.in_group(GROUPS[0]))
    wrong = sum(c.count for c in report.in_group(GROUPS[1]))
    unchecked = sum(not c.checked for c in report.checks)
    total = missing + wrong
    if total:
        found = (f"**{total}** finding{'s' if total != 1 else ''}: {missing} of what is missing and {wrong} of what "
                 "looks wrong")
    else:
        found = "nothing found" + (" in the checks that could be made" if unchecked else "")
    line = f"**{markdown_text(report.area_name)}**: {found}"
    if unchecked:
        line += f" · {unchecked} of {len(report.checks)} checks cannot be made on the figures loaded (see below)"
    return line + "."


def show_finding(finding: Finding) -> None:
    # a finding quotes a breakdown's label and a file's name: text, never markup
    st.markdown(f"**{markdown_text(finding.measure.short_name)}** · {finding.period} · {markdown_text(finding.message)}")
    if not finding.batches:
        st.caption("No figure is loaded, so there is no file to open.")
    for batch in finding.batches:
        st.page_link(IMPORTS, label=markdown_text(batch.text), icon=":material/upload_file:",
                     query_params={PARAM_BATCH: str(batch.batch_id)})


def show_check(check: CheckResult, threshold: float) -> None:
    kind = check.kind
    st.markdown(f"##### {kind.title} · {found_text(check)}")
    st.caption(kind_text(kind.looks_for, threshold))
    if not check.checked:
        st.info(check.scope)
        return
    if not check.findings:
        st.success(f"{kind_text(kind.none_found, threshold)} {check.scope}")
        return
    st.caption(check.scope)
    label = f"The {check.count} finding" + ("" if check.count == 1 else "s")
    with st.expander(label, expanded=check.count <= OPEN_UP_TO):
        for finding in check.findings:
            show_finding(finding)


filters = council_filter()  # first: the header names the council chosen, not only the configured one
# The shared header's "period in view" line is left out: every check covers all the periods loaded.
st.caption(f"{markdown_text(filters.home_name)} · corporate parenting dashboard")
st.title(TITLE, anchor=False)
st.markdown("What is missing from the figures loaded, and what looks wrong in them, with the file each figure "
            "came from. Every period loaded is checked, not only the period in view on the other pages.")
if data.is_empty():
    first_run_message()
else:
    threshold = settings.jump_threshold_percent()
    try:
        report = _report(data.database_url(), data.data_version(), filters.home, threshold, data.public_limit())
    except Exception:  # noqa: BLE001 - a failed check must read as a sentence, never a traceback
        st.error("The figures could not be checked: the database could not be read. Reload the page; if this "
                 "goes on, ask whoever runs the dashboard to check the database (DASHBOARD_DB_URL).")
        st.stop()
    st.markdown(summary_line(report))
    st.dataframe(
        {"Kind": [c.kind.group for c in report.checks], "Check": [c.kind.title for c in report.checks],
         "Found": [found_text(c) for c in report.checks]},
        hide_index=True, width="content", key="quality_summary",
    )
    if report.findings:
        st.download_button(
            "Download every finding (CSV)",
            findings_frame(report).map(spreadsheet_cell).to_csv(index=False).encode("utf-8-sig"),
            file_name=f"data_quality_{report.area_code}.csv", mime="text/csv", icon=":material/download:",
            help="One row a finding, with the batch, file, time and person that loaded each figure: open it in "
                 "Excel to work through the list.")
    for group in GROUPS:
        st.subheader(group, anchor=False)
        for check in report.in_group(group):
            show_check(check, threshold)
    if report.notes:
        st.subheader("Measures with no figures", anchor=False)
        for note in report.notes:
            st.markdown(note)

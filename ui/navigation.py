"""The app's pages as data: file, title, address and section. app.py builds st.navigation from this table.

Every page has its own address, the Overview included: ``/overview``, ``/measure?measure=cla_rate``. The
app's root address ``/`` is a hidden page that only moves the visitor on to ``/overview`` (with any
parameters the link carried). Streamlit serves its default page at ``/`` whatever ``url_path`` it is
given, so an Overview that was the default page could never be opened at ``/overview``: a link to it
said "Page not found". The page scripts live in ``app_pages/`` rather than Streamlit's legacy ``pages/`` folder, so
``st.navigation`` alone drives navigation: no page runs without app.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import settings
from settings import PROJECT_ROOT


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root, as st.Page and st.page_link want it
    title: str
    url_path: str  # the page part of a shareable link: /measure?measure=cla_count (the file name: see above)
    icon: str
    section: str
    help: str = ""

    @property
    def exists(self) -> bool:
        return (PROJECT_ROOT / self.path).is_file()


def children_term_title() -> str:
    """The council's words for children looked after, as a page title ('Children in care')."""
    term = settings.CHILDREN_TERM.value()
    return term[:1].upper() + term[1:]


OVERVIEW = "app_pages/overview.py"
CHILDREN_IN_CARE = "app_pages/children_in_care.py"
PLACEMENT_STABILITY = "app_pages/placement_stability.py"
CARE_LEAVERS = "app_pages/care_leavers.py"
HEALTH = "app_pages/health.py"
MEASURE = "app_pages/measure.py"
BENCHMARKING = "app_pages/benchmarking.py"
IMPORTS = "app_pages/imports.py"
PRESENT = "app_pages/present.py"
TARGETS = "app_pages/targets.py"
PEOPLE = "app_pages/people.py"

SECTION_PERFORMANCE = "How we are doing"
SECTION_COMPARE = "In depth"
SECTION_DATA = "Data"
HOME_URL_PATH = "home"  # the hidden page served at "/" (Streamlit still wants it to have a unique name)


def page_specs() -> list[PageSpec]:
    """Every page in menu order, the Benchmarking page only once its file exists."""
    specs = [
        PageSpec(OVERVIEW, "Overview", "overview", ":material/dashboard:", SECTION_PERFORMANCE,
                 "Every measure in one view, with what needs attention first."),
        PageSpec(CHILDREN_IN_CARE, children_term_title(), "children_in_care", ":material/family_restroom:",
                 SECTION_PERFORMANCE),
        PageSpec(PLACEMENT_STABILITY, "Placement stability", "placement_stability", ":material/home:",
                 SECTION_PERFORMANCE),
        PageSpec(CARE_LEAVERS, "Care leavers", "care_leavers", ":material/school:", SECTION_PERFORMANCE),
        PageSpec(HEALTH, "Health", "health", ":material/health_and_safety:", SECTION_PERFORMANCE),
        PageSpec(MEASURE, "Measure detail", "measure", ":material/query_stats:", SECTION_COMPARE),
        PageSpec(BENCHMARKING, "Benchmarking", "benchmarking", ":material/leaderboard:", SECTION_COMPARE,
                 "One measure for every council: against its statistical neighbours, region and England."),
        PageSpec(PRESENT, "Present to committee", "present", ":material/co_present:", SECTION_COMPARE,
                 "One chart per screen in large type, for a projector: arrow keys move between slides."),
        PageSpec(IMPORTS, "Imports", "imports", ":material/upload_file:", SECTION_DATA),
        PageSpec("app_pages/data_quality.py", "Data quality", "data_quality", ":material/fact_check:", SECTION_DATA,
                 "What is missing or looks wrong in the figures loaded, with the file each came from."),
        PageSpec(TARGETS, "Targets", "targets", ":material/flag:", SECTION_DATA,
                 "What each measure is judged against, per council and period, and how close counts as amber."),
        PageSpec(PEOPLE, "People and councils", "people", ":material/group:", SECTION_DATA,
                 "Who may see and change which council's own figures (for editors)."),
    ]
    return [spec for spec in specs if spec.exists]


def go_to_overview() -> None:
    """The page at "/": straight on to the Overview's own address, keeping the link's parameters."""
    st.switch_page(OVERVIEW, query_params=st.query_params.to_dict())


def app_pages() -> dict[str, list]:
    """st.navigation's pages by menu section, with the hidden page that serves "/" first."""
    home = st.Page(go_to_overview, title="Overview", url_path=HOME_URL_PATH, default=True, visibility="hidden")
    sections: dict[str, list] = {}
    for spec in page_specs():
        sections.setdefault(spec.section, []).append(
            st.Page(spec.path, title=spec.title, url_path=spec.url_path, icon=spec.icon, help=spec.help or None))
    first = next(iter(sections), SECTION_PERFORMANCE)
    sections.setdefault(first, []).insert(0, home)
    return sections

"""The app's pages as data: file, title, address and section. app.py builds st.navigation from this table.

The Benchmarking page (every council ranked for a measure) belongs in the "In depth" section: it is
listed below and appears in the menu as soon as ``pages/benchmarking.py`` exists.

Each page's address is its file name (``/children_in_care``), the address Streamlit's older
pages-folder mode would give it. Streamlit runs the first page of a new server process in that mode
(a ``pages/`` folder sits beside app.py) before app.py's st.navigation takes over, so matching
addresses mean a link opened first after a restart finds its page instead of "Page not found";
``ensure_app_navigation`` then reruns that first page under app.py's own menu.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import settings
from settings import PROJECT_ROOT


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root, as st.Page and st.page_link want it
    title: str
    url_path: str  # the page part of a shareable link: /measure?measure=cla_count (the file name: see above)
    icon: str
    section: str
    default: bool = False

    @property
    def exists(self) -> bool:
        return (PROJECT_ROOT / self.path).is_file()


def ensure_app_navigation() -> None:
    """Rerun once if this run started in Streamlit's pages-folder mode (only the first run of a process).

    Called first by app.py and every page, so the first visitor after a restart sees app.py's menu
    and start-up (not a list of file names) whichever page they open.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def children_term_title() -> str:
    """The council's words for children looked after, as a page title ('Children in care')."""
    term = settings.CHILDREN_TERM.value()
    return term[:1].upper() + term[1:]


OVERVIEW = "pages/overview.py"
CHILDREN_IN_CARE = "pages/children_in_care.py"
PLACEMENT_STABILITY = "pages/placement_stability.py"
CARE_LEAVERS = "pages/care_leavers.py"
HEALTH = "pages/health.py"
MEASURE = "pages/measure.py"
BENCHMARKING = "pages/benchmarking.py"
IMPORTS = "pages/data.py"

SECTION_PERFORMANCE = "How we are doing"
SECTION_COMPARE = "In depth"
SECTION_DATA = "Data"


def page_specs() -> list[PageSpec]:
    """Every page in menu order, the Benchmarking page only once its file exists."""
    specs = [
        PageSpec(OVERVIEW, "Overview", "overview", ":material/dashboard:", SECTION_PERFORMANCE, default=True),
        PageSpec(CHILDREN_IN_CARE, children_term_title(), "children_in_care", ":material/family_restroom:",
                 SECTION_PERFORMANCE),
        PageSpec(PLACEMENT_STABILITY, "Placement stability", "placement_stability", ":material/home:",
                 SECTION_PERFORMANCE),
        PageSpec(CARE_LEAVERS, "Care leavers", "care_leavers", ":material/school:", SECTION_PERFORMANCE),
        PageSpec(HEALTH, "Health", "health", ":material/health_and_safety:", SECTION_PERFORMANCE),
        PageSpec(MEASURE, "Measure detail", "measure", ":material/query_stats:", SECTION_COMPARE),
        # The Benchmarking page goes here: every council ranked for one measure.
        PageSpec(BENCHMARKING, "Benchmarking", "benchmarking", ":material/leaderboard:", SECTION_COMPARE),
        PageSpec(IMPORTS, "Imports", "data", ":material/upload_file:", SECTION_DATA),
    ]
    return [spec for spec in specs if spec.exists]

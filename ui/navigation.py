"""The app's pages as data: file, title, address and section. app.py builds st.navigation from this table.

The Benchmarking page (every council ranked for a measure) belongs in the "Compare" section: it is
listed below and appears in the menu as soon as ``pages/benchmarking.py`` exists.
"""

from __future__ import annotations

from dataclasses import dataclass

import settings
from settings import PROJECT_ROOT


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root, as st.Page and st.page_link want it
    title: str
    url_path: str  # the page part of a shareable link: /measure?measure=cla_count
    icon: str
    section: str
    default: bool = False

    @property
    def exists(self) -> bool:
        return (PROJECT_ROOT / self.path).is_file()


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
        PageSpec(CHILDREN_IN_CARE, children_term_title(), "children-in-care", ":material/family_restroom:",
                 SECTION_PERFORMANCE),
        PageSpec(PLACEMENT_STABILITY, "Placement stability", "placement-stability", ":material/home:",
                 SECTION_PERFORMANCE),
        PageSpec(CARE_LEAVERS, "Care leavers", "care-leavers", ":material/school:", SECTION_PERFORMANCE),
        PageSpec(HEALTH, "Health", "health", ":material/health_and_safety:", SECTION_PERFORMANCE),
        PageSpec(MEASURE, "Measure detail", "measure", ":material/query_stats:", SECTION_COMPARE),
        # The Benchmarking page goes here: every council ranked for one measure.
        PageSpec(BENCHMARKING, "Benchmarking", "benchmarking", ":material/leaderboard:", SECTION_COMPARE),
        PageSpec(IMPORTS, "Imports", "imports", ":material/upload_file:", SECTION_DATA),
    ]
    return [spec for spec in specs if spec.exists]

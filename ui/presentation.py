"""Presentation mode's slides and look: which slides there are, which one the address asks for, and the
styles that hide the sidebar and enlarge the type for a projector."""

from __future__ import annotations

from dataclasses import dataclass

from metrics.verdict import OverviewVerdict

SLIDE_PARAM = "slide"


# What needs attention, as bullets of up to three lines of projector type each: the first summary slide
# also carries the title, period and summary line, so it takes fewer. A longer list continues on the
# slides after it; nothing is pushed below the Next button or off a 1280x720 screen.
BULLETS_FIRST_SLIDE = 3
BULLETS_LATER_SLIDE = 5


@dataclass(frozen=True)
class Slide:
    measure_code: str | None  # None for a summary slide
    bullets: tuple[str, ...] = ()  # a summary slide's share of what needs attention
    part: int = 1  # which summary slide this is, of ``parts``
    parts: int = 1


def summary_slides(lines: list[str]) -> list[Slide]:
    """What needs attention over as many summary slides as it takes, in the Overview's order."""
    chunks = [lines[:BULLETS_FIRST_SLIDE]]
    chunks += [lines[i:i + BULLETS_LATER_SLIDE] for i in range(BULLETS_FIRST_SLIDE, len(lines), BULLETS_LATER_SLIDE)]
    return [Slide(None, tuple(chunk), number, len(chunks)) for number, chunk in enumerate(chunks, start=1)]


def presentation_slides(overview: OverviewVerdict) -> list[Slide]:
    """The summary (over more than one slide when the list is long), then one slide per measure with a
    figure, in the catalogue's order.

    A measure with no figure is left out rather than shown as an empty chart in front of the committee;
    the summary slide's own count says how many have none.
    """
    lines = [v.line for v in overview.verdicts if v.line]
    return summary_slides(lines) + [Slide(v.measure_code) for v in overview.verdicts if v.has_figure]


def slide_number(asked: str | None, count: int) -> int:
    """The slide the address asks for, kept within 1..count (an old or mistyped link opens the nearest)."""
    try:
        number = int(str(asked).strip())
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), count)


# Hide the sidebar and its toggle, drop the page padding, and enlarge the type: a slide must be read from
# the back of a committee room on a 1280x720 projector. The Page Up/Down buttons exist for a presenter's
# clicker and are hidden (their shortcuts still work).
PRESENTATION_STYLE = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
button[data-testid="stExpandSidebarButton"], div[data-testid="stSidebarNav"] { display: none !important; }
.block-container, div[data-testid="stMainBlockContainer"] { padding-top: 1.2rem !important; max-width: 100% !important; }
.st-key-slide h1 { font-size: 2.4rem !important; padding-bottom: 0.2rem; }
.st-key-slide p, .st-key-slide li { font-size: 1.45rem !important; line-height: 1.45; }
.st-key-slide h3, .st-key-slide h4 { font-size: 1.6rem !important; }
.st-key-page_up, .st-key-page_down { position: absolute; left: -10000px; }
</style>
"""

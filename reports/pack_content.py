"""What a committee pack says, as plain data: the deck writer lays it out, the pack builder fills it.

Kept apart from both so the same content can be checked in a test (every figure, every sentence)
without opening PowerPoint, and so the deck's look can change without touching what it says.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScorecardLine:
    """One measure's row on the scorecard slide, every cell finished text."""

    measure: str  # catalogue short name, abbreviations spelled out
    polarity: str  # "Higher is better", "Lower is better", ""
    latest: str  # "63%"
    period: str  # "2024-25", "March 2025"
    rating: str  # "Off target", "Bottom quartile nationally", "Not rated"
    rating_symbol: str  # "✖", "▲", "✔", "–": the rating never rests on colour alone
    rating_colour: str  # "#B00020": the cell's text colour
    basis: str  # "Target 70% or more", "DfE 2024-25: 63%, 112th of 150"
    neighbours: str  # "61%"
    england: str  # "68%"
    travel: str  # "↑ Better" or ""


@dataclass(frozen=True)
class ChartPage:
    """One chart slide: the picture, what it says in words (alt text), and the commentary."""

    title: str
    image_png: bytes | None  # None when the picture could not be made: the reason goes in ``missing``
    alt_text: str
    explanation: str = ""  # one line under the chart: the definition and target in words
    commentary: str = ""  # what the head of service wrote for the period, "" when nothing
    commentary_by: str = ""  # "Jo Smith, 3 May 2025"
    no_commentary: str = "No commentary was written for this period."  # said when ``commentary`` is "": true
    missing: str = ""  # why there is no picture ("No figures for this measure in the period")
    width_px: int = 0
    height_px: int = 0


@dataclass(frozen=True)
class ThemeSection:
    name: str  # "Placement stability"
    charts: tuple[ChartPage, ...]


@dataclass(frozen=True)
class Definition:
    measure: str
    definition: str
    source: str


@dataclass(frozen=True)
class PackContent:
    council: str
    period_label: str  # "October 2026" or "2024-25"
    made_on: str  # "2 December 2026"
    public: bool
    summary: str  # the Overview's summary line: how many measures need attention and why
    scorecard: tuple[ScorecardLine, ...]
    comparators_note: str  # "Neighbours and England: DfE's published figures for 2024-25"
    themes: tuple[ThemeSection, ...]
    attention: tuple[str, ...]  # every needs-attention line, no cap
    attention_empty: str  # what to say when ``attention`` is empty: only what the verdicts support
    changes: tuple[str, ...]  # what changed since the previous period, one sentence each
    previous_label: str  # the period compared with for ``changes``
    definitions: tuple[Definition, ...]
    sources: tuple[str, ...]  # every source in words
    footnotes: tuple[str, ...] = field(default=())  # public-mode suppression notes and the like
    left_out: tuple[str, ...] = field(default=())  # measures with nothing to show: no slide, listed on the sources slide

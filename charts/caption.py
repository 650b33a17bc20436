"""What an exported chart must say about itself so it explains itself pasted into a committee paper.

A view builder fills one ``ChartCaption`` per chart (it knows the measure, council, period, target,
comparators, rating and sources); the static exporter bakes it into the PNG and SVG around the figure.
Every field is finished text in plain words, or empty when there is nothing true to say.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartCaption:
    title: str  # the measure in plain words: "Children in care per 10,000 children"
    council: str  # "Cheshire East"
    period: str  # "April 2023 to March 2025", or "2024-25"
    target: str = ""  # "Target: 10% or less (April 2024 to March 2025)", "" when none is set
    comparators: str = ""  # "Neighbours, North West and England: DfE figures for 2024-25"
    rating: str = ""  # "Off target", "Bottom quartile nationally (112th of 150)"
    source: str = ""  # "Source: council return, loaded 3 May 2024; DfE: Children looked after in England, 2025"
    commentary: str = ""  # the latest commentary for the period shown, "" when none
    polarity: str = ""  # "Higher is better" / "Lower is better" / "" when neither

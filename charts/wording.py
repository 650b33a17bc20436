"""The words a chart uses for a measure: abbreviations spelt out on first use.

A councillor reading a projected chart cannot hover over 'SDQ' to find out what it is, and a report
writer should not have to retype a title. The catalogue's short names (data/measures.csv) stay short
for the pages; charts spell an abbreviation out the first time it appears in the title.
"""

from __future__ import annotations

import re

from reference.catalogue import Measure

ABBREVIATIONS = {"SDQ": "Strengths and Difficulties Questionnaire"}


def spell_out(text: str) -> str:
    """'Emotional wellbeing (SDQ score)' -> 'Emotional wellbeing: SDQ (Strengths and Difficulties Questionnaire) score'.

    Only the first use of each abbreviation is spelt out, and never twice when the text already does.
    An abbreviation inside brackets takes the brackets' place, so the result has no brackets in brackets.
    """
    for short, meaning in ABBREVIATIONS.items():
        if meaning.lower() in text.lower():
            continue
        word = re.compile(rf"\b{re.escape(short)}\b")
        bracketed = re.compile(rf"\s*\(([^()]*\b{re.escape(short)}\b[^()]*)\)")
        inner = bracketed.search(text)
        if inner:
            spelt = word.sub(f"{short} ({meaning})", inner.group(1), count=1)
            text = f"{text[:inner.start()]}: {spelt}{text[inner.end():]}".strip()
            if text.startswith(": "):
                text = text[2:]
            continue
        text = word.sub(f"{short} ({meaning})", text, count=1)
    return text


def chart_title(measure: Measure, suffix: str = "") -> str:
    """The measure's short name for a chart title, abbreviations spelt out, with any words after it."""
    return spell_out(f"{measure.short_name}{suffix}")


def axis_title(measure: Measure) -> str:
    """The value axis title: 'Average SDQ score' for the SDQ score, otherwise the unit's axis title."""
    if measure.unit == "score":
        found = next((short for short in ABBREVIATIONS if re.search(rf"\b{short}\b", measure.short_name)), None)
        if found:
            return f"Average {found} score"
    return measure.axis_title

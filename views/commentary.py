"""What is said beside a commentary wherever it is shown (the measure page, a chart's caption and hover
text, the committee pack): its text as written and, when the council's figure for its period has since
been withdrawn by an undo, a sentence saying so, so a commentary never silently explains a figure that
no chart shows any more.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import replace
from datetime import date

import pandas as pd

from db.queries import CommentaryNote
from metrics.formatting import format_period


def withdrawn_words(period_end: object, period_words: str = "") -> str:
    """'The figure for October 2026 was withdrawn: the return that gave it was undone.'

    Figures are only ever removed by undoing the batch that loaded them, and a commentary is only ever
    written for a period that had a figure, so this is true whenever the period has no figure now.
    """
    period = period_words or format_period("month", period_end)
    return f"The figure for {period} was withdrawn: the return that gave it was undone."


def withdrawn_note(period_end: object, figure_periods: Container[date], period_words: str = "") -> str:
    """The sentence for a commentary whose period has no figure now (``figure_periods`` are the periods
    the council has a figure for), else ''."""
    day = pd.Timestamp(period_end).date()
    return "" if day in figure_periods else withdrawn_words(day, period_words)


def note_text(note: CommentaryNote) -> str:
    """A current commentary as charts and the pack show it: the withdrawn figure's sentence first (where a
    picture shortens a long text, the sentence still shows), then the text as written."""
    if not note.figure_withdrawn:
        return note.text
    return f"({withdrawn_words(note.period_end)}) {note.text}"


def as_shown(notes: Iterable[CommentaryNote]) -> list[CommentaryNote]:
    """The notes with each text as shown (``note_text``), for chart markers, captions and the pack."""
    return [replace(note, text=note_text(note)) for note in notes]

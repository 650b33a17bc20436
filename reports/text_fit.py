"""How much room text takes on a slide, measured with the deck's own font, so the deck decides what fits.

PowerPoint and LibreOffice never cut text that overflows a box: they draw it over whatever is below (the
footer, the chart). So the deck measures every block before placing it and moves what does not fit to a
following slide. Widths come from the font's real metrics: Arial where it is installed, else Liberation
Sans, which has Arial's widths character for character and is what LibreOffice draws Arial with on Linux.
With neither font, a conservative width per character (wider than Arial's widest common letters on
average) keeps the estimate on the safe side: a slide may end early, text never runs off.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pptx.util import Emu, Pt

FONT_FILES = {  # Arial first (PowerPoint's own), then its metric twin Liberation Sans
    False: ("Arial.ttf", "arial.ttf", "LiberationSans-Regular.ttf"),
    True: ("Arial Bold.ttf", "arialbd.ttf", "LiberationSans-Bold.ttf"),
}
FALLBACK_EM_PER_CHARACTER = {False: 0.62, True: 0.68}  # Arial averages about 0.5 em a character
LINE_HEIGHT_EM = 1.2  # single spacing as PowerPoint sets it (LibreOffice's is 1.15: this errs on the safe side)
MEASURE_POINTS = 100  # the size text is measured at, scaled to the size it is drawn at
WIDTH_SAFETY = 1.03  # kerning and hinting differ a little between renderers: keep 3% in hand
INSET_X, INSET_Y = Emu(91440), Emu(45720)  # a text box's default inner margins: 0.1 inch sides, 0.05 inch top and bottom


@dataclass(frozen=True)
class TextStyle:
    size: float  # points
    bold: bool = False

    @property
    def line_height(self) -> int:
        """One line's height in EMU."""
        return int(Pt(self.size * LINE_HEIGHT_EM))


@functools.lru_cache(maxsize=4)
def _font(bold: bool):
    """The deck's font at MEASURE_POINTS, or None when neither Arial nor Liberation Sans is installed."""
    from PIL import ImageFont

    for name in FONT_FILES[bold]:
        try:
            return ImageFont.truetype(name, MEASURE_POINTS)
        except OSError:
            continue
    return None


def text_width(text: str, style: TextStyle) -> int:
    """The width of one line of ``text`` in EMU."""
    font = _font(style.bold)
    if font is None:
        points = len(text) * FALLBACK_EM_PER_CHARACTER[style.bold] * style.size
    else:
        points = font.getlength(text) * style.size / MEASURE_POINTS
    return int(Pt(points * WIDTH_SAFETY))


def _line_spans(paragraph: str, style: TextStyle, width: int) -> list[tuple[int, int]]:
    """(start, end) of each line of one paragraph in a box ``width`` EMU wide (inner width): broken at
    spaces, a word wider than the box broken where it must be. The space a line breaks at belongs to
    neither line."""
    spans: list[tuple[int, int]] = []
    start = end = 0  # the current line is paragraph[start:end]
    position = 0
    for word in paragraph.split(" "):
        word_start, word_end = position, position + len(word)
        position = word_end + 1
        if end > start and text_width(paragraph[start:word_end], style) <= width:
            end = word_end
            continue
        if end > start:
            spans.append((start, end))
        start, end = word_start, word_end
        while end - start > 1 and text_width(paragraph[start:end], style) > width:  # a word longer than the box
            cut = end - 1
            while cut > start + 1 and text_width(paragraph[start:cut], style) > width:
                cut -= 1
            spans.append((start, cut))
            start = cut
    spans.append((start, end))
    return spans


def wrap(text: str, style: TextStyle, width: int) -> list[str]:
    """``text`` broken into the lines a box ``width`` EMU wide (inner width) shows. Each paragraph ('\\n')
    starts a new line; an empty paragraph is one empty line."""
    return [paragraph[a:b] for paragraph in text.split("\n") for a, b in _line_spans(paragraph, style, width)]


def box_height(lines: int, style: TextStyle, space_after: float = 0) -> int:
    """The height in EMU of a text box holding ``lines`` lines (with its inner margins)."""
    return lines * style.line_height + int(Pt(space_after)) + 2 * INSET_Y


def text_height(text: str, style: TextStyle, box_width: int) -> int:
    """The height in EMU of a text box ``box_width`` EMU wide (outer width) holding ``text``."""
    return box_height(len(wrap(text, style, box_width - 2 * INSET_X)), style)


def split_to_fit(text: str, style: TextStyle, box_width: int, box_height_emu: int) -> tuple[str, str]:
    """(what fits in a box of this outer size, the rest), split between words; the rest is '' when it all
    fits. Paragraph breaks are kept; a paragraph split across boxes continues in the next one."""
    inner = box_width - 2 * INSET_X
    room = max(0, (box_height_emu - 2 * INSET_Y) // style.line_height)
    paragraphs = text.split("\n")
    kept: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        spans = _line_spans(paragraph, style, inner)
        if len(spans) <= room:
            kept.append(paragraph)
            room -= len(spans)
            continue
        if room:
            cut = spans[room - 1][1]
            kept.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip(" ")
        return "\n".join(kept), "\n".join([paragraph, *paragraphs[index + 1:]])
    return "\n".join(kept), ""

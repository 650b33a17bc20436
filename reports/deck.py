"""The committee pack as a PowerPoint deck: PackContent laid out as slides that look like a council paper.

Plain and accessible rather than decorated: one sans-serif font, dark text on white, a thin accent rule,
text at 14 points or more so it reads on a projector and in print, every picture with alt text (published
papers must be accessible), and ratings written as words and symbols, never as colour alone. Long lists
(the scorecard, what needs attention, definitions) run on to continuation slides rather than shrinking.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from reports.pack_content import ChartPage, PackContent, ScorecardLine

FONT = "Arial"
INK = RGBColor(0x1F, 0x24, 0x2E)
MUTED = RGBColor(0x4A, 0x50, 0x5C)
ACCENT = RGBColor(0x1D, 0x4E, 0x89)
RULE = RGBColor(0xC8, 0xCE, 0xD6)
BAND = RGBColor(0xF2, 0xF4, 0xF7)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)  # 16:9, PowerPoint's default widescreen
MARGIN = Inches(0.5)
TITLE_TOP, TITLE_H = Inches(0.35), Inches(0.8)
BODY_TOP = Inches(1.35)
FOOTER_TOP = Inches(7.0)
BLANK_LAYOUT = 6  # "Blank" in python-pptx's default template


@dataclass(frozen=True)
class Pagination:
    """How many rows each continued slide holds, chosen so text stays at its full size."""

    scorecard_rows: int = 7  # 8 rows of three-line SDQ names run into the footer
    lines: int = 9
    definitions: int = 5


PAGES = Pagination()
SCORECARD_COLUMNS = (  # (heading, width in inches, the line's attribute)
    ("Measure", 3.2, "measure"),
    ("Latest", 1.2, "latest"),
    ("Rating", 2.2, "rating"),
    ("Judged on", 2.45, "basis"),
    ("Neighbours", 1.25, "neighbours"),
    ("England", 1.1, "england"),
    ("Trend", 0.93, "travel"),
)


def chunks(items: Sequence, size: int) -> list[Sequence]:
    """``items`` in runs of ``size`` (at least one run, so an empty list still gets its slide)."""
    return [items[i:i + size] for i in range(0, len(items), size)] or [items[:0]]


def _run_style(run, size: float, bold: bool = False, colour: RGBColor = INK) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _text_box(slide, left, top, width, height, text: str, size: float = 16, bold: bool = False,
              colour: RGBColor = INK, align=PP_ALIGN.LEFT):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    paragraphs = text.split("\n")
    for i, line in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        _run_style(run, size, bold, colour)
    return box


def _rule(slide, top) -> None:
    line = slide.shapes.add_shape(1, MARGIN, top, SLIDE_W - 2 * MARGIN, Emu(12700))  # 1 = rectangle
    line.fill.solid()
    line.fill.fore_color.rgb = ACCENT
    line.line.fill.background()


class DeckWriter:
    """Adds the pack's slides in order; ``save`` returns the .pptx bytes."""

    def __init__(self, content: PackContent) -> None:
        self.content = content
        self.deck = Presentation()
        self.deck.slide_width, self.deck.slide_height = SLIDE_W, SLIDE_H
        self.deck.core_properties.title = f"{content.council}: corporate parenting performance, {content.period_label}"
        self.deck.core_properties.subject = "Corporate parenting committee pack"
        self.deck.core_properties.author = content.council

    # ---- slide furniture -----------------------------------------------------------------------------

    def _slide(self, title: str):
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[BLANK_LAYOUT])
        _text_box(slide, MARGIN, TITLE_TOP, SLIDE_W - 2 * MARGIN, TITLE_H, title, size=28, bold=True)
        _rule(slide, TITLE_TOP + TITLE_H)
        number = len(self.deck.slides)
        mode = " · Public version: small numbers not shown" if self.content.public else ""
        _text_box(slide, MARGIN, FOOTER_TOP, SLIDE_W - 2 * MARGIN - Inches(1), Inches(0.4),
                  f"{self.content.council} · Corporate parenting performance · {self.content.period_label}{mode}",
                  size=11, colour=MUTED)
        _text_box(slide, SLIDE_W - MARGIN - Inches(1), FOOTER_TOP, Inches(1), Inches(0.4), str(number),
                  size=11, colour=MUTED, align=PP_ALIGN.RIGHT)
        return slide

    def _bullets(self, slide, lines: Iterable[str], top=BODY_TOP, height=None, size: float = 18) -> None:
        box = slide.shapes.add_textbox(MARGIN, top, SLIDE_W - 2 * MARGIN, height or (FOOTER_TOP - top - Inches(0.1)))
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(8)
            run = paragraph.add_run()
            run.text = f"•  {line}"
            _run_style(run, size)

    @staticmethod
    def _continued(title: str, part: int, parts: int) -> str:
        return title if parts == 1 else f"{title} ({part} of {parts})"

    # ---- the pages -----------------------------------------------------------------------------------

    def title_slide(self) -> None:
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[BLANK_LAYOUT])
        _text_box(slide, MARGIN, Inches(2.1), SLIDE_W - 2 * MARGIN, Inches(1.2), self.content.council, size=40, bold=True)
        _rule(slide, Inches(3.35))
        _text_box(slide, MARGIN, Inches(3.55), SLIDE_W - 2 * MARGIN, Inches(1.6),
                  f"How well are we looking after the children in our care?\n"
                  f"Corporate parenting performance: {self.content.period_label}",
                  size=24, colour=INK)
        made = f"Prepared {self.content.made_on} from the performance dashboard."
        if self.content.public:
            made += " Public version: figures based on small numbers are not shown."
        _text_box(slide, MARGIN, Inches(5.6), SLIDE_W - 2 * MARGIN, Inches(0.8), made, size=16, colour=MUTED)

    def scorecard_slides(self) -> None:
        lines = self.content.scorecard
        parts = chunks(lines, PAGES.scorecard_rows)
        for part, rows in enumerate(parts, start=1):
            slide = self._slide(self._continued("Scorecard", part, len(parts)))
            top = BODY_TOP
            if part == 1 and self.content.summary:
                _text_box(slide, MARGIN, top, SLIDE_W - 2 * MARGIN, Inches(0.6), self.content.summary, size=16)
                top += Inches(0.6)
            self._scorecard_table(slide, rows, top)
            notes = [self.content.comparators_note, *self.content.footnotes]
            _text_box(slide, MARGIN, FOOTER_TOP - Inches(0.5), SLIDE_W - 2 * MARGIN, Inches(0.45),
                      " ".join(n for n in notes if n), size=11, colour=MUTED)

    def _scorecard_table(self, slide, rows: Sequence[ScorecardLine], top) -> None:
        height = Inches(0.5) * (len(rows) + 1)
        shape = slide.shapes.add_table(len(rows) + 1, len(SCORECARD_COLUMNS), MARGIN, top,
                                       SLIDE_W - 2 * MARGIN, height)
        table = shape.table
        for col, (heading, width, _) in enumerate(SCORECARD_COLUMNS):
            table.columns[col].width = Inches(width)
            self._cell(table.cell(0, col), heading, 14, bold=True, colour=WHITE, fill=ACCENT)
        for r, line in enumerate(rows, start=1):
            fill = BAND if r % 2 == 0 else WHITE
            for col, (_, _, attribute) in enumerate(SCORECARD_COLUMNS):
                text = getattr(line, attribute)
                colour = INK
                if attribute == "rating":
                    text = f"{line.rating_symbol} {line.rating}".strip()
                    colour = _rgb(line.rating_colour) or INK
                if attribute == "measure" and line.polarity:
                    text = f"{line.measure}\n{line.polarity.lower()}"
                self._cell(table.cell(r, col), text, 13, bold=attribute in ("measure", "rating"), colour=colour,
                           fill=fill, second_line_small=attribute == "measure")

    @staticmethod
    def _cell(cell, text: str, size: float, bold: bool = False, colour: RGBColor = INK, fill: RGBColor = WHITE,
              second_line_small: bool = False) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        cell.margin_left = cell.margin_right = Inches(0.06)
        cell.margin_top = cell.margin_bottom = Inches(0.03)
        frame = cell.text_frame
        frame.word_wrap = True
        for i, line in enumerate(text.split("\n")):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            small = second_line_small and i > 0
            _run_style(run, size - 2 if small else size, bold and not small, MUTED if small else colour)

    def theme_slides(self) -> None:
        for theme in self.content.themes:
            for chart in theme.charts:
                self.chart_slide(theme.name, chart)

    def chart_slide(self, theme: str, chart: ChartPage) -> None:
        slide = self._slide(f"{theme}: {chart.title}")
        picture_w = Inches(9.0)
        side_left = MARGIN + picture_w + Inches(0.25)
        side_w = SLIDE_W - MARGIN - side_left
        if chart.image_png:
            height = picture_w * chart.height_px // chart.width_px if chart.width_px else Inches(5.06)
            height = min(height, FOOTER_TOP - BODY_TOP - Inches(0.55))
            width = height * chart.width_px // chart.height_px if chart.height_px else picture_w
            picture = slide.shapes.add_picture(io.BytesIO(chart.image_png), MARGIN, BODY_TOP, width, height)
            picture.name = chart.title[:60]
            picture._element.nvPicPr.cNvPr.set("descr", chart.alt_text)  # alt text: no public API in python-pptx
            picture._element.nvPicPr.cNvPr.set("title", chart.title)
        else:
            _text_box(slide, MARGIN, BODY_TOP, picture_w, Inches(1.5), chart.missing or "No chart.", size=18,
                      colour=MUTED)
        _text_box(slide, side_left, BODY_TOP, side_w, Inches(0.45), "Commentary", size=18, bold=True, colour=ACCENT)
        commentary = chart.commentary or chart.no_commentary
        box = _text_box(slide, side_left, BODY_TOP + Inches(0.5), side_w, Inches(4.2), commentary, size=15,
                        colour=INK if chart.commentary else MUTED)
        box.text_frame.auto_size = None
        if chart.commentary_by:
            _text_box(slide, side_left, BODY_TOP + Inches(4.75), side_w, Inches(0.4), chart.commentary_by, size=12,
                      colour=MUTED)
        if chart.explanation:
            _text_box(slide, MARGIN, FOOTER_TOP - Inches(0.5), SLIDE_W - 2 * MARGIN, Inches(0.45), chart.explanation,
                      size=12, colour=MUTED)

    def list_slides(self, title: str, lines: Sequence[str], empty: str, intro: str = "") -> None:
        parts = chunks(list(lines), PAGES.lines)
        for part, run in enumerate(parts, start=1):
            slide = self._slide(self._continued(title, part, len(parts)))
            top = BODY_TOP
            if intro and part == 1:
                _text_box(slide, MARGIN, top, SLIDE_W - 2 * MARGIN, Inches(0.5), intro, size=16, colour=MUTED)
                top += Inches(0.6)
            self._bullets(slide, run or [empty], top=top)

    def definition_slides(self) -> None:
        definitions = self.content.definitions
        parts = chunks(definitions, PAGES.definitions)
        for part, run in enumerate(parts, start=1):
            slide = self._slide(self._continued("Measures and sources", part, len(parts)))
            shape = slide.shapes.add_table(len(run) + 1, 3, MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN,
                                           Inches(0.9) * (len(run) + 1))
            table = shape.table
            for col, (heading, width) in enumerate((("Measure", 2.8), ("What it counts", 6.6), ("Source", 2.93))):
                table.columns[col].width = Inches(width)
                self._cell(table.cell(0, col), heading, 14, bold=True, colour=WHITE, fill=ACCENT)
            for r, item in enumerate(run, start=1):
                fill = BAND if r % 2 == 0 else WHITE
                self._cell(table.cell(r, 0), item.measure, 13, bold=True, fill=fill)
                self._cell(table.cell(r, 1), item.definition, 12, fill=fill)
                self._cell(table.cell(r, 2), item.source, 12, fill=fill)
        if self.content.sources:
            self.list_slides("Where the figures come from", self.content.sources, "No figures.")

    def save(self) -> bytes:
        out = io.BytesIO()
        self.deck.save(out)
        return out.getvalue()


def _rgb(hex_colour: str) -> RGBColor | None:
    text = (hex_colour or "").lstrip("#")
    return RGBColor.from_string(text.upper()) if len(text) == 6 else None


def write_deck(content: PackContent) -> bytes:
    """The whole pack, in the order the committee reads it."""
    writer = DeckWriter(content)
    writer.title_slide()
    writer.scorecard_slides()
    writer.theme_slides()
    writer.list_slides("What needs attention", content.attention, content.attention_empty)
    writer.list_slides(f"What changed since {content.previous_label}" if content.previous_label else "What changed",
                       content.changes, "No rating changed since the previous period.")
    writer.definition_slides()
    return writer.save()

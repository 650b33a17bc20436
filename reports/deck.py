"""The committee pack as a PowerPoint deck: PackContent laid out as slides that look like a council paper.

Plain and accessible rather than decorated: one sans-serif font, dark text on white, a thin accent rule,
text at 14 points or more so it reads on a projector and in print, every picture with alt text (published
papers must be accessible), and ratings written as words and symbols, never as colour alone. Long lists
(the scorecard, what needs attention, definitions) run on to continuation slides rather than shrinking.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from reports.pack_content import ChartPage, PackContent, ScorecardLine
from reports.text_fit import TextStyle, split_to_fit, text_height, wrap

FONT = "Arial"
INK = RGBColor(0x1F, 0x24, 0x2E)
MUTED = RGBColor(0x4A, 0x50, 0x5C)
ACCENT = RGBColor(0x1D, 0x4E, 0x89)
RULE = RGBColor(0xC8, 0xCE, 0xD6)
BAND = RGBColor(0xF2, 0xF4, 0xF7)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)  # 16:9, PowerPoint's default widescreen
MARGIN = Inches(0.5)
BODY_W = SLIDE_W - 2 * MARGIN
TITLE_TOP, TITLE_H = Inches(0.35), Inches(0.8)
BODY_GAP = Inches(0.2)  # between the title's rule and the body
BODY_TOP = TITLE_TOP + TITLE_H + BODY_GAP  # under a one-line title
FOOTER_TOP = Inches(7.0)
BODY_BOTTOM = FOOTER_TOP - Inches(0.08)  # nothing of the body reaches below this: the footer's own strip
BLOCK_SPACE_POINTS = 7.2  # between two blocks of text (a tenth of an inch)
BLOCK_GAP = Pt(BLOCK_SPACE_POINTS)
BLANK_LAYOUT = 6  # "Blank" in python-pptx's default template

TITLE_STYLES = (TextStyle(28, bold=True), TextStyle(24, bold=True))  # a long title steps down once, then wraps
BULLET = TextStyle(18)
INTRO = TextStyle(16)
NOTE = TextStyle(11)
EXPLANATION = TextStyle(12)
COMMENTARY = TextStyle(15)
COMMENTARY_HEADING = TextStyle(18, bold=True)
BY_LINE = TextStyle(12)
PICTURE_W = Inches(9.0)
SIDE_GAP = Inches(0.25)
CONTINUES = "Continued on the next slide."

CELL_MARGIN_X, CELL_MARGIN_Y = Inches(0.06), Inches(0.03)
HEADER_CELL = TextStyle(14, bold=True)
SCORECARD_ROW_MIN = Inches(0.5)
DEFINITION_ROW_MIN = Inches(0.6)
SCORECARD_COLUMNS = (  # (heading, width in inches, the line's attribute)
    ("Measure", 3.2, "measure"),
    ("Latest", 1.2, "latest"),
    ("Rating", 2.2, "rating"),
    ("Judged on", 2.45, "basis"),
    ("Neighbours", 1.25, "neighbours"),
    ("England", 1.1, "england"),
    ("Trend", 0.93, "travel"),
)
DEFINITION_COLUMNS = (("Measure", 2.8), ("What it counts", 6.6), ("Source", 2.93))


@dataclass(frozen=True)
class Line:
    """One paragraph of a table cell: its text, style and colour."""

    text: str
    style: TextStyle
    colour: RGBColor = INK


@dataclass(frozen=True)
class Block:
    """One paragraph of a text slide (a bullet, an introduction), flowed on to the next slide if need be."""

    text: str
    style: TextStyle = BULLET
    colour: RGBColor = INK
    bullet: bool = True


def cell_height(lines: Sequence[Line], width: int) -> int:
    """The height a table cell ``width`` EMU wide takes to show ``lines`` without cutting any."""
    inner = width - 2 * CELL_MARGIN_X
    return sum(len(wrap(line.text, line.style, inner)) * line.style.line_height for line in lines) + 2 * CELL_MARGIN_Y


def row_height(cells: Sequence[Sequence[Line]], widths: Sequence[float], least: int) -> int:
    return max([least, *(cell_height(lines, Inches(w)) for lines, w in zip(cells, widths, strict=True))])


def paginate(heights: Sequence[int], first_room: int, room: int) -> list[range]:
    """Indexes of ``heights`` in runs that fit: the first slide has ``first_room``, the others ``room``.
    An item taller than a whole slide still gets a slide of its own (nothing is dropped)."""
    pages: list[range] = []
    start, used, limit = 0, 0, first_room
    for index, height in enumerate(heights):
        if used + height > limit and index > start:
            pages.append(range(start, index))
            start, used, limit = index, 0, room
        used += height
    pages.append(range(start, len(heights)))
    return pages


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
    frame.auto_size = MSO_AUTO_SIZE.NONE  # the box keeps the size it was measured for
    paragraphs = text.split("\n")
    for i, line in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        _run_style(run, size, bold, colour)
    return box


def _styled_box(slide, left, top, width, text: str, style: TextStyle, colour: RGBColor = INK) -> int:
    """A text box exactly as tall as ``text`` needs; returns that height."""
    height = text_height(text, style, width)
    _text_box(slide, left, top, width, height, text, size=style.size, bold=style.bold, colour=colour)
    return height


def _rule(slide, top) -> None:
    line = slide.shapes.add_shape(1, MARGIN, top, SLIDE_W - 2 * MARGIN, Emu(12700))  # 1 = rectangle
    line.fill.solid()
    line.fill.fore_color.rgb = ACCENT
    line.line.fill.background()


def title_layout(title: str) -> tuple[TextStyle, int]:
    """The title's style and box height: 28 points on one line, else 24 points, wrapping if it must."""
    for style in TITLE_STYLES:
        if len(wrap(title, style, BODY_W - 2 * Inches(0.1))) == 1:
            return style, TITLE_H
    style = TITLE_STYLES[-1]
    return style, max(TITLE_H, text_height(title, style, BODY_W))


def body_top(title: str) -> int:
    """Where a slide's body starts under its title (lower under a title that wraps)."""
    return TITLE_TOP + title_layout(title)[1] + BODY_GAP


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
        """A new slide with its title, rule and footer; the body starts at ``body_top(title)``."""
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[BLANK_LAYOUT])
        style, height = title_layout(title)
        _text_box(slide, MARGIN, TITLE_TOP, BODY_W, height, title, size=style.size, bold=True)
        _rule(slide, TITLE_TOP + height)
        number = len(self.deck.slides)
        mode = " · Public version: small numbers not shown" if self.content.public else ""
        _text_box(slide, MARGIN, FOOTER_TOP, SLIDE_W - 2 * MARGIN - Inches(1), Inches(0.4),
                  f"{self.content.council} · Corporate parenting performance · {self.content.period_label}{mode}",
                  size=11, colour=MUTED)
        _text_box(slide, SLIDE_W - MARGIN - Inches(1), FOOTER_TOP, Inches(1), Inches(0.4), str(number),
                  size=11, colour=MUTED, align=PP_ALIGN.RIGHT)
        return slide

    @staticmethod
    def _continued(title: str, part: int, parts: int) -> str:
        return title if parts == 1 else f"{title} ({part} of {parts})"

    def _bottom_note(self, slide, text: str, style: TextStyle) -> int:
        """``text`` placed just above the footer; returns its top (where the body must stop)."""
        if not text:
            return BODY_BOTTOM
        height = text_height(text, style, BODY_W)
        top = BODY_BOTTOM - height
        _text_box(slide, MARGIN, top, BODY_W, height, text, size=style.size, colour=MUTED)
        return top

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
        """The scorecard, as many rows a slide as fit at full size: every row is on a slide, none runs off."""
        lines = self.content.scorecard
        cells = [self._scorecard_cells(line) for line in lines]
        widths = [width for _, width, _ in SCORECARD_COLUMNS]
        heights = [row_height(row, widths, SCORECARD_ROW_MIN) for row in cells]
        header = row_height([[Line(h, HEADER_CELL)] for h, _, _ in SCORECARD_COLUMNS], widths, SCORECARD_ROW_MIN)
        notes = " ".join(n for n in (self.content.comparators_note, *self.content.footnotes) if n)
        notes_top = BODY_BOTTOM - text_height(notes, NOTE, BODY_W) if notes else BODY_BOTTOM
        title = "Scorecard (1 of 9)"  # the widest title the scorecard has, for the room its body gets
        summary_h = text_height(self.content.summary, INTRO, BODY_W) + BLOCK_GAP if self.content.summary else 0
        room = notes_top - BLOCK_GAP - body_top(title) - header
        pages = paginate(heights, room - summary_h, room)
        for part, rows in enumerate(pages, start=1):
            slide = self._slide(self._continued("Scorecard", part, len(pages)))
            top = body_top(self._continued("Scorecard", part, len(pages)))
            if part == 1 and self.content.summary:
                top += _styled_box(slide, MARGIN, top, BODY_W, self.content.summary, INTRO) + BLOCK_GAP
            self._table(slide, top, [h for h, _, _ in SCORECARD_COLUMNS], widths, header,
                        [cells[i] for i in rows], [heights[i] for i in rows])
            self._bottom_note(slide, notes, NOTE)

    @staticmethod
    def _scorecard_cells(line: ScorecardLine) -> list[list[Line]]:
        row = []
        for _, _, attribute in SCORECARD_COLUMNS:
            if attribute == "measure":
                cell = [Line(line.measure, TextStyle(13, bold=True))]
                if line.polarity:
                    cell.append(Line(line.polarity.lower(), TextStyle(11), MUTED))
            elif attribute == "rating":
                cell = [Line(f"{line.rating_symbol} {line.rating}".strip(), TextStyle(13, bold=True),
                             _rgb(line.rating_colour) or INK)]
            else:
                cell = [Line(getattr(line, attribute), TextStyle(13))]
            row.append(cell)
        return row

    def _table(self, slide, top, headings: Sequence[str], widths: Sequence[float], header_h: int,
               rows: Sequence[Sequence[Sequence[Line]]], heights: Sequence[int]) -> None:
        """A table with a header row, each row as tall as its measured text, banded."""
        shape = slide.shapes.add_table(len(rows) + 1, len(headings), MARGIN, top, BODY_W, header_h + sum(heights))
        table = shape.table
        table.rows[0].height = header_h
        for col, (heading, width) in enumerate(zip(headings, widths, strict=True)):
            table.columns[col].width = Inches(width)
            self._cell(table.cell(0, col), [Line(heading, HEADER_CELL, WHITE)], fill=ACCENT)
        for r, (row, height) in enumerate(zip(rows, heights, strict=True), start=1):
            table.rows[r].height = height
            fill = BAND if r % 2 == 0 else WHITE
            for col, lines in enumerate(row):
                self._cell(table.cell(r, col), lines, fill=fill)

    @staticmethod
    def _cell(cell, lines: Sequence[Line], fill: RGBColor = WHITE) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        cell.margin_left = cell.margin_right = CELL_MARGIN_X
        cell.margin_top = cell.margin_bottom = CELL_MARGIN_Y
        frame = cell.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line.text
            _run_style(run, line.style.size, line.style.bold, line.colour)

    def theme_slides(self) -> None:
        for theme in self.content.themes:
            for chart in theme.charts:
                self.chart_slide(theme.name, chart)

    def chart_slide(self, theme: str, chart: ChartPage) -> None:
        """The chart, its commentary beside it and its latest figure under it. A commentary longer than
        the column continues on the slides after, word for word: nothing is cut."""
        title = f"{theme}: {chart.title}"
        slide = self._slide(title)
        top = body_top(title)
        bottom = self._bottom_note(slide, chart.explanation, EXPLANATION) - BLOCK_GAP
        side_left = MARGIN + PICTURE_W + SIDE_GAP
        side_w = SLIDE_W - MARGIN - side_left
        if chart.image_png:
            height = PICTURE_W * chart.height_px // chart.width_px if chart.width_px else Inches(5.06)
            height = min(height, bottom - top)
            width = height * chart.width_px // chart.height_px if chart.height_px else PICTURE_W
            picture = slide.shapes.add_picture(io.BytesIO(chart.image_png), MARGIN, top, width, height)
            picture.name = chart.title[:60]
            picture._element.nvPicPr.cNvPr.set("descr", chart.alt_text)  # alt text: no public API in python-pptx
            picture._element.nvPicPr.cNvPr.set("title", chart.title)
        else:
            _styled_box(slide, MARGIN, top, PICTURE_W, chart.missing or "No chart.", BULLET, MUTED)
        top += _styled_box(slide, side_left, top, side_w, "Commentary", COMMENTARY_HEADING, ACCENT)
        commentary = chart.commentary or chart.no_commentary
        colour = INK if chart.commentary else MUTED
        by = text_height(chart.commentary_by, BY_LINE, side_w) if chart.commentary_by else 0
        if text_height(commentary, COMMENTARY, side_w) + by <= bottom - top:
            top += _styled_box(slide, side_left, top, side_w, commentary, COMMENTARY, colour)
            if chart.commentary_by:
                _styled_box(slide, side_left, top, side_w, chart.commentary_by, BY_LINE, MUTED)
            return
        room = bottom - top - text_height(CONTINUES, BY_LINE, side_w)
        shown, rest = split_to_fit(commentary, COMMENTARY, side_w, room)
        top += _styled_box(slide, side_left, top, side_w, shown, COMMENTARY, colour)
        _styled_box(slide, side_left, top, side_w, CONTINUES, BY_LINE, MUTED)
        blocks = [Block("Commentary (continued)", COMMENTARY_HEADING, ACCENT, bullet=False),
                  Block(rest, COMMENTARY, colour, bullet=False)]
        if chart.commentary_by:
            blocks.append(Block(chart.commentary_by, BY_LINE, MUTED, bullet=False))
        self.text_slides(f"{title} (continued)", blocks, numbered=False)

    def text_slides(self, title: str, blocks: Sequence[Block], numbered: bool = True) -> None:
        """``blocks`` one under another, on as many slides as they need at full size. A block that does not
        fit where it falls starts the next slide; one longer than a whole slide is split between words."""
        pages: list[list[tuple[Block, str]]] = [[]]
        room = BODY_BOTTOM - body_top(f"{title} (1 of 9)")
        left = room
        for block in blocks:
            text = f"•  {block.text}" if block.bullet else block.text
            while text:
                height = text_height(text, block.style, BODY_W)
                if height <= left:
                    pages[-1].append((block, text))
                    left -= height + BLOCK_GAP
                    break
                if pages[-1] and height <= room:
                    pages.append([])
                    left = room
                    continue
                shown, text = split_to_fit(text, block.style, BODY_W, left)
                if shown:
                    pages[-1].append((block, shown))
                pages.append([])
                left = room
        pages = [page for page in pages if page] or [[]]
        for part, page in enumerate(pages, start=1):
            heading = self._continued(title, part, len(pages)) if numbered else title
            slide = self._slide(heading)
            top = body_top(heading)
            box = slide.shapes.add_textbox(MARGIN, top, BODY_W, BODY_BOTTOM - top)
            frame = box.text_frame
            frame.word_wrap = True
            frame.auto_size = MSO_AUTO_SIZE.NONE
            for i, (block, text) in enumerate(page):  # one box a slide: the blocks sit as they are measured
                for j, line in enumerate(text.split("\n")):
                    paragraph = frame.paragraphs[0] if i == j == 0 else frame.add_paragraph()
                    paragraph.space_after = Pt(BLOCK_SPACE_POINTS) if j == text.count("\n") else Pt(0)
                    run = paragraph.add_run()
                    run.text = line
                    _run_style(run, block.style.size, block.style.bold, block.colour)

    def list_slides(self, title: str, lines: Sequence[str], empty: str, intro: str = "") -> None:
        blocks = [Block(intro, INTRO, MUTED, bullet=False)] if intro else []
        blocks += [Block(line) for line in lines] or [Block(empty)]
        self.text_slides(title, blocks)

    def definition_slides(self) -> None:
        """What each measure counts and where it comes from, as many rows a slide as fit at full size."""
        widths = [width for _, width in DEFINITION_COLUMNS]
        rows = [[[Line(item.measure, TextStyle(13, bold=True))], [Line(item.definition, TextStyle(12))],
                 [Line(item.source, TextStyle(12))]] for item in self.content.definitions]
        heights = [row_height(row, widths, DEFINITION_ROW_MIN) for row in rows]
        header = row_height([[Line(h, HEADER_CELL)] for h, _ in DEFINITION_COLUMNS], widths, SCORECARD_ROW_MIN)
        title = "Measures and sources"
        room = BODY_BOTTOM - body_top(f"{title} (1 of 9)") - header
        pages = paginate(heights, room, room)
        for part, run in enumerate(pages, start=1):
            heading = self._continued(title, part, len(pages))
            slide = self._slide(heading)
            self._table(slide, body_top(heading), [h for h, _ in DEFINITION_COLUMNS], widths, header,
                        [rows[i] for i in run], [heights[i] for i in run])
        self.sources_slides()

    def sources_slides(self) -> None:
        """Where the figures come from, and once, the measures left out because they have nothing to show."""
        blocks = [Block(source) for source in self.content.sources]
        if self.content.left_out:
            blocks.append(Block(f"Not in this pack, with nothing to show for {self.content.period_label}:",
                                INTRO, MUTED, bullet=False))
            blocks += [Block(line) for line in self.content.left_out]
        if blocks:
            self.text_slides("Where the figures come from", blocks)

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

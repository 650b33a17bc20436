"""The committee pack: the Overview, every theme's charts, what needs attention, what changed, definitions
and sources, for one council and period, as a PowerPoint deck (and a PDF of it).

The pack says what the pages say: its content comes from the same view builders (views.overview and
views.measure) for a Scope, so a figure in the pack is the figure on screen. Charts are pictures made
with one chart renderer for the whole pack; where a picture cannot be made the slide says why instead.
In public mode small numbers are hidden exactly as on screen (metrics.suppression).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date

import plotly.graph_objects as go
from sqlalchemy import Engine

from access.viewer import LOCAL_VIEWER, Viewer
from charts.palette import RATING_COLOURS
from charts.sources import day_words
from charts.wording import spell_out
from metrics.formatting import NO_DATA, format_period, uk_moment
from metrics.verdict import OverviewVerdict, Verdict, in_sentence, rating_change
from reference.areas import areas
from reference.catalogue import catalogue
from reports.chart_images import (
    SCALE,
    ImageSize,
    ImagesUnavailable,
    is_running,
    pictures_missing,
    render,
    stop,
)
from reports.pack_content import ChartPage, Definition, PackContent, ScorecardLine, ThemeSection
from views.charts import ChartView, missing_reason
from views.measure import measure_view
from views.overview import OverviewView, overview_view
from views.reads import Reads, database_reads, public_reads, reads_of
from views.scope import Scope

MONTHS_IN_VIEW = 24  # a monthly pack shows two years of months, as the pages do by default
YEARS_IN_VIEW = 5  # a yearly pack shows five published years
PACK_PICTURE = ImageSize("pack", "Committee pack slide", 1200, 600)  # at 2x: sharp on a 13.3 inch slide and in print
# Rating text colours on a white slide: the screen's amber is too light to read as text, so it is darkened.
RATING_TEXT_COLOURS = {**RATING_COLOURS, "amber": "#8A5300"}
NO_RATING_TEXT = "#505A5F"
PICTURE_MISSING = "The chart could not be drawn when this pack was made: its figures are in words below."
PERIOD_FORMATS = "a month as 2026-10 or a year ending 31 March as 2024-25"


class PackError(ValueError):
    """The pack cannot be made as asked: the message says why and what to do."""


@dataclass(frozen=True)
class PackRequest:
    period: str  # '2026-10' (a month) or '2024-25' (a year ending 31 March)
    area: str | None = None  # an ONS code or a council's name; None means the configured home council
    public: bool = False
    viewer: Viewer = LOCAL_VIEWER  # who asks: with grants, another council's own figures are left out


# ---- which council and period ------------------------------------------------------------------------

def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _months_before(end: date, months: int) -> date:
    index = end.year * 12 + end.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def parse_period(text: str) -> tuple[date, bool]:
    """'2026-10' -> (31 October 2026, monthly); '2024-25' -> (31 March 2025, yearly). Anything else is refused."""
    text = text.strip()
    month = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if month and 1 <= int(month.group(2)) <= 12 and not _is_year_pair(text):
        return _month_end(int(month.group(1)), int(month.group(2))), False
    if _is_year_pair(text):
        first = int(text[:4])
        return date(first + 1, 3, 31), True
    raise PackError(f"The period {text!r} is not one the pack understands: give {PERIOD_FORMATS}.")


def _is_year_pair(text: str) -> bool:
    found = re.fullmatch(r"(\d{4})-(\d{2})", text)
    return bool(found) and (int(found.group(1)) + 1) % 100 == int(found.group(2))  # 2024-25, never a month


def resolve_area(text: str | None) -> str:
    import settings

    raw = text or settings.HOME_AREA.value()
    area = areas().resolve(raw)
    if area is None:
        raise PackError(f"No council called {raw!r} is known: give its ONS code (such as E06000049) or its name.")
    return area.code


def pack_scope(request: PackRequest) -> Scope:
    end, by_year = parse_period(request.period)
    home = resolve_area(request.area)
    start = date(end.year - YEARS_IN_VIEW, 4, 1) if by_year else _months_before(end, MONTHS_IN_VIEW)
    return Scope(home, start, end, comparators=True, by_year=by_year)


def period_label(scope: Scope) -> str:
    return format_period("year" if scope.by_year else "month", scope.end)


def previous_scope(scope: Scope) -> Scope:
    """The period before: the month before a monthly pack, the year before a yearly one."""
    if scope.by_year:
        end = date(scope.end.year - 1, 3, 31)
        return replace(scope, start=date(end.year - YEARS_IN_VIEW, 4, 1), end=end)
    first = date(scope.end.year, scope.end.month, 1)
    end = date.fromordinal(first.toordinal() - 1)
    return replace(scope, start=_months_before(end, MONTHS_IN_VIEW), end=end)


# ---- pictures ----------------------------------------------------------------------------------------

class ChartPictures:
    """The pack's chart pictures, from the renderer this process shares (reports.chart_images).

    Used as a context manager: the renderer starts at the first picture not already made, and stops again
    at the end if it was not running before. ``make`` returns
    PNG bytes, or None when no picture can be made (no Chromium), with ``missing`` saying why, so the pack
    still has every figure in words.
    """

    def __init__(self) -> None:
        self.missing = ""
        self._was_running = False

    def __enter__(self) -> ChartPictures:
        self.missing = pictures_missing()
        self._was_running = is_running()
        return self

    def __exit__(self, *exc) -> None:
        if not self._was_running and is_running():  # the renderer starts at the first picture not already made
            stop()

    def make(self, figure: go.Figure) -> bytes | None:
        if self.missing:
            return None
        try:
            return render(figure, "png", PACK_PICTURE)
        except ImagesUnavailable as error:  # one picture failing leaves its slide in words
            self.missing = str(error)
            return None


# ---- what the pack says ------------------------------------------------------------------------------

def scorecard_lines(view: OverviewView) -> tuple[ScorecardLine, ...]:
    lines = []
    for row in view.rows:
        colour = RATING_TEXT_COLOURS.get(row.rating.colour_code, NO_RATING_TEXT)
        lines.append(ScorecardLine(
            measure=spell_out(row.short_name), polarity=row.polarity_text, latest=row.latest or "no data",
            period=row.period, rating=row.rating.word, rating_symbol=row.rating.symbol, rating_colour=colour,
            basis=row.basis, neighbours=row.neighbours, england=row.england, travel=row.travel,
        ))
    return tuple(lines)


def changes_since(now: OverviewVerdict, before: OverviewVerdict) -> tuple[str, ...]:
    """One sentence for each measure whose rating changed since the previous period (metrics.verdict.rating_change)."""
    out = []
    for verdict in now.verdicts:
        was = next((v for v in before.verdicts if v.measure_code == verdict.measure_code), None)
        change = rating_change(verdict, was) if was is not None else ""
        if change:
            out.append(f"{spell_out(verdict.short_name)}: {change}.")
    return tuple(out)


def alt_text(view: ChartView, title: str, latest: str) -> str:
    """What a screen reader says for the picture: the chart's title, the latest figure and its explanation."""
    parts = [f"Chart: {title}.", latest, view.explanation, f"Source: {view.source}." if view.source else ""]
    return " ".join(p for p in parts if p)


NO_COMMENTARY = "No commentary was written for this period."
WITHHELD = "Commentary withheld in the public version."


def latest_words(verdict: Verdict) -> str:
    """The line under a chart: the latest figure and its rating, or what stands in its place in words
    ('Suppressed: fewer than 5 (March 2025).'), never 'no figure' for a figure that exists but is hidden."""
    if verdict.has_figure:
        return (f"Latest: {verdict.value_text} in {verdict.period_label}, {in_sentence(verdict.rating.word)} "
                f"({verdict.basis_text}).")
    if verdict.period_label and verdict.value_text and verdict.value_text != NO_DATA:
        text = verdict.value_text
        return f"{text[0].upper()}{text[1:]} ({verdict.period_label})."
    return "No figure yet."


def left_out_text(reads: Reads, scope: Scope, code: str) -> str:
    """Why a measure has nothing to show in the pack, in members' words (the pages tell editors how to load
    it; a committee member is told only what is missing)."""
    measure = catalogue().get(code)
    name = spell_out(measure.short_name)
    reason = missing_reason(reads, scope, code)
    if reason == "outside_view":
        return f"{name}: no figures for the period this pack covers."
    if reason == "local":
        whose = "the health provider's" if "health provider" in measure.source.lower() else "the council's own"
        return f"{name}: not published by DfE, and {whose} figures have not been loaded."
    return f"{name}: DfE has published no figures for {scope.home_name}, and no return of the council's gives them."


def chart_page(reads: Reads, scope: Scope, code: str, overview: OverviewView, pictures: ChartPictures,
               notes: dict[str, tuple[str, str]], withheld: frozenset[str] = frozenset()) -> ChartPage | None:
    """The measure's slide, or None when it has nothing to show (no figures in the period, no commentary):
    such a measure is listed once on the sources slide instead of a slide that says only that.
    ``withheld``: measures whose commentary exists but a public pack leaves out."""
    measure = catalogue().get(code)
    view = measure_view(reads, scope, code, overview)
    title = spell_out(measure.short_name)
    verdict = view.verdict
    latest = latest_words(verdict)
    commentary, by = notes.get(code, ("", ""))
    no_commentary = WITHHELD if code in withheld else NO_COMMENTARY
    if not view.trend.has_data:
        if not commentary:
            return None
        why = left_out_text(reads, scope, code)
        return ChartPage(title, None, f"No chart: {why}", missing=why, commentary=commentary, commentary_by=by,
                         no_commentary=no_commentary)
    image = pictures.make(view.trend.figure)
    width, height = PACK_PICTURE.width * SCALE, PACK_PICTURE.height * SCALE
    return ChartPage(title, image, alt_text(view.trend, title, latest), explanation=f"{latest} {view.trend.explanation}",
                     commentary=commentary, commentary_by=by, no_commentary=no_commentary,
                     missing="" if image else PICTURE_MISSING,
                     width_px=width if image else 0, height_px=height if image else 0)


def commentary_for(source: Engine | Reads, scope: Scope) -> dict[str, tuple[str, str]]:
    """measure code -> (the current commentary on the latest period in view that has one, 'who, when')."""
    from db.queries import latest_in_view
    from views.commentary import as_shown

    latest = latest_in_view(as_shown(reads_of(source).notes(scope.home)), scope.start, scope.end)
    return {code: (note.text, f"{note.author or 'Unknown author'}, {day_words(uk_moment(note.written_at))}")
            for code, note in latest.items()}


def pack_content(engine: Engine, request: PackRequest, pictures: ChartPictures, today: date | None = None) -> PackContent:
    """Everything the pack says, for the request (pictures made with ``pictures``)."""
    scope = pack_scope(request)
    full = reads = database_reads(engine, request.viewer)
    if request.public:
        from metrics.suppression import public_threshold

        reads = public_reads(full, public_threshold())
    overview = overview_view(reads, scope)
    if not any(v.has_figure for v in overview.verdict.verdicts):
        raise PackError(f"There are no figures for {scope.home_name} up to {period_label(scope)}: load its returns "
                        f"or DfE's figures first, or choose a later period.")
    before = overview_view(reads, previous_scope(scope))
    written = commentary_for(full, scope)  # read in full: a public pack says which commentaries it withholds
    notes = {} if request.public else written  # a public pack withholds commentary: it may tell of a child
    withheld = frozenset(written) if request.public else frozenset()
    themes = []
    left_out = []
    cat = catalogue()
    for theme in cat.themes:
        charts = []
        for measure in cat.in_theme(theme.code):
            page = chart_page(reads, scope, measure.code, overview, pictures, notes, withheld)
            if page is None:
                left_out.append(left_out_text(reads, scope, measure.code))
            else:
                charts.append(page)
        if charts:
            themes.append(ThemeSection(theme.name, tuple(charts)))
    verdict = overview.verdict
    years = " and ".join(sorted({r.comparator_year for r in overview.rows if r.comparator_year}))
    sources = sorted({part.strip() for section in themes for page in section.charts if "Source: " in page.alt_text
                      for part in page.alt_text.split("Source: ")[-1].rstrip(".").split("; ") if part.strip()})
    footnotes: tuple[str, ...] = ()
    if request.public:
        from metrics.suppression import banner_text, public_threshold

        footnotes = (banner_text(public_threshold()).replace("**", ""),)
    return PackContent(
        council=scope.home_name, period_label=period_label(scope), made_on=day_words(today or date.today()),
        public=request.public, summary=overview.summary, scorecard=scorecard_lines(overview),
        comparators_note=(f"Neighbours and England: DfE's published figures for {years}." if years
                          else "No published figures for the neighbours or England are loaded to compare with."),
        themes=tuple(themes), attention=overview.attention_lines,
        attention_empty=overview.summary, changes=changes_since(verdict, before.verdict),
        previous_label=period_label(previous_scope(scope)),
        definitions=tuple(Definition(spell_out(m.short_name), m.description, m.source) for m in cat.measures),
        sources=tuple(sources), footnotes=footnotes, left_out=tuple(left_out),
    )


def build_pack(engine: Engine, request: PackRequest, today: date | None = None) -> bytes:
    """The committee pack as .pptx bytes."""
    from reports.deck import write_deck

    with ChartPictures() as pictures:
        content = pack_content(engine, request, pictures, today)
    return write_deck(content)

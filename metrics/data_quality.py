"""Data quality checks: what is missing from a council's figures and what looks wrong in them.

A performance officer reads the findings before a committee paper goes out, so each one names the
measure, council and period, gives the figures exactly as stored, and names the batch (file, when, who)
that loaded each figure, so the officer can open the file, fix it and load it again. A check that the
figures cannot support (no monthly figures, DfE publishing nothing for a fictional council) says so
instead of reporting "nothing found": an all-clear is only given when the check ran.

Six checks:
- no figure for the latest period (the council's own latest month, quarter or year; DfE's latest year);
- a gap in a monthly or quarterly series of the council's own;
- a month-on-month jump beyond the configured threshold (settings.JUMP_THRESHOLD_PERCENT);
- a percentage that disagrees with its own numerator and denominator by more than the rounding of the
  stored percentage (the council's own figures only: DfE rounds its published counts, to the nearest 5
  in older tables, after working out the percentage, so its own figures would disagree by design);
- a council's own year-end figure that differs from DfE's published one for the same year once both
  are taken to DfE's rounding, so that rounding alone is never flagged;
- a year-end figure computed from the council's 903 that differs from DfE's, by the rule the 903 preview
  and the measure page use (metrics.ssda903.beside).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from db import quality_queries
from db.models import LOCAL, NO_BREAKDOWN, PUBLISHED, SSDA903
from metrics.formatting import format_period, format_value, is_missing, uk_moment
from metrics.ssda903.beside import BesideDfE
from metrics.suppression import export_status, suppress_for_public
from reference.areas import areas
from reference.catalogue import Catalogue, Measure, catalogue
from reference.statuses import VALUE
from reference.statuses import label as status_label

MAX_STORED_DECIMALS = 6  # beyond this a stored figure is taken as unrounded (a computed 33.333333...)
EPSILON = 1e-9  # floating-point slack on every comparison of rounded figures
# How DfE publishes each unit in its local authority tables: whole percentages, whole rates per 10,000
# and whole counts. A unit not listed (the SDQ score) is published to its catalogue decimals.
PUBLISHED_DECIMALS = {"percent": 0, "rate_per_10k": 0, "count": 0}
MONTHS_BETWEEN = {"month": 1, "quarter": 3}  # the series a gap is looked for in, and their step in months


@dataclass(frozen=True)
class Kind:
    """One kind of finding: its heading, what it looks for, and the all-clear said only when it ran."""

    code: str
    group: str
    title: str
    looks_for: str
    none_found: str


GROUP_MISSING = "What is missing"
GROUP_WRONG = "What looks wrong"
GROUPS = (GROUP_MISSING, GROUP_WRONG)
MISSING_LATEST = Kind(
    "missing_latest", GROUP_MISSING, "No figure for the latest period",
    "A measure with no figure, or only a symbol such as 'suppressed', for the latest month, quarter or year: "
    "the council's own latest period, and the latest year DfE published the measure for.",
    "No measure is missing its latest figure.")
GAP = Kind(
    "gap", GROUP_MISSING, "A gap in a monthly or quarterly series",
    "A month (or quarter) with no figure at all between the first and last figures of one of the council's "
    "own series. A figure given as a symbol ('suppressed') is not a gap.",
    "No gaps found.")
JUMP = Kind(
    "jump", GROUP_WRONG, "A jump from one month to the next",
    "A monthly figure of the council's own that moved by more than {threshold} of the month before. Often a "
    "slip in the return (a digit lost or added, a figure in the wrong row); sometimes real, and then worth a "
    "line of commentary.",
    "No jumps beyond {threshold} found.")
PERCENT_MISMATCH = Kind(
    "percent_mismatch", GROUP_WRONG, "A percentage that does not match its numerator and denominator",
    "A percentage of the council's own that differs from its numerator divided by its denominator by more "
    "than the rounding of the percentage as given (45% may stand for anything from 44.5% to 45.5%).",
    "Every percentage matches its numerator and denominator.")
LOCAL_VS_PUBLISHED = Kind(
    "local_vs_published", GROUP_WRONG, "Our year-end figure differs from DfE's",
    "A year-end figure from the council's own return that differs from the one DfE published for the same "
    "year, compared at DfE's rounding (whole percentages, whole rates and counts), so rounding alone is not "
    "a difference.",
    "Every year-end figure of the council's own agrees with DfE's.")
NINETY_THREE_VS_PUBLISHED = Kind(
    "ssda903_vs_published", GROUP_WRONG, "A figure from our 903 differs from DfE's",
    "A year-end figure computed from the council's SSDA903 return that differs from the one DfE published for "
    "the same year once rounded as DfE rounded it. The 903 loaded may not be the one DfE received, or DfE may "
    "have corrected it; each measure's page says how the figure is computed.",
    "Every year-end figure computed from the council's 903 agrees with DfE's.")
KINDS = (MISSING_LATEST, GAP, JUMP, PERCENT_MISMATCH, LOCAL_VS_PUBLISHED, NINETY_THREE_VS_PUBLISHED)


@dataclass(frozen=True)
class BatchRef:
    """The import that loaded a figure, as the Imports page lists it."""

    batch_id: int
    file_name: str
    loaded_at: datetime | None
    loaded_by: str

    @property
    def text(self) -> str:
        """'Batch 11 · northmoor_monthly_return.xlsx · loaded 3 Dec 2026 07:10 by jsmith'."""
        when = f" · loaded {self.loaded_at:%-d %b %Y %H:%M}" if self.loaded_at is not None else ""
        who = f" by {self.loaded_by}" if self.loaded_by else ""
        return f"Batch {self.batch_id} · {self.file_name}{when}{who}"


@dataclass(frozen=True)
class Figure:
    """One stored figure a finding rests on, exactly as the database holds it."""

    measure: Measure
    period_type: str
    period_end: date
    value: float | None
    status: str
    numerator: float | None
    denominator: float | None
    origin: str
    dimension: str
    category: str
    batch: BatchRef

    @property
    def period(self) -> str:
        return format_period(self.period_type, self.period_end)

    @property
    def text(self) -> str:
        """The figure as stored, to every decimal it was given ('36.4%', '22', 'suppressed (c)')."""
        if self.status != VALUE:
            return f"{status_label(self.status)} ({export_status(self.status)})"
        return stored_text(self.value, self.measure)


@dataclass(frozen=True)
class Finding:
    """Something an officer should look at: which measure, council and period, what is wrong, and the
    figures (each with its batch) that show it."""

    kind: Kind
    measure: Measure
    area_code: str
    area_name: str
    period: str
    message: str
    figures: tuple[Figure, ...]

    @property
    def batches(self) -> tuple[BatchRef, ...]:
        """The distinct batches behind the figures, in the figures' order."""
        return tuple(dict.fromkeys(f.batch for f in self.figures))


@dataclass(frozen=True)
class CheckResult:
    """One kind of check for one council: whether it could run, what it covered, what it found."""

    kind: Kind
    checked: bool
    scope: str  # what was checked, or why it could not be
    findings: tuple[Finding, ...]

    @property
    def count(self) -> int:
        return len(self.findings)


@dataclass(frozen=True)
class QualityReport:
    area_code: str
    area_name: str
    threshold_percent: float
    checks: tuple[CheckResult, ...]
    notes: tuple[str, ...]  # what no check could cover (measures with no figures at all)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for check in self.checks for f in check.findings)

    def in_group(self, group: str) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.kind.group == group)

    def check(self, kind: Kind) -> CheckResult:
        return next(c for c in self.checks if c.kind == kind)


def threshold_text(percent: float) -> str:
    return f"{percent:g}%"


def kind_text(text: str, threshold_percent: float) -> str:
    """A kind's words with the jump threshold filled in."""
    return text.format(threshold=threshold_text(threshold_percent))


def stored_decimals(value: float) -> int:
    """How many decimals a stored figure was given to: 45.0 -> 0, 36.4 -> 1, 33.3333333 -> 6 (the most)."""
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return min(MAX_STORED_DECIMALS, max(0, -int(exponent))) if isinstance(exponent, int) else MAX_STORED_DECIMALS


def stored_text(value: float | None, measure: Measure) -> str:
    """A figure to every decimal it was stored with (never rounded to the catalogue's places here: an
    officer comparing with the file must see what the file said)."""
    if is_missing(value):
        return format_value(None, measure)
    return format_value(float(value), measure, decimals=stored_decimals(float(value)))


def half_unit(decimals: int) -> float:
    """The most a figure rounded to ``decimals`` places can differ from the figure before rounding."""
    return 0.5 * 10 ** -decimals


def published_decimals(measure: Measure) -> int:
    return PUBLISHED_DECIMALS.get(measure.unit, measure.decimals)


def _batch(row) -> BatchRef:
    loaded = row.imported_at
    return BatchRef(int(row.batch_id), str(row.file_name), uk_moment(loaded),
                    "" if is_missing(row.imported_by) else str(row.imported_by))


def _number(value) -> float | None:
    return None if is_missing(value) else float(value)


def _figure(row, measure: Measure) -> Figure:
    return Figure(measure, str(row.period_type), pd.Timestamp(row.period_end).date(), _number(row.value),
                  str(row.status), _number(row.numerator), _number(row.denominator), str(row.origin),
                  str(row.dimension), str(row.category), _batch(row))


def _has_number(figure: Figure) -> bool:
    return figure.status == VALUE and figure.value is not None and math.isfinite(figure.value)


def _add_months(day: date, months: int) -> date:
    """The month end ``months`` after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_of_next = date(year + (month == 11), (month + 1) % 12 + 1, 1)
    return date.fromordinal(first_of_next.toordinal() - 1)


def _breakdown_words(figure: Figure) -> str:
    return "" if figure.dimension == NO_BREAKDOWN else f" ({figure.dimension.replace('_', ' ')}: {figure.category})"


def _beside_published(ours: dict[str, list[Figure]], published: dict[str, list[Figure]]) -> Iterator[tuple[Figure, Figure]]:
    """Each of our year-end figures with DfE's for the same measure and year, where DfE published one."""
    for code, items in ours.items():
        dfe = {f.period_end: f for f in published.get(code, [])}
        for own in items:
            if own.period_end in dfe:
                yield own, dfe[own.period_end]


class _Checker:
    """Runs every check over one council's figures (see ``check_figures``)."""

    def __init__(self, frame: pd.DataFrame, area_code: str, area_name: str, latest_published: dict[str, pd.Timestamp],
                 threshold_percent: float, measures: Catalogue, fictional: bool):
        self.area_code, self.area_name = area_code, area_name
        self.latest_published = latest_published
        self.threshold = threshold_percent
        self.measures = measures
        self.fictional = fictional
        known = frame[frame["measure_code"].isin([m.code for m in measures])]
        self.unknown_codes = sorted(set(frame["measure_code"]) - set(known["measure_code"]))
        self.figures = [_figure(row, measures.get(row.measure_code)) for row in known.itertuples(index=False)]
        self.headline = [f for f in self.figures if f.dimension == NO_BREAKDOWN]

    @property
    def no_published_words(self) -> str:
        """'DfE publishes no figures for Northmoor (fictional sample council)', saying fictional once."""
        fictional = self.fictional and "fictional" not in self.area_name.lower()
        return f"DfE publishes no figures for {self.area_name}" + (" (a fictional council)" if fictional else "")

    def finding(self, kind: Kind, measure: Measure, period: str, message: str, figures: Iterable[Figure]) -> Finding:
        return Finding(kind, measure, self.area_code, self.area_name, period, message, tuple(figures))

    def series(self, origin: str, period_type: str) -> dict[str, list[Figure]]:
        """Headline figures of one origin and period type, by measure in catalogue order, oldest first."""
        out: dict[str, list[Figure]] = {m.code: [] for m in self.measures}
        for figure in self.headline:
            if figure.origin == origin and figure.period_type == period_type:
                out[figure.measure.code].append(figure)
        return {code: sorted(items, key=lambda f: f.period_end) for code, items in out.items() if items}

    # What is missing -------------------------------------------------------------------------------------

    def missing_latest(self) -> CheckResult:
        findings: list[Finding] = []
        scopes: list[str] = []
        for period_type in ("month", "quarter", "year"):
            by_measure = self.series(LOCAL, period_type)
            if not by_measure:
                continue
            latest = max(items[-1].period_end for items in by_measure.values())
            latest_text = format_period(period_type, latest)
            scopes.append(f"the council's own {len(by_measure)} {period_type}ly series, latest {latest_text}")
            for items in by_measure.values():
                findings.extend(self._latest_finding(items, latest))
        published = self.series(PUBLISHED, "year")
        if not self.latest_published:
            scopes.append("not DfE's figures: none are loaded")
        elif not published:
            scopes.append(f"not DfE's figures: {self.no_published_words}")
        else:
            scopes.append(f"DfE's figures for the {len(self.latest_published)} measures it publishes")
            for code, latest in self.latest_published.items():
                if code not in self.measures:
                    continue
                items = published.get(code, [])
                if not items:
                    measure = self.measures.get(code)
                    findings.append(self.finding(
                        MISSING_LATEST, measure, format_period("year", latest),
                        f"DfE published this measure for {format_period('year', latest)}, but no figure for "
                        f"{self.area_name} in any year is loaded.", ()))
                    continue
                findings.extend(self._latest_finding(items, latest.date()))
        checked = bool(scopes) and not all(s.startswith("not ") for s in scopes)
        scope = ("Checked " + "; ".join(scopes) + ".") if checked else (
            "Cannot be checked: no figures are loaded for " + self.area_name + ".")
        return CheckResult(MISSING_LATEST, checked, scope, tuple(findings))

    def _latest_finding(self, items: list[Figure], latest: date) -> list[Finding]:
        last = items[-1]
        measure, period_type = last.measure, last.period_type
        latest_text = format_period(period_type, latest)
        own = last.origin == LOCAL
        if last.period_end < latest:
            message = (f"No figure of the council's own for {latest_text}: its latest is {last.text} for {last.period}."
                       if own else
                       f"DfE published {latest_text} figures for other councils, but none for {self.area_name} is "
                       f"loaded: the latest is {last.text} for {last.period}.")
            return [self.finding(MISSING_LATEST, measure, latest_text, message, (last,))]
        if not _has_number(last):
            message = (f"The council's own figure for {latest_text} is given as {last.text}, not a number." if own
                       else f"DfE published the {latest_text} figure as {last.text}, not a number.")
            return [self.finding(MISSING_LATEST, measure, latest_text, message, (last,))]
        return []

    def gaps(self) -> CheckResult:
        findings: list[Finding] = []
        counted = 0
        for period_type, step in MONTHS_BETWEEN.items():
            for items in self.series(LOCAL, period_type).values():
                counted += 1
                for before, after in zip(items, items[1:], strict=False):
                    missing = []
                    end = _add_months(before.period_end, step)
                    while end < after.period_end:
                        missing.append(end)
                        end = _add_months(end, step)
                    if not missing:
                        continue
                    first, last = format_period(period_type, missing[0]), format_period(period_type, missing[-1])
                    span = first if len(missing) == 1 else f"{first} to {last}"
                    many = f"{len(missing)} {period_type}s" if len(missing) > 1 else f"1 {period_type}"
                    message = (f"No figure for {span} ({many}) between {before.text} for {before.period} "
                               f"and {after.text} for {after.period}.")
                    findings.append(self.finding(GAP, before.measure, span, message, (before, after)))
        if not counted:
            return CheckResult(GAP, False, (
                f"Cannot be checked: {self.area_name} has no monthly or quarterly figures of its own loaded. DfE "
                "publishes once a year; load the council's monthly return to check its series for gaps."), ())
        return CheckResult(GAP, True, f"Checked the council's own {counted} monthly and quarterly series.",
                           tuple(findings))

    # What looks wrong ------------------------------------------------------------------------------------

    def jumps(self) -> CheckResult:
        findings: list[Finding] = []
        by_measure = self.series(LOCAL, "month")
        threshold = threshold_text(self.threshold)
        for items in by_measure.values():
            for before, after in zip(items, items[1:], strict=False):
                if _add_months(before.period_end, 1) != after.period_end:
                    continue  # not consecutive months: the gap is its own finding
                if not (_has_number(before) and _has_number(after)) or before.value == after.value:
                    continue
                old, new = float(before.value), float(after.value)  # type: ignore[arg-type]
                change = math.inf if old == 0 else abs(new - old) / abs(old) * 100
                if change <= self.threshold + EPSILON:
                    continue
                direction = "Up" if new > old else "Down"
                how_much = ("any rise from 0 is beyond the threshold" if old == 0 else
                            f"{change:.0f}% {'higher' if new > old else 'lower'} than the month before")
                message = f"{direction} from {before.text} in {before.period} to {after.text} in {after.period}: {how_much}."
                findings.append(self.finding(JUMP, after.measure, after.period, message, (before, after)))
        if not by_measure:
            return CheckResult(JUMP, False, (
                f"Cannot be checked: {self.area_name} has no monthly figures of its own loaded. A jump is looked "
                "for from one month to the next; DfE publishes once a year."), ())
        return CheckResult(JUMP, True, (
            f"Checked the council's own {len(by_measure)} monthly series, each month against the one before, "
            f"with a threshold of {threshold} (setting DASHBOARD_JUMP_THRESHOLD_PERCENT)."), tuple(findings))

    def percent_mismatches(self) -> CheckResult:
        findings: list[Finding] = []
        counted = 0
        for figure in self.figures:
            if (figure.origin != LOCAL or not figure.measure.is_percent or not _has_number(figure)
                    or figure.numerator is None or figure.denominator is None):
                continue
            counted += 1
            value = float(figure.value)  # type: ignore[arg-type]
            count_text = (f"{stored_text(figure.numerator, _COUNT)} of {stored_text(figure.denominator, _COUNT)}")
            where = f"{figure.period}{_breakdown_words(figure)}"
            if figure.denominator == 0:
                message = f"Given as {figure.text}, but its denominator is 0, which gives no percentage."
                findings.append(self.finding(PERCENT_MISMATCH, figure.measure, where, message, (figure,)))
                continue
            worked_out = 100 * figure.numerator / figure.denominator
            decimals = stored_decimals(value)
            if abs(worked_out - value) <= half_unit(decimals) + EPSILON:
                continue
            shown = format_value(worked_out, figure.measure, decimals=min(MAX_STORED_DECIMALS, decimals + 1))
            message = f"Given as {figure.text}, but {count_text} is {shown}."
            findings.append(self.finding(PERCENT_MISMATCH, figure.measure, where, message, (figure,)))
        if not counted:
            return CheckResult(PERCENT_MISMATCH, False, (
                f"Cannot be checked: none of {self.area_name}'s own percentages came with a numerator and "
                "denominator. DfE's published percentages are not checked this way: DfE rounds the counts it "
                "publishes (to the nearest 5 in older tables), so they would disagree by design."), ())
        return CheckResult(PERCENT_MISMATCH, True, (
            f"Checked the council's own {counted} percentages that came with a numerator and denominator. DfE's "
            "published percentages are not checked this way: DfE rounds the counts it publishes."), tuple(findings))

    def local_vs_published(self) -> CheckResult:
        local = self.series(LOCAL, "year")
        published = self.series(PUBLISHED, "year")
        if not local:
            return CheckResult(LOCAL_VS_PUBLISHED, False, (
                f"Cannot be checked: {self.area_name} has no year-end figures of its own loaded, only "
                + ("DfE's." if published else "figures DfE does not publish.")), ())
        if not published:
            return CheckResult(LOCAL_VS_PUBLISHED, False, (
                f"Cannot be checked: {self.no_published_words}, so there is nothing to compare its year-end "
                "figures with."), ())
        findings: list[Finding] = []
        compared = not_numbers = 0
        for own, theirs in _beside_published(local, published):
            if not (_has_number(own) and _has_number(theirs)):
                not_numbers += 1
                continue
            compared += 1
            decimals = published_decimals(own.measure)
            if abs(float(own.value) - float(theirs.value)) <= half_unit(decimals) + EPSILON:  # type: ignore[arg-type]
                continue
            rounded = format_value(own.value, own.measure, decimals=decimals)
            message = (f"Our return gives {own.text} (which DfE would publish as {rounded}); DfE published "
                       f"{theirs.text}.")
            findings.append(self.finding(LOCAL_VS_PUBLISHED, own.measure, own.period, message, (own, theirs)))
        if not compared and not not_numbers:
            return CheckResult(LOCAL_VS_PUBLISHED, False, (
                "Cannot be checked: DfE has published none of the years the council's own year-end figures "
                "cover."), ())
        scope = f"Compared {compared} year-end figures of the council's own with DfE's for the same measure and year"
        if not_numbers:
            scope += f"; {not_numbers} could not be compared because one of the pair is a symbol such as 'suppressed'"
        return CheckResult(LOCAL_VS_PUBLISHED, True, scope + ".", tuple(findings))

    def ssda903_vs_published(self) -> CheckResult:
        """The 903's year-end figures beside DfE's, by the preview's and the measure page's one rule."""
        computed = self.series(SSDA903, "year")
        published = self.series(PUBLISHED, "year")
        if not computed:
            return CheckResult(NINETY_THREE_VS_PUBLISHED, False, (
                f"Cannot be checked: no SSDA903 return is loaded for {self.area_name}; the Imports page takes one."), ())
        if not published:
            return CheckResult(NINETY_THREE_VS_PUBLISHED, False, (
                f"Cannot be checked: {self.no_published_words}, so there is nothing to compare the 903's "
                "figures with."), ())
        findings: list[Finding] = []
        compared = 0
        for own, theirs in _beside_published(computed, published):
            if not (_has_number(own) and _has_number(theirs)):
                continue
            compared += 1
            beside = BesideDfE(own.period_end.year, own.value, own.numerator, own.denominator, theirs.value,
                               theirs.status, own.status)
            if beside.differs:
                findings.append(self.finding(NINETY_THREE_VS_PUBLISHED, own.measure, own.period,
                                             beside.sentence(own.measure) + ".", (own, theirs)))
        if not compared:
            return CheckResult(NINETY_THREE_VS_PUBLISHED, False, (
                "Cannot be checked: no year has a number both from the 903 and from DfE (DfE has not published "
                "the year, or one of the pair is a symbol such as 'suppressed')."), ())
        return CheckResult(NINETY_THREE_VS_PUBLISHED, True, (
            f"Compared {compared} year-end figures computed from the council's 903 with DfE's for the same measure "
            "and year, each rounded as DfE rounded its figure."), tuple(findings))

    def notes(self) -> tuple[str, ...]:
        have = {f.measure.code for f in self.headline}
        never = [m for m in self.measures if m.code not in have]
        local_only = [m.short_name for m in never if m.code not in self.latest_published]
        published = [m.short_name for m in never if m.code in self.latest_published]
        out = []
        if local_only:
            out.append(f"No figures at all for {self.area_name}, so nothing to check: " + ", ".join(local_only)
                       + ". DfE does not publish these: they come only from the council's own returns.")
        if published:
            out.append(f"No figures at all for {self.area_name}, so nothing to check: " + ", ".join(published) + ".")
        if self.unknown_codes:
            out.append("Not checked, being no longer in the measure catalogue: " + ", ".join(self.unknown_codes) + ".")
        return tuple(out)


_COUNT = Measure("count", "count", "count", "count", "neither", "", 0, None, "", "")  # for numerator texts


def findings_frame(report: QualityReport) -> pd.DataFrame:
    """Every finding as a table an officer can download and work through, one row a finding, the batches
    behind it joined with '; ' (a jump across two files names both)."""
    rows = []
    for finding in report.findings:
        batches = finding.batches
        rows.append({
            "Kind": finding.kind.group, "Check": finding.kind.title, "Measure": finding.measure.short_name,
            "Measure code": finding.measure.code, "Council": finding.area_name, "Period": finding.period,
            "Finding": finding.message,
            "Batch": "; ".join(str(b.batch_id) for b in batches),
            "File": "; ".join(b.file_name for b in batches),
            "Loaded on": "; ".join(f"{b.loaded_at:%Y-%m-%d %H:%M}" if b.loaded_at else "" for b in batches),
            "Loaded by": "; ".join(b.loaded_by for b in batches),
        })
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


FINDING_COLUMNS = ["Kind", "Check", "Measure", "Measure code", "Council", "Period", "Finding", "Batch", "File",
                   "Loaded on", "Loaded by"]


def check_figures(frame: pd.DataFrame, area_code: str, latest_published: dict[str, pd.Timestamp],
                  threshold_percent: float, measures: Catalogue | None = None) -> QualityReport:
    """Every check over one council's figures (``db.quality_queries.figures_with_batches``' frame)."""
    directory = areas()
    area = directory.get(area_code) if area_code in directory else None
    name = area.name if area is not None else area_code
    checker = _Checker(frame, area_code, name, latest_published, threshold_percent, measures or catalogue(),
                       bool(area is not None and area.fictional))
    checks = (checker.missing_latest(), checker.gaps(), checker.jumps(), checker.percent_mismatches(),
              checker.local_vs_published(), checker.ssda903_vs_published())
    return QualityReport(area_code, name, threshold_percent, checks, checker.notes())


def quality_report(engine: Engine, area_code: str, threshold_percent: float,
                   public_limit: int | None = None, own: frozenset[str] | None = None) -> QualityReport:
    """Read one council's figures and DfE's latest years, and run every check.

    With ``public_limit`` (public mode) the checks run on the figures a public page may show
    (metrics.suppression), so no sentence quotes a small figure or the difference that gives it away.
    ``own``: the councils whose own figures the reader may see (None: the council checked, as on the command
    line); another council's are checked as DfE published them (views.reads.own_only)."""
    from views.reads import own_only

    figures = own_only(quality_queries.figures_with_batches(engine, area_code), own or frozenset({area_code}), area_code)
    if public_limit is not None:
        figures = suppress_for_public(figures, public_limit)
    return check_figures(figures, area_code, quality_queries.latest_published_years(engine), threshold_percent)

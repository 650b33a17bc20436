"""Write data/sample/: the returns of Northmoor, a fictional council, that the app loads on first start.

Northmoor (E06999901, DfE number 999, North West) does not exist and every figure here is made up,
shaped to look like a real council's: about 75,000 children under 18, a few hundred children in care,
gentle trends, a yearly rhythm, noise, and small numbers suppressed as a council would in a public
paper. The files come in the layouts councils actually send, so loading them exercises the reader:
a wide monthly workbook with measure names and a notes sheet, a tidy breakdowns workbook with Excel
dates, a tidy quarterly CSV from the health provider, and a tidy year-end workbook in DfE's yearly form.

Every measure in the catalogue gets at least three years of monthly figures. A measure's shape comes
from PARAMETERS (keyed by code); a measure added to the catalogue later falls back to a shape chosen
by its unit, so it still gets figures. Output is deterministic (seeded random numbers, fixed workbook
timestamps), so re-running the script on unchanged inputs leaves the committed files byte for byte.

Usage: python scripts/make_sample.py [OUT_DIR]  (default data/sample)
"""

from __future__ import annotations

import csv
import io
import math
import random
import re
import sys
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders.template import financial_year_label, financial_year_months, month_header  # noqa: E402
from reference.areas import areas  # noqa: E402
from reference.catalogue import Catalogue, Measure, catalogue  # noqa: E402

SEED = 42
SAMPLE_DIR = ROOT / "data" / "sample"
AREA_CODE = "E06999901"
FIRST_MONTH = (2022, 4)  # April 2022, the start of financial year 2022-23
LAST_MONTH = (2026, 10)  # the latest complete month when the sample was made
SUPPRESS_BELOW = 5  # counts under 5, and percentages of a group of fewer than 5 children, are shown as c
SUPPRESSED = "c"
NOT_AVAILABLE = "x"
FIXED_TIMESTAMP = datetime(2026, 11, 1, 0, 0, 0)
LOCAL_SOURCE_PREFIX = "Local"  # measures whose source starts so are not in DfE's yearly tables

# ONS mid-year estimates of children under 18 (fictional), by the year of the estimate.
POPULATION_UNDER_18 = {2021: 74_650, 2022: 74_910, 2023: 75_180, 2024: 75_420, 2025: 75_560, 2026: 75_640}
OPENING_CLA = 478  # children in care on 31 March 2022

AGE_SHARES = {"under 1": 0.05, "1-4": 0.14, "5-9": 0.18, "10-15": 0.39, "16+": 0.24}
GENDER_SHARES = {"male": 0.56, "female": 0.44}
NON_FOSTER_SHARES = {  # how children not in foster care are placed, as shares of them
    "residential": 0.40, "placed with parents": 0.21, "independent living": 0.20, "adoption": 0.15, "other": 0.04,
}
FOSTER_CATEGORY = "foster"
SHARE_JITTER = 0.006


@dataclass(frozen=True)
class Cohort:
    """Who a percentage is out of: a share of another measure's monthly figure, or a cohort of its own size."""

    of: str | None  # measure code, or None for a cohort of its own
    start: float  # size in April 2022 (or the share of ``of``)
    end: float  # size in the last month (or the share of ``of``)
    noise: float  # relative noise, month to month
    use: str = "value"  # which of ``of``'s figures: value, numerator (children counted) or denominator


@dataclass(frozen=True)
class Shape:
    """How a measure's figures move: a level that drifts from ``start`` to ``end`` with a yearly rhythm and noise.

    kind: ``level`` (a figure reported as it is), ``flow`` (a count of events in the month), ``stock``
    (a count carried forward: last month's plus ``inflow`` less ``outflow``), ``per_10k`` (``of`` per
    10,000 children under 18), ``share`` (a percentage of ``cohort``, with numerator and denominator) or
    ``complement`` (the rest of the cohort that ``parts`` share, so that the parts and it add up to 100%).
    """

    kind: str
    start: float = 0.0
    end: float = 0.0
    noise: float = 0.0
    seasonal: float = 0.0  # amplitude of the yearly rhythm
    peak_month: int = 10  # month in which the rhythm peaks
    s_curve: tuple[float, float] | None = None  # (midpoint, width) as fractions of the span: a change that takes hold
    cohort: Cohort | None = None
    inflow: str = ""
    outflow: str = ""
    of: str = ""
    parts: tuple[str, ...] = ()
    targets: tuple[float, ...] = ()  # per financial year from 2022-23; the last one carries on
    in_monthly_return: bool = True
    quarterly: str = ""  # '' (not in the health provider's quarterly file), 'sum' (events) or 'last' (snapshot)
    not_reported: tuple[str, ...] = ()  # months ('2023-11') the provider could not report

    def needs(self) -> tuple[str, ...]:
        found = [self.inflow, self.outflow, self.of, self.cohort.of if self.cohort else "", *self.parts]
        return tuple(code for code in found if code)


HEALTH_SYSTEM_CHANGE = ("2023-11",)
PARAMETERS: dict[str, Shape] = {
    "cla_starts": Shape("flow", 19, 21, 0, seasonal=3, peak_month=10),
    "cla_ceased": Shape("flow", 16, 23, 0, seasonal=2.5, peak_month=8),
    "cla_count": Shape("stock", OPENING_CLA, inflow="cla_starts", outflow="cla_ceased"),
    "cla_rate": Shape("per_10k", of="cla_count"),
    "cla_foster_pct": Shape("share", 70, 67, 0.8, cohort=Cohort("cla_count", 1, 1, 0), targets=(72,)),
    "cla_20miles_pct": Shape("share", 19, 16, 0.7, cohort=Cohort("cla_count", 1, 1, 0), targets=(18, 17, 16, 15)),
    "stab_3plus_pct": Shape("share", 12.5, 10, 0.6, cohort=Cohort("cla_count", 1, 1, 0), targets=(11, 10)),
    "stab_long_pct": Shape("share", 64, 70, 1.2, cohort=Cohort("cla_count", 0.30, 0.31, 0.01), targets=(68, 70)),
    "cl_eet_17_18": Shape("share", 57, 62, 1.5, seasonal=2, peak_month=12, cohort=Cohort(None, 72, 78, 0.03),
                          targets=(60, 62, 65)),
    "cl_eet_19_21": Shape("share", 51, 56, 1.2, cohort=Cohort(None, 185, 200, 0.02), targets=(52, 55)),
    "cl_accom_17_18": Shape("share", 90, 94, 1.0, cohort=Cohort(None, 72, 78, 0.03), targets=(95,)),
    "cl_accom_19_21": Shape("share", 88, 92, 1.0, cohort=Cohort(None, 185, 200, 0.02), targets=(90, 92, 95)),
    "health_iha_pct": Shape("share", 25, 80, 4, s_curve=(0.35, 0.08), cohort=Cohort("cla_starts", 0.8, 0.85, 0.1),
                            targets=(50, 65, 80, 85), quarterly="sum", not_reported=HEALTH_SYSTEM_CHANGE),
    "health_rha_pct": Shape("share", 80, 88, 2, cohort=Cohort(None, 30, 32, 0.08), targets=(90,), quarterly="sum",
                            not_reported=HEALTH_SYSTEM_CHANGE),
    "health_annual_pct": Shape("share", 88, 93, 0.8, cohort=Cohort("cla_count", 0.68, 0.69, 0.01), targets=(95,),
                               quarterly="last"),
    "health_dental_pct": Shape("share", 72, 83, 1.5, cohort=Cohort("cla_count", 0.68, 0.69, 0.01), targets=(80, 85),
                               quarterly="last"),
    "health_imms_pct": Shape("share", 82, 88, 1.0, cohort=Cohort("cla_count", 0.68, 0.69, 0.01), targets=(90,),
                             quarterly="last"),
    "health_sdq_avg": Shape("level", 14.8, 13.9, 0.2, targets=(14.5, 14.2, 14.0)),
    "stab_3plus_2yr_pct": Shape("share", 25, 22, 1.0, cohort=Cohort("cla_count", 0.72, 0.72, 0.01), targets=(24, 22)),
    "cl_not_known_17_18": Shape("share", 6, 4, 1.2, cohort=Cohort("cl_eet_17_18", 1, 1, 0, use="denominator"),
                                targets=(5, 4)),
    "cl_neet_17_18": Shape("complement", parts=("cl_eet_17_18", "cl_not_known_17_18"), targets=(35, 33, 30)),
    "cl_not_known_19_21": Shape("share", 7, 5, 1.0, cohort=Cohort("cl_eet_19_21", 1, 1, 0, use="denominator"),
                                targets=(6, 5)),
    "cl_neet_19_21": Shape("complement", parts=("cl_eet_19_21", "cl_not_known_19_21"), targets=(42, 40, 38)),
    "health_dev_pct": Shape("share", 86, 90, 2, cohort=Cohort("cla_count", 0.11, 0.11, 0.05), targets=(90,),
                            quarterly="last"),
    "health_sdq_received_pct": Shape("share", 76, 82, 1.5, cohort=Cohort("cla_count", 0.5, 0.5, 0.01),
                                     targets=(80, 85)),
    "health_sdq_concern_pct": Shape("share", 41, 37, 1.5, targets=(40, 38, 36),
                                    cohort=Cohort("health_sdq_received_pct", 1, 1, 0, use="numerator")),
    "health_sdq_borderline_pct": Shape("share", 13, 13, 1.0,
                                       cohort=Cohort("health_sdq_received_pct", 1, 1, 0, use="numerator")),
    "health_sdq_normal_pct": Shape("complement", parts=("health_sdq_concern_pct", "health_sdq_borderline_pct"),
                                   targets=(46, 48, 50)),
    "cla_uasc": Shape("level", 22, 28, 1.5),
    "review_participation_pct": Shape("share", 88, 92, 1.0, cohort=Cohort(None, 95, 100, 0.05), targets=(90, 92)),
    "missing_pct": Shape("share", 9, 8, 0.6, cohort=Cohort("cla_count", 1.2, 1.2, 0), targets=(9, 8)),
    "missing_incidents": Shape("flow", 30, 26, 0, seasonal=4, peak_month=7, targets=(28, 26)),
}
FALLBACK_BY_UNIT: dict[str, Shape] = {
    "count": Shape("level", 40, 44, 2, seasonal=1),
    "percent": Shape("share", 70, 74, 2, cohort=Cohort(None, 100, 104, 0.03)),
    "rate_per_10k": Shape("level", 50, 52, 1),
    "score": Shape("level", 14, 13.8, 0.3),
}


def shape_of(measure: Measure) -> Shape:
    """The measure's shape from PARAMETERS, else the fallback for its unit (targets nudged by its polarity)."""
    if measure.code in PARAMETERS:
        return PARAMETERS[measure.code]
    fallback = FALLBACK_BY_UNIT[measure.unit]
    if measure.polarity == "neither":
        return fallback
    better = 1 if measure.polarity == "higher" else -1
    target = fallback.end + better * (measure.tolerance or 1)
    target = min(target, 100) if measure.is_percent else target
    return replace(fallback, targets=(round(target, measure.decimals),))


# ---------------------------------------------------------------------------------------------- the months

@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def end(self) -> date:
        following = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return date.fromordinal(following.toordinal() - 1)

    @property
    def financial_year(self) -> int:
        return self.year if self.month >= 4 else self.year - 1

    @property
    def header(self) -> str:
        return month_header(self.year, self.month)


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[Month]:
    out, (year, month) = [], first
    while (year, month) <= last:
        out.append(Month(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


MONTHS = months_between(FIRST_MONTH, LAST_MONTH)
FINANCIAL_YEARS = sorted({m.financial_year for m in MONTHS})
COMPLETE_YEARS = [y for y in FINANCIAL_YEARS if Month(y + 1, 3) in MONTHS]


def population_for(month: Month) -> int:
    """The estimate in use at the month: each mid-year estimate counts from the following July."""
    estimate_year = month.year - 1 if month.month < 7 else month.year
    return POPULATION_UNDER_18[min(max(estimate_year, min(POPULATION_UNDER_18)), max(POPULATION_UNDER_18))]


# ---------------------------------------------------------------------------------------------- the figures

@dataclass(frozen=True)
class Point:
    """One month's figure: a value, or a status symbol with no value (never a zero)."""

    value: float | None
    status: str = "value"
    numerator: int | None = None
    denominator: int | None = None


def _draw_count(rng: random.Random, mean: float) -> int:
    """A count scattered like events are (spread about the square root of the mean), never below zero."""
    return max(0, round(rng.gauss(mean, math.sqrt(max(mean, 0.0)))))


def _level(shape: Shape, index: int, month: Month) -> float:
    fraction = index / max(len(MONTHS) - 1, 1)
    if shape.s_curve is not None:
        midpoint, width = shape.s_curve
        fraction = 1 / (1 + math.exp(-(fraction - midpoint) / width))
    seasonal = shape.seasonal * math.cos(2 * math.pi * (month.month - shape.peak_month) / 12)
    return shape.start + (shape.end - shape.start) * fraction + seasonal


def generate_measure(measure: Measure, shape: Shape, done: dict[str, list[Point]]) -> list[Point]:
    """Monthly points for one measure, given the measures it depends on (already in ``done``)."""
    rng = random.Random(f"{SEED}:{measure.code}")
    points: list[Point] = []
    if shape.kind == "stock":
        count = shape.start
        for index in range(len(MONTHS)):
            count += (done[shape.inflow][index].value or 0) - (done[shape.outflow][index].value or 0)
            points.append(Point(float(count)))
        return points
    if shape.kind == "complement":
        return [_complement_point([done[part][i] for part in shape.parts]) for i in range(len(MONTHS))]
    if shape.kind == "per_10k":
        return [
            Point(round(10_000 * done[shape.of][i].value / population_for(m), 1))
            for i, m in enumerate(MONTHS)
        ]
    for index, month in enumerate(MONTHS):
        level = _level(shape, index, month)
        if month.key in shape.not_reported:
            points.append(Point(None, NOT_AVAILABLE))
            continue
        if shape.kind == "flow":
            points.append(Point(float(_draw_count(rng, level))))
        elif shape.kind == "level":
            value = max(0.0, level + rng.gauss(0, shape.noise))
            decimals = max(measure.decimals, 1) if not measure.is_count else 0
            points.append(Point(float(round(value, decimals))))
        elif shape.kind == "share":
            points.append(_share_point(rng, shape, level, index, month, done))
        else:
            raise ValueError(f"{measure.code}: unknown kind of shape {shape.kind!r}")
    return points


def _share_point(rng: random.Random, shape: Shape, level: float, index: int, month: Month,
                 done: dict[str, list[Point]]) -> Point:
    cohort = shape.cohort
    assert cohort is not None
    fraction = index / max(len(MONTHS) - 1, 1)
    size = cohort.start + (cohort.end - cohort.start) * fraction
    if cohort.of is not None:
        size *= getattr(done[cohort.of][index], cohort.use) or 0
    denominator = max(0, round(size * (1 + rng.gauss(0, cohort.noise))))
    percent = min(100.0, max(0.0, level + rng.gauss(0, shape.noise)))
    numerator = min(denominator, max(0, round(denominator * percent / 100)))
    if denominator < SUPPRESS_BELOW:
        return Point(None, SUPPRESSED)
    return Point(round(100 * numerator / denominator, 1), numerator=numerator, denominator=denominator)


def _complement_point(parts: list[Point]) -> Point:
    """What is left of the cohort the parts share: its numerator and value make the parts add up to 100%."""
    missing = next((p for p in parts if p.numerator is None or p.denominator is None), None)
    if missing is not None:
        return Point(None, missing.status if missing.status != "value" else NOT_AVAILABLE)
    denominator = parts[0].denominator
    assert denominator is not None
    numerator = max(0, denominator - sum(p.numerator or 0 for p in parts))
    if denominator < SUPPRESS_BELOW:
        return Point(None, SUPPRESSED)
    return Point(round(100 * numerator / denominator, 1), numerator=numerator, denominator=denominator)


def generate(measures: Catalogue) -> dict[str, list[Point]]:
    """Monthly points for every measure in the catalogue, in an order that honours dependencies."""
    done: dict[str, list[Point]] = {}
    shapes = {m.code: shape_of(m) for m in measures}

    def visit(code: str, path: tuple[str, ...]) -> None:
        if code in done:
            return
        if code in path:
            raise ValueError(f"measure shapes depend on each other in a circle: {' -> '.join((*path, code))}")
        if code not in shapes:
            raise ValueError(f"{path[-1]}'s shape needs {code}, which is not in the catalogue")
        for needed in shapes[code].needs():
            visit(needed, (*path, code))
        done[code] = generate_measure(measures.get(code), shapes[code], done)

    for measure in measures:
        visit(measure.code, ())
    return {m.code: done[m.code] for m in measures}


def split_count(rng: random.Random, total: int, shares: dict[str, float]) -> dict[str, int]:
    """Split ``total`` by jittered shares so the parts always add up to it (largest remainder)."""
    jittered = {k: max(0.0, v + rng.gauss(0, SHARE_JITTER)) for k, v in shares.items()}
    scale = sum(jittered.values()) or 1.0
    exact = {k: total * v / scale for k, v in jittered.items()}
    parts = {k: math.floor(v) for k, v in exact.items()}
    by_remainder = sorted(exact, key=lambda k: exact[k] - parts[k], reverse=True)
    for k in by_remainder[: total - sum(parts.values())]:
        parts[k] += 1
    return parts


def suppress_small(parts: dict[str, int]) -> dict[str, int | None]:
    """Counts under SUPPRESS_BELOW become None; when only one is, the next smallest goes too,
    so that no hidden count can be worked out from the total (secondary suppression)."""
    hidden = {k for k, v in parts.items() if v < SUPPRESS_BELOW}
    if len(hidden) == 1 and len(parts) > 1:
        hidden.add(min((k for k in parts if k not in hidden), key=lambda k: (parts[k], k)))
    return {k: (None if k in hidden else v) for k, v in parts.items()}


@dataclass(frozen=True)
class BreakdownRow:
    month: Month
    dimension: str
    category: str
    value: int | None  # None: suppressed


def generate_breakdowns(monthly: dict[str, list[Point]]) -> list[BreakdownRow]:
    """Children in care each month by age band, gender and placement, each adding up to the month's total.

    Children in foster care are exactly the foster percentage's numerator, so the two agree.
    """
    rng = random.Random(f"{SEED}:breakdowns")
    rows: list[BreakdownRow] = []
    for index, month in enumerate(MONTHS):
        total = int(monthly["cla_count"][index].value or 0)
        foster = monthly["cla_foster_pct"][index].numerator or 0
        by_dimension = {
            "age": split_count(rng, total, AGE_SHARES),
            "gender": split_count(rng, total, GENDER_SHARES),
            "placement": {FOSTER_CATEGORY: foster, **split_count(rng, total - foster, NON_FOSTER_SHARES)},
        }
        for dimension, parts in by_dimension.items():
            for category, value in suppress_small(parts).items():
                rows.append(BreakdownRow(month, dimension, category, value))
    return rows


def yearly_point(points: list[Point], year: int, flow: bool) -> Point:
    """The year ending 31 March: events added up over the year, anything else as it stood at March."""
    indices = [i for i, m in enumerate(MONTHS) if m.financial_year == year]
    if not flow:
        return points[indices[-1]]
    values = [points[i].value for i in indices]
    if any(v is None for v in values):
        return Point(None, NOT_AVAILABLE)
    return Point(float(sum(values)))


def quarterly_point(points: list[Point], quarter_months: list[int], how: str) -> tuple[int | None, int | None]:
    """Numerator and denominator for a quarter: events added up, or the quarter's last month for a snapshot."""
    chosen = quarter_months if how == "sum" else quarter_months[-1:]
    numerators = [points[i].numerator for i in chosen]
    denominators = [points[i].denominator for i in chosen]
    if any(n is None for n in numerators) or any(d is None for d in denominators):
        return None, None
    return sum(numerators), sum(denominators)


# ---------------------------------------------------------------------------------------------- the files

def area_name() -> str:
    return areas().get(AREA_CODE).name


def fictional_notice() -> list[str]:
    name = area_name()
    return [
        f"FICTIONAL SAMPLE DATA: {name} is not a real council and every figure in this file is made up.",
        "The figures exist only to show how the corporate parenting dashboard works; they describe no real child, "
        "council or service.",
    ]


def _title(sheet: Worksheet, title: str) -> None:
    """Title and fictional notice above the data, as councils put a heading above a table."""
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    sheet.cell(row=2, column=1, value=fictional_notice()[0]).font = Font(bold=True, color="C00000")


def _notes_sheet(sheet: Worksheet, title: str, lines: Iterable[str]) -> None:
    sheet.column_dimensions["A"].width = 110
    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    for row, text in enumerate([*fictional_notice(), "", *lines], start=2):
        cell = sheet.cell(row=row, column=1, value=text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row <= 3:
            cell.font = Font(bold=True, color="C00000")


def _cell_value(point: Point) -> float | int | str:
    if point.value is None:
        return point.status
    return int(point.value) if float(point.value).is_integer() else point.value


def _save(workbook: Workbook, path: Path) -> None:
    """Save with fixed timestamps, so unchanged figures give an unchanged file."""
    workbook.properties.creator = "scripts/make_sample.py"
    workbook.properties.created = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(normalise_xlsx(buffer.getvalue()))


def normalise_xlsx(data: bytes) -> bytes:
    """The same workbook with the save time and every zip entry's date fixed."""
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: m.group(1) + stamp.encode() + m.group(3), content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def write_monthly_return(path: Path, measures: Catalogue, monthly: dict[str, list[Point]]) -> None:
    """Wide layout, one sheet per financial year: measure names, Apr-22 style headings, the year's target."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    in_return = [m for m in measures if shape_of(m).in_monthly_return]
    _notes_sheet(notes, f"{area_name()}: monthly corporate parenting return", [
        "One sheet for each financial year (April to March). Each row is one of our measures, named in words; "
        "each column a month, figures at the month end or for the month.",
        "The last column is the target for the financial year, where the measure has one.",
        f"{SUPPRESSED} = suppressed: a percentage of a group of fewer than {SUPPRESS_BELOW} children, to protect "
        "their identity. "
        f"{NOT_AVAILABLE} = not available: the health provider could not report while its system changed "
        f"({', '.join(HEALTH_SYSTEM_CHANGE)}). An empty cell is a month not yet reported.",
        "Breakdowns, the health provider's quarterly figures and the year-end figures are in separate files.",
    ])
    index_of = {m: i for i, m in enumerate(MONTHS)}
    for year in FINANCIAL_YEARS:
        sheet = workbook.create_sheet(financial_year_label(year))
        _title(sheet, f"{area_name()}: monthly return {financial_year_label(year)}")
        year_months = [Month(y, m) for y, m in financial_year_months(year)]
        header_row = 4
        for col, text in enumerate(["Measure", *(m.header for m in year_months), "Target"], start=1):
            sheet.cell(row=header_row, column=col, value=text).font = Font(bold=True)
        for row, measure in enumerate(in_return, start=header_row + 1):
            sheet.cell(row=row, column=1, value=measure.name)
            for col, month in enumerate(year_months, start=2):
                if month in index_of:
                    sheet.cell(row=row, column=col, value=_cell_value(monthly[measure.code][index_of[month]]))
            target = target_for(measure, year)
            if target is not None:
                sheet.cell(row=row, column=len(year_months) + 2, value=target)
        sheet.column_dimensions["A"].width = 62
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    _save(workbook, path)


def target_for(measure: Measure, year: int) -> float | None:
    """The target for the financial year starting in April of ``year``, or None for a measure without a polarity."""
    targets = shape_of(measure).targets
    if measure.polarity == "neither" or not targets:
        return None
    position = min(FINANCIAL_YEARS.index(year), len(targets) - 1)
    return targets[position]


def write_breakdowns(path: Path, rows: list[BreakdownRow]) -> None:
    """Tidy layout: one row per month and category, the month as an Excel date, the area by name."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "About"
    _notes_sheet(notes, f"{area_name()}: children in care by age, gender and placement", [
        "Each month's children in care split by age band, gender and type of placement; each split adds up to "
        "the month's total.",
        f"{SUPPRESSED} = fewer than {SUPPRESS_BELOW} children, or a second figure hidden so that a suppressed one "
        "cannot be worked out from the total.",
    ])
    sheet = workbook.create_sheet("Breakdowns")
    _title(sheet, f"{area_name()}: children looked after by age, gender and placement, monthly")
    header_row = 4
    for col, text in enumerate(["Measure", "Area", "Period", "Breakdown", "Value"], start=1):
        sheet.cell(row=header_row, column=col, value=text).font = Font(bold=True)
    name = area_name()
    for row, item in enumerate(rows, start=header_row + 1):
        sheet.cell(row=row, column=1, value="Children looked after")
        sheet.cell(row=row, column=2, value=name)
        period = sheet.cell(row=row, column=3, value=item.month.end)
        period.number_format = "mmm-yy"
        sheet.cell(row=row, column=4, value=f"{item.dimension}: {item.category}")
        sheet.cell(row=row, column=5, value=SUPPRESSED if item.value is None else item.value)
    for column, width in zip("ABCDE", (24, 38, 10, 32, 8), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    _save(workbook, path)


def quarter_label(year: int, quarter: int) -> str:
    return f"{financial_year_label(year)} Q{quarter}"


def write_health_quarterly(path: Path, measures: Catalogue, monthly: dict[str, list[Point]]) -> None:
    """Tidy CSV as the health provider sends it: counts only, the percentage left for the reader to work out."""
    index_of = {m: i for i, m in enumerate(MONTHS)}
    lines: list[list[str]] = [
        [f"{area_name()}: health assessments by quarter, from the health provider"],
        [fictional_notice()[0]],
        [],
        ["measure", "area", "period", "numerator", "denominator", "value"],
    ]
    for measure in measures:
        how = shape_of(measure).quarterly
        if not how:
            continue
        for year in FINANCIAL_YEARS:
            for quarter in range(1, 5):
                months = [Month(y, m) for y, m in financial_year_months(year)[3 * (quarter - 1): 3 * quarter]]
                if any(m not in index_of for m in months):
                    continue
                numerator, denominator = quarterly_point(monthly[measure.code], [index_of[m] for m in months], how)
                if numerator is None or denominator is None:
                    row = ["", "", NOT_AVAILABLE]
                elif denominator < SUPPRESS_BELOW:
                    row = ["", "", SUPPRESSED]
                else:
                    row = [str(numerator), str(denominator), ""]
                lines.append([measure.code, AREA_CODE, quarter_label(year, quarter), *row])
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(lines)


def is_published_yearly(measure: Measure) -> bool:
    """DfE publishes it each year, unless it comes from a local source only."""
    return not measure.source.startswith(LOCAL_SOURCE_PREFIX)


def write_year_end(path: Path, measures: Catalogue, monthly: dict[str, list[Point]]) -> None:
    """Tidy layout in DfE's yearly form (2024-25 = the year ending 31 March 2025), the area by DfE number."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Notes"
    _notes_sheet(notes, f"{area_name()}: year-end figures as sent to DfE", [
        "Figures for each year ending 31 March, for the measures DfE publishes every year: children in care and "
        "those starting and leaving care during the year, and the rest as they stood at 31 March.",
        "Percentages come with the number of children they count (numerator) and are out of (denominator).",
    ])
    sheet = workbook.create_sheet("Year end")
    _title(sheet, f"{area_name()}: year-end return")
    header_row = 4
    header = ["Measure", "Area", "Period", "Value", "Numerator", "Denominator"]
    for col, text in enumerate(header, start=1):
        sheet.cell(row=header_row, column=col, value=text).font = Font(bold=True)
    dfe_number = areas().get(AREA_CODE).dfe_number
    row = header_row + 1
    for measure in measures:
        if not is_published_yearly(measure):
            continue
        flow = shape_of(measure).kind == "flow"
        for year in COMPLETE_YEARS:
            point = yearly_point(monthly[measure.code], year, flow)
            values = [measure.code, int(dfe_number), financial_year_label(year), _cell_value(point),
                      point.numerator, point.denominator]
            for col, value in enumerate(values, start=1):
                sheet.cell(row=row, column=col, value=value)
            row += 1
    for column, width in zip("ABCDEF", (22, 8, 10, 10, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    _save(workbook, path)


README_TEXT = """# Sample data: Northmoor, a fictional council

Everything in this folder is FICTIONAL. Northmoor (ONS code E06999901, DfE number 999) is not a real
council and every figure is made up, to show how the dashboard works on first start.

Written by `scripts/make_sample.py` (deterministic: re-running it gives the same files); do not edit
by hand. The app loads every .xlsx and .csv here, in name order, when its database holds no council's
own returns yet (setting DASHBOARD_LOAD_SAMPLE, on by default).

| file | layout | what it holds |
|---|---|---|
| northmoor_breakdowns.xlsx | tidy, months as Excel dates, area by name, `age: 10-15` breakdowns | children in care each month by age band, gender and placement |
| northmoor_health_quarterly.csv | tidy CSV under a title, quarters as `2023-24 Q1`, numerator and denominator only | health assessments by quarter from the health provider |
| northmoor_monthly_return.xlsx | wide, one sheet per financial year, measure names, `Apr-22` headings, target column, notes sheet first | every measure monthly from {first} to {last} |
| northmoor_year_end.xlsx | tidy, years as `2024-25`, area by DfE number, numerator and denominator | DfE's yearly measures for the years ending 31 March |
"""

Writer = Callable[[Path], None]


def write_sample(out_dir: Path = SAMPLE_DIR) -> list[Path]:
    """Write every sample file into ``out_dir``; returns the paths written, in name order."""
    measures = catalogue()
    monthly = generate(measures)
    breakdowns = generate_breakdowns(monthly)
    out_dir.mkdir(parents=True, exist_ok=True)
    writers: dict[str, Writer] = {
        "northmoor_breakdowns.xlsx": lambda p: write_breakdowns(p, breakdowns),
        "northmoor_health_quarterly.csv": lambda p: write_health_quarterly(p, measures, monthly),
        "northmoor_monthly_return.xlsx": lambda p: write_monthly_return(p, measures, monthly),
        "northmoor_year_end.xlsx": lambda p: write_year_end(p, measures, monthly),
    }
    written = []
    for name, write in sorted(writers.items()):
        write(out_dir / name)
        written.append(out_dir / name)
    (out_dir / "README.md").write_text(
        README_TEXT.format(first=MONTHS[0].header, last=MONTHS[-1].header), encoding="utf-8"
    )
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else SAMPLE_DIR
    for path in write_sample(out_dir):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))

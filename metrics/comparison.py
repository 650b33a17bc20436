"""One council's figure for one measure and one year beside everything it is compared with: the one builder.

Every screen and the pack compare a figure the same way, so each gives the same neighbour average, rank
and band by construction: the scorecard, the verdict, the neighbour chart, the Benchmarking page, the
committee pack and ``python -m metrics benchmark`` all take a ``Comparison`` from ``compare``.

The council's own figure is DfE's where DfE published one, else the council's own return (its origin
says which). Everything it is compared with comes from DfE's published figures only: the neighbours,
their average, the region, England, and the rank and band among councils, the council's own rank
included. So a council's provisional figure is never ranked as if published, and no council's own
unpublished figure is ever shown as another council's neighbour. Ranks and bands are LAIT's rules
(``metrics.comparators``) read with ``metrics.standing``; a count, or a measure where neither way is
better, is not ranked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from metrics.comparators import NeighbourAverage, neighbour_average
from metrics.formatting import YEAR_END_MONTH, is_missing, round_half_up, year_end
from metrics.ratings import NO_RATING, Rating, rate_against_target
from metrics.series import PUBLISHED, one_per_period, published_only, target_at
from metrics.standing import Standing, standings
from metrics.travel import Travel, direction_of_travel
from reference.areas import ENGLAND_CODE, Area, AreaDirectory
from reference.catalogue import Measure
from reference.statuses import VALUE

MISSING = "missing"  # the status of an area with nothing loaded for the year
NO_FIGURE = "x"  # the status a bar gets when nothing at all was loaded for the area that year
FIGURE_COLUMNS = ["area_code", "value", "status"]


@dataclass(frozen=True)
class AreaFigure:
    """One area's figure for the year, as loaded: a number, or the symbol published instead of one."""

    code: str
    name: str
    value: float | None  # None when the status is a symbol or nothing was loaded
    status: str  # 'value', DfE's symbol ('c', 'low', 'x'...), or MISSING
    origin: str = ""  # 'published' (DfE's) or 'local' (the council's own return); '' when missing
    batch_id: int | None = None  # the import that loaded it, to name where it came from
    numerator: float | None = None
    denominator: float | None = None

    @property
    def number(self) -> float | None:
        """The value only where it is a real figure (status 'value'): what may be compared."""
        return self.value if self.status == VALUE else None


@dataclass(frozen=True)
class Comparison:
    """This measure, this council, this year: its figure beside its neighbours, region and England."""

    measure: Measure
    area: Area
    year: int  # the year ending 31 March
    own: AreaFigure  # the council's figure as shown: DfE's where there is one, else its own return
    published: AreaFigure  # DfE's figure for the council (status MISSING when DfE published none)
    target: float | None  # the council's target in force at the year's end
    rating: Rating  # the figure against that target (NO_RATING without one)
    neighbours: tuple[AreaFigure, ...]  # each statistical neighbour, closest first: DfE's figures only
    neighbour_average: NeighbourAverage  # the mean of the neighbours with a published figure, and how many
    release: str  # which neighbour release named them ('May 2025'); '' when not given
    region: AreaFigure | None
    england: AreaFigure
    standing: Standing | None  # the council's rank and band among councils; None when not ranked
    ranked: int | None  # how many councils were ranked that year; None when none was (or not a ranked measure)
    standings: Mapping[str, Standing] = field(repr=False, compare=False)  # every ranked council's
    placed: Standing | None  # a sample council: where its figure would sit among DfE's councils
    travel: Travel  # since the year before, on the figures as shown

    @property
    def period_end(self) -> date:
        return year_end(self.year)

    @property
    def rank(self) -> int | None:
        return None if self.standing is None else self.standing.rank

    @property
    def band(self) -> str | None:
        return None if self.standing is None else self.standing.band

    def figure(self, code: str) -> AreaFigure | None:
        """The figure of the council, a neighbour, the region or England by code."""
        found = [self.own, *self.neighbours, self.region, self.england]
        return next((f for f in found if f is not None and f.code == code), None)

    def as_report(self) -> dict:
        """As plain data for ``python -m metrics benchmark`` (JSON): the keys that command has always printed."""
        return {
            "measure": self.measure.code,
            "measure_name": self.measure.name,
            "unit": self.measure.unit,
            "polarity": self.measure.polarity,
            "polarity_text": self.measure.polarity_text,
            "area": self.area.code,
            "area_name": self.area.name,
            "dfe_number": self.area.dfe_number or None,
            "year": self.year,
            "period_end": self.period_end.isoformat(),
            "value": self.own.value,
            "status": self.own.status,
            "numerator": self.own.numerator,
            "denominator": self.own.denominator,
            "sn_average": self.neighbour_average.value,
            "sn_count": int(self.neighbour_average.used),
            "sn_of": int(self.neighbour_average.of),
            "sn_missing": list(self.neighbour_average.missing),
            "neighbours": [_report_figure(n) for n in self.neighbours],
            "region": (None if self.region is None else
                       {"code": self.region.code, "name": self.region.name, **_without_names(self.region)}),
            "england": {"code": self.england.code, "name": self.england.name, **_without_names(self.england)},
            "rank": self.rank,
            "rank_of": self.ranked,
            "quartile": self.band,
            "quartile_reading": None if self.standing is None else self.standing.reading,
            "tied": None if self.standing is None else self.standing.tied,  # councils sharing the figure
        }



def is_ranked(measure: Measure) -> bool:
    """Whether councils are ranked on the measure: not a count (councils differ in size), not 'neither'."""
    return not measure.is_count and measure.polarity != "neither"


def council_codes(directory: AreaDirectory) -> set[str]:
    """The councils LAIT ranks: every real council, those since reorganised included (in the years they
    published they were ranked like any other); no regions, England or sample councils."""
    return {a.code for a in directory.local_authorities(include_fictional=False, current_only=False)}


def _number(value: object) -> float | None:
    if value is None or is_missing(value):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _year_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """Headline (no breakdown) yearly rows for the year ending 31 March ``year``."""
    if frame.empty:
        return frame
    ends = frame["period_end"]
    months = (ends if ends.dtype.kind == "M" else pd.to_datetime(ends)).to_numpy().astype("datetime64[M]")
    mask = (frame["period_type"].to_numpy() == "year") & (months == np.datetime64(f"{year:04d}-{YEAR_END_MONTH:02d}"))
    for column in ("dimension", "category"):
        if column in frame:
            values = frame[column].to_numpy(dtype=object)
            mask &= pd.isna(values) | (values == "")
    return frame[mask]


def _by_area(rows: pd.DataFrame) -> dict[str, dict]:
    """Each area's last row, as plain values: every neighbour, the region and England looked up at once."""
    if rows.empty:
        return {}
    return {row["area_code"]: row for row in rows.to_dict("records")}


def _figure(by_area: dict[str, dict], area: Area) -> AreaFigure:
    """The area's figure from its last row (``_by_area``), or MISSING when it has none."""
    row = by_area.get(area.code)
    if row is None:
        return AreaFigure(area.code, area.name, None, MISSING)
    status = VALUE if is_missing(row["status"]) else str(row["status"])
    batch = row.get("batch_id")
    return AreaFigure(area.code, area.name, _number(row["value"]), status,
                      str(row.get("origin", PUBLISHED) or ""), None if is_missing(batch) else int(batch),
                      _number(row.get("numerator")), _number(row.get("denominator")))


def _shown(value: float | None, measure: Measure) -> float | None:
    return None if value is None else float(round_half_up(value, measure.decimals))


def compare(published: pd.DataFrame, own: pd.DataFrame, measure: Measure, area: Area, directory: AreaDirectory,
            year: int, targets: pd.DataFrame | None = None, release: str = "") -> Comparison:
    """The council's figure for the year ending 31 March ``year`` beside its comparators.

    ``published`` holds the measure's figures for every area (the columns of ``db.queries.observations``);
    only DfE's published rows in it are used, and ranks are right only when it holds every council's.
    ``own`` holds the council's own rows for the measure, of any origin. ``directory`` names the neighbours
    (of the release called ``release``) and the region; ``targets`` the council's targets. Not changed.
    """
    published = published_only(published)
    published_rows = _year_rows(published, year).drop_duplicates("area_code", keep="last")
    mine = own[own["area_code"] == area.code] if not own.empty else own
    shown_rows = one_per_period(_year_rows(mine, year), PUBLISHED)
    figure = _figure(_by_area(shown_rows), area)
    values = published_rows[FIGURE_COLUMNS]

    neighbour_areas = directory.neighbours(area.code)
    average = neighbour_average(values, [n.code for n in neighbour_areas])
    region = directory.region_of(area.code)
    councils = council_codes(directory)
    ranked_values = values[values["area_code"].isin(councils)]
    found = standings(ranked_values, measure) if is_ranked(measure) else {}
    placed = None
    if area.fictional and is_ranked(measure) and figure.number is not None:
        home = pd.DataFrame({"area_code": [area.code], "value": [figure.value], "status": [figure.status]})
        placed = standings(pd.concat([ranked_values, home], ignore_index=True), measure).get(area.code)

    target = target_at(targets, measure.code, area.code, pd.Timestamp(year_end(year)))
    rating = NO_RATING if target is None else rate_against_target(
        figure.number, target[0], measure.polarity, measure.tolerance if target[1] is None else target[1])
    before = _figure(_by_area(one_per_period(_year_rows(mine, year - 1), PUBLISHED)), area)
    travel = direction_of_travel(_shown(figure.number, measure), _shown(before.number, measure), measure.polarity)
    by_area = _by_area(published_rows)
    return Comparison(
        measure=measure, area=area, year=year, own=figure, published=_figure(by_area, area),
        target=None if target is None else float(target[0]), rating=rating,
        neighbours=tuple(_figure(by_area, n) for n in neighbour_areas), neighbour_average=average,
        release=release, region=None if region is None else _figure(by_area, region),
        england=_figure(by_area, directory.get(ENGLAND_CODE)),
        standing=found.get(area.code), ranked=next(iter(found.values())).of if found else None,
        standings=found, placed=placed, travel=travel,
    )


def _report_figure(figure: AreaFigure) -> dict:
    out: dict = {"area": figure.code, "name": figure.name, "value": figure.value}
    if figure.status != VALUE:
        out["status"] = figure.status
    return out


def _without_names(figure: AreaFigure) -> dict:
    return {k: v for k, v in _report_figure(figure).items() if k not in ("area", "name")}

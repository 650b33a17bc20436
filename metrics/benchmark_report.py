"""One council's figure for one measure and year beside its comparators, as plain data.

What a committee asks of a figure: what it is, the statistical neighbour average and each neighbour's
figure, the region and England, the rank among councils and the quartile band, read the right way
round for the measure's polarity. The calculations are those of ``metrics.comparators`` (LAIT's rules);
this module only picks the rows and lays the answer out. Suppressed figures stay suppressed: a
neighbour with 'c' is listed with its status and left out of the average, never counted as zero.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from metrics.comparators import neighbour_average
from metrics.series import PUBLISHED, one_per_period, published_only
from metrics.standing import Standing, standings
from reference.areas import ENGLAND_CODE, Area, AreaDirectory
from reference.catalogue import Measure

VALUE = "value"
YEAR = "year"


class NoFigures(LookupError):
    """Nothing published for the measure (or for the year asked for)."""


def _number(value: object) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def years_with_data(frame: pd.DataFrame) -> list[int]:
    """Years (ending 31 March) in which DfE published a real value for any area, oldest first."""
    frame = published_only(frame)
    yearly = frame[(frame["period_type"] == YEAR) & frame["value"].notna()]
    return sorted({int(y) for y in pd.to_datetime(yearly["period_end"]).dt.year})


def _cell(rows: pd.DataFrame, code: str, column: str) -> float | None:
    if code not in rows.index or column not in rows:
        return None
    return _number(rows.loc[code, column])


def _year_rows(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per area for the year: DfE's published figure, or the council's own where DfE has none."""
    ends = pd.to_datetime(frame["period_end"])
    rows = frame[(frame["period_type"] == YEAR) & (ends.dt.year == year) & (frame["dimension"] == "")]
    return one_per_period(rows, PUBLISHED).drop_duplicates("area_code", keep="last").set_index("area_code")


def _figure(rows: pd.DataFrame, area: Area) -> dict:
    """An area's figure: value, and its status when it is not a number."""
    out: dict = {"area": area.code, "name": area.name}
    if area.code not in rows.index:
        out.update(value=None, status="missing")
        return out
    row = rows.loc[area.code]
    out["value"] = _number(row["value"])
    if row["status"] != VALUE:
        out["status"] = row["status"]
    return out


def benchmark_report(frame: pd.DataFrame, measure: Measure, area: Area, directory: AreaDirectory,
                     year: int | None = None) -> dict:
    """The area's figure and its comparators for the year, as plain data (see report_and_standing)."""
    return report_and_standing(frame, measure, area, directory, year)[0]


def report_and_standing(frame: pd.DataFrame, measure: Measure, area: Area, directory: AreaDirectory,
                        year: int | None = None) -> tuple[dict, Standing | None]:
    """The area's figure and its comparators for the year (default: the latest year with any figure).

    ``frame`` holds the measure's observations for all areas (measure_code, area_code, period_type,
    period_end, dimension, value, status; NaN value where the status is a symbol). It is not changed.
    Rank and quartile count, as LAIT does, every council with a value that year, including councils
    since reorganised (no regions, England or fictional councils); a measure with no polarity gets neither.
    """
    years = years_with_data(frame)
    if not years:
        raise NoFigures(f"no published figures for {measure.code} ({measure.name})")
    if year is None:
        year = years[-1]
    elif year not in years:
        raise NoFigures(f"no figures for {measure.code} in the year ending 31 March {year}; "
                        f"years with figures: {', '.join(map(str, years))}")
    rows = _year_rows(frame, year)
    values = published_only(rows.reset_index())[["area_code", "value", "status"]]  # ranks: DfE's figures only

    neighbours = directory.neighbours(area.code)
    sn = neighbour_average(values, [n.code for n in neighbours])
    region = directory.region_of(area.code)
    england = directory.get(ENGLAND_CODE)

    councils = [a.code for a in directory.local_authorities(include_fictional=False, current_only=False)]
    council_values = values[values["area_code"].isin(councils)]
    rank = rank_of = band = reading = None
    found = standings(council_values, measure)
    standing = found.get(area.code)
    if found:
        rank_of = next(iter(found.values())).of
    if standing is not None:
        rank, band, reading = standing.rank, standing.band, standing.reading

    own = _figure(rows, area)
    report = {
        "measure": measure.code,
        "measure_name": measure.name,
        "unit": measure.unit,
        "polarity": measure.polarity,
        "polarity_text": measure.polarity_text,
        "area": area.code,
        "area_name": area.name,
        "dfe_number": area.dfe_number or None,
        "year": year,
        "period_end": date(year, 3, 31).isoformat(),
        "value": own["value"],
        "status": own.get("status", VALUE),
        "numerator": _cell(rows, area.code, "numerator"),
        "denominator": _cell(rows, area.code, "denominator"),
        "sn_average": _number(sn.value),
        "sn_count": int(sn.used),
        "sn_of": int(sn.of),
        "sn_missing": list(sn.missing),
        "neighbours": [_figure(rows, n) for n in neighbours],
        "region": ({"code": region.code, "name": region.name, **_without_names(_figure(rows, region))}
                   if region is not None else None),
        "england": {"code": england.code, "name": england.name, **_without_names(_figure(rows, england))},
        "rank": rank,
        "rank_of": rank_of,
        "quartile": band,
        "quartile_reading": reading,
        "tied": None if standing is None else standing.tied,  # councils sharing the figure, itself included
    }
    return report, standing


def _without_names(figure: dict) -> dict:
    return {k: v for k, v in figure.items() if k not in ("area", "name")}

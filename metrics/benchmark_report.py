"""One council's figure for one measure and year beside its comparators, for ``python -m metrics benchmark``.

The comparison itself is ``metrics.comparison.compare`` (the one builder every screen uses); this module
only chooses the year (the latest with any published figure, unless one is asked for) and says why
there is nothing to compare when DfE published nothing.
"""

from __future__ import annotations

import pandas as pd

from metrics.comparison import Comparison, compare
from metrics.series import published_only
from reference.areas import Area, AreaDirectory
from reference.catalogue import Measure

YEAR = "year"


class NoFigures(LookupError):
    """Nothing published for the measure (or for the year asked for)."""


def years_with_data(frame: pd.DataFrame) -> list[int]:
    """Years (ending 31 March) in which DfE published a real value for any area, oldest first."""
    frame = published_only(frame)
    yearly = frame[(frame["period_type"] == YEAR) & frame["value"].notna()]
    return sorted({int(y) for y in pd.to_datetime(yearly["period_end"]).dt.year})


def benchmark_comparison(frame: pd.DataFrame, measure: Measure, area: Area, directory: AreaDirectory,
                         year: int | None = None) -> Comparison:
    """The area's comparison for the year (default: the latest year with any published figure).

    ``frame`` holds the measure's observations for all areas (as ``db.queries.observations``). Raises
    NoFigures, saying which years have figures, when there is nothing for the year.
    """
    years = years_with_data(frame)
    if not years:
        raise NoFigures(f"no published figures for {measure.code} ({measure.name})")
    if year is None:
        year = years[-1]
    elif year not in years:
        raise NoFigures(f"no figures for {measure.code} in the year ending 31 March {year}; "
                        f"years with figures: {', '.join(map(str, years))}")
    return compare(frame, frame, measure, area, directory, year)


def benchmark_report(frame: pd.DataFrame, measure: Measure, area: Area, directory: AreaDirectory,
                     year: int | None = None) -> dict:
    """The area's figure and its comparators for the year, as plain data (Comparison.as_report)."""
    return benchmark_comparison(frame, measure, area, directory, year).as_report()

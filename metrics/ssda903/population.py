"""DfE's population under 18 for a council, by collection year, from the published figures in the database.

DfE's rate of children looked after per 10,000 is its count over the ONS mid-year estimate of the council's
under-18 population, which the EES table 'Children looked after in England including adoptions' gives beside
the rate (``population_estimate``); the importer keeps it as the denominator of DfE's ``cla_rate`` figure.
Using the same number makes a rate computed from the 903 comparable with DfE's to the last digit.

LAIT gives only the rate, rounded to a whole number, and the count: count / rate x 10,000 would be the
population only to within about 1%, so a year DfE gives through LAIT alone has no population here.
"""

from __future__ import annotations

from sqlalchemy import Engine

from db.models import PUBLISHED
from db.queries import observations

RATE = "cla_rate"


def published_population(engine: Engine, area_code: str) -> dict[int, float]:
    """Collection year (ending 31 March) -> DfE's population under 18 for ``area_code``, where published."""
    rows = observations(engine, measures=[RATE], areas=[area_code], origin=PUBLISHED)
    rows = rows[(rows["period_type"] == "year") & rows["denominator"].notna() & (rows["denominator"] > 0)]
    return {int(end.year): float(population) for end, population in zip(rows["period_end"], rows["denominator"],
                                                                         strict=True)}

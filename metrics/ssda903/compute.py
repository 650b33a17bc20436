"""Every measure the 903 gives, at every date it can be given for."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from loaders.ssda903.model import Figure903, Return903


def compute(ret: Return903, population: Mapping[int, float] | None = None, latest: date | None = None) -> list[Figure903]:
    """Each measure at 31 March of each collection year in ``ret`` (period_type "year") and at each month end
    of the latest collection year up to ``latest`` (period_type "month": the 12 months to that date).

    ``population`` is DfE's population under 18 for the council by year ending 31 March (the denominator of
    the rate per 10,000); the latest year's is used for later month ends, and the figure's note says so.
    """
    return []

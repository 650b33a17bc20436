"""Every measure the 903 gives, at every date it can be given for."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from loaders.ssda903.model import Figure903, Return903
from metrics.ssda903 import activity, cla, distance, outcomes, stability
from metrics.ssda903.context import Context
from metrics.ssda903.dates import windows
from metrics.ssda903.distance import PostcodeDirectory


def compute(ret: Return903, population: Mapping[int, float] | None = None, latest: date | None = None,
            postcodes: PostcodeDirectory | None = None) -> list[Figure903]:
    """Each measure at 31 March of each collection year in ``ret`` (period_type "year") and at each month end
    of the latest collection year up to ``latest`` (period_type "month": the 12 months to that date).

    ``population`` is DfE's population under 18 for the council by year ending 31 March (the denominator of
    the rate per 10,000; ``metrics.ssda903.population.published_population`` reads it from the database);
    the latest year's is used for later month ends, and the figure's note says so. ``postcodes`` is the
    postcode directory the distance from home needs; without it that measure has no figure and says why.
    Health (OC2) and care leavers (OC3) are given at 31 March only, as DfE collects them.
    """
    if not ret.years:
        return []
    ctx = Context(ret, dict(population or {}))
    events, placements = activity.prepare(ctx), stability.countable(ctx)
    out: list[Figure903] = []
    for window in windows(ret, latest):
        current = cla.looked_after(ctx, window.when)
        children = frozenset(current["CHILD"])
        out += cla.figures(ctx, window, current)
        out += stability.figures(ctx, window, children, placements)
        out.append(distance.figure(ctx, window, current, postcodes))
        out += activity.figures(ctx, events, window)
        if window.period_type == "year":
            out += outcomes.health(ctx, window)
            out += outcomes.care_leavers(ctx, window)
    return out

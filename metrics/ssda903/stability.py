"""Placement stability: 3 or more placements in the 12 months, and long-term stability."""

from __future__ import annotations

import pandas as pd

from loaders.ssda903.model import Figure903
from metrics.ssda903.codes import ADOPTION
from metrics.ssda903.context import Context, needs_years, not_given, percent
from metrics.ssda903.dates import Window, age_on
from metrics.ssda903.episodes import open_at

THREE_OR_MORE = 3
UNDER_AGE = 16  # long-term stability: children aged under 16 at the date
LOOKED_AFTER_MONTHS = 30  # looked after continuously for at least 2.5 years
SAME_PLACEMENT_MONTHS = 24  # in the same placement (or adoptive placement and the one before) for 2 years


def countable(ctx: Context) -> pd.DataFrame:
    """The placements that count towards 3 or more: not temporary, and of 24 hours or more (a placement that
    ended on the day it began is under 24 hours). Prepared once for every date."""
    pl = ctx.history.placements
    return pl[pl["counted"] & (pl["end"].isna() | (pl["end"] > pl["start"]))]


def figures(ctx: Context, window: Window, children: frozenset[str], placements: pd.DataFrame) -> list[Figure903]:
    """``children``: those looked after at the window's end (the cohort of cla_count); ``placements``:
    ``countable(ctx)``."""
    return [three_or_more(ctx, window, children, placements), long_term(ctx, window, children)]


def three_or_more(ctx: Context, window: Window, children: frozenset[str], pl: pd.DataFrame) -> Figure903:
    missing = ctx.missing_years("episodes", window)
    if missing:
        return needs_years("stab_3plus_pct", window, "episodes", missing)
    counted = (pl["start"] <= window.when) & (pl["end"].isna() | (pl["end"] >= window.first))
    counted &= pl["CHILD"].isin(children)
    per_child = pl.loc[counted, "CHILD"].value_counts()
    return percent("stab_3plus_pct", window, per_child.index[per_child >= THREE_OR_MORE], children)


EARLIER_EPISODES = "load earlier years' episodes (DfE's measure needs at least three years)."


def long_term(ctx: Context, window: Window, children: frozenset[str]) -> Figure903:
    when = window.when
    history = ctx.history
    periods = history.periods
    current_period = periods[open_at(periods, when, "start", "end") & periods["CHILD"].isin(children)]
    ages = age_on(ctx.dob_of(current_period["CHILD"]), when)
    current_period = current_period[ages < UNDER_AGE]
    looked_after_since = when - pd.DateOffset(months=LOOKED_AFTER_MONTHS)
    long_enough = current_period["start"] <= looked_after_since
    unsure = current_period[~long_enough & ~current_period["start_known"]]
    cohort = current_period[long_enough]

    pl = history.placements
    placed_since = when - pd.DateOffset(months=SAME_PLACEMENT_MONTHS)
    now = pl[open_at(pl, when, "start", "end") & pl["period"].isin(cohort.index)].drop_duplicates("CHILD", keep="last")
    stable = now["start"] <= placed_since
    previous = pl.reindex(now.index - 1)
    previous_ok = (previous["period"].to_numpy() == now["period"].to_numpy()) & (
        previous["start"].to_numpy() <= placed_since)
    adopted = now["PLACE"].isin(ADOPTION.codes) & previous_ok
    # A placement whose start the files do not reach (it began before the earliest year loaded) is known to
    # be at least as long as what is held: it decides only when what is held already passes 2 years.
    unsure_placement = now[~(stable | adopted) & ~now["start_known"]]
    if len(unsure) or len(unsure_placement):
        number = len(unsure) + len(unsure_placement)
        return not_given("stab_long_pct", window, f"The episodes loaded do not go back far enough to tell for "
                         f"{number} {'child' if number == 1 else 'children'}: {EARLIER_EPISODES}",
                         general_note=f"The episodes loaded do not go back far enough to tell for some of the "
                                      f"children: {EARLIER_EPISODES}")
    return percent("stab_long_pct", window, now.loc[stable | adopted, "CHILD"], cohort["CHILD"])

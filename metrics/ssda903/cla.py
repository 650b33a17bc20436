"""Children looked after on a date, the rate per 10,000, children who started and ceased in the 12 months,
children in foster placements and unaccompanied asylum-seeking children."""

from __future__ import annotations

import pandas as pd

from loaders.ssda903.model import Figure903
from metrics.ssda903.codes import FOSTER
from metrics.ssda903.context import Context, count, label, needs_years, not_given, percent, ratio
from metrics.ssda903.dates import Window
from metrics.ssda903.episodes import open_at


def looked_after(ctx: Context, when: pd.Timestamp) -> pd.DataFrame:
    """The episode open at the end of ``when`` for each child looked after then (short breaks excluded)."""
    eps = ctx.history.episodes
    return eps.loc[open_at(eps, when)].drop_duplicates("CHILD", keep="last")


def figures(ctx: Context, window: Window, current: pd.DataFrame) -> list[Figure903]:
    """``current``: ``looked_after`` at the window's end."""
    children = frozenset(current["CHILD"])
    out = [count("cla_count", window, children), _rate(ctx, window, children)]
    missing = ctx.missing_years("episodes", window, window.counted_from)
    if missing:
        out += [needs_years(code, window, "episodes", missing) for code in ("cla_starts", "cla_ceased")]
    else:
        periods = ctx.history.periods
        first = window.counted_from  # a month end counts the month: the catalogue adds months up to a year
        started = periods[periods["start_known"] & periods["start"].between(first, window.when)]
        ceased = periods[periods["ceased"] & periods["end"].between(first, window.when)]
        out += [count("cla_starts", window, started["CHILD"]), count("cla_ceased", window, ceased["CHILD"])]
    fostered = current.loc[current["PLACE"].isin(FOSTER.codes), "CHILD"]
    out.append(percent("cla_foster_pct", window, fostered, children))
    out.append(_uasc(ctx, window, children))
    return out


def _rate(ctx: Context, window: Window, children: frozenset[str]) -> Figure903:
    year = window.end.year + (window.end.month >= 4)
    note = ""
    population = ctx.population.get(year)
    if population is None and window.period_type == "month":
        earlier = [y for y in ctx.population if y <= year]
        if earlier:
            year = max(earlier)
            population = ctx.population[year]
            note = (f"Uses DfE's population under 18 for {label(year)}, the latest DfE has published; "
                    "DfE's own rate for this year will use a newer estimate.")
    elif population is not None and window.period_type == "month":
        note = f"Uses DfE's population under 18 for {label(year)}."
    if population is None:
        return not_given("cla_rate", window, "DfE's population under 18 for this council is not loaded for "
                         f"{label(year)}: load DfE's 'Children looked after' table for that year.")
    return ratio("cla_rate", window, float(len(children)), float(population), children, note, scale=10_000.0)


def _uasc(ctx: Context, window: Window, children: frozenset[str]) -> Figure903:
    uasc = ctx.ret.table("uasc")
    if not ctx.years_of("uasc"):
        return not_given("cla_uasc", window, "Needs the UASC table, which this set does not hold.")
    still = uasc["DUC"].isna() | (pd.to_datetime(uasc["DUC"]) > window.when)
    return count("cla_uasc", window, children & frozenset(uasc.loc[still, "CHILD"]))

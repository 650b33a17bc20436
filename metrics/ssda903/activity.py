"""What happened in the 12 months: children's participation in their reviews, and children who went missing."""

from __future__ import annotations

import pandas as pd

from loaders.ssda903.model import Figure903
from metrics.ssda903.codes import MISSING, PARTICIPATED
from metrics.ssda903.context import Context, count, needs_years, percent, ratio
from metrics.ssda903.dates import Window
from metrics.ssda903.episodes import overlapping

REVIEW_AGE = 4  # participation is counted for reviews of children aged 4 and over on the day of the review


def figures(ctx: Context, window: Window) -> list[Figure903]:
    return [*_reviews(ctx, window), *_missing(ctx, window)]


def _reviews(ctx: Context, window: Window) -> list[Figure903]:
    code = "review_participation_pct"
    missing = ctx.missing_years("reviews", window)
    if missing:
        return [needs_years(code, window, "reviews", missing)]
    reviews = ctx.ret.table("reviews")
    reviews = reviews[~reviews["CHILD"].isin(ctx.short_break_children)
                      & pd.to_datetime(reviews["REVIEW"]).between(window.first, window.when)]
    reviews = reviews.drop_duplicates(["CHILD", "REVIEW"], keep="last")
    dob = reviews["DOB"].where(reviews["DOB"].notna(), reviews["CHILD"].map(ctx.dob))
    age = _age_at(dob, pd.to_datetime(reviews["REVIEW"]))
    counted = reviews[age >= REVIEW_AGE]
    took_part = counted["REVIEW_CODE"].isin(PARTICIPATED.codes)
    return [ratio(code, window, float(took_part.sum()), float(len(counted)), frozenset(counted["CHILD"]),
                  scale=100.0)]


def _age_at(dob: pd.Series, when: pd.Series) -> pd.Series:
    """Age in whole years on each row's own date."""
    dob, when = pd.to_datetime(dob), pd.to_datetime(when)
    before = (dob.dt.month * 100 + dob.dt.day) > (when.dt.month * 100 + when.dt.day)
    return when.dt.year - dob.dt.year - before.astype(int)


def _missing(ctx: Context, window: Window) -> list[Figure903]:
    codes = ("missing_pct", "missing_incidents")
    gaps = sorted(set(ctx.missing_years("missing", window)) | set(ctx.missing_years("episodes", window)))
    if gaps:
        return [needs_years(code, window, "missing and episodes", gaps) for code in codes]
    eps = ctx.history.episodes
    table = ctx.ret.table("missing")
    started = pd.to_datetime(table["MIS_START"])
    missing = table[table["MISSING"].isin(MISSING.codes)]
    out = []
    # Children who went missing: over the 12 months; incidents add up over time: a month end counts its month.
    for code, first in ((codes[0], window.first), (codes[1], window.counted_from)):
        cohort = frozenset(eps.loc[overlapping(eps, first, window.when), "CHILD"])
        incidents = missing[started[missing.index].between(first, window.when) & missing["CHILD"].isin(cohort)]
        incidents = incidents.drop_duplicates(["CHILD", "MIS_START"], keep="last")
        went = frozenset(incidents["CHILD"])
        out.append(percent(code, window, went, cohort) if code == codes[0]
                   else count(code, window, went, counted=len(incidents)))
    return out



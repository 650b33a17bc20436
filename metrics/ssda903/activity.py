"""What happened in the 12 months: children's participation in their reviews, and children who went missing."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.ssda903.model import Figure903
from metrics.ssda903.codes import MISSING, PARTICIPATED
from metrics.ssda903.context import Context, count, needs_years, percent, ratio
from metrics.ssda903.dates import Window
from metrics.ssda903.episodes import overlapping

REVIEW_AGE = 4  # participation is counted for reviews of children aged 4 and over on the day of the review


@dataclass(frozen=True)
class Events:
    """The reviews and missing incidents that count, prepared once for every date."""

    reviews: pd.DataFrame  # CHILD, REVIEW, took_part: reviews of children aged 4 or over, short breaks left out
    missing: pd.DataFrame  # CHILD, MIS_START: incidents of MISSING M, one per child and start date


def prepare(ctx: Context) -> Events:
    reviews = ctx.ret.table("reviews")
    reviews = reviews[~reviews["CHILD"].isin(ctx.short_break_children) & reviews["REVIEW"].notna()]
    reviews = reviews.drop_duplicates(["CHILD", "REVIEW"], keep="last")
    given = pd.to_datetime(reviews["DOB"], errors="coerce")  # a review's own DOB, else the header's
    dob = given.where(given.notna(), ctx.dob_of(reviews["CHILD"]))
    reviews = reviews[_age_at(dob, reviews["REVIEW"]) >= REVIEW_AGE]
    reviews = pd.DataFrame({"CHILD": reviews["CHILD"], "REVIEW": pd.to_datetime(reviews["REVIEW"]),
                            "took_part": reviews["REVIEW_CODE"].isin(PARTICIPATED.codes)})
    missing = ctx.ret.table("missing")
    missing = missing[missing["MISSING"].isin(MISSING.codes) & missing["MIS_START"].notna()]
    missing = missing.drop_duplicates(["CHILD", "MIS_START"], keep="last")
    missing = pd.DataFrame({"CHILD": missing["CHILD"], "MIS_START": pd.to_datetime(missing["MIS_START"])})
    return Events(reviews, missing)


def figures(ctx: Context, events: Events, window: Window) -> list[Figure903]:
    return [_reviews(ctx, events, window), *_missing(ctx, events, window)]


def _reviews(ctx: Context, events: Events, window: Window) -> Figure903:
    code = "review_participation_pct"
    missing = ctx.missing_years("reviews", window)
    if missing:
        return needs_years(code, window, "reviews", missing)
    counted = events.reviews[events.reviews["REVIEW"].between(window.first, window.when)]
    return ratio(code, window, float(counted["took_part"].sum()), float(len(counted)), frozenset(counted["CHILD"]),
                 scale=100.0)


def _age_at(dob: pd.Series, when: pd.Series) -> pd.Series:
    """Age in whole years on each row's own date."""
    dob, when = pd.to_datetime(dob), pd.to_datetime(when)
    before = (dob.dt.month * 100 + dob.dt.day) > (when.dt.month * 100 + when.dt.day)
    return when.dt.year - dob.dt.year - before.astype(int)


def _missing(ctx: Context, events: Events, window: Window) -> list[Figure903]:
    codes = ("missing_pct", "missing_incidents")
    gaps = sorted(set(ctx.missing_years("missing", window)) | set(ctx.missing_years("episodes", window)))
    if gaps:
        return [needs_years(code, window, "missing and episodes", gaps) for code in codes]
    eps = ctx.history.episodes
    out = []
    # Children who went missing: over the 12 months; incidents add up over time: a month end counts its month.
    for code, first in ((codes[0], window.first), (codes[1], window.counted_from)):
        cohort = frozenset(eps.loc[overlapping(eps, first, window.when), "CHILD"])
        incidents = events.missing[events.missing["MIS_START"].between(first, window.when)]
        incidents = incidents[incidents["CHILD"].isin(cohort)]
        went = frozenset(incidents["CHILD"])
        out.append(percent(code, window, went, cohort) if code == codes[0]
                   else count(code, window, went, counted=len(incidents)))
    return out

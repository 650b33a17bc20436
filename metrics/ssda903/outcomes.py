"""Health of children looked after continuously for 12 months (OC2) and care leavers' activity and
accommodation around their birthday (OC3): figures at 31 March of a collection year only."""

from __future__ import annotations

import pandas as pd

from loaders.ssda903.model import YEAR, Figure903
from metrics.ssda903.codes import (
    ACCOM_EXCLUDED,
    ACTIVITY_NOT_KNOWN,
    EET,
    LEAVER_EXCLUDED,
    NEET,
    STILL_LOOKED_AFTER,
    SUITABLE,
)
from metrics.ssda903.context import Context, label, not_given, percent, ratio
from metrics.ssda903.dates import Window, age_on
from metrics.ssda903.episodes import open_at, overlapping

YES = "1"
UNDER_5 = 5  # development assessments: children aged under 5 at 31 March
SDQ_AGES = (5, 16)  # SDQ: children aged 5 to 16 at 31 March
SDQ_BANDS = {  # DfE: "0 to 13 normal, 14 to 16 borderline, 17 to 40 cause for concern"
    "health_sdq_normal_pct": (0, 13),
    "health_sdq_borderline_pct": (14, 16),
    "health_sdq_concern_pct": (17, 40),
}
OC2_FLAGS = {  # measure -> OC2 column that is 1 when the child had it
    "health_annual_pct": "HEALTH_ASSESSMENT",
    "health_dental_pct": "TEETH_CHECK",
    "health_imms_pct": "IMMUNISATIONS",
}
HEALTH_CODES = (*OC2_FLAGS, "health_dev_pct", "health_sdq_received_pct", "health_sdq_avg", *SDQ_BANDS)
LEAVER_BANDS = {"17_18": (17, 18), "19_21": (19, 21)}
LEAVER_CODES = tuple(f"{stem}_{band}" for band in LEAVER_BANDS for stem in ("cl_eet", "cl_neet", "cl_not_known",
                                                                             "cl_accom"))


def continuously_looked_after(ctx: Context, window: Window) -> frozenset[str]:
    """Children looked after at 31 March who had been looked after continuously for at least 12 months: their
    period of care began on or before 1 April, and they had no short break (V3/V4) in the year."""
    history = ctx.history
    periods = history.periods
    now = periods[open_at(periods, window.when, "start", "end") & (periods["start"] <= window.first)]
    breaks = history.short_breaks
    had_break = set(breaks.loc[overlapping(breaks, window.first, window.when), "CHILD"])
    ended = history.episodes  # an episode that ended in the year other than by X1 breaks the 12 months
    broke = ended[ended["DEC"].between(window.first, window.when - pd.Timedelta(days=1))
                  & ended["REC"].notna() & ~ended["REC"].isin(STILL_LOOKED_AFTER.codes)]
    return frozenset(set(now["CHILD"]) - had_break - set(broke["CHILD"]))


def health(ctx: Context, window: Window) -> list[Figure903]:
    year = window.end.year
    if year not in ctx.years_of("oc2") or year not in ctx.years_of("episodes"):
        return [not_given(code, window, f"Needs the OC2 and Episodes tables of {label(year)}.")
                for code in HEALTH_CODES]
    cohort = continuously_looked_after(ctx, window)
    oc2 = ctx.ret.table("oc2")
    oc2 = oc2[(oc2[YEAR] == year) & oc2["CHILD"].isin(cohort)].drop_duplicates("CHILD", keep="last")
    ages = age_on(ctx.dob_of(pd.Series(sorted(cohort), index=sorted(cohort))), window.when)
    out = [percent(code, window, oc2.loc[oc2[column] == YES, "CHILD"], cohort) for code, column in OC2_FLAGS.items()]
    under_5 = frozenset(ages.index[ages < UNDER_5])
    out.append(percent("health_dev_pct", window, oc2.loc[oc2["HEALTH_CHECK"] == YES, "CHILD"], under_5))
    sdq_age = frozenset(ages.index[ages.between(*SDQ_AGES)])
    score = pd.to_numeric(oc2.set_index("CHILD")["SDQ_SCORE"], errors="coerce")
    score = score[score.index.isin(sdq_age) & score.between(0, 40)]
    scored = frozenset(score.index)
    out.append(percent("health_sdq_received_pct", window, scored, sdq_age))
    out.append(ratio("health_sdq_avg", window, float(score.sum()), float(len(score)), scored))
    for code, (low, high) in SDQ_BANDS.items():
        out.append(percent(code, window, score.index[score.between(low, high)], scored))
    return out


def care_leavers(ctx: Context, window: Window) -> list[Figure903]:
    year = window.end.year
    if year not in ctx.years_of("oc3"):
        return [not_given(code, window, f"Needs the OC3 table of {label(year)}.") for code in LEAVER_CODES]
    oc3 = ctx.ret.table("oc3")
    oc3 = oc3[(oc3[YEAR] == year) & ~oc3["CHILD"].isin(ctx.short_break_children)].drop_duplicates(
        "CHILD", keep="last")
    given = pd.to_datetime(oc3["DOB"], errors="coerce")
    dob = given.where(given.notna(), ctx.dob_of(oc3["CHILD"]))
    # The birthday in the year (1 April to 31 March) is the last one on or before 31 March: its age is the age then.
    oc3 = oc3.assign(age=age_on(dob, window.when).to_numpy())
    oc3 = oc3[~oc3["IN_TOUCH"].isin(LEAVER_EXCLUDED.codes)]
    out = []
    for band, (low, high) in LEAVER_BANDS.items():
        group = oc3[oc3["age"].between(low, high)]
        cohort = group["CHILD"]
        out.append(percent(f"cl_eet_{band}", window, group.loc[group["ACTIV"].isin(EET.codes), "CHILD"], cohort))
        out.append(percent(f"cl_neet_{band}", window, group.loc[group["ACTIV"].isin(NEET.codes), "CHILD"], cohort))
        out.append(percent(f"cl_not_known_{band}", window,
                           group.loc[group["ACTIV"].isin(ACTIVITY_NOT_KNOWN.codes), "CHILD"], cohort))
        accom = group["ACCOM"].fillna("")
        housed = group[~accom.str[:1].isin(ACCOM_EXCLUDED.codes)]
        suitable = housed.loc[housed["ACCOM"].fillna("").str[1:2].isin(SUITABLE.codes), "CHILD"]
        out.append(percent(f"cl_accom_{band}", window, suitable, housed["CHILD"]))
    return out

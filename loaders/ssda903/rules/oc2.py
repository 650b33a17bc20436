"""DfE's rules on OC2: the health, SDQ and convictions of children looked after continuously for 12 months.

"Looked after continuously for 12 months" is worked out once per year (``YearOf903.continuously_looked_after``);
ages are at 31 March, or at 1 April where DfE's rule says the start of the year.
"""

from __future__ import annotations

import pandas as pd

import loaders.ssda903.rules.codes as codes
from loaders.ssda903.rules.context import YearOf903
from loaders.ssda903.rules.registry import HEALTH, HEALTH_DEVELOPMENT, SDQ, Flags, Rule903, flagged


def _oc2(mask: pd.Series, oc2: pd.DataFrame) -> Flags:
    return {"oc2": flagged(oc2, mask)}


def _sdq_score_invalid(year: YearOf903) -> Flags:
    oc2 = year.table("oc2")
    score = pd.to_numeric(oc2["SDQ_SCORE"], errors="coerce")
    whole_in_range = score.between(0, codes.SDQ_MAX) & (score == score.round())
    return _oc2(oc2["SDQ_SCORE"].notna() & ~whole_in_range, oc2)


def _flags_not_0_or_1(year: YearOf903) -> Flags:
    oc2 = year.table("oc2")
    items = oc2[list(codes.OC2_FLAGS)]
    return _oc2((items.notna() & ~items.isin(codes.YES_NO)).any(axis=1), oc2)


def _partly_completed(year: YearOf903) -> Flags:
    oc2 = year.table("oc2")
    some_always_blank = oc2[list(codes.OC2_ALWAYS)].isna().any(axis=1)
    some_other_given = oc2[list(codes.OC2_SOMETIMES)].notna().any(axis=1)
    return _oc2(some_always_blank & some_other_given, oc2)


def _sdq_missing(year: YearOf903) -> Flags:
    oc2 = year.table("oc2")
    of_age = (year.birthday("oc2", 4) <= year.start) & (year.birthday("oc2", 17) > year.end)
    no_sdq = oc2[["SDQ_SCORE", "SDQ_REASON"]].isna().all(axis=1)
    return _oc2(of_age & year.in_continuous_care("oc2") & no_sdq, oc2)


def _completed_not_in_cohort(year: YearOf903) -> Flags:
    oc2 = year.table("oc2")
    return _oc2(~year.in_continuous_care("oc2") & oc2[list(codes.OC2_FLAGS)].notna().any(axis=1), oc2)


def _blank_in_cohort(year: YearOf903) -> Flags:
    """191: flags the OC2 row with a blank item, and for a child in the cohort with no OC2 row at all, the
    child's first episode of the year."""
    oc2 = year.table("oc2")
    in_cohort = year.in_continuous_care("oc2")
    ordered = year.episodes_in_order
    first = ordered[~ordered["PREV_SAME"]]
    absent = first["CHILD"].isin(year.continuously_looked_after) & ~first["CHILD"].isin(oc2["CHILD"])
    return {"oc2": flagged(oc2, in_cohort & oc2[list(codes.OC2_ALWAYS)].isna().any(axis=1)),
            "episodes": flagged(first, absent).sort_values()}


def _convictions_under_10(year: YearOf903) -> Flags:
    oc2 = year.table("oc2")
    return _oc2((year.birthday("oc2", 10) > year.end) & oc2["CONVICTED"].notna(), oc2)


def _convictions_missing(year: YearOf903) -> Flags:
    oc2 = year.table("oc2")
    return _oc2((year.end > year.birthday("oc2", 10)) & year.in_continuous_care("oc2") & oc2["CONVICTED"].isna(),
                oc2)


def _health_check_missing(year: YearOf903) -> Flags:
    oc2 = year.table("oc2")
    return _oc2((year.end < year.birthday("oc2", 5)) & year.in_continuous_care("oc2") & oc2["HEALTH_CHECK"].isna(),
                oc2)


def _health_check_over_5(year: YearOf903) -> Flags:
    oc2 = year.table("oc2")
    return _oc2((year.end >= year.birthday("oc2", 5)) & year.in_continuous_care("oc2") & oc2["HEALTH_CHECK"].notna(),
                oc2)


RULES = (
    Rule903("180", "Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.", ("oc2",),
            SDQ, _sdq_score_invalid),
    Rule903("181", "Data items relating to children looked after continuously for 12 months should be completed "
            "with a 0 or 1.", ("oc2",), HEALTH, _flags_not_0_or_1),
    Rule903("182", "Data entries on immunisations, teeth checks, health assessments and substance misuse problem "
            "identified should be completed or all OC2 fields should be left blank.", ("oc2",), HEALTH,
            _partly_completed),
    Rule903("186", "Children aged 4 or over at the start of the year and children aged under 17 at the end of the "
            "year and who have been looked after for at least 12 months continuously should have a Strengths and "
            "Difficulties (SDQ) score completed.", ("episodes", "oc2"), SDQ, _sdq_missing),
    Rule903("190", "Child has not been looked after continuously for at least 12 months at 31 March but one or more "
            "data items relating to children looked after for 12 months have been completed.", ("episodes", "oc2"),
            HEALTH, _completed_not_in_cohort),
    Rule903("191", "Child has been looked after continuously for at least 12 months at 31 March but one or more "
            "data items relating to children looked after for 12 months have been left blank.", ("episodes", "oc2"),
            HEALTH, _blank_in_cohort),
    Rule903("542", "A child aged under 10 at 31 March should not have conviction information completed.", ("oc2",),
            (), _convictions_under_10),
    Rule903("543", "Child is aged 10 or over at 31 March and has been looked after continuously for 12 months yet "
            "conviction information has not been completed.", ("episodes", "oc2"), (), _convictions_missing),
    Rule903("545", "Child is aged under 5 at 31 March and has been looked after continuously for 12 months yet "
            "health promotion information has not been completed.", ("episodes", "oc2"), HEALTH_DEVELOPMENT,
            _health_check_missing),
    Rule903("546", "Children aged 5 or over at 31 March should not have health promotion information completed.",
            ("episodes", "oc2"), HEALTH_DEVELOPMENT, _health_check_over_5),
)

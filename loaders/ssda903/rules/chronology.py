"""DfE's rules on a child's episodes in sequence: each begins as the one before ended, says truly what changed,
and a period of care starts with S and ends with a reason other than X1."""

from __future__ import annotations

import pandas as pd

import loaders.ssda903.rules.codes as codes
from loaders.ssda903.rules.context import CONTINUES, STARTED, YearOf903
from loaders.ssda903.rules.registry import CEASED, EPISODES, STABILITY, STARTS, Flags, Rule903, flagged

PLACEMENT_DETAILS = ("PLACE", "PL_POST", "URN", "PLACE_PROVIDER")  # what says where and with whom a child lives


def _same(ordered: pd.DataFrame, column: str, prefix: str = "PREV_", blanks_same: bool = True) -> pd.Series:
    """True where the episode and its neighbour hold the same value; two blanks are the same unless
    ``blanks_same`` is off (then a blank is never the same as anything, as DfE's validator reads rule 435)."""
    if blanks_same:
        return ordered[column].fillna("") == ordered[f"{prefix}{column}"].fillna("")
    return (ordered[column] == ordered[f"{prefix}{column}"]).fillna(False).astype(bool)


def _same_placement(ordered: pd.DataFrame, blanks_same: bool = True) -> pd.Series:
    same = pd.Series(True, index=ordered.index)
    for column in PLACEMENT_DETAILS:
        same &= _same(ordered, column, blanks_same=blanks_same)
    return same


def _episodes(mask: pd.Series, ordered: pd.DataFrame) -> Flags:
    return {"episodes": flagged(ordered, mask).sort_values()}


def _earlier_episode_not_ended(year: YearOf903) -> Flags:
    ordered = year.episodes_in_order
    return _episodes(ordered["NEXT_SAME"] & (ordered["DEC"].isna() | ordered["REC"].isna()), ordered)


def _first_episode_not_started(year: YearOf903) -> Flags:
    ordered = year.episodes_in_order
    first = ~ordered["PREV_SAME"]
    return _episodes(first & (ordered["DECOM"] >= year.start) & (ordered["RNE"] != STARTED), ordered)


def _continuation_missing(year: YearOf903) -> Flags:
    ordered = year.episodes_in_order
    has_next, ended = ordered["NEXT_SAME"], ordered["DEC"].notna()
    rec = ordered["REC"]
    next_same_day = ordered["DEC"] == ordered["NEXT_DECOM"]
    x1_with_gap = has_next & (rec == CONTINUES) & ended & ~next_same_day
    ceased_yet_continues = has_next & rec.notna() & (rec != CONTINUES) & ended & next_same_day
    x1_at_the_end = ~has_next & ended & (rec == CONTINUES)
    return _episodes(x1_with_gap | ceased_yet_continues | x1_at_the_end, ordered)


def _started_as_previous_ended(year: YearOf903) -> Flags:
    ordered = year.episodes_in_order
    mask = ordered["PREV_SAME"] & (ordered["RNE"] == STARTED) & (ordered["DECOM"] <= ordered["PREV_DEC"])
    return _episodes(mask, ordered)


def _continuation_not_same_day(year: YearOf903) -> Flags:
    ordered = year.episodes_in_order_of_start_and_end
    mask = ordered["PREV_SAME"] & ordered["RNE"].isin(codes.RNE_CONTINUES) & ~(ordered["PREV_DEC"] == ordered["DECOM"])
    return _episodes(mask, ordered)


def _legal_status_only_not_so(year: YearOf903) -> Flags:
    ordered = year.episodes_in_order
    mask = ordered["PREV_SAME"] & (ordered["RNE"] == "L") & (
        (ordered["LS"].notna() & (ordered["LS"] == ordered["PREV_LS"])) | ~_same_placement(ordered))
    return _episodes(mask, ordered)


def _placement_only_not_so(year: YearOf903) -> Flags:
    ordered = year.episodes_in_order
    changed_status = ~_same(ordered, "LS", blanks_same=False)
    mask = ordered["PREV_SAME"] & ordered["RNE"].isin(("P", "T")) & (
        changed_status | _same_placement(ordered, blanks_same=False))
    return _episodes(mask, ordered)


def _both_changed_not_so(year: YearOf903) -> Flags:
    ordered = year.episodes_in_order
    mask = ordered["PREV_SAME"] & ordered["RNE"].isin(("U", "B")) & (_same(ordered, "LS") | _same_placement(ordered))
    return _episodes(mask, ordered)


def _episodes_after_death_or_18(year: YearOf903) -> Flags:
    ordered = year.episodes_in_order
    return _episodes(ordered["NEXT_SAME"] & ordered["REC"].isin(codes.REC_NO_FURTHER_EPISODE), ordered)


def _started_before_previous_ended(year: YearOf903) -> Flags:
    ordered = year.episodes_in_order
    return _episodes(ordered["PREV_SAME"] & (ordered["DECOM"] < ordered["PREV_DEC"]), ordered)


def _no_return_from_temporary(compare_postcode: bool):
    """383: after a temporary placement (T0-T4) the child returns (RNE P) to the placement before it; from
    2025-26 DfE also compares the placement postcode."""
    def flags(year: YearOf903) -> Flags:
        ordered = year.episodes_in_order
        returned = (ordered["RNE"] == "P") & _same(ordered, "PLACE", "PREV2_")
        if compare_postcode:
            returned &= _same(ordered, "PL_POST", "PREV2_")
        after_temporary = ordered["PREV_SAME"] & ordered["PREV2_SAME"] & ordered["PREV_PLACE"].isin(codes.TEMPORARY)
        return _episodes(after_temporary & ~returned, ordered)
    return flags


RULES = (
    Rule903("142", "A new episode has started, but the previous episode has not ended.", ("episodes",), EPISODES,
            _earlier_episode_not_ended),
    Rule903("357", "If this is the first episode ever for this child, reason for new episode must be S.  Check "
            "whether there is an episode immediately preceding this one, which has been left out.  If not the "
            "reason for new episode code must be amended to S.", ("episodes",), STARTS + STABILITY,
            _first_episode_not_started),
    Rule903("383", "A child in a temporary placement must subsequently return to his/her normal placement.",
            ("episodes",), STABILITY, _no_return_from_temporary(compare_postcode=False), last_year=2025),
    Rule903("383", "A child in a temporary placement must subsequently return to his/her normal placement.",
            ("episodes",), STABILITY, _no_return_from_temporary(compare_postcode=True), first_year=2026),
    Rule903("388", "Reason episode ceased is coded new episode begins, but there is no continuation episode.",
            ("episodes",), EPISODES, _continuation_missing),
    Rule903("431", "The reason for new episode is started to be looked after, but the previous episode ended on the "
            "same day.", ("episodes",), STARTS + CEASED + STABILITY, _started_as_previous_ended),
    Rule903("433", "The reason for new episode suggests that this is a continuation episode, but the episode does "
            "not start on the same day as the last episode finished.", ("episodes",), STARTS + CEASED + STABILITY,
            _continuation_not_same_day),
    Rule903("434", "Reason for new episode is that child's legal status has changed but not the placement, but this "
            "is not reflected in the episode data.", ("episodes",), STABILITY, _legal_status_only_not_so),
    Rule903("435", "Reason for new episode is that child’s placement has changed but not the legal status, but this "
            "is not reflected in the episode data recorded.", ("episodes",), STABILITY, _placement_only_not_so),
    Rule903("436", "Reason for new episode is that both child’s placement and legal status have changed, but this is "
            "not reflected in the episode data.", ("episodes",), STABILITY, _both_changed_not_so),
    Rule903("437", "Reason episode ceased is child has died or is aged 18 or over but there are further episodes.",
            ("episodes",), EPISODES, _episodes_after_death_or_18),
    Rule903("501", "A new episode has started before the end date of the previous episode.", ("episodes",), EPISODES,
            _started_before_previous_ended),
)

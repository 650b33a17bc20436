"""DfE's rules on each episode by itself: valid codes and dates, and an episode's start, end and placement."""

from __future__ import annotations

import loaders.ssda903.rules.codes as codes
from loaders.ssda903.codes import allowed
from loaders.ssda903.rules.context import CONTINUES, YearOf903
from loaders.ssda903.rules.registry import (
    CEASED,
    EPISODES,
    IN_CARE,
    PLACEMENT,
    STABILITY,
    STARTS,
    Flags,
    Rule903,
    flagged,
)


def _code_not_in(column: str, listed: tuple[str, ...] | None = None):
    """A rule flagging each episode whose ``column`` is filled in with a code not valid in its collection year:
    ``listed``, or DfE's list for the year (``loaders.ssda903.codes.allowed``, the list the reader reads)."""
    def flags(year: YearOf903) -> Flags:
        episodes = year.table("episodes")
        values = episodes[column]
        valid = listed if listed is not None else allowed(column, year.year)
        return {"episodes": flagged(episodes, values.notna() & ~values.isin(valid))}
    return flags


def _not_a_date(column: str):
    def flags(year: YearOf903) -> Flags:
        episodes = year.table("episodes")
        return {"episodes": flagged(episodes, year.not_a_date("episodes", column))}
    return flags


def _end_and_reason_not_together(year: YearOf903) -> Flags:
    episodes = year.table("episodes")
    return {"episodes": flagged(episodes, episodes["DEC"].isna() != episodes["REC"].isna())}


def _starts_after_year_end(year: YearOf903) -> Flags:
    # DfE's validator checks the start date (DECOM) under this message; an end after 31 March is rule 385.
    episodes = year.table("episodes")
    return {"episodes": flagged(episodes, episodes["DECOM"] > year.end)}


def _ends_the_day_it_starts(year: YearOf903) -> Flags:
    episodes = year.table("episodes")
    return {"episodes": flagged(episodes, episodes["DECOM"].notna() & (episodes["DECOM"] == episodes["DEC"]))}


def _ends_before_it_starts(year: YearOf903) -> Flags:
    episodes = year.table("episodes")
    return {"episodes": flagged(episodes, episodes["DEC"].notna() & (episodes["DEC"] < episodes["DECOM"]))}


def _temporary_starts_care(year: YearOf903) -> Flags:
    episodes = year.table("episodes")
    mask = episodes["PLACE"].isin(codes.TEMPORARY) & ~episodes["RNE"].isin(("P", "B"))
    return {"episodes": flagged(episodes, mask)}


def _temporary_ends_care(year: YearOf903) -> Flags:
    episodes = year.table("episodes")
    rec = episodes["REC"]
    return {"episodes": flagged(episodes, episodes["PLACE"].isin(codes.TEMPORARY) & rec.notna() & (rec != CONTINUES))}


RULES = (
    Rule903("141", "Date episode began is not a valid date.", ("episodes",), EPISODES, _not_a_date("DECOM")),
    Rule903("143", "The reason for new episode code is not a valid code.", ("episodes",), STARTS + STABILITY,
            _code_not_in("RNE")),
    Rule903("144", "The legal status code is not a valid code.", ("episodes",), EPISODES,
            _code_not_in("LS")),
    Rule903("145", "Category of need code is not a valid code.", ("episodes",), (), _code_not_in("CIN", codes.CIN)),
    Rule903("146", "Placement type code is not a valid code.", ("episodes",), PLACEMENT, _code_not_in("PLACE")),
    Rule903("147", "Date episode ceased is not a valid date.", ("episodes",), EPISODES, _not_a_date("DEC")),
    Rule903("148", "Date episode ceased and reason episode ceased must both be coded, or both left blank.",
            ("episodes",), EPISODES, _end_and_reason_not_together),
    Rule903("149", "Reason episode ceased code is not valid.", ("episodes",), IN_CARE + CEASED + STABILITY,
            _code_not_in("REC")),
    Rule903("354", "Date episode ceased must be on or before the end of the current collection year.",
            ("episodes",), EPISODES, _starts_after_year_end),
    Rule903("355", "Episode appears to have lasted for less than 24 hours", ("episodes",), EPISODES,
            _ends_the_day_it_starts),
    Rule903("356", "The date the episode ceased is before the date the same episode started.", ("episodes",),
            EPISODES, _ends_before_it_starts),
    Rule903("380", "A period of care cannot start with a temporary placement.", ("episodes",), STARTS + STABILITY,
            _temporary_starts_care),
    Rule903("381", "A period of care cannot end with a temporary placement.", ("episodes",), CEASED + STABILITY,
            _temporary_ends_care),
)

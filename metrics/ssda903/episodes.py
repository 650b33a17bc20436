"""Episodes of every collection year stitched into one history per child: periods of care and placements.

A year's Episodes file holds every episode open at any time in that year, so one episode appears in
several years' files. The stitching rules (each a choice where DfE's guide is silent, stated in
``data/ssda903/methods.csv`` and shown under "How this is computed"):

1. One record per episode: the key is CHILD + DECOM, and a later year's record replaces an earlier year's.
2. Episodes under legal status V3/V4 (short breaks) are set aside: no measure counts them.
3. An episode left open (no DEC) that is followed by another episode of the same child ended when the next
   began; one whose DEC is after the next DECOM (an overlap) also ends when the next begins.
4. An episode open at the end of a year that the next year's file (when loaded) does not hold ended after
   31 March of its year on a date the files do not give: the child counts as looked after on that 31 March,
   not after, and not as a child who ceased.
5. A period of care begins at the child's first episode, at an episode with RNE S, and after an episode
   that ended without REC X1 or was followed by a gap.
6. A placement begins at a period's first episode and at each episode with RNE P, B, T or U, except:
   a temporary placement (T0-T4) and the episode after it (the return, which DfE's rule 383 requires to be
   to the normal placement), and a move to placed for adoption with the current foster carers (A3, A5).
   Such episodes and RNE L episodes continue the placement before them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from loaders.ssda903.model import YEAR, Return903
from metrics.ssda903.codes import ADOPTION_SAME_CARERS, NEW_PLACEMENT, SHORT_BREAKS, STILL_LOOKED_AFTER, TEMPORARY

_COLUMNS = ["CHILD", "DECOM", "DEC", "RNE", "LS", "PLACE", "REC", "HOME_POST", "PL_POST", YEAR]


@dataclass(frozen=True)
class History:
    """Every child's stitched episodes, periods of care and placements (never stored)."""

    episodes: pd.DataFrame  # one row per episode (V3/V4 set aside), with period and placement numbers
    placements: pd.DataFrame  # one row per placement: CHILD, period, start, end, counted, start_known, PLACE
    periods: pd.DataFrame  # one row per period of care: CHILD, start, end, start_known, ceased
    short_breaks: pd.DataFrame  # the V3/V4 episodes: CHILD, DECOM, DEC
    covered_from: pd.Timestamp  # 1 April of the earliest year loaded: every episode open since then is held


def _empty_history() -> History:
    eps = pd.DataFrame({c: pd.Series(dtype="object") for c in _COLUMNS})
    for column in ("DECOM", "DEC"):
        eps[column] = pd.Series(dtype="datetime64[ns]")
    frame = pd.DataFrame({"CHILD": pd.Series(dtype="object"), "start": pd.Series(dtype="datetime64[ns]"),
                          "end": pd.Series(dtype="datetime64[ns]")})
    return History(eps, frame.assign(period=0, counted=True, start_known=True, PLACE=None),
                   frame.assign(start_known=True, ceased=False), eps[["CHILD", "DECOM", "DEC"]],
                   pd.Timestamp(date(1900, 4, 1)))


def stitch(ret: Return903, episode_years: tuple[int, ...]) -> History:
    """The stitched history of every child in ``ret`` (see the module's rules)."""
    raw = ret.table("episodes")
    if raw.empty or not episode_years:
        return _empty_history()
    covered_from = pd.Timestamp(date(min(episode_years) - 1, 4, 1))
    eps = raw.loc[raw["DECOM"].notna(), _COLUMNS].copy()
    eps["DECOM"] = pd.to_datetime(eps["DECOM"]).astype("datetime64[ns]")
    eps["DEC"] = pd.to_datetime(eps["DEC"]).astype("datetime64[ns]")
    eps = eps.sort_values(["CHILD", "DECOM", YEAR], kind="mergesort")
    eps = eps.drop_duplicates(["CHILD", "DECOM"], keep="last")  # rule 1: the later year's record wins

    short = eps["LS"].isin(SHORT_BREAKS.codes)
    short_breaks = eps.loc[short, ["CHILD", "DECOM", "DEC"]].reset_index(drop=True)
    eps = eps.loc[~short].reset_index(drop=True)
    if eps.empty:
        empty = _empty_history()
        return History(empty.episodes, empty.placements, empty.periods, short_breaks, covered_from)

    child = eps["CHILD"].to_numpy()
    same_child_next = np.append(child[1:] == child[:-1], False)
    same_child_prev = np.append(False, child[1:] == child[:-1])
    next_decom = eps["DECOM"].shift(-1).where(same_child_next)

    # Rule 3: an open or overlapping episode followed by another ends when the next begins.
    open_followed = eps["DEC"].isna() & next_decom.notna()
    eps.loc[open_followed, "REC"] = "X1"
    overlap = next_decom.notna() & (eps["DEC"].isna() | (eps["DEC"] > next_decom))
    eps.loc[overlap, "DEC"] = next_decom[overlap]

    # Rule 4: open at its year's end, but absent from the next year's file (when that year is loaded).
    loaded = set(episode_years)
    later_loaded = eps[YEAR].astype(int).add(1).isin(loaded)
    vanished = eps["DEC"].isna() & ~same_child_next & later_loaded
    eps.loc[vanished, "DEC"] = pd.to_datetime(eps.loc[vanished, YEAR].astype(int).astype(str) + "-04-01")
    eps.loc[vanished, "REC"] = None

    # Rule 5: periods of care.
    prev_dec = eps["DEC"].shift(1)
    prev_rec = eps["REC"].shift(1)
    new_period = (~same_child_prev | (eps["RNE"] == "S") | ~prev_rec.isin(STILL_LOOKED_AFTER.codes)
                  | (prev_dec < eps["DECOM"]))
    eps["period"] = new_period.cumsum()
    first_held = ~same_child_prev
    unknown_start = first_held & (eps["DECOM"] < covered_from) & (eps["RNE"] != "S")

    # Rule 6: placements.
    temporary = eps["PLACE"].isin(TEMPORARY.codes)
    period_prev_temp = temporary.shift(1, fill_value=False) & ~new_period
    not_temp = (~temporary).astype(int)
    nontemp_before = not_temp.groupby(eps["period"]).cumsum() - not_temp
    starts = new_period | eps["RNE"].isin(NEW_PLACEMENT.codes)
    starts &= ~(period_prev_temp & (nontemp_before > 0))  # the return from a temporary placement
    starts &= ~(eps["PLACE"].isin(ADOPTION_SAME_CARERS.codes) & ~new_period)  # adoption by the same carers
    starts &= ~(temporary & ~new_period)
    starts |= new_period | (~temporary & (nontemp_before == 0))  # the period's first real placement
    eps["placement"] = starts.cumsum()
    eps["start_known"] = ~(unknown_start & ~eps["RNE"].isin(NEW_PLACEMENT.codes))

    # groupby's last() would skip a blank end date (an open episode): take the first and last rows instead.
    first = eps.drop_duplicates("placement", keep="first").set_index("placement")
    last = eps.drop_duplicates("placement", keep="last").set_index("placement")
    placements = pd.DataFrame({
        "CHILD": first["CHILD"], "period": first["period"], "start": first["DECOM"], "end": last["DEC"],
        "PLACE": last["PLACE"],  # the placement type now (an adoption by the same carers shows here)
        "counted": ~first["PLACE"].isin(TEMPORARY.codes), "start_known": first["start_known"],
    })
    eps["unknown_start"] = unknown_start
    first = eps.drop_duplicates("period", keep="first").set_index("period")
    last = eps.drop_duplicates("period", keep="last").set_index("period")
    periods = pd.DataFrame({
        "CHILD": first["CHILD"], "start": first["DECOM"], "end": last["DEC"],
        "start_known": ~first["unknown_start"],
        "ceased": last["REC"].notna() & ~last["REC"].isin(STILL_LOOKED_AFTER.codes),
    })
    return History(eps, placements, periods, short_breaks, covered_from)


def open_at(frame: pd.DataFrame, when: pd.Timestamp, start: str = "DECOM", end: str = "DEC") -> pd.Series:
    """Rows open at the end of the day ``when``: begun on or before it and not ended on or before it."""
    return (frame[start] <= when) & (frame[end].isna() | (frame[end] > when))


def overlapping(frame: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, start: str = "DECOM",
                end: str = "DEC") -> pd.Series:
    """Rows open at any time from the start of ``first`` to the end of ``last``."""
    return (frame[start] <= last) & (frame[end].isna() | (frame[end] >= first))

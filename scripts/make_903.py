"""Write a generated SSDA903 set: every table a council sends DfE, for N children over Y collection years.

Made for the tests and the 903 benchmark, never for the app's figures: every child is made up, and the set
is consistent the way a council's extract is, so every measure has something to count:

- each child's episodes are chained into periods of care: the first episode of a period starts with RNE S,
  each later one starts the day the one before ends (that one closing with REC X1) with RNE L (legal status
  only), P (placement and carer), T (placement, same carer), B (legal status, placement and carer) or U
  (legal status and placement, same carer); some children have a temporary placement (T0-T4) of a few days
  followed by a return to the same placement, some are placed for adoption with their foster carers (A3/A5,
  RNE T or U) and adopted (E11/E12); a period ends with a reason (REC) other than X1, or on the 18th birthday
  (the episode's DEC is the birthday: a choice, DfE's English guide is read so);
- a few children have a series of short breaks (LS V3, one episode a break, or one V4 agreement);
- each collection year's Episodes file holds the episodes open at any time in that year, as they stood at
  its 31 March: an episode still open then has no DEC and no REC, and the next year's file gives them;
- Header holds every child in any of that year's tables; Reviews a review 20 days after a child starts, one 3
  months later and then every 6 months (REVIEW_CODE PN0 under 4, else PN1-PN7); OC2 the children looked after
  continuously for the 12 months to 31 March (the validator's reading of DfE's definition, so no period of
  care ends on a 31 March); OC3 the former relevant children (looked after after their 16th birthday) whose
  17th to 21st birthday falls in the year, including some who left care before the first year; Missing some
  children's missing and away episodes while looked after; UASC the unaccompanied asylum-seeking children
  (DUC their 18th birthday); HOME_POST and PL_POST are real postcodes (ONS eastings and northings in the
  Office for National Statistics postcode directory) in and around the council, some more than 20 miles away.

Dates are dd/mm/YYYY, columns DfE's, each year in a folder named for it: ``2022-23/episodes.csv``.
The output depends only on the arguments (a seeded random.Random).

Usage: python scripts/make_903.py OUT [--children 4000] [--years 3] [--seed 1] [--last-year 2025]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders.ssda903.model import TABLE, collection_year_label  # noqa: E402

AREA_CODE = "E06000049"  # Cheshire East: the postcodes below are in and around it
TABLES_WRITTEN = ("header", "episodes", "reviews", "uasc", "missing", "oc2", "oc3")
FILE_NAMES = {"header": "header.csv", "episodes": "episodes.csv", "reviews": "reviews.csv", "uasc": "uasc.csv",
              "missing": "missing.csv", "oc2": "oc2.csv", "oc3": "oc3.csv"}

# Real postcodes (ONS postcode directory, Open Government Licence): the council's own, its neighbours'
# within 20 miles of Crewe, and farther away (Manchester about 25 miles, Leeds and Birmingham 45-60).
POSTCODES_HOME = ("CW1 1QL", "CW5 5UJ", "CW6 9NS", "WA14 4TE", "CW12 3TX", "CW2 5HJ", "CW11 9ZP", "SK9 4JR",
                  "CW5 5XA", "CW12 1AP", "CW2 6JF", "CW11 0SE")
POSTCODES_NEAR = ("CW9 6RW", "CH1 9LL", "CH2 4RB", "CH2 1EZ", "CW6 9XL", "CH2 1SG", "CW9 5ER", "ST6 4DQ",
                  "ST3 4LF", "ST6 3HX", "ST1 3AL", "ST4 8ZB", "SK3 8AW", "SK8 3FF", "SK7 2WS")
POSTCODES_FAR = ("M20 6FT", "M21 7TA", "M18 7QZ", "M8 7NW", "M12 6NR", "B18 9FD", "B12 0XT", "B32 9HQ",
                 "B23 5WR", "LS12 4SW", "LS11 5UG", "LS14 2AA", "LS10 3QS")

# Shares of the N children, and how their care goes: tuned so N=4000 over three years gives a large
# council (about 2,000 looked after at any time, 15,000 episode rows, 12,000 reviews).
SHARE_FORMER_CARE_LEAVERS = 0.13  # left care aged 16-17 before the first year: only in OC3 and Header
SHARE_SHORT_BREAKS = 0.03  # a series of short breaks (V3, or one V4 agreement)
SHARE_IN_CARE_AT_START = 0.46  # of the rest: looked after on the first day of the first year
SHARE_UASC = 0.05  # of children starting care aged 14-17
MEAN_DAYS_BETWEEN_CHANGES = 240
MEAN_DAYS_IN_CARE = 1500
SHARE_TEMPORARY = 0.10  # of changes: a temporary placement of a few days, then back to the same placement
REVIEW_EVERY_DAYS = 160  # at most 6 months apart after the second review; councils hold them sooner
SHARE_MISSING = 0.12  # of children looked after aged 11 and over

SEX_LETTERS_FROM = 2025  # the collection year whose return first codes SEX as M/F/U (DfE rule 101 for 2024-25)
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # a UPN starts with a letter other than I, O and S
SDQ_REASONS = ("SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5")
ETHNIC = (("WBRI", 70), ("WOTH", 4), ("WIRT", 1), ("MWBC", 4), ("MWBA", 2), ("MWAS", 2), ("MOTH", 3),
          ("AIND", 1), ("APKN", 2), ("ABAN", 1), ("AOTH", 2), ("BCRB", 1), ("BAFR", 3), ("BOTH", 1),
          ("CHNE", 1), ("OOTH", 2), ("REFU", 1), ("NOBT", 1))
CIN = (("N1", 60), ("N2", 4), ("N3", 3), ("N4", 15), ("N5", 8), ("N6", 2), ("N7", 1), ("N8", 7))
FOSTER = ("U1", "U2", "U3", "U4", "U5", "U6")
REASONS_CHANGE = ("CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
                  "OTHER")
LEAVING = (("E4A", 22), ("E4B", 4), ("E13", 8), ("E41", 6), ("E45", 5), ("E46", 2), ("E47", 2), ("E48", 3),
           ("E3", 2), ("E8", 4), ("E9", 1), ("E2", 0.3), ("E16", 0.5))
AT_18 = (("E17", 25), ("E5", 35), ("E6", 10), ("E8", 15), ("E7", 3))
IN_TOUCH = (("YES", 85), ("NO", 6), ("REFU", 3), ("NREQ", 3), ("DIED", 0.5), ("RHOM", 2.5))
ACTIV = (("F1", 20), ("P1", 5), ("F2", 12), ("P2", 3), ("F4", 8), ("P4", 3), ("F5", 6), ("P5", 2),
         ("G4", 25), ("G5", 6), ("G6", 5), ("0", 5))
ACCOM_LETTERS = ("B", "C", "D", "E", "G", "H", "K", "R", "T", "U", "V", "W", "Y", "Z")


@dataclass
class Episode:
    decom: date
    rne: str
    ls: str
    cin: str
    place: str
    provider: str
    pl_post: str | None
    urn: str | None
    reason: str | None = None
    dec: date | None = None
    rec: str | None = None


@dataclass
class Child:
    child: str
    sex: str  # M or F; written 1 or 2 before 2024-25 (see _sex)
    dob: date
    ethnic: str
    upn_digits: str
    home_post: str
    uasc: bool = False
    former_care_leaver: bool = False  # left care before the first year: not in any Episodes file
    left_care_on: date | None = None  # the end of the last period of care (also for former care leavers)
    left_care_aged_16: bool = False
    episodes: list[Episode] = field(default_factory=list)
    missing: list[tuple[str, date, date | None]] = field(default_factory=list)
    reviews: list[date] = field(default_factory=list)


@dataclass(frozen=True)
class Generated903:
    """A generated set: its files by relative path (``2022-23/episodes.csv``) and the rows each table has."""

    files: dict[str, bytes]
    rows: dict[str, int]  # table name -> rows over every year
    children: int  # distinct CHILD over every Header
    years: tuple[int, ...]
    area_code: str = AREA_CODE

    def write(self, folder: Path) -> list[Path]:
        written = []
        for name, content in self.files.items():
            path = Path(folder) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            written.append(path)
        return written


def _weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([code for code, _ in table], weights=[weight for _, weight in table])[0]


def _birthday(dob: date, years: int) -> date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February
        return date(dob.year + years, 3, 1)


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _placement(rng: random.Random, age: int, child: Child) -> tuple[str, str, str | None, str | None]:
    """(PLACE, PLACE_PROVIDER, PL_POST, URN) of a new ordinary placement for a child of ``age``."""
    draw = rng.random()
    if age >= 16 and draw < 0.25:
        place = "H5" if draw < 0.1 else "P2"
    elif age >= 11 and draw < 0.32:
        place = rng.choice(("K2", "K2", "K2", "R1", "S1"))
    elif draw < 0.05:
        place = "P1"
    else:
        place = rng.choices(FOSTER, weights=(8, 1, 6, 25, 2, 40))[0]
    if place == "P1":
        return place, "PR0", child.home_post, "XXXXXXX"
    spread = rng.random()
    post = rng.choice(POSTCODES_HOME if spread < 0.55 else POSTCODES_NEAR if spread < 0.85 else POSTCODES_FAR)
    if place in ("K2", "R1", "S1"):
        return place, rng.choice(("PR1", "PR4", "PR4", "PR5")), post, f"SC{rng.randint(100000, 999999)}"
    if place in ("H5", "P2"):
        return place, rng.choice(("PR1", "PR4")), post, "XXXXXXX"
    provider = "PR1" if place in ("U1", "U2", "U3") or rng.random() < 0.6 else "PR4"
    return place, provider, post, "XXXXXXX"


class _Maker:
    def __init__(self, children: int, years: int, seed: int, last_year: int) -> None:
        self.rng = random.Random(seed)
        self.n, self.years = children, tuple(range(last_year - years + 1, last_year + 1))
        self.start, self.end = date(self.years[0] - 1, 4, 1), date(last_year, 3, 31)

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def new_child(self, index: int, dob: date) -> Child:
        rng = self.rng
        return Child(child=f"C{index + 1:06d}", sex=rng.choice("MF"), dob=dob, ethnic=_weighted(rng, ETHNIC),
                     upn_digits=f"{rng.randint(0, 10**12 - 1):012d}", home_post=rng.choice(POSTCODES_HOME))

    def make(self) -> list[Child]:
        rng, out = self.rng, []
        for index in range(self.n):
            draw = rng.random()
            if draw < SHARE_FORMER_CARE_LEAVERS:
                out.append(self.former_care_leaver(index))
            elif draw < SHARE_FORMER_CARE_LEAVERS + SHARE_SHORT_BREAKS:
                out.append(self.short_breaks(index))
            else:
                out.append(self.looked_after(index, in_care_at_start=rng.random() < SHARE_IN_CARE_AT_START))
        return out

    def former_care_leaver(self, index: int) -> Child:
        """Left care aged 16 or 17 before the first year, a birthday from the 17th to the 21st in it: in OC3 only."""
        dob = self.start - timedelta(days=self.rng.randint(16 * 365 + 75, 20 * 365 + 330))
        left = self.day_between(_birthday(dob, 16) + timedelta(days=5),
                                min(_birthday(dob, 18), self.start) - timedelta(days=30))
        child = self.new_child(index, dob)
        child.former_care_leaver, child.left_care_on, child.left_care_aged_16 = True, left, True
        return child

    def short_breaks(self, index: int) -> Child:
        rng = self.rng
        dob = self.day_between(self.start - timedelta(days=16 * 365), self.start - timedelta(days=4 * 365))
        child = self.new_child(index, dob)
        cin = rng.choice(("N1", "N5", "N8"))
        if rng.random() < 0.3:  # one agreement recorded for the whole series
            begin = self.day_between(self.start, self.end - timedelta(days=200))
            end = begin + timedelta(days=rng.randint(90, 180))
            child.episodes.append(Episode(begin, "S", "V4", cin, "U6", "PR1", None, None, None, end, "E13"))
            return child
        day = self.day_between(self.start, self.start + timedelta(days=60))
        while day < self.end - timedelta(days=4) and _age(dob, day) < 17:  # a break of 2-3 nights every month or two
            end = day + timedelta(days=rng.randint(2, 3))
            child.episodes.append(Episode(day, "S", "V3", cin, "U6", "PR1", None, None, None, end, "E13"))
            day = end + timedelta(days=rng.randint(25, 60))
        return child

    def looked_after(self, index: int, in_care_at_start: bool) -> Child:
        rng = self.rng
        age_at_start = rng.choices(range(18), weights=(9, 4, 4, 4, 4, 4, 4, 4, 5, 5, 6, 6, 8, 9, 10, 11, 9, 3))[0]
        if in_care_at_start:
            begin = self.day_between(self.start - timedelta(days=8 * 365), self.start)
        else:
            begin = self.day_between(self.start + timedelta(days=1), self.end - timedelta(days=3))
        dob = begin - timedelta(days=age_at_start * 365 + rng.randint(0, 364))
        if _age(dob, self.start) >= 18 and in_care_at_start:  # would have left before the first year
            dob = _birthday(self.start, -17) + timedelta(days=rng.randint(1, 300))
            begin = max(begin, dob + timedelta(days=1))
        child = self.new_child(index, dob)
        child.uasc = not in_care_at_start and _age(dob, begin) >= 14 and rng.random() < SHARE_UASC * 4
        if child.uasc:
            child.sex = "M" if rng.random() < 0.9 else "F"
        self.period_of_care(child, begin)
        return child

    def period_of_care(self, child: Child, begin: date) -> None:
        """One period of care from ``begin``: episodes chained until it ends, or open at the last 31 March."""
        rng, dob = self.rng, child.dob
        eighteen = _birthday(dob, 18)
        young = _age(dob, begin) < 5
        adoption = young and rng.random() < 0.3
        ends = max(begin, self.start) + timedelta(days=int(rng.expovariate(1 / MEAN_DAYS_IN_CARE)) + 2)
        reaches_18 = ends >= eighteen
        if reaches_18:
            ends = eighteen
        ls = "V2" if rng.random() < 0.5 else rng.choice(("C1", "C1", "C1", "L2", "L1"))
        if child.uasc:
            ls = "V2"
        place, provider, post, urn = _placement(rng, _age(dob, begin), child)
        cin = "N7" if child.uasc else _weighted(rng, CIN)
        episodes = [Episode(begin, "S", ls, cin, place, provider, post, urn)]
        day = begin
        while True:
            day = day + timedelta(days=int(rng.expovariate(1 / MEAN_DAYS_BETWEEN_CHANGES)) + 14)
            if day >= min(ends, self.end) - timedelta(days=10):
                break
            current = episodes[-1]
            if rng.random() < SHARE_TEMPORARY and current.place not in ("P1",):
                self.temporary(episodes, day)
                day = episodes[-1].decom
                continue
            if adoption and current.place in FOSTER and current.ls in ("C2", "E1") and rng.random() < 0.6:
                self.change(episodes, day, "U" if current.ls == "C2" else "T", "E1",
                            "A5" if current.place in ("U4", "U5", "U6") else "A3", current.provider,
                            current.pl_post, "XXXXXXX", "APPRR")
                adopted = day + timedelta(days=rng.randint(150, 330))  # an adoption order after 5-11 months
                ends = min(ends, max(adopted, self.start + timedelta(days=rng.randint(10, 200))))
                continue
            kind = rng.random()
            new_ls = {"V2": "C1", "C1": "C2", "L1": "C1", "L2": "C1", "C2": "E1" if adoption else "C2"}.get(current.ls,
                                                                                                        current.ls)
            if kind < 0.2 and new_ls != current.ls:  # legal status only
                self.change(episodes, day, "L", new_ls, current.place, current.provider, current.pl_post,
                            current.urn, None)
            elif kind < 0.3 and current.place in ("U5", "U6"):  # same carers become long-term foster carers
                self.change(episodes, day, "T", current.ls, "U4", current.provider, current.pl_post, current.urn,
                            "STAND")
            elif kind < 0.4 and new_ls != current.ls and current.place in ("U5", "U6"):
                self.change(episodes, day, "U", new_ls, "U4", current.provider, current.pl_post, current.urn,
                            "STAND")
            else:
                place, provider, post, urn = _placement(rng, _age(dob, day), child)
                if place == current.place and post == current.pl_post:
                    continue
                rne = "B" if new_ls != current.ls and kind > 0.85 else "P"
                self.change(episodes, day, rne, new_ls if rne == "B" else current.ls, place, provider, post, urn,
                            rng.choice(REASONS_CHANGE))
        if ends.month == 3 and ends.day == 31:  # so the 12 months' cohort is the same by any reading
            ends -= timedelta(days=1)
        last = episodes[-1]
        if ends <= self.end and ends > last.decom:
            last.dec = ends
            if last.place in ("A3", "A4", "A5", "A6"):
                last.rec = rng.choice(("E11", "E12"))
            elif reaches_18:
                last.rec = _weighted(rng, AT_18)
            else:
                last.rec = _weighted(rng, LEAVING)
            child.left_care_on = ends
            child.left_care_aged_16 = _age(dob, ends) >= 16 and (ends - max(begin, _birthday(dob, 14))).days >= 91
        child.episodes.extend(episodes)
        self.add_reviews(child, begin, child.left_care_on or self.end)
        if _age(dob, begin) >= 9 and rng.random() < SHARE_MISSING * 2:
            self.add_missing(child, max(begin, _birthday(dob, 11)), child.left_care_on or self.end)

    def change(self, episodes: list[Episode], day: date, rne: str, ls: str, place: str, provider: str,
               post: str | None, urn: str | None, reason: str | None) -> None:
        """End the last episode on ``day`` (X1) and start the next that same day.

        ``reason`` (REASON_PLACE_CHANGE) is why the placement ended, so it goes on the episode that ends
        (DfE rule 225), not on the one that starts.
        """
        last = episodes[-1]
        last.dec, last.rec, last.reason = day, "X1", reason
        episodes.append(Episode(day, rne, ls, last.cin, place, provider, post, urn))

    def temporary(self, episodes: list[Episode], day: date) -> None:
        """A temporary placement of 2-7 days (T0-T4), then back to the placement before it."""
        normal = episodes[-1]
        back = day + timedelta(days=self.rng.randint(2, 7))
        self.change(episodes, day, "P", normal.ls, self.rng.choice(("T1", "T2", "T3", "T4")), normal.provider,
                    None, "XXXXXXX", None)
        self.change(episodes, back, "P", normal.ls, normal.place, normal.provider, normal.pl_post, normal.urn, None)

    def add_reviews(self, child: Child, begin: date, end: date) -> None:
        day = begin + timedelta(days=20)
        gap = 91
        while day <= min(end, self.end):
            if day >= self.start:
                child.reviews.append(day)
            day += timedelta(days=gap + self.rng.randint(-10, 5))
            gap = REVIEW_EVERY_DAYS

    def add_missing(self, child: Child, first: date, last: date) -> None:
        first, last = max(first, self.start), min(last, self.end)
        if last <= first:
            return
        for _ in range(self.rng.choice((1, 1, 1, 2, 2, 3, 5))):
            start = self.day_between(first, last)
            end = start + timedelta(days=self.rng.randint(0, 4))
            if end > last:
                end = None if last == self.end else last
            child.missing.append(("M" if self.rng.random() < 0.8 else "A", start, end))


class _Tables:
    """Rows of every table, per collection year."""

    def __init__(self, years: Iterable[int]) -> None:
        self.rows: dict[int, dict[str, list[list[object]]]] = {y: {t: [] for t in TABLES_WRITTEN} for y in years}

    def add(self, year: int, table: str, row: list[object]) -> None:
        self.rows[year][table].append(row)


def _year_of(day: date) -> int:
    """The collection year (ending 31 March) a date falls in."""
    return day.year + 1 if day.month >= 4 else day.year


def _tables(people: list[Child], years: tuple[int, ...], rng: random.Random) -> _Tables:
    out = _Tables(years)
    for child in people:
        for year in years:
            start, end = date(year - 1, 4, 1), date(year, 3, 31)
            present = looked_after = False
            open_in_year = [e for e in child.episodes if e.decom <= end and (e.dec is None or e.dec >= start)]
            for e in open_in_year:
                closed = e.dec is not None and e.dec <= end
                short_break = e.ls in ("V3", "V4")  # no postcodes for a short break (DfE rule 398)
                out.add(year, "episodes", [child.child, e.decom, e.rne, e.ls, e.cin, e.place, e.provider,
                                           e.dec if closed else None, e.rec if closed else None, e.reason,
                                           None if short_break else child.home_post, e.pl_post, e.urn])
                present = True
                looked_after |= not short_break
            dob = child.dob
            for review in child.reviews:
                if start <= review <= end:
                    code = "PN0" if _age(dob, review) < 4 else rng.choice(("PN1", "PN1", "PN2", "PN3", "PN4",
                                                                           "PN5", "PN6", "PN7"))
                    out.add(year, "reviews", [child.child, dob, review, code])
            for kind, mis_start, mis_end in child.missing:
                if start <= mis_start <= end:
                    out.add(year, "missing", [child.child, dob, kind, mis_start, mis_end])
            if _continuously_looked_after(child, start, end):
                out.add(year, "oc2", _oc2_row(child, end, rng))
            oc3 = _oc3_row(child, start, end, rng)
            if oc3:
                out.add(year, "oc3", oc3)
                present = True
            if present:
                upn = "UN1" if _age(dob, end) < 4 else UPN_LETTERS[int(child.upn_digits) % 23] + child.upn_digits
                mother = "0" if child.sex == "F" and looked_after else None  # asked of girls looked after in the year
                out.add(year, "header", [child.child, _sex(child, year), dob, child.ethnic, upn, mother, None])
                if child.uasc:
                    out.add(year, "uasc", [child.child, _sex(child, year), dob, _birthday(dob, 18)])
    return out


def _sex(child: Child, year: int) -> str:
    """SEX as each year's return codes it: 1 (male) and 2 (female) until 2023-24, M and F from 2024-25."""
    return child.sex if year >= SEX_LETTERS_FROM else {"M": "1", "F": "2"}[child.sex]


def _continuously_looked_after(child: Child, start: date, end: date) -> bool:
    """Looked after throughout the 12 months to ``end``: a period begun by ``start``, not ended by ``end``."""
    if not child.episodes or child.episodes[0].ls in ("V3", "V4"):
        return False
    first = child.episodes[0].decom
    return first <= start and (child.left_care_on is None or child.left_care_on > end)


def _oc2_row(child: Child, end: date, rng: random.Random) -> list[object]:
    age = _age(child.dob, end)
    score, reason = None, None
    if 4 <= age <= 17:  # aged 4 at the start of the year to 17 at its end (DfE rules 186, 197B)
        if rng.random() < 0.8:
            score = min(40, max(0, int(rng.gauss(14, 6))))
        else:
            reason = rng.choice(SDQ_REASONS)
    yes = lambda share: "1" if rng.random() < share else "0"  # noqa: E731
    substance = yes(0.04) if age >= 10 else "0"
    return [child.child, child.dob, score, reason, yes(0.03) if age >= 10 else None,
            yes(0.85) if age < 5 else None, yes(0.86), yes(0.82), yes(0.9), substance,
            yes(0.6) if substance == "1" else None, yes(0.8) if substance == "1" else None]


def _oc3_row(child: Child, start: date, end: date, rng: random.Random) -> list[object] | None:
    """A former relevant child whose 17th to 21st birthday falls in the year and who had left care by then."""
    if not child.left_care_aged_16 or child.left_care_on is None:
        return None
    for years in range(17, 22):
        birthday = _birthday(child.dob, years)
        if start <= birthday <= end and child.left_care_on < birthday:
            break
    else:
        return None
    in_touch = _weighted(rng, IN_TOUCH)
    if in_touch in ("DIED", "RHOM"):
        return [child.child, child.dob, in_touch, "0", "0"]
    activity = _weighted(rng, ACTIV) if in_touch == "YES" or rng.random() < 0.3 else "0"
    accommodation = "0" if activity == "0" and in_touch != "YES" else \
        f"{rng.choice(ACCOM_LETTERS)}{'1' if rng.random() < 0.88 else '2'}"
    return [child.child, child.dob, in_touch, activity, accommodation]


def _csv(table: str, rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(TABLE[table].columns)
    for row in rows:
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def generate(children: int = 4000, years: int = 3, seed: int = 1, last_year: int = 2025) -> Generated903:
    """A generated 903 set of ``children`` children over ``years`` collection years ending 31 March ``last_year``."""
    maker = _Maker(children, years, seed, last_year)
    people = maker.make()
    tables = _tables(people, maker.years, random.Random(seed + 1))
    files, rows, seen = {}, dict.fromkeys(TABLES_WRITTEN, 0), set()
    for year in maker.years:
        for table in TABLES_WRITTEN:
            records = tables.rows[year][table]
            files[f"{collection_year_label(year)}/{FILE_NAMES[table]}"] = _csv(table, records)
            rows[table] += len(records)
        seen.update(row[0] for row in tables.rows[year]["header"])
    return Generated903(files=files, rows=rows, children=len(seen), years=maker.years)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the collection years' folders into")
    parser.add_argument("--children", type=int, default=4000)
    parser.add_argument("--years", type=int, default=3, help="collection years, the last one ending --last-year")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--last-year", type=int, default=2025, help="the last collection year's end: 2025 for 2024-25")
    args = parser.parse_args(argv)
    made = generate(args.children, args.years, args.seed, args.last_year)
    made.write(args.out)
    counts = ", ".join(f"{table} {count:,}" for table, count in made.rows.items())
    print(f"{args.out}: {made.children:,} children over {len(made.years)} years "
          f"({', '.join(collection_year_label(y) for y in made.years)}): {counts}")


if __name__ == "__main__":
    main()

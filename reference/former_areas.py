"""Councils that ended or changed their code, and codes of the other UK nations: what an area code that
names no current English council is, in words.

Read from ``data/reference/former_areas.csv`` (code, name, the last day it existed, the codes of the
councils that took its area over, and whether those were new councils or the same council carrying
on under a new code). One home for every reorganisation: the messages that explain an unknown code,
and the check that a council's figures fall within its lifetime, both read it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from reference.areas import REFERENCE_DIR, areas

# The first letters and digits of an ONS code outside England -> what it is, in words.
OTHER_NATIONS = {
    "W": "a Welsh council or area: this dashboard covers English councils",
    "S": "a Scottish council or area: this dashboard covers English councils",
    "N": "a Northern Irish council or area: this dashboard covers English councils",
}
ONS_CODE = re.compile(r"[ENSW]\d{8}", re.IGNORECASE)


@dataclass(frozen=True)
class FormerArea:
    code: str
    name: str
    ended: date
    successors: tuple[str, ...]
    successors_new: bool  # the successors did not exist before ``ended`` (not the same council renamed)

    @property
    def successors_began(self) -> date:
        return self.ended + timedelta(days=1)

    def successor_names(self) -> str:
        names = [areas().get(code).name if code in areas() else code for code in self.successors]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def until(self) -> str:
        return f"{self.name} until {self.ended:%B %Y}: its area is now {self.successor_names()}"


@lru_cache(maxsize=1)
def former_areas() -> dict[str, FormerArea]:
    """Former code -> what it was, from data/reference/former_areas.csv."""
    with (REFERENCE_DIR / "former_areas.csv").open(newline="", encoding="utf-8") as handle:
        return {
            r["code"]: FormerArea(r["code"], r["name"], date.fromisoformat(r["ended"]),
                                  tuple(r["successors"].split(";")), r["successors_new"] == "1")
            for r in csv.DictReader(handle)
        }


@lru_cache(maxsize=1)
def began() -> dict[str, FormerArea]:
    """A council that did not exist before a reorganisation -> the former council whose area it took over."""
    return {code: former for former in former_areas().values() if former.successors_new
            for code in former.successors}


def reorganised_codes() -> set[str]:
    """Every code whose figures must fall within a lifetime: former councils and councils that began new."""
    return set(former_areas()) | set(began())


def describe_code(text: str) -> str | None:
    """What an ONS code that names no current English council is, in words; None when it is not one
    the dashboard can say anything about."""
    code = text.strip().upper()
    if not ONS_CODE.fullmatch(code):
        return None
    former = former_areas().get(code)
    if former is not None:
        return f"{code} was the code of {former.until()}; write the code or name of the council now responsible"
    return OTHER_NATIONS.get(code[0])


def describe_name(text: str) -> str | None:
    """A former council named by its name ("Bournemouth"), in words; None when it names none."""
    key = " ".join(text.strip().lower().replace("&", "and").split())
    for former in former_areas().values():
        name = former.name.split(" (")[0].lower()
        short = name.replace("borough of ", "").replace(" county council", "").replace(" borough council", "")
        if key in (name, short) and short not in {a.name.lower() for a in areas().areas if a.current}:
            return f"{former.until()}; write the code or name of the council now responsible"
    return None


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def lifetime_problem(area_code: str, period_end: date) -> str | None:
    """Why a council cannot have a figure for a period ending on ``period_end``: it had ended, or had not
    yet begun. Reorganisations take effect on 1 April, so every month, quarter and year falls wholly on
    one side."""
    former = former_areas().get(area_code)
    if former is not None and period_end > former.ended:
        return (f"a period up to {_day(former.ended)}: this is {former.until()}, so figures for later "
                "periods belong to the council now responsible")
    started = began().get(area_code)
    if started is not None and period_end < started.successors_began:
        name = areas().get(area_code).name if area_code in areas() else area_code
        return (f"a period from {_day(started.successors_began)}, when {name} began (it took over from "
                f"{started.name}); file earlier figures under {started.name} ({started.code})")
    return None

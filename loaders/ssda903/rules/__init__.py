"""DfE's validation rules for the 903, each with DfE's code and message, written here from DfE's definitions.

``check(ret)`` runs every rule over a set as read and returns every problem, in rule order. A problem never
stops an import (DfE computes its figures from what councils send); it is shown to editors and counted.

Each collection year is checked on its own rows against its own year (1 April to 31 March), with the rule
as DfE states it for that year; ``RULES`` lists every rule and version, with the tables it reads and the
measures it touches.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

import pandas as pd

from loaders.ssda903.model import FILE, ROW, YEAR, Problem903, Return903
from loaders.ssda903.rules import chronology, episodes, header, oc2, oc3
from loaders.ssda903.rules.context import YearOf903
from loaders.ssda903.rules.registry import Rule903

RULES: tuple[Rule903, ...] = header.RULES + episodes.RULES + chronology.RULES + oc2.RULES + oc3.RULES
CODES: tuple[str, ...] = tuple(dict.fromkeys(rule.code for rule in RULES))


def rules_for(year: int) -> tuple[Rule903, ...]:
    """The rules, each in the version DfE set for collection year ``year`` (ending 31 March)."""
    return tuple(rule for rule in RULES if rule.applies_to(year))


def _years(ret: Return903) -> list[YearOf903]:
    """Each collection year's rows as its own YearOf903, each linked to the year before it in the set."""
    by_year: dict[int, dict[str, pd.DataFrame]] = {year: {} for year in ret.years}
    for name, frame in ret.tables.items():
        frame = frame.reset_index(drop=True)  # one label per row, whatever index the reader gave
        for year, rows in frame.groupby(YEAR, sort=False):
            by_year.setdefault(int(year), {})[name] = rows
    years, previous = [], None
    for year in sorted(by_year):
        previous = YearOf903(year, by_year[year], previous if previous and previous.year == year - 1 else None)
        years.append(previous)
    return years


def _rule_order(code: str) -> tuple[int, str]:
    number = re.match(r"\d+", code)
    return (int(number.group()) if number else 0, code)


ORDER = {code: place for place, code in enumerate(sorted(CODES, key=_rule_order))}  # 101 before 1001 before 217t


def _problems(rule: Rule903, table: str, rows: pd.DataFrame, year: int) -> list[Problem903]:
    """One problem per flagged row, built column by column (a set can have tens of thousands)."""
    children = rows["CHILD"].astype(object).where(rows["CHILD"].notna(), "").astype(str).tolist()
    numbers = pd.to_numeric(rows[ROW], errors="coerce").fillna(0).astype(int).tolist()
    files = rows[FILE].astype(object).where(rows[FILE].notna(), "").astype(str).tolist()
    return [Problem903(rule.code, table, row, child, rule.message, file, year)
            for child, row, file in zip(children, numbers, files, strict=True)]


# The measures a breach of each rule can change (any version of the rule).
MEASURES_OF: dict[str, frozenset[str]] = {
    code: frozenset(m for rule in RULES if rule.code == code for m in rule.measures) for code in CODES}


def children_touched(problems: Iterable[Problem903], measure_code: str,
                     years: Collection[int] | None = None) -> frozenset[str]:
    """The children with a problem, in ``years`` (every year where None), by a rule that touches the measure:
    a figure says how many of its cohort (``Figure903.children``) are among them."""
    return frozenset(p.child for p in problems if p.child and (years is None or p.collection_year in years)
                     and measure_code in MEASURES_OF.get(p.rule, ()))


def check(ret: Return903) -> list[Problem903]:
    """Every problem DfE's rules find in ``ret`` (each collection year checked against its own year)."""
    problems: list[Problem903] = []
    for year in _years(ret):
        for rule in rules_for(year.year):
            for table, labels in rule.flags(year).items():
                if len(labels):
                    problems += _problems(rule, table, year.table(table).loc[labels, ["CHILD", ROW, FILE]], year.year)
    problems.sort(key=lambda p: (ORDER[p.rule], p.collection_year, p.table, p.row))
    return problems

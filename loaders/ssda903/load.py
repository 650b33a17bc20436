"""A 903 set through the one import: read, checked by DfE's rules, its measures computed, then written as one
batch of figures (origin ``ssda903``) with its problem counts, or refused whole.

What is written: the figures with numerator and denominator, the count of problems per DfE rule and year,
and per figure how many of its children have a problem that touches it, with the files' names, sizes and
hashes. Never a row of a table, a child, a date of birth or a postcode: the tables live only in this
process for the length of the import, and the problems naming children are handed back for the preview
and the command line only.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Engine, text

from charts.sources import day_words
from db.models import NO_BREAKDOWN, PUBLISHED, SSDA903
from db.writes import OBSERVATION_COLUMNS, BatchInfo, FigureChildren, FileInBatch, RuleProblems
from loaders.batch import write_batch
from loaders.members import SetMember
from loaders.problems import Problem, Rule
from loaders.report import FileInSet, ParsedFile, SetReport, plural, unreadable
from loaders.ssda903.model import TABLE, Figure903, Problem903, Return903, collection_year_label
from loaders.ssda903.read import read_903
from loaders.ssda903.rules import check
from metrics.ssda903.compute import compute
from metrics.ssda903.distance import directory_for
from reference.catalogue import catalogue

POPULATION_MEASURE = "cla_rate"  # DfE's rate per 10,000: its denominator is DfE's own under-18 population


@dataclass
class Prepared903:
    """A 903 set read, checked and computed, ready to preview or to write; holds children until dropped."""

    ret: Return903
    problems: list[Problem903]
    figures: list[Figure903]
    parsed: ParsedFile
    rule_problems: tuple[RuleProblems, ...]
    figure_children: tuple[FigureChildren, ...]
    files: list[FileInSet] = field(default_factory=list)


@dataclass(frozen=True)
class NoFigure:
    """A measure the set gives no figure for at some dates, and the reason the computation gave."""

    measure_code: str
    dates: tuple[date, ...]  # the dates (31 March, or month ends) with no figure for this reason
    reason: str

    @property
    def when(self) -> str:
        """'at 31 March 2024', or 'at 12 dates from 30 April 2024 to 31 March 2025'."""
        if len(self.dates) == 1:
            return f"at {day_words(self.dates[0])}"
        return f"at {len(self.dates)} dates from {day_words(self.dates[0])} to {day_words(self.dates[-1])}"


def without_figure(figures: list[Figure903]) -> tuple[NoFigure, ...]:
    """Each measure and reason for the figures computed without a value, in catalogue order: what the preview
    says, so that a figure missing after the import is never missing without its reason."""
    grouped: dict[tuple[str, str], dict[date, str]] = {}
    for figure in figures:
        if figure.value is None and figure.note:
            general = figure.general_note or figure.note  # dates whose notes differ only in a count: one line
            grouped.setdefault((figure.measure_code, general), {})[figure.period_end] = figure.note
    order = {code: place for place, code in enumerate(m.code for m in catalogue().measures)}

    def reason(general: str, notes: dict[date, str]) -> str:
        distinct = set(notes.values())
        return distinct.pop() if len(distinct) == 1 else general

    return tuple(NoFigure(code, tuple(sorted(notes)), reason(general, notes)) for (code, general), notes in
                 sorted(grouped.items(), key=lambda item: (order.get(item[0][0], len(order)), min(item[1]))))


def collection_year_of(day: date) -> int:
    """The collection year (ending 31 March) a day falls in."""
    return day.year + 1 if day.month >= 4 else day.year


def set_fingerprint(members: list[SetMember], collection_year: int | None, fingerprint: str) -> str:
    """The set's fingerprint with the year given for files that name none: the same files read for another
    year are another set."""
    return hashlib.sha256(f"{fingerprint}\0{collection_year or ''}".encode()).hexdigest()


def population(engine: Engine, area_code: str) -> dict[int, float]:
    """DfE's under-18 population for the council by collection year: the denominator of its published rate."""
    query = text("SELECT period_end, denominator FROM observation WHERE measure_code = :m AND area_code = :a "
                 "AND origin = :o AND period_type = 'year' AND denominator IS NOT NULL")
    with engine.connect() as connection:
        rows = connection.execute(query, {"m": POPULATION_MEASURE, "a": area_code, "o": PUBLISHED}).all()
    return {pd.Timestamp(end).year: float(denominator) for end, denominator in rows}


def touches(problem: Problem903, figure: Figure903) -> bool:
    """A problem touches a figure when its child is one the figure counts, in a table the measure reads, in
    the collection year the figure is for (or a problem about the whole set)."""
    if not problem.child or problem.child not in figure.children:
        return False
    if figure.tables and problem.table not in figure.tables:
        return False
    return problem.collection_year in (0, collection_year_of(figure.period_end))


def _figure_children(figures: list[Figure903], problems: list[Problem903], area_code: str) -> tuple[FigureChildren, ...]:
    by_child: dict[str, list[Problem903]] = {}
    for problem in problems:
        if problem.child:
            by_child.setdefault(problem.child, []).append(problem)
    out = []
    for figure in figures:
        flagged = sum(1 for child in figure.children if any(touches(p, figure) for p in by_child.get(child, ())))
        out.append(FigureChildren(figure.measure_code, area_code, figure.period_type, figure.period_end,
                                  len(figure.children), flagged))
    return tuple(out)


def _rule_problems(problems: list[Problem903]) -> tuple[RuleProblems, ...]:
    counts = Counter((p.rule, p.collection_year) for p in problems)
    return tuple(RuleProblems(rule, year, n) for (rule, year), n in sorted(counts.items()))


def observations(figures: list[Figure903], area_code: str) -> pd.DataFrame:
    """The figures as the observation rows every loader hands the writer (no child in them)."""
    frame = pd.DataFrame({
        "measure_code": [f.measure_code for f in figures],
        "area_code": [area_code] * len(figures),
        "period_type": [f.period_type for f in figures],
        "period_end": [f.period_end for f in figures],
        "dimension": [NO_BREAKDOWN] * len(figures),
        "category": [NO_BREAKDOWN] * len(figures),
        "value": pd.Series([f.value for f in figures], dtype="float64"),
        "numerator": pd.Series([f.numerator for f in figures], dtype="float64"),
        "denominator": pd.Series([f.denominator for f in figures], dtype="float64"),
        "status": [f.status for f in figures],
    }, columns=OBSERVATION_COLUMNS)
    return frame


def _described(ret: Return903, name: str) -> str:
    """``Episodes 2024-25: 459 rows`` (an XML file holds every table)."""
    parts = [f"{TABLE[f.table].title} {collection_year_label(f.collection_year)}: {plural(f.rows, 'row')}"
             for f in ret.files if f.name == name]
    return f"{name}: " + "; ".join(parts) if parts else f"{name}: no table read"


def prepare(engine: Engine, name: str, sha256: str, members: list[SetMember], collection_year: int | None,
            area_code: str, container: str | Mapping[str, str] = "") -> Prepared903 | list[Problem]:
    """The set read, checked and computed, writing nothing; its refusing problems when it cannot be read."""
    ret = read_903(members, collection_year, area_code, container)
    if isinstance(ret, list):
        return ret
    figures = compute(ret, population(engine, area_code) or None, postcodes=directory_for(ret.table("episodes")))
    return assemble(name, sha256, members, ret, check(ret), figures)


def assemble(name: str, sha256: str, members: list[SetMember], ret: Return903, problems: list[Problem903],
             figures: list[Figure903]) -> Prepared903:
    """What writing the set's figures takes: the observation rows and the counts, from the problems and figures."""
    area_code = ret.area_code
    frame = observations(figures, area_code)
    parsed = ParsedFile(name, sha256, [], frame.assign(sheet="", cell=""))
    files = [FileInSet(m.name, m.size_bytes, m.sha256, described=_described(ret, m.name)) for m in members]
    return Prepared903(ret, problems, figures, parsed, _rule_problems(problems),
                       _figure_children(figures, problems, area_code), files)


def import_903(engine: Engine, members: list[SetMember], name: str, fingerprint: str, collection_year: int | None,
               area_code: str, who: str, reader_version: str, container: str | Mapping[str, str] = "") -> SetReport:
    """A 903 set loaded as one batch of figures, or refused whole with every problem; the database is left as
    it was when refused. DfE's rule problems never refuse it: they come back in ``findings``."""
    prepared = prepare(engine, name, fingerprint, members, collection_year, area_code, container)
    if isinstance(prepared, list):
        files = [FileInSet(m.name, m.size_bytes, m.sha256, problems=[p for p in prepared if p.file == m.name],
                           described=f"{m.name}: read, no problem of its own") for m in members]
        return SetReport(name, "rejected", files, prepared)
    return write_prepared(engine, prepared, who, reader_version)


def write_prepared(engine: Engine, prepared: Prepared903, who: str, reader_version: str) -> SetReport:
    """A prepared 903 set written as one batch (figures of origin ``ssda903`` and the problem counts)."""
    name, fingerprint, area_code = prepared.parsed.file_name, prepared.parsed.sha256, prepared.ret.area_code
    info = BatchInfo(name, fingerprint, SSDA903, [], who, reader_version=reader_version, default_area=area_code,
                     files=tuple(FileInBatch(f.name, f.size_bytes, f.sha256) for f in prepared.files),
                     rule_problems=prepared.rule_problems, figure_children=prepared.figure_children)
    try:
        outcome = write_batch(engine, info, prepared.parsed)
    except Exception as error:  # noqa: BLE001 - the database refused in a way nobody foresaw: a sentence, not a traceback
        return SetReport(name, "rejected", prepared.files, unreadable(name, error, Rule.NOT_LOADED).problems)
    report = SetReport(name, "busy" if outcome is None else "loaded" if outcome.changed else "unchanged",
                       prepared.files, [], outcome, findings=prepared.problems,
                       notes=[*prepared.ret.notes, *(f"No figure for {catalogue().get(n.measure_code).name} {n.when}: "
                                                     f"{n.reason}" for n in without_figure(prepared.figures))])
    return report

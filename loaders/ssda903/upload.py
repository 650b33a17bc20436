"""A 903 set uploaded on the Imports page: read, checked and computed exactly as ``python -m loaders import``
reads it (``loaders.ssda903.load.prepare``), and described for the preview before anything is written.

The preview holds DfE's rule problems, which name children: the page shows them to editors and keeps them
only while the preview is on screen. What confirming writes (``write_prepared``) holds no child: the
prepared set kept for it is stripped of the tables and of each figure's children (``for_writing``).
Browser uploads are written to a temporary folder for the length of the reading only (zips are unpacked
there), and that folder is removed before the preview is returned.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
from sqlalchemy import Engine, text

from db.models import NO_BREAKDOWN, PUBLISHED, SSDA903
from db.writes import Comparison, FigureChildren, compare_batch
from loaders.members import NotASet, set_members
from loaders.preview import uploads_on_disk
from loaders.problems import Problem
from loaders.sets import fingerprint, set_name
from loaders.ssda903.detect import uploaded_903_files
from loaders.ssda903.load import NoFigure, Prepared903, prepare, set_fingerprint, without_figure
from loaders.ssda903.model import Figure903, FileOf903, Problem903
from loaders.ssda903.years import year_of
from metrics.ssda903.beside import BesideDfE

YEAR_END = (3, 31)  # DfE publishes a council's 903 figures at 31 March


def files_without_year(uploads: list[tuple[str, bytes]]) -> list[str]:
    """The 903 files among the uploads whose name (its folders' in a zip, or the zip's) gives no collection year."""
    return [name if not container else f"{name} (in {container})"
            for name, container in uploaded_903_files(uploads) if not year_of(name, container)]


def holds_903(uploads: list[tuple[str, bytes]]) -> bool:
    """True when any upload is a 903 table, the 903's XML form, or a zip holding one: the uploads are a 903 set."""
    return bool(uploaded_903_files(uploads))


@dataclass(frozen=True)
class FigureWithProblems:
    """A computed figure some of whose children have a problem by a rule touching its measure."""

    measure_code: str
    period_type: str
    period_end: date
    children: int
    with_problems: int


@dataclass
class Preview903:
    """What loading the uploaded 903 set would do. ``refused``: the set cannot be read (each reason), nothing
    else is filled. ``problems`` name children: shown to editors, never stored."""

    name: str
    refused: list[Problem] = field(default_factory=list)
    files: tuple[FileOf903, ...] = ()
    notes: tuple[str, ...] = ()
    problems: list[Problem903] = field(default_factory=list)
    flagged: list[FigureWithProblems] = field(default_factory=list)
    beside: list[tuple[str, BesideDfE]] = field(default_factory=list)  # (measure code, ours beside DfE's)
    figures: int = 0
    comparison: Comparison | None = None
    prepared: Prepared903 | None = None  # what confirming writes, with no child in it
    without: tuple[NoFigure, ...] = ()  # the measures with no figure at some dates, and why

    @property
    def by_rule(self) -> list[tuple[str, int]]:
        """Each DfE rule with problems and how many, in rule order."""
        return sorted(Counter(p.rule for p in self.problems).items(), key=lambda item: (len(item[0]), item[0]))

    @property
    def differences(self) -> int:
        return sum(1 for _, b in self.beside if b.differs)

    @property
    def changes_anything(self) -> bool:
        c = self.comparison
        return c is not None and bool(c.new or c.replaced)


def published_figures(engine: Engine, area_code: str, codes: set[str]) -> dict[tuple[str, int], tuple[float | None, str]]:
    """DfE's published yearly figures for the council: (measure, year ending 31 March) -> (value, status)."""
    query = text("SELECT measure_code, period_end, value, status FROM observation WHERE area_code = :a "
                 "AND origin = :o AND period_type = 'year' AND dimension = :d AND category = :d")
    with engine.connect() as connection:
        rows = connection.execute(query, {"a": area_code, "o": PUBLISHED, "d": NO_BREAKDOWN}).all()
    out = {}
    for code, end, value, status in rows:
        end = pd.Timestamp(end)
        if code in codes and (end.month, end.day) == YEAR_END:
            out[(code, end.year)] = (None if value is None else float(value), status)
    return out


def beside_dfe(engine: Engine, area_code: str, figures: list[Figure903]) -> list[tuple[str, BesideDfE]]:
    """Each figure at 31 March for which DfE published the council's figure, beside it (measure, then year)."""
    yearly = [f for f in figures if f.period_type == "year"]
    published = published_figures(engine, area_code, {f.measure_code for f in yearly})
    out = []
    for figure in sorted(yearly, key=lambda f: (f.measure_code, f.period_end)):
        found = published.get((figure.measure_code, figure.period_end.year))
        if found is not None:
            out.append((figure.measure_code, BesideDfE(figure.period_end.year, figure.value, figure.numerator,
                                                       figure.denominator, found[0], found[1])))
    return out


def for_writing(prepared: Prepared903) -> Prepared903:
    """The prepared set as confirming writes it, with no table row, no problem and no figure's children."""
    return replace(prepared, ret=replace(prepared.ret, tables={}), problems=[], figures=[])


def _flagged(children: tuple[FigureChildren, ...]) -> list[FigureWithProblems]:
    return [FigureWithProblems(c.measure_code, c.period_type, c.period_end, c.children, c.with_problems)
            for c in children if c.with_problems]


def given_in(paths, members) -> dict[str, str]:
    """The zip each member was unpacked from (a lone upload's temporary folder gives no year)."""
    out = {}
    for member in members:
        for path in paths:
            if path.suffix.lower() == ".zip" and any(p.name.endswith(f"-{path.stem}") for p in member.path.parents):
                out[member.name] = path.name
    return out


def preview_903(engine: Engine, uploads: list[tuple[str, bytes]], collection_year: int | None,
                area_code: str) -> Preview903:
    """The uploads read as one 903 set, checked and computed, and compared with the database; nothing written."""
    with uploads_on_disk(uploads) as paths:
        try:
            with set_members(paths) as members:
                name = set_name([p.name for p in paths], members)
                sha = set_fingerprint(members, collection_year, fingerprint(members))
                prepared = prepare(engine, name, sha, members, collection_year, area_code, given_in(paths, members))
        except NotASet as refused:
            return Preview903(refused.problem.file, refused=[refused.problem])
    if isinstance(prepared, list):
        return Preview903(name, refused=prepared)
    comparison = compare_batch(engine, SSDA903, prepared.parsed.observations)
    return Preview903(name, [], prepared.ret.files, prepared.ret.notes, prepared.problems,
                      _flagged(prepared.figure_children), beside_dfe(engine, area_code, prepared.figures),
                      len(prepared.figures), comparison, for_writing(prepared), without_figure(prepared.figures))

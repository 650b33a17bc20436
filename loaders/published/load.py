"""Loading DfE's published files into the database, in the order that makes the newest figure win.

LAIT's long data (2016 onwards) loads first and the EES tables after it, so where both publish a
figure (2021-2025) the EES value is current and the LAIT value is kept in the history, each batch
named after its file. A value only LAIT publishes stays from LAIT. Every file goes through
``load_parsed``, with the same checks and batch history as a council's own return.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from access.users import os_login
from db.engine import owner_engine_for
from db.queries import batches, observations
from db.reference_queries import has_neighbour_release
from loaders.batch import load_parsed
from loaders.problems import Problem, Rule
from loaders.published.ees import parse_ees
from loaders.published.lait import parse_lait
from loaders.published.mapping import OBSERVATIONS, REFERENCE, PublishedMapping, published_mapping
from loaders.published.parsed import PUBLISHED_SOURCE, PublishedFile, kind_of_note
from loaders.published.recognise import FORMATS, Recognised, recognise
from loaders.published.reference_import import import_reference
from loaders.report import ImportReport
from loaders.sheets import Workbook
from settings import DATA_DIR

SHIPPED_DIR = DATA_DIR / "dfe"
PARSERS = {"parquet": parse_lait, "csv": parse_ees}
NEIGHBOUR_KIND = "sn_table"
UNREADABLE = (UnicodeDecodeError, OSError, ValueError, KeyError)  # a table that cannot be read in full


def _not_recognised(path: Path, mapping: PublishedMapping) -> ImportReport:
    kinds = "; ".join(f"{k.kind} ({', '.join(k.required_columns)})" for k in mapping.kinds if k.role == OBSERVATIONS)
    problem = Problem(path.name, "", "", Rule.NO_RETURN, "",
                      f"a published table with the columns of one of: {kinds}")
    return ImportReport(path.name, "rejected", [problem])


def parse_published(recognised: Recognised, mapping: PublishedMapping | None = None) -> PublishedFile:
    """Parse a recognised table of figures (not reference data) into observations and problems."""
    mapping = mapping or published_mapping()
    fmt = FORMATS[recognised.path.suffix.lower()]
    return PARSERS[fmt](recognised, mapping)


def _batches_of_later_kinds(engine: Engine, kind: str, mapping: PublishedMapping) -> dict[int, str]:
    """Published batches (id -> file name) from kinds that load after this one and so take precedence."""
    orders = {k.kind: k.load_order for k in mapping.kinds}
    own = orders[kind]
    frame = batches(engine)
    frame = frame[frame["source"] == PUBLISHED_SOURCE]
    return {
        int(batch): name for batch, name, note in zip(frame["id"], frame["file_name"], frame["note"], strict=True)
        if orders.get(kind_of_note(note), -1) > own
    }


def keep_later_sources(engine: Engine, published: PublishedFile, mapping: PublishedMapping) -> PublishedFile:
    """Leave out values a later-loading kind of file already gives (LAIT never overwrites an EES figure).

    So LAIT's long data can be reloaded, or a newer release loaded on its own, without turning the
    EES figures (with their counts and exact symbols) back into LAIT's.
    """
    later = _batches_of_later_kinds(engine, published.kind, mapping)
    frame = published.parsed.observations
    if not later or not len(frame):
        return published
    key = ["measure_code", "area_code", "period_end"]
    stored = observations(engine, measures=sorted(frame["measure_code"].unique()))
    stored = stored[stored["batch_id"].isin(list(later))]
    if stored.empty:
        return published
    taken = pd.DataFrame({"measure_code": stored["measure_code"], "area_code": stored["area_code"],
                          "period_end": stored["period_end"].dt.date, "_later": stored["batch_id"]})
    marked = frame.merge(taken, on=key, how="left")
    kept = frame[marked["_later"].isna().to_numpy()]
    left_out = len(frame) - len(kept)
    if not left_out:
        return published
    files = sorted({later[int(b)] for b in marked["_later"].dropna().unique()})
    published.parsed.observations = kept.reset_index(drop=True)
    published.note += f"; {left_out} values left as the later tables give them ({', '.join(files)})"
    return published


def load_order(paths: list[Path], mapping: PublishedMapping | None = None) -> list[tuple[Path, Recognised | None]]:
    """Files in the order they must load (LAIT before EES); unrecognised files last."""
    mapping = mapping or published_mapping()
    found = [(p, recognise(p, mapping)) for p in paths]
    return sorted(found, key=lambda pr: (pr[1] is None, pr[1].kind.load_order if pr[1] else 0, pr[0].name))


def _load_observations(engine: Engine, recognised: Recognised, mapping: PublishedMapping, who: str) -> ImportReport:
    try:
        published = keep_later_sources(engine, parse_published(recognised, mapping), mapping)
    except UNREADABLE as error:  # a damaged download: say so, never a traceback
        text = str(error).splitlines()[0] if str(error) else error.__class__.__name__
        problem = Problem(recognised.path.name, "", "", Rule.NOT_A_WORKBOOK, text, "a table that reads in full")
        return ImportReport(recognised.path.name, "rejected", [problem])
    return load_parsed(engine, published.parsed, PUBLISHED_SOURCE, who, published.note)


def import_recognised(engine: Engine, recognised: Recognised, imported_by: str, released: str | None = None,
                      mapping: PublishedMapping | None = None) -> ImportReport:
    """Load a recognised published file: figures through load_parsed, neighbours and areas as reference batches."""
    mapping = mapping or published_mapping()
    if recognised.kind.role == OBSERVATIONS:
        return _load_observations(engine, recognised, mapping, imported_by)
    return import_reference(engine, recognised, imported_by, released)


def import_published(engine: Engine, path: Path | str, imported_by: str, released: str | None = None,
                     workbook: Workbook | None = None, refused: Problem | None = None) -> ImportReport | None:
    """Load one of DfE's published tables, told apart by its columns; None when the file is not one.

    ``released`` ('YYYY-MM') dates a statistical neighbour release whose file name and workbook title
    name no month. Loading the same file twice changes nothing. ``workbook`` is the file already read
    by the workbook reader, when it is a workbook, so its header rows are not read a second time.
    ``refused``: why the person may not load DfE's tables (the file is refused with it once recognised).
    """
    mapping = published_mapping()
    recognised = recognise(Path(path), mapping, workbook)
    if recognised is None:
        return None
    if refused is not None:
        return ImportReport(Path(path).name, "rejected", [refused])
    return import_recognised(engine, recognised, imported_by, released, mapping)


def load_published_files(engine: Engine, paths: list[Path], imported_by: str | None = None) -> list[ImportReport]:
    """Load each file, LAIT first; each is one batch, refused whole if anything in it is wrong."""
    mapping = published_mapping()
    who = imported_by or os_login()  # a first start or a script: the operating-system login
    reports = []
    for path, recognised in load_order(paths, mapping):
        if recognised is None:
            reports.append(_not_recognised(path, mapping))
            continue
        reports.append(import_recognised(engine, recognised, who, None, mapping))
    return reports


def shipped_files(directory: Path = SHIPPED_DIR) -> list[Path]:
    """The published tables of figures shipped with the dashboard, in load order."""
    mapping = published_mapping()
    candidates = sorted(p for p in directory.iterdir() if p.suffix.lower() in FORMATS)
    return [p for p, r in load_order(candidates, mapping) if r is not None and r.kind.role == OBSERVATIONS]


def shipped_neighbour_releases(directory: Path = SHIPPED_DIR) -> list[Path]:
    """The statistical neighbour releases shipped with the dashboard (April 2021 and May 2025)."""
    mapping = published_mapping()
    candidates = sorted(p for p in directory.iterdir() if p.suffix.lower() in FORMATS)
    return [p for p in candidates if (r := recognise(p, mapping)) is not None and r.kind.kind == NEIGHBOUR_KIND]


def has_published_data(engine: Engine) -> bool:
    """True when DfE's figures are loaded (a neighbour release or an area list alone is not figures)."""
    mapping = published_mapping()
    reference_kinds = {k.kind for k in mapping.kinds if k.role == REFERENCE}
    frame = batches(engine)
    published = frame[frame["source"] == PUBLISHED_SOURCE]
    return any(kind_of_note(note) not in reference_kinds for note in published["note"])


def load_published_if_empty(engine: Engine, directory: Path = SHIPPED_DIR,
                            imported_by: str | None = None) -> list[ImportReport]:
    """On first start, load DfE's shipped figures and neighbour releases, each when none is loaded yet.

    An empty list when both are already there, so it is cheap to call on every start. They are every
    council's, so they are written as the database's owner when DASHBOARD_OWNER_DB_URL names it: once
    anyone holds a grant, nobody else may write them (migration 0012).
    """
    engine = owner_engine_for(engine) or engine
    reports = []
    if not has_published_data(engine):
        reports += load_published_files(engine, shipped_files(directory), imported_by)
    if not has_neighbour_release(engine):
        reports += load_published_files(engine, shipped_neighbour_releases(directory), imported_by)
    return reports

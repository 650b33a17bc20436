"""Loading DfE's reference files: a statistical neighbour release or an area list, each as one batch.

Like a return, each file is read and checked in full first and refused whole, naming the sheet and
cell, when anything in it is wrong; a file that would change nothing writes nothing. The report's
summary says what was loaded ("sn_may_2025.xlsx: statistical neighbour release May 2025 loaded as
batch 12: 152 councils, 10 neighbours each").
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from sqlalchemy import Engine

from db.reference_queries import neighbour_releases
from db.reference_writes import ReferenceBatch, write_area_list, write_neighbour_release
from db.writes import BatchOutcome
from loaders.problems import Problem, Rule
from loaders.published.area_list import read_area_list
from loaders.published.neighbour_file import read_neighbour_file
from loaders.published.parsed import PUBLISHED_SOURCE
from loaders.published.recognise import Recognised
from loaders.published.reference_tables import TooBig
from loaders.published.release_date import RELEASED_FORMAT, ReleaseDateError, release_date
from loaders.report import ImportReport, sha256_of
from reference.areas import AreaDirectory
from reference.neighbours import NEIGHBOURS_PER_COUNCIL, release_label
from reference.stored import stored_directory

NEIGHBOUR_KIND, AREA_LIST_KIND = "sn_table", "area_list"
NAMES_SHOWN = 6
UNREADABLE = (TooBig, UnicodeDecodeError, OSError, zipfile.BadZipFile, KeyError, ValueError)


@dataclass
class ReferenceReport(ImportReport):
    """An ImportReport whose summary says what reference data was loaded."""

    text: str = ""

    def summary(self) -> str:
        return super().summary() if self.status == "rejected" else self.text


def _rejected(found: Recognised, problems: list[Problem]) -> ReferenceReport:
    return ReferenceReport(found.path.name, "rejected", problems)


def _unreadable(found: Recognised, error: Exception) -> ReferenceReport:
    return _rejected(found, [Problem(found.path.name, "", "", Rule.NOT_A_WORKBOOK, str(error).splitlines()[0] if
                                     str(error) else error.__class__.__name__,
                                     "a file that opens and reads in full")])


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    return shown + (f" and {len(names) - NAMES_SHOWN} more" if len(names) > NAMES_SHOWN else "")


def _former(councils: list[tuple[str, str]], directory: AreaDirectory) -> list[tuple[str, str]]:
    """Councils in the file that no longer exist (abolished, or unknown to the area list)."""
    out = []
    for number, name in councils:
        area = directory.resolve(number)
        if area is None or not area.is_la or area.dfe_number != number or not area.current:
            out.append((number, name))
    return out


def import_neighbour_release(engine: Engine, found: Recognised, imported_by: str,
                             released: str | None = None) -> ReferenceReport:
    """Store the file's groupings as the release of the month DfE named it (refused without a month)."""
    name = found.path.name
    try:
        when = release_date(found.path, released)
    except ReleaseDateError as error:
        return _rejected(found, [Problem(name, "", "", Rule.BAD_PERIOD, "", str(error))])
    directory = stored_directory(engine)
    try:
        read = read_neighbour_file(found, directory)
    except UNREADABLE as error:
        return _unreadable(found, error)
    if read.problems:
        return _rejected(found, read.problems)
    label = release_label(when.released)
    former = _former(read.councils, directory)
    held = f"{len(read.councils) - len(former)} councils, {NEIGHBOURS_PER_COUNCIL} neighbours each"
    if former:
        held += f", and {len(former)} former councils ({_names([n for _, n in former])})"
    dated = "" if when.dated_by == "file name" else f" (dated by {when.dated_by})"
    note = f"{NEIGHBOUR_KIND}: statistical neighbour release {label}, dated by {when.dated_by}: {held}"
    info = ReferenceBatch(name, sha256_of(found.path), PUBLISHED_SOURCE, read.sheet, imported_by, note)
    outcome = write_neighbour_release(engine, info, when.released, when.dated_by, read.links)
    if not outcome.changed:
        batch = next((r for r in neighbour_releases(engine) if r.released == when.released), None)
        return ReferenceReport(name, "unchanged", [], BatchOutcome(None, outcome.rows, unchanged=outcome.rows),
                               text=f"{name}: unchanged, statistical neighbour release {label} already loaded"
                               + (f" from {batch.file_name}" if batch else ""))
    replaced = (f"; it replaces the {label} release loaded from {outcome.replaced_file} (batch "
                f"{outcome.replaced_batch}), which stays in the history") if outcome.replaced_file else ""
    return ReferenceReport(name, "loaded", [], BatchOutcome(outcome.batch_id, outcome.rows, inserted=outcome.rows),
                           text=f"{name}: statistical neighbour release {label}{dated} loaded as batch "
                           f"{outcome.batch_id}: {held}{replaced}")


def import_area_list(engine: Engine, found: Recognised, imported_by: str) -> ReferenceReport:
    """Store the area list; from then on it renames, retypes and adds councils in the reference areas."""
    name = found.path.name
    directory = stored_directory(engine)
    try:
        read = read_area_list(found, directory)
    except UNREADABLE as error:
        return _unreadable(found, error)
    if read.problems:
        return _rejected(found, read.problems)
    known = {a.dfe_number: a for a in directory.areas if a.is_la and a.dfe_number}
    new = [r.name for r in read.rows if r.dfe_number not in known]
    renamed = [f"{known[r.dfe_number].name} -> {r.name}" for r in read.rows
               if r.dfe_number in known and known[r.dfe_number].name != r.name]
    retyped = [f"{r.name} {known[r.dfe_number].la_type or 'no type'} -> {r.la_type}" for r in read.rows
               if r.dfe_number in known and known[r.dfe_number].la_type != r.la_type]
    held = f"{len(read.rows)} councils"
    changes = [f"{len(new)} new ({_names(new)})" if new else "", f"{len(renamed)} renamed ({_names(renamed)})"
               if renamed else "", f"{len(retyped)} of another type ({_names(retyped)})" if retyped else ""]
    changes = [c for c in changes if c]
    held += f": {'; '.join(changes)}" if changes else ", no change to the areas in use"
    note = f"{AREA_LIST_KIND}: area list: {held}"
    info = ReferenceBatch(name, sha256_of(found.path), PUBLISHED_SOURCE, read.sheet, imported_by, note)
    outcome = write_area_list(engine, info, read.rows)
    if not outcome.changed:
        return ReferenceReport(name, "unchanged", [], BatchOutcome(None, outcome.rows, unchanged=outcome.rows),
                               text=f"{name}: unchanged, this area list is already the one in use")
    return ReferenceReport(name, "loaded", [], BatchOutcome(outcome.batch_id, outcome.rows, inserted=outcome.rows),
                           text=f"{name}: area list loaded as batch {outcome.batch_id}: {held}")


def import_reference(engine: Engine, found: Recognised, imported_by: str,
                     released: str | None = None) -> ReferenceReport:
    if found.kind.kind == NEIGHBOUR_KIND:
        return import_neighbour_release(engine, found, imported_by, released)
    if found.kind.kind == AREA_LIST_KIND:
        return import_area_list(engine, found, imported_by)
    return _rejected(found, [Problem(found.path.name, "", "", Rule.NO_RETURN, found.kind.kind,
                                     "a statistical neighbour release or an area list")])


__all__ = ["RELEASED_FORMAT", "ReferenceReport", "import_area_list", "import_neighbour_release", "import_reference"]

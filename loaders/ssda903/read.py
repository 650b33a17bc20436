"""Reading a council's 903 files into one Return903, or refusing the whole set naming file, row, column and value.

Each file is a CSV table (told apart by its columns as DfE names them, in any case and order, in any of the
encodings Excel writes) or the XML form of the whole return (root ``EXPSSDA903``, read through defusedxml).
Its collection year comes from its name or its folder's (``loaders.ssda903.years``), else from the year
given (``--collection-year``). A set that cannot be read with certainty is refused whole, as DfE's own
figures could not be computed from it either:

- a table without one of DfE's columns;
- a date that is not ``dd/mm/YYYY`` in DECOM, DEC or DOB (every measure turns on them);
- one CHILD twice in the same year's header;
- a code in RNE, LS, PLACE or REC that no reading of DfE's lists allows for the year (``loaders.ssda903.codes``);
- a file whose collection year is not known, two files for the same table and year, a file that is no
  903 table.

Everything else DfE's rules check is reported by them (``loaders.ssda903.rules``) and does not stop the
import. A column DfE does not name is ignored, as DfE's validator ignores it, and the reading says so; an
unreadable date in a column no measure reads as a date of the episode (REVIEW, MIS_START, ...) is read as
blank and the reading says how many there were, so DfE's rules can still report them.

Text is stripped and read in capitals, as DfE's validator reads it. Nothing read here is stored or logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from loaders.csvfile import read_csv
from loaders.members import SetMember
from loaders.problems import Problem, Rule, cell_ref
from loaders.sheets import NotAWorkbook
from loaders.ssda903.codes import CHECKED_FIELDS, accepted_words, known
from loaders.ssda903.model import FILE, ROW, TABLE, TABLES, YEAR, FileOf903, Return903, TableSpec, collection_year_label
from loaders.ssda903.years import NAMES_ACCEPTED, year_of

DATE_FORMAT = "%d/%m/%Y"
DATE_WORDS = "a date written dd/mm/YYYY, such as 31/03/2025"
REFUSED_DATES = ("DECOM", "DEC", "DOB")  # a date no measure can do without
XML_ROOT = "EXPSSDA903"
XML_RENAMED = {"CHILDID": "CHILD", "PL": "PLACE"}  # the XML form's tags for two of the CSV form's columns
# The XML form's elements under <HEADER> holding one row each of a table (DfE's validator reads the same).
XML_HEADER_TABLES = {"AREVIEW": "reviews", "AMISSING": "missing", "OC2": "oc2", "PERMANENCE": "prev_perm",
                     "AD_PLACED": "placed_adoption"}
# A child's own fields that make a row of a table when present (UASC, OC3, AD1 are one row per child).
XML_CHILD_TABLES = {"DUC": "uasc", "IN_TOUCH": "oc3", "DATE_INT": "ad1"}
SNIFF_BYTES = 65536
MIN_SHARED = 3  # columns a CSV must share with one of DfE's tables (besides CHILD) to be taken for one
SET_ADVICE = "nothing was loaded from any file of the set"


@dataclass
class _Read:
    """One table of one file as read: text cells, the spreadsheet row of each, where each column sits."""

    file: str
    spec: TableSpec
    frame: pd.DataFrame  # DfE's columns as text (None for blank) plus ROW
    columns: dict[str, int] | None  # column -> zero-based position in a CSV; None for the XML form
    year: int | None = None
    sha256: str = ""

    def cell(self, row: int, column: str) -> str:
        if self.columns is None:
            return f"<CHILD> {row}, <{column}>"
        return f"{cell_ref(row - 1, self.columns[column])} ({column})"


@dataclass
class _Reading:
    tables: list[_Read] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---- telling a 903 file apart ---------------------------------------------------------------------------

def _head_text(data: bytes) -> str:
    for mark, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8")):
        if data.startswith(mark):
            return data[len(mark):].decode(codec, errors="ignore")
    return data.decode("utf-8", errors="ignore")


def _first_line_columns(text: str) -> list[str]:
    line = next((ln for ln in text.splitlines() if ln.strip() and not ln.lower().startswith(("sep=", '"sep='))), "")
    delimiter = max(",;\t|", key=line.count)
    return [c.strip().strip('"').strip().upper() for c in line.split(delimiter)]


def best_table(columns: Iterable[str]) -> TableSpec | None:
    """The table whose columns these are: the one sharing most of its own columns with them, all of them
    first; None when no table shares CHILD and MIN_SHARED more."""
    given = {c.strip().upper() for c in columns}
    if "CHILD" not in given:
        return None
    ranked = sorted(TABLES, key=lambda s: (set(s.columns) <= given, len(given & set(s.columns)) / len(s.columns),
                                           len(given & set(s.columns))), reverse=True)
    best = ranked[0]
    return best if len(given & set(best.columns)) - 1 >= MIN_SHARED else None


def is_903_bytes(name: str, head: bytes) -> bool:
    """True when a file's first bytes show a 903 table (a CSV with DfE's columns) or the 903's XML form."""
    text = _head_text(head)
    if text.lstrip().startswith("<"):
        return XML_ROOT in text[:2048]
    if PurePosixPath(name).suffix.lower() not in (".csv", ".txt", ""):
        return False
    return best_table(_first_line_columns(text)) is not None


def is_903_member(member: SetMember) -> bool:
    with member.path.open("rb") as handle:
        return is_903_bytes(member.name, handle.read(SNIFF_BYTES))


# ---- reading each file ------------------------------------------------------------------------------------

def _clean_text(values: pd.Series, upper: bool = True) -> pd.Series:
    """Stripped, in capitals, blank as None (DfE's validator reads text the same way); a date column keeps
    its case, so a message quotes it as written."""
    text = values.astype(object).where(values.notna(), None)
    text = text.map(lambda v: (v.strip().upper() if upper else v.strip()) if isinstance(v, str) else v)
    return text.where(text.map(lambda v: v is not None and v != ""), None)


def _read_csv_member(member: SetMember, reading: _Reading) -> None:
    try:
        sheet = read_csv(member.path.read_bytes())
    except NotAWorkbook as error:
        reading.problems.append(Problem(member.name, "", error.cell, Rule.UNREADABLE_FILE, error.text,
                                        f"{SET_ADVICE}; save the table from Excel as CSV UTF-8 and give it again"))
        return
    cells = sheet.cells
    filled = [i for i in range(cells.shape[0]) if any(str(v).strip() for v in cells[i] if v is not None)]
    if not filled:
        reading.problems.append(Problem(member.name, "", "", Rule.NO_RETURN, "", "the columns of one of the 903's "
                                        "tables in its first row; the file is empty"))
        return
    top = filled[0]
    names = [str(v).strip().upper() if v is not None else "" for v in cells[top]]
    spec = best_table(names)
    if spec is None:
        reading.problems.append(Problem(
            member.name, "", f"row {top + 1}", Rule.NO_RETURN, ", ".join(n for n in names if n)[:200],
            "the columns of one of the 903's tables as DfE names them, such as " + ", ".join(TABLE["header"].columns)))
        return
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in positions and name in spec.columns:
            reading.problems.append(Problem(member.name, "", cell_ref(top, index), Rule.DUPLICATE_COLUMN, name,
                                            f"each of DfE's {spec.title} columns once"))
        positions.setdefault(name, index)
    missing = [c for c in spec.columns if c not in positions]
    for column in missing:
        reading.problems.append(Problem(member.name, "", f"row {top + 1}", Rule.MISSING_COLUMN, column,
                                        f"every column of DfE's {spec.title} table: {', '.join(spec.columns)}"))
    if missing:
        return
    extra = [n for n in names if n and n not in spec.columns]
    if extra:
        reading.notes.append(f"{member.name}: column{'s' if len(extra) > 1 else ''} {', '.join(extra)} "
                             f"{'are' if len(extra) > 1 else 'is'} not one of DfE's {spec.title} columns: not read")
    body = cells[top + 1:]
    rows = np.arange(top + 2, top + 2 + body.shape[0])
    frame = pd.DataFrame({c: _clean_text(pd.Series(body[:, positions[c]], dtype=object), c not in spec.dates)
                          for c in spec.columns})
    frame[ROW] = rows
    frame = frame[frame[list(spec.columns)].notna().any(axis=1)].reset_index(drop=True)
    reading.tables.append(_Read(member.name, spec, frame, {c: positions[c] for c in spec.columns}))


def _leaves(element) -> dict[str, str | None]:
    """An element's own fields (its children without children), renamed as the CSV form names them."""
    return {XML_RENAMED.get(e.tag, e.tag): e.text for e in element if len(e) == 0}


def _read_xml_member(member: SetMember, reading: _Reading) -> None:
    try:
        root = ElementTree.fromstring(member.path.read_bytes())
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        reading.problems.append(Problem(member.name, "", "", Rule.UNREADABLE_FILE, f"not readable XML ({error})",
                                        f"{SET_ADVICE}; give the XML file as the case management system wrote it"))
        return
    if root.tag != XML_ROOT:
        reading.problems.append(Problem(member.name, "", "", Rule.NO_RETURN, f"<{root.tag}>",
                                        f"the 903's XML form, whose root element is <{XML_ROOT}>"))
        return
    rows: dict[str, list[dict]] = {spec.name: [] for spec in TABLES}
    for number, child in enumerate(root.iter("CHILD"), start=1):
        header = child.find("HEADER")
        own = _leaves(header) if header is not None else {}
        own.update({XML_RENAMED.get(k, k): v for k, v in _leaves(child).items()})
        rows["header"].append({**own, ROW: number})
        for tag, table in XML_CHILD_TABLES.items():
            if own.get(tag):
                rows[table].append({**own, ROW: number})
        for episode in child.findall("EPISODE"):
            rows["episodes"].append({**own, **_leaves(episode), ROW: number})
        for element in header if header is not None else []:
            table = XML_HEADER_TABLES.get(element.tag)
            if table is not None:
                rows[table].append({**own, **_leaves(element), ROW: number})
    for spec in TABLES:
        if spec.name in ("sw_episodes", "dolo") and not rows[spec.name]:
            continue  # not in the XML form DfE's validator reads
        frame = pd.DataFrame(rows[spec.name], columns=[*spec.columns, ROW])
        for column in spec.columns:
            frame[column] = _clean_text(frame[column], column not in spec.dates)
        reading.tables.append(_Read(member.name, spec, frame, None))


def _is_xml(member: SetMember) -> bool:
    if member.name.lower().endswith(".xml"):
        return True
    with member.path.open("rb") as handle:
        return _head_text(handle.read(512)).lstrip().startswith("<")


# ---- the set as a whole --------------------------------------------------------------------------------

def _years(reading: _Reading, members: list[SetMember], collection_year: int | None,
           container: str | Mapping[str, str]) -> None:
    """Each table's collection year; a problem for a file with none or with two."""
    shas = {m.name: m.sha256 for m in members}
    for table in reading.tables:
        table.sha256 = shas.get(table.file, "")
        found = year_of(table.file, container if isinstance(container, str) else container.get(table.file, ""))
        if len(found) > 1:
            reading.problems.append(Problem(table.file, "", "", Rule.NO_YEAR, ", ".join(
                collection_year_label(y) for y in sorted(found)), "one collection year in the name, " + NAMES_ACCEPTED))
        elif found:
            table.year = found.pop()
        elif collection_year is not None:
            table.year = collection_year
    unknown = sorted({t.file for t in reading.tables if t.year is None and not any(
        p.file == t.file and p.rule is Rule.NO_YEAR for p in reading.problems)})
    reading.problems += [Problem(name, "", "", Rule.NO_YEAR, "", NAMES_ACCEPTED) for name in unknown]


def _one_file_each(reading: _Reading) -> None:
    seen: dict[tuple[str, int], str] = {}
    for table in reading.tables:
        if table.year is None or len(table.frame) == 0 and table.columns is None:
            continue  # an XML file's tables it holds no rows of are not files of their own
        key = (table.spec.name, table.year)
        if key in seen and seen[key] != table.file:
            reading.problems.append(Problem(
                table.file, "", "", Rule.TWO_FILES, f"{table.spec.title} {collection_year_label(table.year)}",
                f"one file for each table and collection year; {seen[key]} is already the {table.spec.title} "
                f"table for {collection_year_label(table.year)}"))
        seen.setdefault(key, table.file)


def _dates(table: _Read, reading: _Reading) -> pd.DataFrame:
    frame = table.frame
    unread = 0
    for column in table.spec.dates:
        text = frame[column]
        parsed = pd.to_datetime(text, format=DATE_FORMAT, errors="coerce")
        bad = text.notna() & parsed.isna()
        if bad.any() and column in REFUSED_DATES:
            for row, value in zip(frame.loc[bad, ROW], text[bad], strict=True):
                reading.problems.append(Problem(table.file, "", table.cell(int(row), column), Rule.BAD_DATE,
                                                str(value), DATE_WORDS))
        unread += int(bad.sum()) if column not in REFUSED_DATES else 0
        frame[column] = parsed
    if unread:
        reading.notes.append(f"{table.file}: {unread:,} date{'s' if unread != 1 else ''} not written dd/mm/YYYY in "
                             f"columns no measure needs as dates ({', '.join(c for c in table.spec.dates if c not in REFUSED_DATES)}): "
                             "read as blank; DfE's rules list them")
    return frame


def _codes(table: _Read, reading: _Reading) -> None:
    if table.spec.name != "episodes" or table.year is None:
        return
    for column in CHECKED_FIELDS:
        values = table.frame[column]
        bad = values.notna() & ~values.isin(known(column))
        for row, value in zip(table.frame.loc[bad, ROW], values[bad], strict=True):
            reading.problems.append(Problem(
                table.file, "", table.cell(int(row), column), Rule.UNKNOWN_CODE, str(value),
                accepted_words(column)))


def _children_once(header: pd.DataFrame, cells: dict[str, _Read], reading: _Reading) -> None:
    named = header[header["CHILD"].notna()]
    twice = named.duplicated([YEAR, "CHILD"], keep="first")
    if not twice.any():
        return
    first_row = named.drop_duplicates([YEAR, "CHILD"]).set_index([YEAR, "CHILD"])[ROW]
    for year, child, file, row in zip(named.loc[twice, YEAR], named.loc[twice, "CHILD"], named.loc[twice, FILE],
                                      named.loc[twice, ROW], strict=True):
        earlier = int(first_row[(year, child)])
        reading.problems.append(Problem(
            file, "", cells[file].cell(int(row), "CHILD"), Rule.CHILD_TWICE, str(child),
            f"each child once in the header of a collection year; row {earlier} already has this CHILD"))


def _empty(spec: TableSpec) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="datetime64[ns]" if c in spec.dates else object) for c in spec.columns})
    frame[FILE] = pd.Series(dtype=object)
    frame[ROW] = pd.Series(dtype="int64")
    frame[YEAR] = pd.Series(dtype="int64")
    return frame


def read_903(members: list[SetMember], collection_year: int | None = None, area_code: str = "",
             container: str | Mapping[str, str] = "") -> Return903 | list[Problem]:
    """Every file of the set read into one Return903, or every problem that refuses it whole.

    ``collection_year`` (the year ending 31 March) is the year of each file whose name, and its folders'
    names, give none; ``container`` is the name of the zip or folder the set was given as (or, by member
    name, the folder or zip each member was given in), read for a year last. ``area_code`` is the council the set is for.
    """
    reading = _Reading()
    for member in members:
        if _is_xml(member):
            _read_xml_member(member, reading)
        else:
            _read_csv_member(member, reading)
    _years(reading, members, collection_year, container)
    _one_file_each(reading)
    if reading.problems:
        return reading.problems
    frames: dict[str, list[pd.DataFrame]] = {spec.name: [] for spec in TABLES}
    files: list[FileOf903] = []
    for table in reading.tables:
        assert table.year is not None
        _codes(table, reading)
        frame = _dates(table, reading)
        frame[FILE] = table.file
        frame[YEAR] = table.year
        frames[table.spec.name].append(frame[[*table.spec.columns, FILE, ROW, YEAR]])
        if len(table.frame) or table.columns is not None:
            files.append(FileOf903(table.file, table.spec.name, table.year, len(table.frame), table.sha256))
    tables = {spec.name: (pd.concat(frames[spec.name], ignore_index=True) if frames[spec.name] else _empty(spec))
              for spec in TABLES}
    for spec in TABLES:
        for column in spec.dates:
            tables[spec.name][column] = pd.to_datetime(tables[spec.name][column])
        tables[spec.name][ROW] = tables[spec.name][ROW].astype("int64")
        tables[spec.name][YEAR] = tables[spec.name][YEAR].astype("int64")
    _children_once(tables["header"], {t.file: t for t in reading.tables if t.spec.name == "header"}, reading)
    if reading.problems:
        return reading.problems
    years = tuple(sorted({t.year for t in reading.tables if t.year is not None}))
    return Return903(area_code, years, tuple(files), tables, tuple(reading.notes))

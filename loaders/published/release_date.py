"""When DfE released a statistical neighbour grouping: from the file name, the workbook's title, or the officer.

DfE names its files by month ('sn_may_2025.xlsx', 'New_Statistical_Neighbour_Groupings_April_2021.csv').
Failing that, a title, subject or keywords in the workbook's properties that name a month are used.
The created and modified dates there are never used: they say when someone last saved a copy, not
when DfE published the grouping, and a wrong date would silently pick the wrong neighbours for a year.
Otherwise the officer says, with ``--released YYYY-MM``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from defusedxml import ElementTree

MONTHS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
_MONTH = "|".join(sorted({*MONTHS, *(m[:3] for m in MONTHS), "sept"}, key=len, reverse=True))
_NAME_YEAR = re.compile(rf"(?<![a-z])({_MONTH})[\s_.\-]*((?:19|20)\d\d)(?!\d)", re.IGNORECASE)
_YEAR_NAME = re.compile(rf"(?<!\d)((?:19|20)\d\d)[\s_.\-]*({_MONTH})(?![a-z])", re.IGNORECASE)
_YEAR_MONTH = re.compile(r"(?<!\d)((?:19|20)\d\d)[\-_.](0[1-9]|1[0-2])(?!\d)")
_RELEASED = re.compile(r"^\s*((?:19|20)\d\d)-(0[1-9]|1[0-2])\s*$")
PROPERTY_FIELDS = ("title", "subject", "keywords", "description")  # Dublin Core / OOXML core properties
RELEASED_FORMAT = "YYYY-MM, for example 2025-05 for May 2025"


class ReleaseDateError(ValueError):
    """No single release month can be told; the message says what to do."""


@dataclass(frozen=True)
class ReleaseDate:
    released: date  # the first of the month
    dated_by: str  # 'file name', "the workbook's title", '--released'


def _month(text: str) -> int:
    key = text.lower()
    return MONTHS.get(key) or next(n for name, n in MONTHS.items() if name.startswith(key[:3]))


def months_named(text: str) -> list[date]:
    """Every month and year the text names, in order, without repeats."""
    found: list[date] = []
    for m in _NAME_YEAR.finditer(text):
        found.append(date(int(m.group(2)), _month(m.group(1)), 1))
    for m in _YEAR_NAME.finditer(text):
        found.append(date(int(m.group(1)), _month(m.group(2)), 1))
    for m in _YEAR_MONTH.finditer(text):
        found.append(date(int(m.group(1)), int(m.group(2)), 1))
    return list(dict.fromkeys(found))


def parse_released(text: str) -> date:
    """'2025-05' -> 1 May 2025; raises ReleaseDateError for anything else."""
    match = _RELEASED.match(text or "")
    if not match:
        raise ReleaseDateError(f"--released {text!r} is not a month: give {RELEASED_FORMAT}")
    return date(int(match.group(1)), int(match.group(2)), 1)


def workbook_properties(path: Path) -> dict[str, str]:
    """The title, subject, keywords and description of an .xlsx (empty for a CSV or when there are none)."""
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("docProps/core.xml")
        root = ElementTree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return {}
    out = {}
    for element in root:
        field = element.tag.rsplit("}", 1)[-1]
        if field in PROPERTY_FIELDS and (element.text or "").strip():
            out[field] = element.text.strip()
    return out


def _label(d: date) -> str:
    return d.strftime("%B %Y")


def release_date(path: Path, released: str | None = None) -> ReleaseDate:
    """The month the release was published, or ReleaseDateError saying why none can be told."""
    asked = parse_released(released) if released else None
    from_name = months_named(path.stem)
    if len(from_name) > 1:
        raise ReleaseDateError(
            f"the file name names more than one month ({', '.join(map(_label, from_name))}); rename the file "
            f"to name only its release month, or give --released {RELEASED_FORMAT}")
    found = ReleaseDate(from_name[0], "file name") if from_name else None
    if found is None:
        for field, text in workbook_properties(path).items():
            named = months_named(text)
            if len(named) == 1:
                found = ReleaseDate(named[0], f"the workbook's {field}")
                break
    if asked is not None and found is not None and asked != found.released:
        raise ReleaseDateError(
            f"the {found.dated_by} says {_label(found.released)} but --released says {_label(asked)}; "
            "rename the file or leave out --released")
    if found is not None:
        return found
    if asked is not None:
        return ReleaseDate(asked, "--released")
    raise ReleaseDateError(
        "no release month: neither the file name nor the workbook's title names one (DfE names its files "
        f"like sn_may_2025.xlsx). Load it again with --released {RELEASED_FORMAT}")

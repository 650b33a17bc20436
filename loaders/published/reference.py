"""Reference data from DfE's published lists: every area and each council's statistical neighbours.

Builds ``data/reference/areas.csv`` and ``statistical_neighbours.csv`` (what ``reference.areas`` reads)
from a folder of DfE files, each found by its columns: the EES children looked after table (ONS
codes, DfE numbers, names and regions of every area, newest year winning), LAIT's area list (council
types) and the statistical neighbour tool. Run by a developer when DfE publishes new lists
(``python scripts/build_reference.py``); the app only reads the CSVs. ``reference_differences``
says what a rebuild would change, so a test can show the shipped reference matches the shipped files.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from loaders.published.mapping import PublishedMapping, published_mapping
from loaders.published.recognise import FORMATS, Recognised, recognise
from reference.areas import ENGLAND_CODE, REFERENCE_DIR

LONDON = "E12000007"
LONDON_PARTS = {"E13000001", "E13000002"}  # Inner and Outer London: sub-regions, compared with London
NEIGHBOURS_PER_COUNCIL = 10
AREA_COLUMNS = ["code", "dfe_number", "name", "region_code", "region_name", "kind", "la_type", "current", "fictional"]
NEIGHBOUR_COLUMNS = ["dfe_number", "rank", "neighbour_dfe_number", "closeness"]
ENGLAND_ROW = [ENGLAND_CODE, "", "England", "", "England", "england", "", "1", "0"]
FICTIONAL = {
    "code": "E06999901",
    "dfe_number": "999",
    "name": "Northmoor (fictional sample council)",
    "region_code": "E12000002",
    "la_type": "UA",
    "borrowed_neighbours_from": "895",  # Cheshire East's neighbours stand in for the sample council's
}


class ReferenceSourceError(ValueError):
    """The folder lacks a file the reference data is built from."""


@dataclass(frozen=True)
class ReferenceSources:
    ees_numbers: Recognised
    area_list: Recognised
    neighbours: Recognised


def _sheet_rows(found: Recognised) -> list[tuple[str, ...]]:
    """Rows under the header, as text."""
    path = found.path
    if FORMATS[path.suffix.lower()] == "xlsx":
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = list(book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()
    else:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    return [tuple("" if c is None else str(c).strip() for c in row) for row in rows[found.header_row + 1 :]]


def _number(text: str) -> str:
    """DfE numbers as written in the lists ('895', 895 or 895.0) -> '895'."""
    try:
        return str(int(float(text)))
    except ValueError:
        return text


def read_neighbours(found: Recognised) -> list[list[str]]:
    """[dfe_number, rank, neighbour_dfe_number, closeness] for each council and each of its 10 neighbours."""
    header = list(found.columns)
    at = header.index("LA num")
    out = []
    for row in _sheet_rows(found):
        if len(row) <= at or not row[at]:
            continue
        for rank in range(1, NEIGHBOURS_PER_COUNCIL + 1):
            column = header.index(f"SN{rank}")
            closeness = row[column + 1] if column + 1 < len(row) and header[column + 1] == "SNP" else ""
            out.append([_number(row[at]), str(rank), _number(row[column]), closeness])
    return out


def read_area_types(found: Recognised) -> dict[str, str]:
    """DfE number -> council type (UA, MD, OLB, ILB, SC) from LAIT's area list."""
    header = list(found.columns)
    number, kind = header.index("LA Number"), header.index("Type")
    return {_number(r[number]): r[kind] for r in _sheet_rows(found) if len(r) > kind and r[number] and
            r[kind] not in ("", "NA")}


NO_LONGER_REPORTED = {"z", "x", ""}  # what DfE prints for a council in years after it was abolished


def _reported(text: str) -> bool:
    """A figure or a suppressed one, not 'not applicable' or 'not available'."""
    return text.strip().lower() not in NO_LONGER_REPORTED


def read_ees_areas(found: Recognised) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """Councils (by ONS code, newest year winning) and regions named in the EES children looked after table.

    A council is current when the newest year reports it (a count, even a suppressed one, or its
    population: the Isles of Scilly has no children in care but a population): DfE keeps listing councils
    abolished in a reorganisation (Cumbria, Northamptonshire) with 'z' and 'x' in later years.
    """
    with found.path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))[found.header_row :]
    rows = [dict(zip(lines[0], line, strict=False)) for line in lines[1:]]
    regions: dict[str, str] = {}
    councils: dict[str, dict[str, str]] = {}
    latest = max(r["time_period"] for r in rows)
    reported: set[str] = set()
    for row in rows:
        if row["geographic_level"] == "Regional":
            regions[row["region_code"]] = row["region_name"]
        if row["geographic_level"] != "Local authority":
            continue
        if row["time_period"] == latest and (_reported(row["children_count"]) or _reported(row["population_estimate"])):
            reported.add(row["new_la_code"])
        previous = councils.get(row["new_la_code"])
        if previous is None or row["time_period"] > previous["year"]:
            councils[row["new_la_code"]] = {
                "code": row["new_la_code"], "dfe_number": row["old_la_code"], "name": row["la_name"],
                "region_code": LONDON if row["region_code"] in LONDON_PARTS else row["region_code"],
                "year": row["time_period"],
            }
    for code, council in councils.items():
        council["current"] = "1" if code in reported else "0"
    return councils, regions


def find_sources(source_dir: Path, mapping: PublishedMapping | None = None) -> ReferenceSources:
    """The three files the reference is built from, recognised by their columns.

    Where several statistical neighbour tables are present (DfE's 2021 and 2025 groupings), the one
    that covers the most councils in the newest EES year wins.
    """
    mapping = mapping or published_mapping()
    found: dict[str, list[Recognised]] = {}
    for path in sorted(source_dir.iterdir()):
        recognised = recognise(path, mapping)
        if recognised is not None:
            found.setdefault(recognised.kind.kind, []).append(recognised)
    missing = [k for k in ("ees_cla_numbers", "area_list", "sn_table") if k not in found]
    if missing:
        raise ReferenceSourceError(f"{source_dir}: no file with the columns of {', '.join(missing)}")
    ees = found["ees_cla_numbers"][0]
    councils, _regions = read_ees_areas(ees)
    current = {c["dfe_number"] for c in councils.values() if c["current"] == "1"}
    best = max(found["sn_table"], key=lambda r: len({n for n, *_ in read_neighbours(r)} & current))
    return ReferenceSources(ees, found["area_list"][0], best)


def build_reference(source_dir: Path) -> tuple[list[list[str]], list[list[str]]]:
    """The rows of areas.csv and statistical_neighbours.csv, built from DfE's files in the folder."""
    sources = find_sources(source_dir)
    councils, regions = read_ees_areas(sources.ees_numbers)
    types = read_area_types(sources.area_list)
    areas = [ENGLAND_ROW]
    for code, name in sorted(regions.items()):
        areas.append([code, "", name, ENGLAND_CODE, "England", "subregion" if code in LONDON_PARTS else "region",
                      "", "1", "0"])
    for c in sorted(councils.values(), key=lambda a: a["name"]):
        areas.append([c["code"], c["dfe_number"], c["name"], c["region_code"], regions[c["region_code"]], "la",
                      types.get(c["dfe_number"], ""), c["current"], "0"])
    f = FICTIONAL
    areas.append([f["code"], f["dfe_number"], f["name"], f["region_code"], regions[f["region_code"]], "la",
                  f["la_type"], "1", "1"])
    known = {c["dfe_number"] for c in councils.values()}
    # Rows for authorities abolished before the EES years (Dorset and Poole before 2019) are dropped.
    neighbours = [r for r in read_neighbours(sources.neighbours) if r[0] in known]
    borrowed = [[f["dfe_number"], *r[1:]] for r in neighbours if r[0] == f["borrowed_neighbours_from"]]
    return areas, neighbours + borrowed


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _read(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))[1:]


def write_reference(source_dir: Path, reference_dir: Path = REFERENCE_DIR) -> list[Path]:
    """Rebuild the reference CSVs from DfE's files; returns the files written."""
    areas, neighbours = build_reference(source_dir)
    reference_dir.mkdir(parents=True, exist_ok=True)
    written = [reference_dir / "areas.csv", reference_dir / "statistical_neighbours.csv"]
    _write(written[0], AREA_COLUMNS, areas)
    _write(written[1], NEIGHBOUR_COLUMNS, neighbours)
    return written


def reference_differences(source_dir: Path, reference_dir: Path = REFERENCE_DIR) -> list[str]:
    """What a rebuild from the folder would change in the reference CSVs, one line per row; empty when current."""
    areas, neighbours = build_reference(source_dir)
    out = []
    for name, rows in (("areas.csv", areas), ("statistical_neighbours.csv", neighbours)):
        shipped = {tuple(r) for r in _read(reference_dir / name)}
        built = {tuple(r) for r in rows}
        out += [f"{name}: would add {','.join(r)}" for r in sorted(built - shipped)]
        out += [f"{name}: would remove {','.join(r)}" for r in sorted(shipped - built)]
    return out

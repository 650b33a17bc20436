"""Rebuild data/reference/ from DfE's published area list, statistical neighbour tool and tables.

Run by a developer when DfE publishes new lists; the app itself only reads the CSVs this writes.
Usage: python scripts/build_reference.py [SOURCE_DIR]  (default ../shared/data/dfe)
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "reference"
ENGLAND = ("E92000001", "", "England", "", "England", "england", "")
LONDON = "E12000007"
LONDON_PARTS = {"E13000001", "E13000002"}
FICTIONAL = {
    "code": "E06999901",
    "dfe_number": "999",
    "name": "Northmoor (fictional sample council)",
    "region_code": "E12000002",
    "la_type": "UA",
    "borrowed_neighbours_from": "895",  # Cheshire East's neighbours stand in for the sample council's
}


def read_ees_areas(source: Path) -> dict[str, dict[str, str]]:
    """ONS code, DfE number, name and region of every authority in the EES children looked after table."""
    areas: dict[str, dict[str, str]] = {}
    regions: dict[str, str] = {}
    with (source / "cla_number_and_rate_per_10k_children.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["geographic_level"] == "Regional":
                regions[row["region_code"]] = row["region_name"]
            if row["geographic_level"] != "Local authority":
                continue
            # The newest year wins: codes and names change when authorities reorganise.
            previous = areas.get(row["new_la_code"])
            if previous is None or row["time_period"] > previous["year"]:
                areas[row["new_la_code"]] = {
                    "code": row["new_la_code"],
                    "dfe_number": row["old_la_code"],
                    "name": row["la_name"],
                    # Inner and Outer London are sub-regions: the region comparator is London.
                    "region_code": LONDON if row["region_code"] in LONDON_PARTS else row["region_code"],
                    "year": row["time_period"],
                }
    areas["__regions__"] = regions  # type: ignore[assignment]
    return areas


def read_la_types(source: Path) -> dict[str, str]:
    book = openpyxl.load_workbook(source / "la_code_list.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))[1:]
    return {str(r[0]): str(r[3]) for r in rows if r[0] is not None and r[3] not in (None, "NA")}


def read_neighbours(source: Path) -> list[list[str]]:
    book = openpyxl.load_workbook(source / "sn_may_2025.xlsx", read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "LA num")
    out = []
    for row in rows[header_at + 1 :]:
        if row[0] is None:
            continue
        for rank in range(10):
            out.append([str(row[0]), str(rank + 1), str(row[5 + 2 * rank]), str(row[6 + 2 * rank])])
    return out


def main(source: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    ees = read_ees_areas(source)
    regions: dict[str, str] = ees.pop("__regions__")  # type: ignore[assignment]
    types = read_la_types(source)
    with (OUT / "areas.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "dfe_number", "name", "region_code", "region_name", "kind", "la_type", "current", "fictional"])
        writer.writerow([*ENGLAND, "1", "0"])
        latest = max(a["year"] for a in ees.values())
        for code, name in sorted(regions.items()):
            kind = "subregion" if code in LONDON_PARTS else "region"
            writer.writerow([code, "", name, "E92000001", "England", kind, "", "1", "0"])
        for area in sorted(ees.values(), key=lambda a: a["name"]):
            writer.writerow([
                area["code"], area["dfe_number"], area["name"], area["region_code"],
                regions[area["region_code"]], "la", types.get(area["dfe_number"], ""),
                "1" if area["year"] == latest else "0", "0",
            ])
        f = FICTIONAL
        writer.writerow([
            f["code"], f["dfe_number"], f["name"], f["region_code"], regions[f["region_code"]], "la", f["la_type"], "1", "1",
        ])
        known = {a["dfe_number"] for a in ees.values()}
    # Rows for authorities abolished before 2021 (Dorset and Poole before reorganisation) are dropped.
    neighbours = [r for r in read_neighbours(source) if r[0] in known]
    borrowed = [[FICTIONAL["dfe_number"], *r[1:]] for r in neighbours if r[0] == FICTIONAL["borrowed_neighbours_from"]]
    with (OUT / "statistical_neighbours.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["dfe_number", "rank", "neighbour_dfe_number", "closeness"])
        writer.writerows(neighbours + borrowed)
    print(f"wrote {OUT / 'areas.csv'} and {OUT / 'statistical_neighbours.csv'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "dfe")

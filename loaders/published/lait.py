"""LAIT's whole data set in long form (``bds_long_0.parquet``): one row per series, year, area and value.

Only the series named in ``data/published/lait_measures.csv`` are read. Years are written '2025' for the
year ending 31 March 2025 (some other series use '2024-25'; both end on 31 March 2025; rolling
three-year labels such as '2014-16' are not one year). Councils are named by DfE number; England and
the regions by LAIT's own numbers 970-990 (``lait_areas.csv``). LAIT writes '-' where it has no figure.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loaders.problems import Problem, Rule
from loaders.published.mapping import PublishedMapping, published_mapping
from loaders.published.parsed import PublishedFile, finish, tidy_frame
from loaders.published.recognise import Recognised
from loaders.published.values import ACCEPTED_YEARS, LAIT_NO_FIGURE, read_cells, read_counts, year_end
from reference.areas import AreaDirectory, areas
from reference.catalogue import Catalogue, catalogue

SERIES, YEARS, AREA_NAME, VALUES, NUMBER = "Short Desc", "Years", "LA and Regions", "Values", "LA Number"
READ_COLUMNS = [SERIES, YEARS, AREA_NAME, VALUES, NUMBER]
MAX_ROW_PROBLEMS = 20


def _locator(frame: pd.DataFrame) -> pd.Series:
    """Where a value sits in long data: its row and the series, area and year that identify it."""
    return ("row " + (frame["_row"] + 1).astype("str") + " (" + frame[SERIES] + ", " + frame[AREA_NAME].fillna("")
            + ", " + frame[YEARS] + ")")


def _read(path: Path, series: list[str]) -> pd.DataFrame:
    """The rows of the wanted series, with each row's position in the file."""
    table = pq.read_table(path, columns=READ_COLUMNS)
    positions = np.arange(table.num_rows)
    wanted = pa.array(series, type=pa.string())
    keep = pc.fill_null(pc.is_in(table[SERIES], value_set=wanted), False).to_numpy(zero_copy_only=False)
    frame = table.filter(keep).to_pandas()
    frame["_row"] = positions[keep]
    return frame


def _area_codes(numbers: pd.Series, lait_areas: dict[str, str], directory: AreaDirectory) -> pd.Series:
    """ONS code for each LAIT number: LAIT's own numbers for England and regions, else the council's DfE number."""
    codes: dict[float, str] = {}
    for number in numbers.dropna().unique():
        text = str(int(number))
        code = lait_areas.get(text)
        if code is None:
            area = directory.resolve(text)
            code = area.code if area is not None and area.is_la and area.dfe_number == text else ""
        codes[number] = code if code in directory else ""
    return numbers.map(codes).fillna("").astype("str")


def parse_lait(recognised: Recognised, mapping: PublishedMapping | None = None,
               directory: AreaDirectory | None = None, measures: Catalogue | None = None) -> PublishedFile:
    """Read the mapped LAIT series into observations for every council, region and England."""
    mapping = mapping or published_mapping()
    directory = directory or areas()
    measures = measures or catalogue()
    path, kind = recognised.path, recognised.kind
    wanted = sorted({s for m in mapping.lait for s in (m.short_desc, m.numerator_short_desc,
                                                      m.denominator_short_desc) if s})
    frame = _read(path, wanted)
    problems: list[Problem] = []
    skipped: Counter[str] = Counter()

    frame["_area"] = _area_codes(frame[NUMBER], mapping.lait_areas, directory)
    periods = {text: year_end(text) for text in frame[YEARS].unique()}
    frame["_period_end"] = frame[YEARS].map(periods)
    frame["_cell"] = _locator(frame)
    no_number = frame[frame[NUMBER].isna()]
    for _, row in no_number.head(MAX_ROW_PROBLEMS).iterrows():
        problems.append(Problem(path.name, "", row["_cell"], Rule.NO_AREA, str(row[AREA_NAME] or ""),
                                "the area's DfE number in column LA Number"))
    unknown = frame[frame[NUMBER].notna() & (frame["_area"] == "")]
    skipped.update(unknown[AREA_NAME].fillna("").astype("str"))
    bad_period = frame[frame["_period_end"].isna()]
    for _, row in bad_period.drop_duplicates([SERIES, YEARS]).head(MAX_ROW_PROBLEMS).iterrows():
        problems.append(Problem(path.name, "", row["_cell"], Rule.BAD_PERIOD, str(row[YEARS]), ACCEPTED_YEARS))
    frame = frame[(frame["_area"] != "") & frame["_period_end"].notna()]

    keys = ["_area", "_period_end"]
    by_series = {name: group.drop_duplicates(keys) for name, group in frame.groupby(SERIES, sort=False)}
    pieces = []
    for m in mapping.lait:
        rows = frame[frame[SERIES] == m.short_desc]
        if not len(rows):
            continue
        value, status, bad = read_cells(rows[VALUES], LAIT_NO_FIGURE)
        piece = pd.DataFrame({
            "measure_code": m.measure_code, "area_code": rows["_area"], "period_end": rows["_period_end"],
            "value": value, "status": status, "value_bad": bad, "value_text": rows[VALUES], "sheet": "",
            "cell": rows["_cell"], "numerator": np.nan, "denominator": np.nan,
        })
        for part, series in (("numerator", m.numerator_short_desc), ("denominator", m.denominator_short_desc)):
            if not series or series not in by_series:
                continue
            source = by_series[series]
            counts, counts_bad = read_counts(source[VALUES], LAIT_NO_FIGURE)
            lookup = pd.DataFrame({
                "_area": source["_area"], "_period_end": source["_period_end"], part: counts,
                f"{part}_bad": counts_bad, f"{part}_text": source[VALUES], f"{part}_cell": source["_cell"],
            })
            joined = rows[keys].merge(lookup, on=keys, how="left")
            joined.index = rows.index
            for column in (part, f"{part}_bad", f"{part}_text", f"{part}_cell"):
                piece[column] = joined[column]
        pieces.append(piece)
    if not pieces and not problems:
        problems.append(Problem(path.name, "", "", Rule.NO_RETURN, "",
                                "rows for at least one series in data/published/lait_measures.csv: " + ", ".join(
                                    m.short_desc for m in mapping.lait)))
    return finish(path, kind.kind, tidy_frame(pieces), problems, measures, kind.description, skipped)

"""DfE's Explore Education Statistics (EES) tables: one row per year, area and filter values.

Which rows and columns give each measure is data (``data/published/ees_measures.csv``). DfE's
published value is kept exactly as printed (percentages are whole numbers; nothing is recomputed from
the counts); the counts beside it are kept as numerator and denominator. A symbol stays a symbol.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.problems import Problem, Rule, cell_ref
from loaders.published.mapping import EesMeasure, PublishedMapping, published_mapping
from loaders.published.parsed import PublishedFile, finish, tidy_frame
from loaders.published.recognise import Recognised
from loaders.published.values import ACCEPTED_YEARS, YEAR_IDENTIFIERS, read_cells, read_counts, year_end
from reference.areas import AreaDirectory, areas
from reference.catalogue import Catalogue, catalogue

# Where each EES geographic level keeps the area's ONS code. Other levels are not loaded.
LEVEL_AREA_COLUMN = {"National": "country_code", "Regional": "region_code", "Local authority": "new_la_code"}
MAX_ROW_PROBLEMS = 20
NAME_COLUMNS = {"National": "country_name", "Regional": "region_name", "Local authority": "la_name"}


class _Table:
    """The CSV as text, with each row's line in the sheet and its area and period worked out once."""

    def __init__(self, path: Path, header_row: int, directory: AreaDirectory):
        self.path = path
        self.frame = pd.read_csv(path, dtype="str", keep_default_na=False, encoding="utf-8-sig",
                                 skiprows=header_row)
        self.columns = list(self.frame.columns)
        self.first_line = header_row + 1  # zero-based sheet row of the first data row
        self.problems: list[Problem] = []
        self.skipped: Counter[str] = Counter()
        self._stripped: dict[str, pd.Series] = {}
        f = self.frame
        f["_row"] = np.arange(self.first_line, self.first_line + len(f))
        level = f["geographic_level"].str.strip()
        area = pd.Series("", index=f.index, dtype="str")
        name = pd.Series("", index=f.index, dtype="str")
        for lvl, column in LEVEL_AREA_COLUMN.items():
            at = level == lvl
            area = area.where(~at, f[column].str.strip())
            if NAME_COLUMNS[lvl] in f:
                name = name.where(~at, f[NAME_COLUMNS[lvl]].str.strip())
        f["_area"] = area
        f["_area_name"] = name
        f["_level_known"] = level.isin(list(LEVEL_AREA_COLUMN))
        f["_area_known"] = area.isin([a.code for a in directory.areas])
        periods = {text: year_end(text) for text in f["time_period"].unique()}
        f["_period_end"] = f["time_period"].map(periods)
        f["_year_ok"] = f["time_identifier"].str.strip().isin(YEAR_IDENTIFIERS)
        self._check_rows()

    def cell(self, rows: pd.DataFrame, column: str) -> pd.Series:
        index = self.columns.index(column)
        return rows["_row"].map(lambda r: cell_ref(int(r), index))

    def _check_rows(self) -> None:
        """Note every row that cannot be loaded: a problem when the file is wrong, a note for old areas."""
        rows = self.frame
        level_ok = rows["_level_known"]
        no_area = rows[level_ok & (rows["_area"] == "")]
        for _, row in no_area.head(MAX_ROW_PROBLEMS).iterrows():
            column = LEVEL_AREA_COLUMN[row["geographic_level"].strip()]
            self.problems.append(Problem(self.path.name, "", cell_ref(int(row["_row"]), self.columns.index(column)),
                                         Rule.NO_AREA, "", f"the area's ONS code in column {column}"))
        bad_period = rows[level_ok & (rows["_period_end"].isna() | ~rows["_year_ok"])]
        for _, row in bad_period.drop_duplicates(["time_period", "time_identifier"]).iterrows():
            self.problems.append(Problem(
                self.path.name, "", cell_ref(int(row["_row"]), self.columns.index("time_period")), Rule.BAD_PERIOD,
                f"{row['time_period']} ({row['time_identifier']})",
                f"{ACCEPTED_YEARS}, with time_identifier {' or '.join(YEAR_IDENTIFIERS)}",
            ))
        # Areas DfE still lists but the dashboard does not know (abolished before the area list) are noted.
        unknown = rows[level_ok & (rows["_area"] != "") & ~rows["_area_known"]]
        self.skipped.update(unknown["_area_name"].where(unknown["_area_name"] != "", unknown["_area"]))
        rows["_usable"] = level_ok & rows["_area_known"] & rows["_period_end"].notna() & rows["_year_ok"]

    def select(self, filters: tuple[tuple[str, str], ...]) -> pd.DataFrame:
        """Usable rows whose filter columns hold the given values."""
        mask = self.frame["_usable"].copy()
        for column, value in filters:
            if column not in self._stripped:
                self._stripped[column] = self.frame[column].str.strip()
            mask &= self._stripped[column] == value
        return self.frame[mask]


def _measure_rows(table: _Table, m: EesMeasure) -> pd.DataFrame | None:
    rows = table.select(m.filters)
    if not len(rows):
        return None
    value, status, value_bad = read_cells(rows[m.value_column])
    piece = pd.DataFrame({
        "measure_code": m.measure_code,
        "area_code": rows["_area"],
        "period_end": rows["_period_end"],
        "value": value,
        "status": status,
        "value_bad": value_bad,
        "value_text": rows[m.value_column],
        "sheet": "",
        "cell": table.cell(rows, m.value_column),
        "numerator": np.nan,
        "denominator": np.nan,
    })
    if m.numerator_column:
        piece["numerator"], piece["numerator_bad"] = read_counts(rows[m.numerator_column])
        piece["numerator_text"] = rows[m.numerator_column]
        piece["numerator_cell"] = table.cell(rows, m.numerator_column)
    if m.denominator_column and not m.denominator_filter_column:
        piece["denominator"], piece["denominator_bad"] = read_counts(rows[m.denominator_column])
        piece["denominator_text"] = rows[m.denominator_column]
        piece["denominator_cell"] = table.cell(rows, m.denominator_column)
    elif m.denominator_filter_column:
        filters = tuple((c, m.denominator_filter_value if c == m.denominator_filter_column else v)
                        for c, v in m.filters)
        if m.denominator_filter_column not in {c for c, _ in m.filters}:
            filters += ((m.denominator_filter_column, m.denominator_filter_value),)
        totals = table.select(filters)
        keys = ["_area", "_period_end"]
        totals = totals.drop_duplicates(keys)  # a duplicated total shows up as a duplicated value anyway
        den, den_bad = read_counts(totals[m.denominator_column])
        lookup = pd.DataFrame({
            "_area": totals["_area"], "_period_end": totals["_period_end"], "denominator": den,
            "denominator_bad": den_bad, "denominator_text": totals[m.denominator_column],
            "denominator_cell": table.cell(totals, m.denominator_column),
        })
        joined = rows[keys].merge(lookup, on=keys, how="left")
        joined.index = rows.index
        for column in ("denominator", "denominator_bad", "denominator_text", "denominator_cell"):
            piece[column] = joined[column]
    return piece


def parse_ees(recognised: Recognised, mapping: PublishedMapping | None = None,
              directory: AreaDirectory | None = None, measures: Catalogue | None = None) -> PublishedFile:
    """Read an EES table into observations for every council, region and England it covers."""
    mapping = mapping or published_mapping()
    directory = directory or areas()
    measures = measures or catalogue()
    path, kind = recognised.path, recognised.kind
    table = _Table(path, recognised.header_row, directory)
    pieces = []
    mapped = mapping.ees_for(kind.kind)
    for m in mapped:
        missing = sorted(m.columns() - set(table.columns))
        if missing:
            table.problems.append(Problem(path.name, "", "", Rule.MISSING_COLUMN, ", ".join(missing),
                                          f"the columns data/published/ees_measures.csv names for {m.measure_code}"))
            continue
        piece = _measure_rows(table, m)
        if piece is not None:
            pieces.append(piece)
    if not pieces and not table.problems:
        table.problems.append(Problem(
            path.name, "", "", Rule.NO_RETURN, "",
            "rows for at least one of: " + "; ".join(f"{m.measure_code} ({' / '.join(v for _, v in m.filters)})"
                                                      for m in mapped),
        ))
    return finish(path, kind.kind, tidy_frame(pieces), table.problems, measures, kind.description, table.skipped)

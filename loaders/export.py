"""Every stored value as one CSV, for analysts who want the figures in their own tools.

The CSV carries exactly what the database holds: a suppressed or unavailable value is an empty
``value`` with its published symbol in ``status`` (``c``, ``x``...), never a zero, so whoever opens the
file in Excel cannot mistake "not published" for "none". The last column, ``origin``, says whose
figure each row is: ``local`` (the council's own return) or ``published`` (DfE's tables); the same
measure, area and period can have one of each.

``public=True`` (``export --public``) writes the version for a Part 1 public paper: the small-number
rules of ``metrics.suppression`` are applied to what was read, so a suppressed figure has an empty
``value``, ``numerator`` and ``denominator`` and ``c`` in ``status``; the stored figures are unchanged.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from typing import TextIO

import pandas as pd
from sqlalchemy import Engine

from db import queries
from metrics.safe_text import spreadsheet_cell
from metrics.suppression import export_status, suppress_for_public
from reference.areas import areas
from reference.catalogue import catalogue

EXPORT_COLUMNS = [
    "measure", "area", "period_type", "period_end", "value", "numerator", "denominator", "status",
    "dimension", "category", "batch_id", "origin",
]
SORT_ORDER = ["measure_code", "area_code", "period_end", "period_type", "dimension", "category", "origin"]
NUMBER_COLUMNS = ("value", "numerator", "denominator")
TEXT_COLUMNS = tuple(column for column in EXPORT_COLUMNS if column not in NUMBER_COLUMNS)


def resolve_measure(text: str) -> str:
    """The catalogue code for a measure named by code, name or alias; ValueError naming what is accepted."""
    measure = catalogue().find(text)
    if measure is None:
        codes = ", ".join(m.code for m in catalogue())
        raise ValueError(f"Unknown measure {text!r}: give a measure code, name or alias, such as one of {codes}")
    return measure.code


def resolve_area(text: str) -> str:
    """The ONS code for an area named by ONS code, DfE number or name; ValueError naming what is accepted."""
    area = areas().resolve(text)
    if area is None:
        raise ValueError(
            f"Unknown area {text!r}: give an ONS code (such as E06000049), "
            "a DfE local authority number (such as 895) or an area name (such as Cheshire East)"
        )
    return area.code


def format_number(value: float | None) -> str:
    """Shortest text that reads back as the same number; whole numbers without '.0'; empty for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return repr(number)


def export_frame(engine: Engine, measure: str | None = None, area: str | None = None, public: bool = False,
                 threshold: int | None = None, own_areas: Iterable[str] | None = None) -> pd.DataFrame:
    """The rows ``write_export`` writes, as text columns in EXPORT_COLUMNS order. ``own_areas``: the councils
    whose own figures the reader may see (None: every council's, as without grants)."""
    measures = [resolve_measure(measure)] if measure is not None else None
    area_codes = [resolve_area(area)] if area is not None else None
    stored = queries.observations(engine, measures=measures, areas=area_codes, breakdowns=True, own_areas=own_areas)
    if public:
        # Read every breakdown cell of the groups asked for, so secondary suppression sees whole breakdowns.
        stored = suppress_for_public(stored, threshold)
    stored = stored.sort_values(SORT_ORDER, kind="stable")
    out = pd.DataFrame(
        {
            "measure": stored["measure_code"].astype(str),
            "area": stored["area_code"].astype(str),
            "period_type": stored["period_type"].astype(str),
            "period_end": stored["period_end"].dt.strftime("%Y-%m-%d"),
            **{column: stored[column].map(format_number) for column in NUMBER_COLUMNS},
            "status": stored["status"].map(export_status),
            "dimension": stored["dimension"].astype(str),
            "category": stored["category"].astype(str),
            "batch_id": stored["batch_id"].map(lambda b: str(int(b))),
            "origin": stored["origin"].astype(str),
        },
        columns=EXPORT_COLUMNS,
    )
    return out.reset_index(drop=True)


def write_export(engine: Engine, out: TextIO, measure: str | None = None, area: str | None = None,
                 public: bool = False, threshold: int | None = None, own_areas: Iterable[str] | None = None) -> int:
    """Write the header and one CSV row per stored value; returns the number of rows (header excluded).

    ``measure`` (code, name or alias) and ``area`` (ONS code, DfE number or name) narrow the export;
    an unknown one raises ValueError before anything is written. Headline figures and breakdowns are
    both written, ordered by measure, area, period end, dimension and category. ``public`` hides small
    numbers (``metrics.suppression``; ``threshold`` defaults to DASHBOARD_PUBLIC_THRESHOLD).
    """
    frame = export_frame(engine, measure, area, public, threshold, own_areas)
    for column in TEXT_COLUMNS:  # a breakdown label '=HYPERLINK(...)' must not become a formula in Excel
        frame[column] = frame[column].map(spreadsheet_cell)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(frame.itertuples(index=False, name=None))
    return len(frame)

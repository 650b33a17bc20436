"""How a DfE rule is written down here: its code, DfE's message, the tables it reads, the measures it touches.

A rule is data plus one small function. The function is given one collection year of a set (``YearOf903``)
and returns the rows it flags, by table; ``check`` turns those rows into problems naming file, row and child.
``measures`` says which of the dashboard's measures a breach can change, so an import can say how many of a
figure's children have a problem that touches it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # the context imports nothing from here at run time; only the type is named
    from loaders.ssda903.rules.context import YearOf903

Flags = Mapping[str, pd.Index]  # table name -> the labels of the flagged rows in that year's frame

# The measures a rule can change, by what it checks (codes as in data/measures.csv).
IN_CARE = ("cla_count", "cla_rate", "cla_foster_pct", "cla_20miles_pct")
STARTS = ("cla_starts",)
CEASED = ("cla_ceased",)
STABILITY = ("stab_3plus_pct", "stab_3plus_2yr_pct", "stab_long_pct")
EPISODES = IN_CARE + STARTS + CEASED + STABILITY  # anything that decides when care starts, moves or ends
PLACEMENT = ("cla_foster_pct", "cla_20miles_pct") + STABILITY
HEALTH_DEVELOPMENT = ("health_dev_pct",)
SDQ = ("health_sdq_avg", "health_sdq_received_pct", "health_sdq_concern_pct", "health_sdq_borderline_pct",
       "health_sdq_normal_pct")
HEALTH = ("health_annual_pct", "health_dental_pct", "health_imms_pct") + HEALTH_DEVELOPMENT + SDQ
ACTIVITY = ("cl_eet_17_18", "cl_eet_19_21", "cl_neet_17_18", "cl_neet_19_21", "cl_not_known_17_18",
            "cl_not_known_19_21")
ACCOMMODATION = ("cl_accom_17_18", "cl_accom_19_21")
CARE_LEAVERS = ACTIVITY + ACCOMMODATION
BY_AGE = ("stab_long_pct",) + HEALTH_DEVELOPMENT + SDQ + CARE_LEAVERS  # measures whose cohort is set by age

FIRST_YEAR, LAST_YEAR = 0, 9999  # a rule with neither bound applies to every collection year


@dataclass(frozen=True)
class Rule903:
    """One of DfE's validation rules as it stands for the collection years ``first_year`` to ``last_year``.

    Years are collection years ending 31 March (2025 is 2024-25). Where DfE changed a rule, each version is
    its own Rule903 with the same code and the years it applies to.
    """

    code: str
    message: str  # DfE's wording, as its validator reports it
    tables: tuple[str, ...]  # TableSpec names of the tables it reads
    measures: tuple[str, ...]  # measure codes a breach can change; () where no measure reads the fields
    flags: Callable[[YearOf903], Flags]
    first_year: int = FIRST_YEAR
    last_year: int = LAST_YEAR

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year


def flagged(frame: pd.DataFrame, mask: pd.Series) -> pd.Index:
    """The labels of ``frame``'s rows where ``mask`` is true (a missing answer counts as not flagged)."""
    return frame.index[mask.fillna(False).to_numpy(dtype=bool)]

""""How this is computed" for each measure computed from the 903: DfE's wording, our rule, and every
choice we made where DfE's wording leaves one. The words live in ``data/ssda903/methods.csv`` (one home);
a measure page shows ``how_computed(code).text``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from settings import DATA_DIR

EVERY_MEASURE = "*"
PARTS = ("dfe", "rule", "choice")
# Measures whose definition, cohort or choices are another's too: they show that one's words before their own.
SHARES: dict[str, tuple[str, ...]] = {
    **{code: ("health_annual_pct",) for code in (
        "health_dental_pct", "health_imms_pct", "health_dev_pct", "health_sdq_received_pct", "health_sdq_avg")},
    **{code: ("health_annual_pct", "health_sdq_avg") for code in (
        "health_sdq_normal_pct", "health_sdq_borderline_pct", "health_sdq_concern_pct")},
    **{code: ("cl_eet_17_18",) for code in (
        "cl_eet_19_21", "cl_neet_17_18", "cl_neet_19_21", "cl_not_known_17_18", "cl_not_known_19_21")},
    "cl_accom_17_18": ("cl_eet_17_18",),
    "cl_accom_19_21": ("cl_eet_17_18", "cl_accom_17_18"),
    "missing_incidents": ("missing_pct",),
}
HEADINGS = {"dfe": "DfE's definition", "rule": "How it is computed from the 903",
            "choice": "Choices made where DfE's wording leaves one"}


@dataclass(frozen=True)
class Method:
    measure_code: str
    dfe: tuple[str, ...]
    rules: tuple[str, ...]
    choices: tuple[str, ...]

    @property
    def text(self) -> str:
        """Plain text for a page: each part under its heading, one sentence a line."""
        blocks = []
        for part, lines in zip(PARTS, (self.dfe, self.rules, self.choices), strict=True):
            if lines:
                blocks.append(HEADINGS[part] + ":\n" + "\n".join(f"- {line}" for line in lines))
        return "\n\n".join(blocks)


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[str, str, str], ...]:
    with (DATA_DIR / "ssda903" / "methods.csv").open(newline="", encoding="utf-8") as handle:
        return tuple((r["measure_code"], r["part"], r["text"]) for r in csv.DictReader(handle))


def how_computed(code: str) -> Method:
    """The method of ``code`` (a measure's own words after the ones every measure and its sharers have);
    empty parts for a measure the 903 does not give."""
    order = [*SHARES.get(code, ()), code]
    own = [row for row in _rows() if row[0] in order]
    if not own:
        return Method(code, (), (), ())
    rows = [row for row in _rows() if row[0] == EVERY_MEASURE] + sorted(own, key=lambda r: order.index(r[0]))
    parts = {part: tuple(text for _, p, text in rows if p == part) for part in PARTS}
    return Method(code, parts["dfe"], parts["rule"], parts["choice"])

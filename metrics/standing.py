"""A council's place among all councils in one sentence: its rank, its quartile band as LAIT gives it, and
why the two can seem to disagree.

LAIT's band comes from the value's place against the quartiles of every council's figure, and its rank
from how many councils did better (tied councils share the best rank). When many councils share the
figure on a quartile line the two part company: 57 councils at 100% are all joint 1st, yet the line
between bands A and B falls at 100% itself and, where higher is better, LAIT puts a figure on a line in
the band below (B); where lower is better it puts it in the band above. The band is kept exactly as LAIT
gives it, so the sentence says why, in the same place, whenever a band and a rank would otherwise read
as a contradiction. Every page, table, verdict and pack line that shows a band beside a rank builds its
words here (no Streamlit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from metrics.comparators import BAND_READINGS, BANDS, published_values, quartile_bands, quartiles, rank_areas
from metrics.formatting import format_value, ordinal
from reference.catalogue import Measure

LINE_NAMES = ("lower quartile", "median", "upper quartile")  # LAIT's three lines, lowest figure first
QUARTERS = len(BANDS)


@dataclass(frozen=True)
class Standing:
    """One council's rank and LAIT band among the councils with a published figure that year."""

    rank: int  # 1 = best by polarity; tied councils share the best rank
    of: int  # councils ranked
    band: str  # LAIT's band, A (best) to D (worst), exactly as LAIT computes it
    tied: int  # councils with exactly this figure, this one included
    value_text: str  # the shared figure as shown: '100%'
    polarity: str  # 'higher' or 'lower'
    on_line: int | None  # which of LAIT's lines (0 lower quartile, 1 median, 2 upper quartile) the figure sits on

    @property
    def joint(self) -> bool:
        return self.tied > 1

    @property
    def rank_words(self) -> str:
        """'joint 1st of 134 (57 councils at 100%)' or '40th of 152'."""
        if not self.joint:
            return f"{ordinal(self.rank)} of {self.of}"
        return f"joint {ordinal(self.rank)} of {self.of} ({self.tied} councils at {self.value_text})"

    @property
    def rank_band(self) -> str:
        """The band a reader would take from the rank alone: the quarter of the ranking the rank falls in."""
        quarter = min(QUARTERS, max(1, math.ceil(QUARTERS * self.rank / self.of)))
        return BANDS[quarter - 1]

    @property
    def agrees(self) -> bool:
        """True when the band is the quarter of the ranking the rank falls in."""
        return self.band == self.rank_band

    def _line_bands(self, line: int) -> tuple[str, str]:
        """The better and worse band either side of one of LAIT's lines, by polarity."""
        order = BANDS if self.polarity == "lower" else BANDS[::-1]  # band of each figure, lowest figure first
        low, high = order[line], order[line + 1]
        return (low, high) if self.polarity == "lower" else (high, low)

    @property
    def reason(self) -> str:
        """Why the band is not the rank's quarter, in plain words; '' when they agree."""
        if self.agrees:
            return ""
        if self.on_line is None:
            return (f"LAIT bands a figure against the quartiles of all {self.of} councils' figures, not by its rank, "
                    f"and {self.value_text} falls in band {self.band}")
        better, worse = self._line_bands(self.on_line)
        crowd = ""
        if QUARTERS * self.tied > self.of:
            crowd = f": more than a quarter of councils are at {self.value_text}"
        return (f"{self.value_text} is LAIT's line between bands {better} and {worse} (the "
                f"{LINE_NAMES[self.on_line]} of all councils' figures{crowd}), and where {self.polarity} is "
                f"better LAIT puts a figure on a line in the {'worse' if self.polarity == 'higher' else 'better'} "
                f"of the two bands")

    @property
    def band_words(self) -> str:
        """'band B' or, when it needs it, 'band B, as LAIT gives it: 100% is LAIT's line between ...'."""
        return f"band {self.band}" if self.agrees else f"band {self.band}, as LAIT gives it: {self.reason}"

    @property
    def reading(self) -> str:
        """The full reading, lower case: '2nd quartile (B): better than most councils, ranked 40th of 152',
        '2nd quartile (B), ranked joint 38th of 150 (9 councils at 72%)', or 'ranked joint 1st of 134 (57 councils at 100%); band B, as LAIT gives it: ...'."""
        if self.agrees and self.joint:  # 'better than most councils' may not hold for a crowd sharing one figure
            return f"{BAND_READINGS[self.band].split(':')[0]}, ranked {self.rank_words}"
        if self.agrees:
            return f"{BAND_READINGS[self.band]}, ranked {self.rank_words}"
        return f"ranked {self.rank_words}; {self.band_words}"

    @property
    def rank_and_band(self) -> str:
        """Short, for a line that shows the band's badge beside it: '40th of 152', or with the reason when the
        band and the rank would read as a contradiction ('joint 1st of 134 (...); band B, as LAIT gives it: ...')."""
        return self.rank_words if self.agrees else f"{self.rank_words}; {self.band_words}"

    @property
    def table_rank(self) -> str:
        """The rank in a table cell: '40' or 'joint 38'."""
        return f"joint {self.rank}" if self.joint else str(self.rank)

    @property
    def table_band(self) -> str:
        """The band in a table cell: 'B', or 'B (100% is LAIT's line between A and B)' when it needs saying."""
        if self.agrees:
            return self.band
        if self.on_line is None:
            return f"{self.band} (as LAIT gives it)"
        better, worse = self._line_bands(self.on_line)
        return f"{self.band} ({self.value_text} is LAIT's line between {better} and {worse})"


def standings(values: pd.DataFrame, measure: Measure) -> dict[str, Standing]:
    """area_code -> Standing for every council with a published figure in ``values`` (area_code, value,
    status: the councils LAIT ranks that year). Empty for polarity 'neither'. Ranks and bands are
    ``metrics.comparators``' (LAIT's rules), unchanged: this only adds what a reader needs to read them."""
    if measure.polarity == "neither":
        return {}
    published = published_values(values)
    if published.empty:
        return {}
    ranks = rank_areas(values, measure.polarity)
    bands = quartile_bands(values, measure.polarity)
    lines = quartiles(published.to_numpy())
    counts = published.value_counts()
    out = {}
    for code, value in published.items():
        on_line = next((i for i, line in enumerate(lines) if math.isclose(value, line, rel_tol=0, abs_tol=1e-9)), None)
        out[str(code)] = Standing(
            rank=int(ranks[code]), of=int(len(ranks)), band=str(bands[code]), tied=int(counts[value]),
            value_text=format_value(float(value), measure), polarity=measure.polarity, on_line=on_line)
    return out

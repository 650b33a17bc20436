"""Releases of DfE's statistical neighbour groupings, and which one applies to a year.

DfE regroups councils every few years (April 2021, May 2025). LAIT compares every year with the
current grouping, so a trend is measured against one fixed set of councils; the alternative is the
grouping that was in force in each year. Both are answered here from releases as plain data; the
database holds them (``db.reference_queries``), the shipped CSV is the fallback when it holds none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reference.areas import AreaDirectory

NEIGHBOURS_PER_COUNCIL = 10
SHIPPED_RELEASE = date(2025, 5, 1)  # data/reference/statistical_neighbours.csv is DfE's May 2025 grouping
SHIPPED_FILE = "statistical_neighbours.csv"
CURRENT, IN_FORCE = "current", "in_force"  # the two ways the Benchmarking page may pick a grouping
# The fictional sample council has no grouping of its own: it borrows Cheshire East's.
BORROWED_NEIGHBOURS = {"999": "895"}

Groups = dict[str, list[tuple[int, str, str]]]  # DfE number -> [(rank, neighbour's DfE number, closeness)]


def release_label(released: date) -> str:
    """'May 2025': how DfE names a release (by month)."""
    return released.strftime("%B %Y")


@dataclass(frozen=True)
class NeighbourRelease:
    """One release: its month, the file it was loaded from and each council's ten neighbours."""

    released: date  # first day of the month
    file_name: str
    groups: Groups = field(default_factory=dict, hash=False, compare=False)
    release_id: int | None = None  # None for the shipped CSV fallback

    @property
    def label(self) -> str:
        return release_label(self.released)

    def named_by(self) -> str:
        return f"Statistical neighbours as named by DfE in {self.label}"


def current_release(releases: list[NeighbourRelease]) -> NeighbourRelease | None:
    """The latest release by date: the grouping DfE now publishes."""
    return max(releases, key=lambda r: r.released) if releases else None


def release_in_force(releases: list[NeighbourRelease], year_end: date,
                     dfe_number: str | None = None) -> NeighbourRelease | None:
    """The latest release dated on or before the year's end, else the earliest there is.

    With a council's DfE number, only releases that group that council count (a council created in a
    reorganisation is in none before it), unless none does.
    """
    grouping = [r for r in releases if dfe_number in r.groups] if dfe_number else []
    releases = grouping or releases
    if not releases:
        return None
    before = [r for r in releases if r.released <= year_end]
    if before:
        return max(before, key=lambda r: r.released)
    return min(releases, key=lambda r: r.released)


def with_borrowed(groups: Groups, directory: AreaDirectory) -> Groups:
    """The groups plus the sample council's borrowed ones, when the release has none of its own."""
    out = dict(groups)
    for number, lender in BORROWED_NEIGHBOURS.items():
        if number not in out and lender in out and directory.resolve(number) is not None:
            out[number] = list(out[lender])
    return out


def directory_with(directory: AreaDirectory, release: NeighbourRelease | None) -> AreaDirectory:
    """The same areas with the neighbours of the release (the directory itself when there is none).

    A directory that knows more than its areas (former names of renamed councils) rebuilds itself
    through its own ``with_neighbours``, so nothing it resolves is lost.
    """
    if release is None:
        return directory
    groups = with_borrowed(release.groups, directory)
    rebuild = getattr(directory, "with_neighbours", None)
    return rebuild(groups) if rebuild is not None else AreaDirectory(directory.areas, groups)


def shipped_release(directory: AreaDirectory) -> NeighbourRelease:
    """The shipped grouping as a release: what a database holding no release falls back on."""
    groups = {a.dfe_number: [(rank, n.dfe_number, "") for rank, n in enumerate(directory.neighbours(a.code), start=1)]
              for a in directory.areas if a.is_la and a.dfe_number}
    return NeighbourRelease(SHIPPED_RELEASE, SHIPPED_FILE, {k: v for k, v in groups.items() if v})

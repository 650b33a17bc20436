"""Who is reading figures, and which councils' own figures they may see.

A council's own figures (its returns: often provisional, never published) are seen only by people of
that council; DfE's published figures are seen by everyone. Every read of figures (``views.reads.Reads``)
is built for a Viewer, and every cached read is keyed on ``Viewer.key``, so two people who may see
different councils' own figures never share a cached frame.

With no grants (a one-council install; access.grants) ``councils`` is None and a
viewer sees the own figures of the council the page is about, and of no other: a neighbour, the region and
England are read as DfE published them, even when another council's own return sits in the same database.
With grants, ``councils`` are the person's granted councils (every member council for a regional person,
none for someone without a grant).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ABOUT_ONLY = ""  # Viewer.key of a viewer who sees the own figures of the council the page is about


@dataclass(frozen=True)
class Viewer:
    """Who asks (``login``, as writes record it) and whose own figures they may see.

    ``councils`` are ONS codes; None means "the council the page is about" (no grants exist).
    """

    login: str = ""
    councils: frozenset[str] | None = None

    @classmethod
    def of(cls, login: str, councils: Iterable[str]) -> Viewer:
        """A viewer granted exactly these councils' own figures (an empty list: published figures only)."""
        return cls(login, frozenset(councils))

    def own(self, about: str) -> frozenset[str]:
        """The councils whose own figures a read about ``about`` may return."""
        return frozenset({about}) if self.councils is None else self.councils

    def may_see_own(self, area: str, about: str) -> bool:
        return area in self.own(about)

    @property
    def key(self) -> str:
        """What a cache keys on: '' without grants (the council asked about is already in every key), else
        the granted councils, sorted ('E08000030,E09000001'), or '-' for published figures only."""
        if self.councils is None:
            return ABOUT_ONLY
        return ",".join(sorted(self.councils)) or "-"


LOCAL_VIEWER = Viewer()  # the command line, the pack and a one-council app: the council asked about, as today

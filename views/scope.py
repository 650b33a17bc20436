"""What a view is of: a council, its comparison set, the months in view and whether comparators are drawn.

Pages build a Scope from the sidebar (ui.filters.Filters.scope) and the committee pack from its command
line, so both ask the same view builders the same question and get the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from reference.areas import ENGLAND_CODE, areas

TREND_YEARS = 5  # DfE's yearly figures: five points make a trend, two or three do not


def area_name(code: str) -> str:
    """The area's name, or its code when the area list does not know it (never an error on a page)."""
    directory = areas()
    return directory.get(code).name if code in directory else code


def neighbour_codes(home: str) -> list[str]:
    """The council's 10 statistical neighbours (DfE's current release), nearest first."""
    return [a.code for a in areas().neighbours(home)]


def region_code(home: str) -> str | None:
    region = areas().region_of(home)
    return region.code if region is not None else None


def comparison_areas(home: str) -> tuple[str, ...]:
    """The home council, its statistical neighbours, its region and England: every area a view shows."""
    codes = [home, *neighbour_codes(home)]
    region = region_code(home)
    if region is not None:
        codes.append(region)
    codes.append(ENGLAND_CODE)
    return tuple(dict.fromkeys(codes))


@dataclass(frozen=True)
class Scope:
    """Whose figures, which months, and whether comparators are drawn."""

    home: str
    start: date  # first day of the first month in view
    end: date  # last day of the last month in view
    comparators: bool = True
    by_year: bool = False  # the council has DfE's yearly figures only: the period is whole years to 31 March

    @property
    def home_name(self) -> str:
        return area_name(self.home)

    @property
    def neighbours(self) -> list[str]:
        return neighbour_codes(self.home)

    @property
    def region(self) -> str | None:
        return region_code(self.home)

    @property
    def areas(self) -> tuple[str, ...]:
        return comparison_areas(self.home)

    def years_start(self, latest_year_end: date) -> date:
        """The first day in view for a chart of DfE's yearly figures alone: the period in view, widened to
        TREND_YEARS years up to ``latest_year_end`` when the period is counted in months.

        A council's own monthly returns set a period of months (the latest three years by default, ending at
        its newest month); DfE's latest year may end long before that, which would leave a yearly chart with
        two points. A period chosen in DfE's years (``by_year``) is the person's own choice and is kept.
        """
        if self.by_year:
            return self.start
        back = date(latest_year_end.year - TREND_YEARS, latest_year_end.month, 1)
        first = back.replace(day=28) + timedelta(days=4)  # the month after the year TREND_YEARS back ended
        return min(self.start, first.replace(day=1))

"""The pack's 'What changed' and the scorecard's 'since last period' compare the same two figures and agree."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from db.engine import connect
from db.writes import OBSERVATION_COLUMNS, TARGET_COLUMNS, apply_batch
from reports.pack import changes_since, previous_scope
from tests import app_database
from tests.test_verdict import batch
from views.overview import overview_view
from views.scope import Scope

WALSALL, HARTLEPOOL = "E08000030", "E06000001"


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> str:
    return app_database.published_database(tmp_path_factory.mktemp("changes") / "published.db")


def year_pack(url: str, home: str) -> tuple[tuple[str, ...], dict]:
    """The yearly pack's 'What changed' for 2024-25 and the scorecard rows it stands beside."""
    scope = Scope(home, date(2020, 4, 1), date(2025, 3, 31), by_year=True)
    now, before = overview_view(connect(url), scope), overview_view(connect(url), previous_scope(scope))
    return changes_since(now.verdict, before.verdict), {r.measure_code: r for r in now.rows}


@pytest.mark.parametrize(("home", "measure", "name", "expected"), [
    # higher polarity's mirror: 3 or more moves (lower is better) stayed at 9%, Walsall's band went from A to B
    (WALSALL, "stab_3plus_pct", "3 or more moves in a year",
     "3 or more moves in a year: band moved from A to B because other councils' figures changed; our figure "
     "stayed at 9% (DfE 2023-24 and 2024-25)."),
    (HARTLEPOOL, "cla_20miles_pct", "Placed over 20 miles away",
     "Placed over 20 miles away: band moved from B to A because other councils' figures changed; our figure "
     "stayed at 13% (DfE 2023-24 and 2024-25)."),
])
def test_a_band_that_moved_while_our_figure_stayed_is_not_called_a_change_of_ours(published_url, home, measure,
                                                                                 name, expected):
    changes, rows = year_pack(published_url, home)
    assert rows[measure].travel == "→ No change"  # the scorecard: the same figure as the year before
    [line] = [c for c in changes if c.startswith(name + ":")]
    assert line == expected
    assert "now second quartile" not in line and "now top quartile" not in line


def test_a_figure_that_moved_names_both_figures(published_url):
    changes, rows = year_pack(published_url, WALSALL)
    [line] = [c for c in changes if c.startswith("Annual health check up to date:")]
    assert line == ("Annual health check up to date: now second quartile nationally (94% in 2024-25), "
                    "was bottom quartile nationally (81% in 2023-24).")
    assert rows["health_annual_pct"].travel == "↑ Better"


def test_a_rating_that_moved_with_its_target_says_so(published_url, tmp_path):
    """Walsall's 9% against a target of 10% or less, then of 8% or less: the target moved, not the figure."""
    url = app_database.copy_database(published_url, tmp_path / "targets.db")
    targets = pd.DataFrame([dict(measure_code="stab_3plus_pct", area_code=WALSALL, period_start=start,
                                 period_end=end, value=value)
                            for start, end, value in ((date(2023, 4, 1), date(2024, 3, 31), 10.0),
                                                      (date(2024, 4, 1), date(2025, 3, 31), 8.0))],
                           columns=TARGET_COLUMNS)
    apply_batch(connect(url), batch("targets.xlsx", "return"), pd.DataFrame(columns=OBSERVATION_COLUMNS), targets)
    changes, rows = year_pack(url, WALSALL)
    assert rows["stab_3plus_pct"].travel == "→ No change"
    [line] = [c for c in changes if c.startswith("3 or more moves in a year:")]
    assert line == ("3 or more moves in a year: now close to target, was on target, because the target changed "
                    "(now 8% or less, was 10% or less); our figure stayed at 9%.")


def test_the_pack_slide_gives_the_verdict_the_badge_and_the_list_give(published_url):
    """Blackburn with Darwen's SDQ 'cause for concern' slide: worse than England and neighbours, with its band and
    joint rank beside it, as on the Overview; never a green second quartile."""
    from reports.pack import ChartPictures, chart_page
    from views.reads import database_reads

    scope = Scope("E06000008", date(2020, 4, 1), date(2025, 3, 31), by_year=True)
    reads = database_reads(connect(published_url))
    overview = overview_view(reads, scope)
    pictures = ChartPictures()
    pictures.missing = "pictures are not drawn in this test"  # the words are what is checked
    page = chart_page(reads, scope, "health_sdq_concern_pct", overview, pictures, {})
    assert page.explanation.startswith(
        "Latest: 44% in 2024-25, worse than England and neighbours (DfE 2024-25: 44%, joint 72nd of 149 "
        "(9 councils at 44%), band B).")
    assert "second quartile" not in page.explanation.lower()

"""The overview scorecard: one row per measure with its latest figure, rating, travel and comparators.

Everything a committee asks of a measure at a glance, as plain columns (words and symbols beside
codes), so the overview table, the attention list and the measure page all read the same row.
Direction of travel compares the figures as shown (rounded to the measure's decimal places), so
'54%' to '54%' reads 'No change' rather than a better or worse nobody can see. The other way round,
a figure is shown with one more place where rounding would hide a miss: 69.9% against a target of
70% or more reads '69.9%', never '70%' beside 'Close to target'.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from metrics.comparison import compare
from metrics.formatting import finite_or_none, format_period, format_value, is_missing, round_half_up, year_end
from metrics.ratings import NO_RATING, RED, Rating, decimals_keeping_rating, exact_decimals, rate_against_target
from metrics.series import latest, own_series, previous, published_only, target_at, year_earlier
from metrics.travel import NO_COMPARISON, direction_of_travel
from reference.areas import ENGLAND_CODE, areas
from reference.catalogue import Measure, catalogue
from reference.statuses import VALUE

TARGET_DIRECTION = {"higher": " or more", "lower": " or less", "neither": ""}


@dataclass(frozen=True)
class CardRow:
    """One measure on the scorecard: its latest figure, rating, travel and comparators (see scorecard_row)."""

    theme: str
    theme_name: str
    measure_code: str
    name: str
    short_name: str
    unit: str
    polarity: str
    polarity_text: str
    period_type: str  # '' without a figure
    period_end: pd.Timestamp | None
    period_label: str  # 'March 2025', '2024-25'; '' without a figure
    value: float | None
    status: str
    value_text: str  # as shown beside its rating: 'no data' without a figure
    target: float | None
    target_text: str  # '70% or more'; '' without a target
    rating_code: str
    rating_word: str
    rating_symbol: str
    previous_rating_code: str
    turned_red: bool  # red now and not red at the previous period (a first figure has not 'turned')
    travel_previous_word: str
    travel_previous_symbol: str
    travel_year_word: str
    travel_year_symbol: str
    spark: tuple[float | None, ...]  # the latest figures, oldest first; None where suppressed
    sn_average: float | None = None  # the comparators, from metrics.comparison, for comparator_period_label
    sn_used: int | None = None
    sn_of: int | None = None
    region_value: float | None = None
    england: float | None = None
    comparator_period_label: str = ""  # '2024-25'; '' with no comparator figure


def card_row(card: tuple[CardRow, ...], code: str) -> CardRow | None:
    """The measure's row on the scorecard, or None when the card does not list it."""
    return next((row for row in card if row.measure_code == code), None)


def target_text(value: float, measure: Measure) -> str:
    """'70% or more', '10% or less'; for polarity 'neither' just the figure (context, not a bar to clear).

    A target is shown exactly ('69.5% or more'), never rounded to the measure's places.
    """
    places = exact_decimals(float(value), measure.decimals)
    return f"{format_value(value, measure, decimals=places)}{TARGET_DIRECTION[measure.polarity]}"


def value_text(value: float | None, status: str, measure: Measure, target: tuple[float, float | None] | None) -> str:
    """The figure as shown beside its rating: with the places its rating needs (see decimals_keeping_rating)."""
    places = measure.decimals
    if target is not None and not is_missing(value):
        tolerance = measure.tolerance if target[1] is None else target[1]
        places = decimals_keeping_rating(float(value), target[0], measure.polarity, tolerance, measure.decimals)
    return format_value(value, measure, status, decimals=places)


def _shown(value: object, measure: Measure) -> float | None:
    """The value as people see it, rounded to the measure's decimal places."""
    if is_missing(value):
        return None
    return float(round_half_up(float(value), measure.decimals))


def _rating_at(row: pd.Series | None, targets: pd.DataFrame | None, measure: Measure, home: str) -> Rating:
    """The row's rating against the target in force at its own period end (the catalogue's tolerance if none given)."""
    if row is None:
        return NO_RATING
    target = target_at(targets, measure.code, home, row["period_end"])
    if target is None:
        return NO_RATING
    value, tolerance = target
    return rate_against_target(finite_or_none(row["value"]), value, measure.polarity,
                               measure.tolerance if tolerance is None else tolerance)


def comparator_year(published: pd.DataFrame, home: str, codes: set[str], own_end: pd.Timestamp | None) -> int | None:
    """The year the scorecard compares with: the latest in which any neighbour, the region or England has a
    published figure, not after the council's own latest figure (the latest of all when every one is later)."""
    if published.empty:
        return None
    mask = (published["period_type"].to_numpy() == "year") & published["value"].notna().to_numpy()
    mask &= published["area_code"].isin(codes - {home}).to_numpy()
    if "status" in published:
        mask &= published["status"].fillna(VALUE).to_numpy() == VALUE
    if "dimension" in published:
        mask &= published["dimension"].fillna("").to_numpy() == ""
    ends = pd.to_datetime(published.loc[mask, "period_end"])
    if ends.empty:
        return None
    before = ends[ends <= own_end] if own_end is not None else ends
    return int((before if not before.empty else ends).max().year)


def _comparators(published: pd.DataFrame, rows: pd.DataFrame, measure: Measure, home: str,
                 neighbour_codes: list[str], region_code: str | None, own_end: pd.Timestamp | None) -> dict:
    """Neighbour average, region and England for one year (comparator_year), from the one comparison
    (metrics.comparison), so the scorecard shows what the verdict, the charts and the pack show."""
    empty = {"sn_average": None, "sn_used": None, "sn_of": None, "region_value": None, "england": None,
             "comparator_period_label": ""}
    codes = {*neighbour_codes, region_code, ENGLAND_CODE} - {None}
    year = comparator_year(published, home, codes, own_end)
    directory = areas()
    if year is None or home not in directory:
        return empty
    found = compare(published, rows, measure, directory.get(home), directory, year)
    out = dict(empty, comparator_period_label=format_period("year", year_end(year)))
    if neighbour_codes:
        out["sn_average"] = found.neighbour_average.value
        out["sn_used"] = found.neighbour_average.used
        out["sn_of"] = found.neighbour_average.of
    out["region_value"] = None if found.region is None or region_code is None else found.region.number
    out["england"] = found.england.number
    return out


def scorecard_row(rows: pd.DataFrame, targets: pd.DataFrame | None, measure: Measure, home: str,
                  neighbour_codes: list[str], region_code: str | None, spark_points: int,
                  published: pd.DataFrame | None = None) -> CardRow:
    """The scorecard row for one measure; ``rows`` holds the measure's observations (any areas) and
    ``published`` DfE's published figures for it (every area; default: the published rows of ``rows``)."""
    published = published_only(rows) if published is None else published
    cat = catalogue()
    theme_name = cat.theme(measure.theme).name if any(t.code == measure.theme for t in cat.themes) else measure.theme
    row: dict = {
        "theme": measure.theme, "theme_name": theme_name, "measure_code": measure.code, "name": measure.name,
        "short_name": measure.short_name, "unit": measure.unit, "polarity": measure.polarity,
        "polarity_text": measure.polarity_text,
    }
    series = own_series(rows, measure.code, home)
    last = latest(series)
    if last is None:
        row.update(period_type="", period_end=None, period_label="", value=None, status=VALUE,
                   value_text=format_value(None, measure), target=None, target_text="",
                   rating_code=NO_RATING.code, rating_word=NO_RATING.word, rating_symbol=NO_RATING.symbol,
                   previous_rating_code=NO_RATING.code, turned_red=False,
                   travel_previous_word=NO_COMPARISON.word, travel_previous_symbol=NO_COMPARISON.symbol,
                   travel_year_word=NO_COMPARISON.word, travel_year_symbol=NO_COMPARISON.symbol, spark=())
        return CardRow(**row, **_comparators(published, rows, measure, home, neighbour_codes, region_code, None))
    end = pd.Timestamp(last["period_end"])
    value = finite_or_none(last["value"])
    status = str(last["status"]) if not is_missing(last["status"]) else VALUE
    target = target_at(targets, measure.code, home, end)
    rating = _rating_at(last, targets, measure, home)
    before = previous(series, end)
    previous_rating = _rating_at(before, targets, measure, home)
    a_year_ago = year_earlier(series, end)
    since_previous = direction_of_travel(
        _shown(value, measure), _shown(before["value"], measure) if before is not None else None, measure.polarity)
    since_year = direction_of_travel(
        _shown(value, measure), _shown(a_year_ago["value"], measure) if a_year_ago is not None else None,
        measure.polarity)
    row.update(
        period_type=str(last["period_type"]), period_end=end, period_label=format_period(last["period_type"], end),
        value=value, status=status, value_text=value_text(value, status, measure, target),
        target=None if target is None else target[0],
        target_text="" if target is None else target_text(target[0], measure),
        rating_code=rating.code, rating_word=rating.word, rating_symbol=rating.symbol,
        previous_rating_code=previous_rating.code,
        turned_red=bool(rating == RED and before is not None and previous_rating != RED),
        travel_previous_word=since_previous.word, travel_previous_symbol=since_previous.symbol,
        travel_year_word=since_year.word, travel_year_symbol=since_year.symbol,
        spark=tuple(finite_or_none(v) for v in series["value"].tail(spark_points)) if spark_points > 0 else (),
    )
    return CardRow(**row, **_comparators(published, rows, measure, home, neighbour_codes, region_code, end))


def build_scorecard(obs: pd.DataFrame, targets: pd.DataFrame, home_area: str, neighbour_codes: list[str],
                    region_code: str | None, measures: list[Measure] | None = None,
                    spark_points: int = 24, published: pd.DataFrame | None = None) -> tuple[CardRow, ...]:
    """One row per measure (catalogue order unless ``measures`` is given).

    ``obs`` holds headline observations for the home council and its comparators (as from
    db.queries.observations); ``targets`` the home council's targets; ``published`` DfE's published
    figures for every area (default: those in ``obs``), which the comparators are taken from. A measure with no figures gets a
    row whose value is missing and whose value_text is 'no data'. ``turned_red`` is true only when the
    measure is red now and was not red at the previous period (a first-ever figure has not 'turned').
    Inputs are not changed.
    """
    chosen = list(measures) if measures is not None else list(catalogue().measures)
    groups = dict(tuple(obs.groupby("measure_code", sort=False))) if not obs.empty else {}
    nothing = obs.iloc[0:0]
    published = published_only(obs) if published is None else published
    by_measure = dict(tuple(published.groupby("measure_code", sort=False))) if not published.empty else {}
    home_targets = None
    if targets is not None and not targets.empty:
        home_targets = targets[targets["area_code"].to_numpy() == home_area]
    return tuple(scorecard_row(groups.get(m.code, nothing), home_targets, m, home_area, neighbour_codes, region_code,
                               spark_points, by_measure.get(m.code, published.iloc[0:0])) for m in chosen)

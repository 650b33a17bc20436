"""The shared sidebar filters, bound to the page URL.

Every choice lives in ``st.query_params`` (``?measure=cla_count&from=2023-04&to=2025-03&comparators=off
&area=E06999901``), so a link pasted into an email opens the same view. Within a session the choice
also lives in ``st.session_state``, so it survives moving between pages (which clears the URL's
parameters) and is written back to the URL on the next page. A parameter in the URL that differs
from the one the app last wrote there (a link that was followed) wins over the session's choice.

The session's copy is kept apart from the widgets' own state and handed to each widget before it is
drawn, because Streamlit drops a widget's state when the page changes; a widget's on_change callback
updates the copy when a person moves it.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

import streamlit as st

import settings
from metrics.formatting import YEAR_END_MONTH, format_period, year_end, year_label
from metrics.safe_text import markdown_text
from reference.areas import areas
from reference.catalogue import Measure, catalogue
from ui import data
from views.scope import TREND_YEARS, Scope, area_name

PARAM_FROM = "from"
PARAM_TO = "to"
PARAM_COMPARATORS = "comparators"
PARAM_AREA = "area"
PARAM_MEASURE = "measure"
ON, OFF = "on", "off"
DEFAULT_MONTHS_IN_VIEW = 36  # three years of a council's own monthly or quarterly returns
DEFAULT_YEARS_IN_VIEW = TREND_YEARS  # a council with DfE's yearly figures only
MEASURE_PAGE_URL = "measure"  # the url_path given to the measure page in app.py

_WRITTEN = "_params_written"  # session key: what the app last wrote to each URL parameter
_VIEW = "_view_choices"  # session key: the person's choices, by widget key
_PERIOD_FOR = "period_for"  # in the session's choices: the council the period was chosen for
MONTHS_KEY, YEARS_KEY = "filter_months", "filter_years"  # the period's widget keys (months, or DfE's years)
MEASURE_KEY = "filter_measure"
_MEASURE_IS_DEFAULT = "measure_is_default"  # in the session's choices: no person or link has chosen a measure
_PERIOD_IS_DEFAULT = "period_is_default"  # in the session's choices: no person or link has chosen the period


def month_key(day: date) -> str:
    """The URL form of a month: 2024-03."""
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(text: str | None) -> date | None:
    """The first day of a month written 2024-03 (or 2024-03-31); None for anything else."""
    if not text:
        return None
    parts = str(text).strip().split("-")
    if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    year, month = int(parts[0]), int(parts[1])
    if not (1900 <= year <= 2200 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def months_between(first: date, last: date) -> list[str]:
    """Every month from the month of ``first`` to the month of ``last``, as URL keys."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def month_label(key: str) -> str:
    start = parse_month(key)
    return format_period("month", month_end(start)) if start else key


def financial_year_of(day: date) -> int:
    """The year ending 31 March that a day falls in: April 2024 to March 2025 is 2025."""
    return day.year + (1 if day.month > YEAR_END_MONTH else 0)


def year_start(year: int) -> date:
    return date(year - 1, YEAR_END_MONTH + 1, 1)


@dataclass(frozen=True)
class Filters:
    """What every page shows: whose figures, which months, and whether comparators are drawn."""

    home: str
    start: date  # first day of the first month in view
    end: date  # last day of the last month in view
    comparators: bool
    by_year: bool = False  # the council has DfE's yearly figures only: the period is whole years to 31 March

    @property
    def home_name(self) -> str:
        return area_name(self.home)

    @property
    def period_text(self) -> str:
        """'April 2023 to March 2025', or DfE's years '2020-21 to 2024-25' for a council with yearly figures."""
        if self.by_year:
            first, last = financial_year_of(self.start), financial_year_of(self.end)
            return year_label(first) if first == last else f"{year_label(first)} to {year_label(last)}"
        return f"{format_period('month', month_end(self.start))} to {format_period('month', self.end)}"

    @property
    def scope(self) -> Scope:
        """The view builders' question for this view (views.scope)."""
        return Scope(self.home, self.start, self.end, self.comparators, self.by_year)

    def params(self, measure: str | None = None) -> dict[str, str]:
        """The URL parameters that reproduce this view (and the measure, for the measure page)."""
        out = {PARAM_MEASURE: measure} if measure else {}
        out.update({
            PARAM_FROM: month_key(self.start), PARAM_TO: month_key(self.end),
            PARAM_COMPARATORS: ON if self.comparators else OFF, PARAM_AREA: self.home,
        })
        return out

    def measure_url(self, measure: str) -> str:
        """A relative link to the measure page with this view, usable in a table's link column."""
        return f"{MEASURE_PAGE_URL}?{urlencode(self.params(measure))}"




def configured_home() -> str:
    """The home council from settings, as an ONS code (the raw setting if it names no known area)."""
    raw = settings.HOME_AREA.value()
    area = areas().resolve(raw)
    return area.code if area is not None else raw


def _view() -> dict[str, Any]:
    """The session's choices, kept apart from the widgets' own state so that they survive page switches."""
    return st.session_state.setdefault(_VIEW, {})


def _remember(key: str) -> None:
    """on_change of a filter widget: the person's new choice becomes the session's choice."""
    _view()[key] = st.session_state[key]


def _prepare(key: str, default: Any, from_url: list[tuple[str, Callable[[str], Any]]]) -> Any:
    """Settle a filter's value before its widget is drawn: a new value in the URL, else the session's, else
    the default; and hand it to the widget through session state. Returns the value."""
    view = _view()
    view.setdefault(key, default)
    for param, parse in from_url:
        if _from_link(param):
            parsed = parse(st.query_params[param])
            if parsed is not None:
                view[key] = parsed
    # Always handed over: on a page switch Streamlit drops the widget's own state after this point.
    st.session_state[key] = view[key]
    return view[key]


def _from_link(param: str) -> bool:
    """Whether the URL's ``param`` is new to this session (a link, or an address typed), not the value
    ``_write_to_url`` put there for the view already shown."""
    raw = st.query_params.get(param)
    return raw is not None and raw != st.session_state.get(_WRITTEN, {}).get(param)


def _write_to_url(param: str, text: str) -> None:
    st.session_state.setdefault(_WRITTEN, {})[param] = text
    if st.query_params.get(param) != text:
        st.query_params[param] = text


def council_choices(home: str, own: list[str]) -> list[str]:
    """The configured council, then councils with their own returns, then every other English council by name.

    Any council works: DfE's published figures and its statistical neighbours are in the database.
    """
    others = sorted((a for a in areas().local_authorities() if not a.fictional), key=lambda a: a.name)
    return list(dict.fromkeys([home, *own, *(a.code for a in others)]))


def own_home() -> str | None:
    """The council whose own targets and history a page shows: the configured one without grants (or when
    granted), else the person's first granted council; None when they hold none."""
    home = configured_home()
    granted = data.viewer().councils
    if granted is None or home in granted:
        return home
    return sorted(granted)[0] if granted else None


NO_ACCESS_TEXT = ("You do not have access to that council's own figures: these are the figures DfE published "
                  "for it, beside its neighbours, region and England.")
NO_GRANT_TEXT = ("You have not been given access to any council's own figures: these are the figures DfE "
                 "published, beside each council's neighbours, region and England. Ask the dashboard's "
                 "administrator for access to your council.")


def _choose_home() -> str:
    home = configured_home()
    granted = data.viewer().councils
    if granted and home not in granted:  # with grants, the person's own council first
        home = sorted(granted)[0]
    choices = council_choices(home, [*sorted(granted or ()), *data.own_data_areas()])
    if _view().get("filter_area") not in (None, *choices):
        _view()["filter_area"] = choices[0]
    _prepare("filter_area", choices[0], [(PARAM_AREA, lambda text: _area_code(text, choices))])
    chosen = st.sidebar.selectbox(
        "Council", choices, format_func=area_name, key="filter_area", on_change=_remember, args=("filter_area",),
        help="Whose figures to show: any English council, beside its own statistical neighbours, region and "
             "England. Councils that loaded their own returns come first. Set DASHBOARD_HOME_AREA to change "
             "the council shown first.",
    )
    _write_to_url(PARAM_AREA, chosen)
    if granted is not None and not granted:  # scoping is on and this person holds no grant at all
        st.info(NO_GRANT_TEXT, icon=":material/lock:")
    elif granted is not None and chosen not in granted:  # asked for by a link or chosen: its published figures
        st.info(NO_ACCESS_TEXT, icon=":material/lock:")
    return chosen


def _area_code(text: str, choices: list[str]) -> str | None:
    """A council named in the URL by ONS code, DfE number or name, if it is one of the choices."""
    area = areas().resolve(text)
    return area.code if area is not None and area.code in choices else None


@dataclass(frozen=True)
class PeriodChoice:
    """The months in view and whether they are whole DfE years; ``draw`` False settles it without a widget."""

    start: date
    end: date
    by_year: bool


def _forget_period_of_another_council(home: str) -> None:
    """A new council starts on the period its own figures cover, not the last council's (a link's from/to
    still win: ``_prepare`` reads them after this)."""
    view = _view()
    if view.get(_PERIOD_FOR) != home:
        view.pop(MONTHS_KEY, None)
        view.pop(YEARS_KEY, None)
        view[_PERIOD_FOR] = home
        view[_PERIOD_IS_DEFAULT] = True


def _choose_months(home: str, draw: bool = True) -> PeriodChoice:
    first, last = data.period_range(home)
    if first is None or last is None:
        today = date.today()
        return PeriodChoice(date(today.year, today.month, 1), month_end(today), False)
    _forget_period_of_another_council(home)
    if home not in data.own_data_areas():
        return _choose_years(first, last, draw)
    options = months_between(first, last)
    first_key, last_key = _choose_range(
        MONTHS_KEY, options, DEFAULT_MONTHS_IN_VIEW, month_key, month_label, draw,
        "Charts and tables show the months between these two. The scorecard shows the latest "
        "figure up to the end of the period.",
    )
    if draw:
        _write_to_url(PARAM_FROM, first_key)
        _write_to_url(PARAM_TO, last_key)
    return PeriodChoice(parse_month(first_key), month_end(parse_month(last_key)), False)


def _choose_years(first: date, last: date, draw: bool) -> PeriodChoice:
    """The period for a council with DfE's yearly figures only: whole years to 31 March, named as DfE names
    them ('2024-25'), the latest five by default. The URL keeps months (from=2020-04&to=2025-03)."""
    options = list(range(financial_year_of(first), financial_year_of(last) + 1))
    first_year, last_year = _choose_range(
        YEARS_KEY, options, DEFAULT_YEARS_IN_VIEW, financial_year_of, year_label, draw,
        "DfE publishes each council's figures for the year ending 31 March. Charts and tables show "
        "the years between these two.",
    )
    if draw:
        _write_to_url(PARAM_FROM, month_key(year_start(first_year)))
        _write_to_url(PARAM_TO, month_key(year_end(last_year)))
    return PeriodChoice(year_start(first_year), year_end(last_year), True)


def _choose_range(key: str, options: list, latest: int, option_of: Callable[[date], Any],
                  label: Callable[[Any], str], draw: bool, help_text: str) -> tuple[Any, Any]:
    """The first and last of ``options`` (months or DfE years) in view: the latest ``latest`` by default,
    a link's from/to (months, turned into options by ``option_of``) or the session's choice, kept within
    the options the figures cover; drawn as a slider (a caption when there is one option) when ``draw``."""
    default = (options[max(0, len(options) - latest)], options[-1])

    def clamp(option):
        return min(max(option, options[0]), options[-1])

    def with_end(index: int, text: str):
        month = parse_month(text)
        if month is None:
            return None
        current = list(_view().get(key, default))
        current[index] = clamp(option_of(month))
        return tuple(sorted(current))

    view = _view()
    if _from_link(PARAM_FROM) or _from_link(PARAM_TO):
        view[_PERIOD_IS_DEFAULT] = False  # a link's period: kept, as a person's choice is
    if view.get(_PERIOD_IS_DEFAULT, True):
        # Nobody chose it: the latest months, moving on when an editor loads a newer month, so that the
        # page a member opens after an import shows it (and everyone's charts are the same ones).
        view[key] = default
    chosen = _prepare(key, default, [(PARAM_FROM, lambda text: with_end(0, text)),
                                     (PARAM_TO, lambda text: with_end(1, text))])
    clamped = tuple(sorted(clamp(option) for option in chosen))
    if clamped != tuple(chosen):  # the figures cover other periods
        _view()[key] = clamped
        st.session_state[key] = clamped
    if not draw:
        return clamped
    if len(options) == 1:
        st.sidebar.caption(f"Period in view: {label(options[0])}")
        return options[0], options[0]
    return tuple(st.sidebar.select_slider(
        "Period in view", options=options, value=default, format_func=label, key=key,
        on_change=_choose_period, args=(key,), help=help_text,
    ))


def _choose_period(key: str) -> None:
    """on_change of the period: a person's choice, kept (the latest months no longer replace it)."""
    _remember(key)
    _view()[_PERIOD_IS_DEFAULT] = False


def _choose_comparators() -> bool:
    def parse(text: str) -> bool | None:
        return {ON: True, OFF: False}.get(text.strip().lower())

    _prepare("filter_comparators", True, [(PARAM_COMPARATORS, parse)])
    shown = st.sidebar.toggle(
        "Show comparators", value=True, key="filter_comparators", on_change=_remember, args=("filter_comparators",),
        help="Statistical neighbour average, region and England on the charts and in the tables.",
    )
    _write_to_url(PARAM_COMPARATORS, ON if shown else OFF)
    return shown


def sidebar_filters() -> Filters:
    """Draw the sidebar filters (council, period, comparators) and return the view they describe."""
    home = _choose_home()
    period = _choose_months(home)
    comparators = _choose_comparators()
    return Filters(home=home, start=period.start, end=period.end, comparators=comparators, by_year=period.by_year)


def council_filter() -> Filters:
    """Draw only the council choice, for a page with its own way of choosing the period (Benchmarking).

    The view keeps the session's period for that council (so links to other pages carry it on), with
    comparators on; nothing else is drawn or written to the URL.
    """
    home = _choose_home()
    period = _choose_months(home, draw=False)
    return Filters(home=home, start=period.start, end=period.end, comparators=True, by_year=period.by_year)


def measure_choice(default: str | None = None) -> Measure:
    """The measure a page shows, chosen in the sidebar and kept in the URL (``?measure=CODE``).

    ``default`` is the code shown when neither the URL nor the session names one (the catalogue's first
    measure when not given).
    """
    measures = catalogue().measures
    codes = [m.code for m in measures]
    first = default if default in codes else codes[0]
    asked = st.query_params.get(PARAM_MEASURE)
    found = catalogue().find(asked) if asked else None
    followed = _from_link(PARAM_MEASURE)
    if asked and found is None and followed:
        st.warning(f"There is no measure called '{markdown_text(asked)}'. Choose one from the list.")
    view = _view()
    if view.get(_MEASURE_IS_DEFAULT, True):  # nobody chose one: the URL's measure, else this page's default
        view[MEASURE_KEY] = found.code if found is not None else first
    _prepare(MEASURE_KEY, first, [(PARAM_MEASURE, lambda text: (catalogue().find(text).code if catalogue().find(text)
                                                                 else None))])
    if followed and found is not None:
        view[_MEASURE_IS_DEFAULT] = False
    # Short names only: the sidebar's box shows one line, and 'Care leavers: Care leavers 17-18 ...' was cut
    # off. The theme and the full definition are written under the box.
    names = {m.code: m.short_name for m in measures}
    code = st.sidebar.selectbox("Measure", codes, format_func=names.__getitem__, key=MEASURE_KEY,
                                on_change=_choose_measure)
    _write_to_url(PARAM_MEASURE, code)
    measure = catalogue().get(code)
    st.sidebar.caption(f"{catalogue().theme(measure.theme).name}: {measure.name}")
    return measure


def _choose_measure() -> None:
    """on_change of the measure: a person's choice, kept across pages (a page's default no longer applies)."""
    _remember(MEASURE_KEY)
    _view()[_MEASURE_IS_DEFAULT] = False


PUBLIC_MODE_LABEL = "Public mode: hide small numbers"
PUBLIC_SWITCH_KEY = "public_mode_switch"  # the widget's own key; the mode itself is data.PUBLIC_MODE_KEY


def _start_public_mode() -> None:
    if data.PUBLIC_MODE_KEY not in st.session_state:
        from metrics.suppression import public_mode_default

        st.session_state[data.PUBLIC_MODE_KEY] = public_mode_default()


def _switched() -> None:
    st.session_state[data.PUBLIC_MODE_KEY] = bool(st.session_state[PUBLIC_SWITCH_KEY])


def public_mode_banner() -> bool:
    """Above every page (app.py, before the page draws): when public mode is on, say so with the footnotes
    that explain the ``c`` a reader will see in its place of a small number."""
    from metrics.suppression import banner_text

    _start_public_mode()
    limit = data.public_limit()
    if limit is None:
        return False
    st.info(banner_text(limit), icon=":material/visibility_off:")
    return True


def public_mode_switch() -> bool:
    """The sidebar switch for public mode, at the foot of every page's sidebar (app.py, after the page).

    It starts at DASHBOARD_PUBLIC_MODE and is this session's own. The mode is kept in plain session state
    (data.PUBLIC_MODE_KEY), not only in the widget's, so a page that stops early and never reaches the
    switch cannot turn public mode off by accident. When on, ui.data hides small numbers everywhere.
    """
    _start_public_mode()
    st.session_state[PUBLIC_SWITCH_KEY] = bool(st.session_state[data.PUBLIC_MODE_KEY])
    return st.sidebar.toggle(
        PUBLIC_MODE_LABEL, key=PUBLIC_SWITCH_KEY, on_change=_switched,
        help="For Part 1 (public) committee papers: small numbers that could identify a child are shown as c.",
    )

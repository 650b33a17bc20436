"""Public mode's one rule, on a real database: DfE's published figures are shown as published, the
council's own small figures read 'suppressed: fewer than 5' everywhere (pages, replaced values, data
quality sentences, the export, the pack), and a hidden figure cannot be worked out from a total shown
beside its parts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from io import BytesIO

import pandas as pd
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from db.engine import connect
from db.writes import OBSERVATION_COLUMNS, BatchInfo, apply_batch
from loaders.export import export_frame
from metrics.disclosure import Cell, Total, secondary_cells
from metrics.suppression import SECONDARY, apply_public_rules
from tests import app_database
from tests.app_database import HOME, month_ends
from tests.databases import new_database
from tests.test_app_pages import APP, PAGES, TIMEOUT, environment, table_text, texts, use_env  # noqa: F401

YEAR_END = date(2025, 3, 31)
MONTHS = month_ends(date(2024, 4, 30), 12)  # April 2024 to March 2025


def _row(code, end, value, period_type="month", origin="local", status="value", dimension="", category=""):
    return dict(measure_code=code, area_code=HOME, period_type=period_type, period_end=pd.Timestamp(end),
                dimension=dimension, category=category, value=value, numerator=None, denominator=None,
                status=status, origin=origin)


# ---- the pure function ----------------------------------------------------------------------------

def test_a_year_less_eleven_months_shown_would_give_the_twelfth_so_another_month_is_hidden():
    cells = {("m", i): Cell(float(10 + i)) for i in range(12)}
    cells[("m", 11)] = Cell(3.0, protect=True)
    cells["year"] = Cell(150.0, fixed=True)  # DfE's: it must show
    hide = secondary_cells(cells, [Total("year", tuple(("m", i) for i in range(12)))])
    assert hide == {("m", 0)}  # the smallest other month, never DfE's year


def test_two_totals_that_together_fix_a_figure_are_both_respected():
    # a + b = 20 (a breakdown) and a + c = 12 (a quarter): hiding b alone leaves a fixed by the second total
    cells = {"t1": Cell(20.0), "t2": Cell(12.0), "a": Cell(3.0, protect=True), "b": Cell(17.0), "c": Cell(9.0)}
    hide = secondary_cells(cells, [Total("t1", ("a", "b")), Total("t2", ("a", "c"))])
    assert {"b", "c"} <= hide


def test_a_figure_only_published_figures_give_away_is_left_public():
    cells = {"year": Cell(4.0, fixed=True), "march": Cell(4.0, protect=True)}
    assert secondary_cells(cells, [Total("year", ("march",))]) == frozenset()


# ---- the rule over a frame ------------------------------------------------------------------------

def test_dfe_published_figures_are_shown_with_their_own_symbols_and_own_small_figures_are_suppressed():
    frame = pd.DataFrame([
        _row("cla_starts", YEAR_END, 3.0, "year", origin="published"),
        _row("cla_ceased", YEAR_END, None, "year", origin="published", status="low"),
        _row("cla_starts", YEAR_END, 3.0),
    ])
    out = apply_public_rules(frame, 5).frame
    assert out.loc[0, "value"] == 3.0 and out.loc[0, "status"] == "value"
    assert out.loc[1, "status"] == "low"
    assert pd.isna(out.loc[2, "value"]) and out.loc[2, "status"] == "c<5"
    from metrics.formatting import format_value
    from reference.catalogue import catalogue
    assert format_value(None, catalogue().get("cla_starts"), out.loc[2, "status"]) == "suppressed: fewer than 5"


def test_a_month_hidden_beside_its_year_hides_a_cell_of_its_breakdown_too():
    rows = [_row("cla_starts", end, 10.0 + i) for i, end in enumerate(MONTHS)]
    rows[-1] = _row("cla_starts", YEAR_END, 3.0)
    rows.append(_row("cla_starts", YEAR_END, 140.0, "year", origin="published"))
    april = MONTHS[0]  # the smallest other month: hidden so March cannot be worked out from the year
    rows += [_row("cla_starts", april, 6.0, dimension="age", category="under 10"),
             _row("cla_starts", april, 8.0, dimension="age", category="10 and over")]
    out = apply_public_rules(pd.DataFrame(rows), 5).frame
    april_headline = out[(out["period_end"] == pd.Timestamp(april)) & (out["dimension"] == "")].iloc[0]
    assert april_headline["public_note"] == SECONDARY
    cells = out[out["dimension"] == "age"]
    assert cells["value"].isna().sum() == 1  # else 6 + 8 gives April's hidden total, and then March
    assert out[out["period_type"] == "year"]["value"].iloc[0] == 140.0


# ---- a real database: export, pages, pack ---------------------------------------------------------

def _apply(engine, name: str, source: str, rows: list[dict]) -> None:
    frame = pd.DataFrame([{k: v for k, v in r.items() if k != "origin"} for r in rows], columns=OBSERVATION_COLUMNS)
    apply_batch(engine, BatchInfo(name, name.encode().hex().ljust(64, "0")[:64], source, ["Sheet1"], "tester"), frame)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Iterator[str]:
    url = new_database(tmp_path_factory.mktemp('rule') / 'dashboard.db')
    engine = connect(url)
    app_database.build(engine, url)
    _apply(engine, "dfe_small.csv", "published", [_row("cla_starts", YEAR_END, 2.0, "year")])
    _apply(engine, "february_first.xlsx", "return", [_row("cla_starts", date(2025, 2, 28), 3.0)])
    _apply(engine, "february_again.xlsx", "return", [_row("cla_starts", date(2025, 2, 28), 4.0)])
    # January's small 3 was corrected to 15: listed among earlier values, its 3 must not show
    _apply(engine, "january_first.xlsx", "return", [_row("cla_starts", date(2025, 1, 31), 3.0)])
    _apply(engine, "january_again.xlsx", "return", [_row("cla_starts", date(2025, 1, 31), 15.0)])
    yield url


def test_the_public_export_writes_dfe_figures_as_published_and_hides_every_month_that_gives_one_away(built):
    public = export_frame(connect(built), measure="cla_starts", area=HOME, public=True, threshold=5)
    dfe = public[(public["origin"] == "published") & (public["period_end"] == "2025-03-31")].iloc[0]
    assert (dfe["value"], dfe["status"]) == ("2", "value")
    months = public[(public["origin"] == "local") & (public["period_end"] > "2024-03-31")
                    & (public["period_end"] <= "2025-03-31") & (public["period_type"] == "month")]
    assert months.loc[months["period_end"] == "2025-02-28", "status"].iloc[0] == "c"
    assert (months["status"] == "c").sum() == 2 and (months["value"] != "").sum() == 10


def _open(page: str, params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGES.get(page, page)).run()
    assert not at.exception, at.exception
    return at


def test_the_measure_page_says_suppressed_fewer_than_5_beside_dfe_and_hides_replaced_small_values(built, use_env):  # noqa: F811
    use_env(environment(built, DASHBOARD_PUBLIC_MODE="1"))
    at = _open("measure", {"measure": "cla_starts"})
    said = texts(at)
    assert "suppressed: fewer than 5" in table_text(at)
    assert "DfE published 2" in said  # DfE's figure is public: shown as DfE published it
    replaced = next(df.value for df in at.dataframe if "Value then" in df.value.columns)
    assert not set(replaced["Value then"]) & {"3", "4"}, replaced
    by_month = replaced.groupby("Period")["Value then"].agg(set)
    assert "suppressed: fewer than 5" in by_month["January 2025"]  # January's 3, corrected to 15
    # February's 3 became 4: both suppressed, so "suppressed" replaced by "suppressed" is not listed
    assert "suppressed: fewer than 5" not in by_month["February 2025"]
    trend = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    months = {str(m) for m in MONTHS[:-1]}  # April 2024 to February 2025: DfE's year ends in March
    shown = {str(x)[:10] for t in trend for x, y in zip(t.get("x") or [], t.get("y") or [], strict=False)
             if isinstance(y, (int, float)) and str(x)[:10] in months}
    assert len(shown) == 9, shown  # February is small, and another month goes so the year cannot give it away


def test_the_data_quality_page_quotes_no_small_number_in_public_mode(built, use_env):  # noqa: F811
    use_env(environment(built, DASHBOARD_PUBLIC_MODE="1"))
    said = texts(_open("app_pages/data_quality.py"))
    assert " to 4 in February 2025" not in said and "from 4 in February 2025" not in said
    use_env(environment(built, DASHBOARD_PUBLIC_MODE="0"))
    assert " to 4 in February 2025" in texts(_open("app_pages/data_quality.py"))


def test_the_public_pack_says_what_is_true_of_withheld_commentary_and_suppressed_figures(built, tmp_path):
    from access.users import User
    from db.commentary_writes import save_commentary
    from reports.pack import PackRequest, build_pack
    from tests.app_database import copy_database

    url = copy_database(built, tmp_path / "pack.db")
    save_commentary(connect(url), "cla_starts", HOME, date(2025, 2, 28), "Three brothers came into care.",
                    User(login="jo.smith", display_name="Jo Smith", is_editor=True))
    deck = build_pack(connect(url), PackRequest("2025-02", HOME, public=True), today=date(2026, 12, 3))
    slides = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
              for slide in Presentation(BytesIO(deck)).slides]
    starts = next(s for s in slides if "Children starting care" in s.split("\n")[0])
    assert "Commentary withheld in the public version" in starts
    assert "Three brothers" not in "\n".join(slides)
    assert "No commentary was written" not in starts
    assert "Suppressed: fewer than 5" in starts and "No figure yet" not in starts

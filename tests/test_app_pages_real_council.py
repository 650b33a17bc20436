"""The theme and measure pages as a real council reads them: Cheshire East on DfE's figures alone, no targets.

Run through Streamlit's AppTest on a database loaded from DfE's files in data/dfe, as the app loads them on
first start. Every rating must say what it was judged against; a council's own figure and DfE's are
labelled apart; a number of children is never set beside England's total; a local measure says DfE
does not publish it; sources are words, never a file name.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import date

import pandas as pd
import pytest

from db.engine import connect
from db.writes import OBSERVATION_COLUMNS, apply_batch
from reference.areas import ENGLAND_CODE, areas
from reference.catalogue import catalogue
from settings import DATA_DIR
from tests import app_database
from tests.test_app_pages import open_page, table_text, table_with, texts
from tests.test_app_published import published_row
from tests.test_verdict import add_targets, batch, observation

CHESHIRE_EAST = "E06000049"
YEAR_END = date(2025, 3, 31)
STABILITY = catalogue().get("stab_long_pct")
CLA_PUBLICATION = "DfE: Children looked after in England including adoptions"
FILE_SUFFIXES = (".parquet", ".csv", ".xlsx", ".xls")


@pytest.fixture(scope="module")
def published_url(tmp_path_factory) -> Iterator[str]:
    url = app_database.published_database(tmp_path_factory.mktemp('real_council') / 'published.db')
    yield url
    connect(url).dispose()


def copy_of(url: str, path) -> str:
    return app_database.copy_database(url, path)


def use(monkeypatch, url: str, home: str = CHESHIRE_EAST) -> None:
    from tests.test_app_pages import environment

    for key, value in environment(url, DASHBOARD_HOME_AREA=home).items():
        monkeypatch.setenv(key, value)


def charts(at) -> list[dict]:
    """Every Plotly figure the page drew, as the browser receives it."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_words(figure: dict) -> str:
    """A figure's title and every annotation (end labels, source line), as one string."""
    layout = figure["layout"]
    parts = [layout.get("title", {}).get("text", "")] + [a.get("text", "") for a in layout.get("annotations", [])]
    return "\n".join(parts)


def chart_titled(at, words: str) -> dict:
    found = [f for f in charts(at) if words in f["layout"].get("title", {}).get("text", "")]
    assert found, f"no chart titled {words!r}"
    return found[0]


def total_in_care(level: str, code: str) -> int:
    """Children looked after at 31 March 2025 in England or a region, from DfE's file."""
    column = "country_code" if level == "National" else "region_code"
    with (DATA_DIR / "dfe" / "cla_number_and_rate_per_10k_children.csv").open(encoding="utf-8-sig") as handle:
        return next(int(r["children_count"]) for r in csv.DictReader(handle)
                    if r["geographic_level"] == level and r[column] == code and r["time_period"] == "2025"
                    and r["population_type"] == "Children looked after on 31 March each year")


@pytest.fixture
def cheshire_east(published_url, monkeypatch) -> str:
    use(monkeypatch, published_url)
    return published_url


def test_cheshire_east_theme_page_rates_long_term_stability_bottom_quartile_nationally(cheshire_east):
    at = open_page("stability")
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    line = next(m.value for m in at.markdown if "Bottom quartile nationally" in m.value)
    assert "D · Bottom quartile nationally" in line
    # the basis beside the rating, with DfE's year; joint 112th of 150, with why that is band D
    assert "DfE 2024-25: 63%, joint 112th of 150 (13 councils at 63%); band D, as LAIT gives it: 63% is" in line
    assert "Latest **63%** (2024-25)" in line
    assert "– No target" not in said  # the old target-only rating is gone
    chart = chart_titled(at, STABILITY.short_name)
    assert "2020-21 to 2024-25" in chart["layout"]["title"]["text"]  # five DfE years, written as DfE does
    assert f"Source: {CLA_PUBLICATION}" in chart_words(chart)


def test_every_chart_and_table_names_its_source_in_words_never_a_file(cheshire_east):
    for page, params in (("stability", None), ("cla", None), ("measure", {"measure": "stab_long_pct"})):
        at = open_page(page, params)
        assert not at.exception, [e.value for e in at.exception]
        for figure in charts(at):
            words = chart_words(figure)
            assert "Source: DfE" in words, words
            assert "SSDA903" not in words
            assert not any(suffix in words for suffix in FILE_SUFFIXES), words
        assert not any(suffix in table_text(at) for suffix in FILE_SUFFIXES)
    values = table_with(at, "Source")
    assert values["Source"].str.startswith("DfE: ").all()


def test_the_measure_page_labels_the_councils_own_figure_and_dfes(published_url, tmp_path, monkeypatch):
    url = copy_of(published_url, tmp_path / "own_year_end.db")
    rows = [observation("stab_long_pct", CHESHIRE_EAST, "year", YEAR_END, 66.0)]  # the council's year-end return
    apply_batch(connect(url), batch("cheshire_east_year_end.xlsx", "return"), pd.DataFrame(rows, columns=OBSERVATION_COLUMNS))
    use(monkeypatch, url)
    at = open_page("measure", {"measure": "stab_long_pct"})
    assert not at.exception, [e.value for e in at.exception]
    values = table_with(at, "Council's own figure")
    year = values[values["Period"] == "2024-25"].iloc[0]
    assert (year["Council's own figure"], year["DfE published"]) == ("66%", "63%")
    assert "Council return cheshire_east_year_end.xlsx" in year["Source"]
    assert f"{CLA_PUBLICATION}, 2025" in year["Source"]
    earlier = values[values["Period"] == "2023-24"].iloc[0]
    assert earlier["Council's own figure"] == "–" and earlier["DfE published"] != "–"
    figure = chart_titled(at, STABILITY.short_name)
    names = [trace.get("name") for trace in figure["data"]]
    assert "DfE published" in names and "Cheshire East" in names
    published = next(t for t in figure["data"] if t.get("name") == "DfE published")
    assert published["y"][-1] == 63.0
    words = chart_words(figure)
    assert "DfE published 63%" in words and "Cheshire East 66%" in words
    assert CLA_PUBLICATION in words and "Council return, loaded" in words
    said = texts(at)
    assert "DfE published 63%" in said  # beside the latest figure on its card


def test_a_count_is_never_set_beside_englands_total(cheshire_east):
    england_total, region_total = (total_in_care(level, code) for level, code in (
        ("National", ENGLAND_CODE), ("Regional", areas().region_of(CHESHIRE_EAST).code)))
    assert england_total > 50_000 and region_total > 5_000
    at = open_page("measure", {"measure": "cla_count"})
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at) + table_text(at) + "\n".join(chart_words(f) for f in charts(at))
    assert f"{england_total:,}" not in said and f"{region_total:,}" not in said
    assert "Compared per 10,000 children" in said
    rate = published_row("Children looked after on 31 March each year")["rate_per_10000"]
    assert f"#### {int(float(rate))}" in said  # the council's rate on its card, beside the rate's comparators
    at = open_page("overview")
    row = next(f.value[f.value["Measure"] == "Children in care"] for f in at.dataframe
               if (f.value["Measure"] == "Children in care").any()).iloc[0]
    assert (row["Neighbours"], row["England"]) == ("see rate", "see rate")


def test_the_measure_page_opens_on_the_rate_when_no_measure_is_chosen(cheshire_east):
    at = open_page("measure")
    assert not at.exception, [e.value for e in at.exception]
    rate = catalogue().get("cla_rate")
    assert [t.value for t in at.title] == [rate.short_name]
    assert [s.value for s in at.sidebar.selectbox if s.label == "Measure"] == ["cla_rate"]


def test_a_local_health_measure_says_dfe_does_not_publish_it(cheshire_east):
    at = open_page("measure", {"measure": "health_iha_pct"})
    assert not at.exception, [e.value for e in at.exception]
    said = texts(at)
    assert "Not published by DfE: the health provider's figures have not been loaded" in said
    assert "python -m" not in said  # a member reads what is missing in words; commands are for editors
    assert "widen the period" not in said.lower()
    at = open_page("health")
    said = texts(at)
    assert "Not published by DfE: the health provider's figures have not been loaded" in said
    assert "python -m" not in said
    assert "widen the period" not in said.lower()
    assert "Strengths and Difficulties Questionnaire" in said
    at = open_page("overview")
    health = next(f.value for f in at.dataframe if (f.value["Measure"] == "Initial health checks on time").any())
    assert health[health["Measure"] == "Initial health checks on time"].iloc[0]["Rated against"] == (
        "Not published by DfE: the health provider's figures have not been loaded")
    assert "SDQ: Strengths and Difficulties Questionnaire." in texts(at)


def test_the_neighbour_bars_carry_the_councils_target(published_url, tmp_path, monkeypatch):
    url = copy_of(published_url, tmp_path / "targets.db")
    add_targets(url, {"stab_long_pct": 70.0})
    use(monkeypatch, url)
    at = open_page("measure", {"measure": "stab_long_pct"})
    assert not at.exception, [e.value for e in at.exception]
    bars = next(f for f in charts(at) if "statistical neighbours" in f["layout"]["title"]["text"])
    assert any(shape.get("name") == "target" and shape.get("x0") == 70.0 for shape in bars["layout"]["shapes"])
    assert "Target: 70% or more" in chart_words(bars)
    said = texts(at)
    assert "Target 70% or more" in said  # the rating's basis on its card


def test_a_suppressed_latest_year_is_not_labelled_with_the_year_before(monkeypatch, tmp_path_factory):
    """Blackburn with Darwen's care leavers 17-18 suitably housed: DfE suppressed 2024-25 ('c'); 94% is 2023-24's."""
    from tests.app_database import published_database
    from tests.test_app_pages import environment, open_page

    url = published_database(tmp_path_factory.mktemp("suppressed_latest") / "published.db")
    for key, value in environment(url, DASHBOARD_HOME_AREA="E06000008").items():
        monkeypatch.setenv(key, value)
    at = open_page("measure", {"measure": "cl_accom_17_18"})
    assert not at.exception, [e.value for e in at.exception]
    labels = [a for f in charts(at) for a in f["layout"].get("annotations", []) if a.get("name") == "end label"]
    ours = [a for a in labels if "Blackburn with Darwen" in " ".join(re.sub(r"<[^>]+>", " ", a["text"]).split())]
    assert ours, [a["text"] for a in labels]
    for label in ours:
        words = " ".join(re.sub(r"<[^>]+>", " ", label["text"]).split())
        assert words == "Blackburn with Darwen 94% in 2023-24", words
        assert label["xref"] == "x" and str(label["x"]).startswith("2024-03-31")

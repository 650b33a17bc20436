"""Sources in words a committee paper can print, and SDQ spelt out on a chart."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from charts.bars import neighbour_bar_chart
from charts.breakdown import breakdown_chart, breakdown_latest_chart
from charts.flow import flow_chart
from charts.sources import FigureOrigin, publication_of, source_words
from charts.trend import trend_chart
from charts.wording import spell_out
from reference.catalogue import catalogue
from tests.test_charts import AREA, MOVES, SDQ, bar_values, breakdown_frame, own_frame, text_of

CLA = "Children looked after in England including adoptions"
COUNT = catalogue().get("cla_count")


@pytest.mark.parametrize(("origins", "expected"), [
    ([FigureOrigin("published", publication=CLA, year=2025)], f"DfE: {CLA}, 2025"),
    ([FigureOrigin("published", year=2025, file_name="la_cla_placement_stability.csv")], f"DfE: {CLA}, 2025"),
    ([FigureOrigin("published", year=y, file_name="la_cla_placement_stability.csv") for y in (2023, 2021, 2025)],
     f"DfE: {CLA}, 2021 to 2025"),
    ([FigureOrigin("local", loaded=date(2024, 5, 3))], "Council return, loaded 3 May 2024"),
    ([FigureOrigin("return", loaded=datetime(2024, 5, 3, 14, 2)), FigureOrigin("return", loaded=date(2024, 6, 12))],
     "Council return, loaded 3 May 2024 to 12 June 2024"),
    ([FigureOrigin("local", loaded=date(2024, 5, 3)), FigureOrigin("published", publication=CLA, year=2024)],
     f"DfE: {CLA}, 2024; Council return, loaded 3 May 2024"),
    ([FigureOrigin("sample", loaded=date(2026, 1, 9))], "Fictional sample council's return, loaded 9 January 2026"),
    ([], ""),
])
def test_source_words(origins, expected):
    assert source_words(origins) == expected


@pytest.mark.parametrize("file_name", ["bds_long_0.parquet", "some_new_download.csv", "returns/northmoor.xlsx"])
def test_a_file_name_is_never_shown(file_name):
    words = source_words([FigureOrigin("published", year=2025, file_name=file_name),
                          FigureOrigin("local", file_name=file_name, loaded=date(2025, 4, 1))])
    assert file_name not in words and ".parquet" not in words and ".csv" not in words and ".xlsx" not in words
    assert words.startswith("DfE")


def test_lait_is_named():
    assert publication_of("bds_long_0.parquet") == "Local Authority Interactive Tool (LAIT)"
    assert publication_of("unknown.csv") == ""


def note_of(figure) -> str:
    return text_of(next(a.text for a in figure.layout.annotations if a.name == "source"))


def test_every_chart_prints_the_source_it_is_given():
    source = source_words([FigureOrigin("published", publication=CLA, year=2025)])
    frame = breakdown_frame()
    last = frame[frame["period_end"] == frame["period_end"].max()]
    starts = pd.DataFrame({"period_end": pd.date_range("2024-04-30", periods=2, freq="ME"), "value": [3.0, 4.0]})
    figures = [
        trend_chart(own_frame([10.0, 11.0]), MOVES, AREA, source=source),
        neighbour_bar_chart(bar_values(), MOVES, "2024-25", "HOME", source=source),
        breakdown_chart(frame, COUNT, "Age band", AREA, source=source),
        breakdown_latest_chart(last, COUNT, "Age band", AREA, "March 2025", source=source),
        flow_chart(starts, starts.copy(), None, AREA, source=source),
    ]
    for figure in figures:
        note = note_of(figure)
        assert f"Source: DfE: {CLA}, 2025" in note and "SSDA903" not in note


def test_without_a_source_the_catalogue_source_is_kept():
    assert f"Source: {MOVES.source}" in note_of(trend_chart(own_frame([10.0, 11.0]), MOVES, AREA))


SPELT = "SDQ (Strengths and Difficulties Questionnaire)"


def test_the_sdq_score_is_spelt_out_in_the_title_once():
    figure = trend_chart(own_frame([14.0, 14.5]), SDQ, AREA)
    title = " ".join(text_of(figure.layout.title.text).split())
    assert SPELT in title and title.count("Strengths and Difficulties Questionnaire") == 1
    assert "((" not in title and "))" not in title
    assert figure.layout.yaxis.title.text == "Average SDQ score"


@pytest.mark.parametrize("code", ["health_sdq_received_pct", "health_sdq_concern_pct"])
def test_other_sdq_measures_are_spelt_out_too(code):
    measure = catalogue().get(code)
    figure = trend_chart(own_frame([50.0, 52.0]), measure, AREA)
    assert SPELT in " ".join(text_of(figure.layout.title.text).split())
    assert figure.layout.yaxis.title.text == measure.axis_title


def test_spelling_out_leaves_other_names_alone():
    assert spell_out("In foster care") == "In foster care"
    assert spell_out(f"{SPELT} score") == f"{SPELT} score"

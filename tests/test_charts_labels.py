"""Every line is named at its right end with its latest figure, apart from the others and never cut off."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from charts.bars import neighbour_bar_chart
from charts.breakdown import breakdown_chart
from charts.end_labels import LABEL_FONT, LINE_PX, label_lines, label_width_px, spread
from charts.flow import flow_chart
from charts.layout import plot_height_px
from charts.trend import trend_chart
from reference.catalogue import catalogue
from tests.test_charts import AREA, FOSTER, MOVES, TARGETS, bar_values, comparator_frame, own_frame, text_of

RATE = catalogue().get("cla_rate")
LONG_AREA = "Kingston upon Hull, City of"


def end_labels(figure: go.Figure) -> list[go.layout.Annotation]:
    return [a for a in figure.layout.annotations if a.name == "end label"]


def label_texts(figure: go.Figure) -> list[str]:
    return [re.sub(r"\s+", " ", text_of(a.text)).strip() for a in end_labels(figure)]


def close_together() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Our 11%, England 10%, neighbours 12%, region 10% and a 10% target: five labels within 2 points."""
    own = own_frame([12.0, 11.5, 11.0])
    comparators = comparator_frame().assign(value=[11.0, 12.0, 9.0, 10.0, 10.5, 10.0])
    targets = TARGETS.assign(value=[10.0])
    return own, comparators, targets


def test_every_line_is_named_with_its_latest_figure():
    own, comparators, targets = close_together()
    figure = trend_chart(own, MOVES, AREA, targets=targets, comparators=comparators)
    assert sorted(label_texts(figure)) == sorted([f"{AREA} 11%", "England 10%", "Neighbours 12%", "North West 10%",
                                                  "Target: 10% or less"])


def test_a_target_for_higher_is_better_says_or_more():
    figure = trend_chart(own_frame([60.0, 62.0]), FOSTER, AREA, targets=TARGETS)
    assert "Target: 65% or more" in label_texts(figure)


@pytest.mark.parametrize(("latest", "shown"), [(64.9, "64.9%"), (64.6, "64.6%"), (65.0, "65%"), (66.4, "66%")])
def test_our_label_never_rounds_onto_the_other_side_of_the_target(latest, shown):
    figure = trend_chart(own_frame([60.0, latest]), FOSTER, AREA, targets=TARGETS)  # target 65% or more
    assert f"{AREA} {shown}" in label_texts(figure)


def test_without_a_target_our_label_keeps_the_measures_places():
    figure = trend_chart(own_frame([60.0, 64.9]), FOSTER, AREA)
    assert f"{AREA} 65%" in label_texts(figure)


def label_boxes(figure: go.Figure) -> list[tuple[float, float]]:
    """Each label's bottom and top in pixels from the plot's bottom, at the figure's own height."""
    low, high = figure.layout.yaxis.range
    plot_px = plot_height_px(figure.layout.height, figure.layout.margin.to_plotly_json())
    boxes = []
    for annotation in end_labels(figure):
        centre = (annotation.y - low) / (high - low) * plot_px
        half = LINE_PX * (annotation.text.count("<br>") + 1) / 2
        boxes.append((centre - half, centre + half))
    return sorted(boxes)


def test_labels_of_close_figures_are_nudged_apart():
    own, comparators, targets = close_together()
    figure = trend_chart(own, MOVES, AREA, targets=targets, comparators=comparators)
    boxes = label_boxes(figure)
    assert len(boxes) == 5
    for (_, top), (bottom, _) in zip(boxes, boxes[1:], strict=False):
        assert bottom >= top - 0.01  # no two labels overlap
    annotations = end_labels(figure)
    assert all(a.xref == "paper" and a.x == 1 and a.xanchor == "left" for a in annotations)


def test_spread_keeps_order_and_moves_only_what_it_must():
    placed = spread([100.0, 101.0, 300.0], [20.0, 20.0, 20.0], 0.0, 400.0)
    assert placed[0] < placed[1] and placed[1] - placed[0] >= 20 and placed[2] == 300.0
    crowded = spread([395.0, 396.0, 397.0], [20.0, 20.0, 20.0], 0.0, 400.0)
    assert max(crowded) <= 390 and sorted(crowded) == crowded  # pushed down from the top, still in order


@pytest.mark.parametrize(("measure", "area", "values"), [
    (RATE, LONG_AREA, [66.0, 67.0]),  # '67 per 10,000' was cut to '67 per 10,0'
    (MOVES, "Northmoor (fictional sample council)", [11.0, 12.0]),
])
def test_the_right_margin_holds_the_longest_label(measure, area, values):
    comparators = comparator_frame().assign(value=[60.0, 61.0, 70.0, 71.0, 66.0, 67.0])
    figure = trend_chart(own_frame(values), measure, area, comparators=comparators)
    widest = max(label_width_px(text) for text in label_texts(figure))
    assert figure.layout.margin.r >= widest + 8
    assert "England 67 per 10,000" in label_texts(figure) or measure is not RATE


def test_a_long_label_breaks_onto_two_lines_with_its_figure_whole():
    lines = label_lines("Kingston upon Hull, City of 67\u00a0per\u00a010,000")
    assert len(lines) > 1 and lines[-1].endswith("67\u00a0per\u00a010,000")
    assert all(len(line) <= 21 for line in lines)


def right_edge_is_blank(png: bytes, columns: int = 3) -> bool:
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    return bool((pixels[:, -columns:] > 245).all())


@pytest.mark.parametrize("width", [1200, 1100])
def test_an_exported_picture_cuts_no_label_at_its_right_edge(width):
    pytest.importorskip("PIL")
    kaleido = pytest.importorskip("kaleido")
    comparators = comparator_frame().assign(value=[60.0, 61.0, 70.0, 71.0, 66.0, 67.0])
    figure = trend_chart(own_frame([66.0, 67.0]), RATE, LONG_AREA, comparators=comparators)
    kaleido.start_sync_server(silence_warnings=True)
    try:
        png = figure.to_image(format="png", width=width, height=600, scale=1)
    finally:
        kaleido.stop_sync_server()
    assert right_edge_is_blank(png)


def test_breakdown_lines_are_named_at_their_ends():
    rows = [{"period_end": end, "category": c, "value": v, "status": "value"}
            for end in pd.date_range("2024-04-30", periods=3, freq="ME")
            for c, v in (("placed with parents", 8.0), ("foster", 70.0), ("residential", 9.0))]
    figure = breakdown_chart(pd.DataFrame(rows), FOSTER, "Placement", AREA)
    assert sorted(label_texts(figure)) == ["Foster 70%", "Placed with parents 8%", "Residential 9%"]
    assert figure.layout.showlegend is False


def test_the_flow_chart_names_its_line():
    starts = pd.DataFrame({"period_end": pd.date_range("2024-04-30", periods=3, freq="ME"), "value": [14.0, 12.0, 15.0]})
    count = starts.assign(value=[320.0, 310.0, 305.0])
    figure = flow_chart(starts, starts.copy(), count, AREA)
    labels = end_labels(figure)
    assert [text_of(a.text).strip() for a in labels] == ["In care 305"] and labels[0].yref == "y2"


def test_the_bar_chart_draws_a_labelled_target():
    figure = neighbour_bar_chart(bar_values(), MOVES, "2024-25", "HOME", target=11.0)
    lines = [s for s in figure.layout.shapes if s.name == "target"]
    assert len(lines) == 1 and lines[0].x0 == lines[0].x1 == 11.0 and lines[0].line.dash
    named = [text_of(a.text).strip() for a in figure.layout.annotations if a.name == "target"]
    assert named == ["Target: 11% or less"]
    assert figure.layout.xaxis.range[1] > 11.0
    without = neighbour_bar_chart(bar_values(), MOVES, "2024-25", "HOME")
    assert not [s for s in without.layout.shapes if s.name == "target"]


def test_end_labels_read_at_projector_size():
    own, comparators, targets = close_together()
    figure = trend_chart(own, MOVES, AREA, targets=targets, comparators=comparators)
    assert all(a.font.size >= LABEL_FONT >= 16 for a in end_labels(figure))


def yearly(values: list[float | None], statuses: list[str], first_year: int = 2022) -> pd.DataFrame:
    ends = [pd.Timestamp(first_year + i, 3, 31) for i in range(len(values))]
    return pd.DataFrame({"period_type": "year", "period_end": ends, "value": values, "status": statuses})


def test_a_suppressed_latest_year_leaves_the_label_on_its_own_year_naming_it():
    """94% is 2023-24's: with 2024-25 suppressed the label sits at 2023-24 and says so, never beside 2024-25."""
    accommodation = catalogue().get("cl_accom_17_18")
    own = yearly([90.0, 92.0, 94.0, None], ["value", "value", "value", "c"])
    england = pd.DataFrame({"period_end": own["period_end"], "series": "England", "kind": "england",
                            "value": [88.0, 89.0, 90.0, 91.0], "used": pd.NA, "of": pd.NA})
    figure = trend_chart(own, accommodation, AREA, comparators=england)
    labels = {re.sub(r"\s+", " ", text_of(a.text)).strip(): a for a in end_labels(figure)}
    ours = labels[f"{AREA} 94% in 2023-24"]
    assert (ours.xref, pd.Timestamp(ours.x), ours.y) == ("x", pd.Timestamp(2024, 3, 31), 94.0)
    assert labels["England 91%"].xref == "paper"  # England's 2024-25 is the chart's latest: in the column

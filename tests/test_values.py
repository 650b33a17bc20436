"""Figures as people type them: numbers, text numbers, percentages and the published symbols (never zero)."""

from __future__ import annotations

import math
from datetime import date, datetime

import numpy as np
import pytest

from loaders.values import BAD, EMPTY, NUMBER, STATUS, cell_text, read_values, scale_percent_formatted


@pytest.mark.parametrize(
    ("typed", "kind", "value", "status"),
    [
        (54, NUMBER, 54.0, "value"),
        (54.5, NUMBER, 54.5, "value"),
        (0, NUMBER, 0.0, "value"),
        ("54", NUMBER, 54.0, "value"),
        ("54%", NUMBER, 54.0, "value"),
        ("54 %", NUMBER, 54.0, "value"),
        (" 1,234 ", NUMBER, 1234.0, "value"),
        ("1 234", NUMBER, 1234.0, "value"),
        ("12,345.5", NUMBER, 12345.5, "value"),
        ("-5", NUMBER, -5.0, "value"),  # readable; the validation rules refuse it
        ("1e3", NUMBER, 1000.0, "value"),
        ("c", STATUS, None, "c"),
        ("C", STATUS, None, "c"),
        (" x ", STATUS, None, "x"),
        ("LOW", STATUS, None, "low"),
        ("k", STATUS, None, "k"),
        ("u", STATUS, None, "u"),
        ("z", STATUS, None, "z"),
        (":", STATUS, None, ":"),
        ("..", STATUS, None, ".."),
        ("", EMPTY, None, ""),
        ("   ", EMPTY, None, ""),
        (None, EMPTY, None, ""),
        (float("nan"), EMPTY, None, ""),
        ("abc", BAD, None, ""),
        ("nan", BAD, None, ""),
        ("inf", BAD, None, ""),
        ("5 children", BAD, None, ""),
        ("1.2.3", BAD, None, ""),
        (True, BAD, None, ""),
        (date(2024, 1, 1), BAD, None, ""),
        (float("inf"), BAD, None, ""),
    ],
)
def test_each_form_of_figure(typed, kind, value, status):
    read = read_values([typed])
    assert read.kind[0] == kind
    assert read.status[0] == status
    if value is None:
        assert math.isnan(read.value[0])  # a symbol or a gap is never a zero
    else:
        assert read.value[0] == value


def test_percent_formatted_numbers_are_scaled_for_percentage_measures_only():
    read = read_values([0.54, 0.545, 412, "54%", "0.54"], percent_format=[True, True, True, False, True])
    # text in a percent-formatted cell is shown as typed, so only real numbers are flagged
    assert read.percent_format.tolist() == [True, True, True, False, False]
    scaled = scale_percent_formatted(read.value, read.percent_format, np.array([True, True, False, True, True]))
    assert scaled.tolist() == [54.0, 54.5, 412.0, 54.0, 0.54]


def test_percent_sign_is_remembered():
    read = read_values(["54%", "54", 54])
    assert read.percent_sign.tolist() == [True, False, False]


def test_a_block_keeps_its_order():
    rng = np.random.default_rng(42)
    numbers = rng.integers(0, 1000, size=500).astype(float)
    cells = numbers.astype(object)
    cells[::7] = "c"
    read = read_values(cells.reshape(50, 10))
    assert (read.kind[::7] == STATUS).all()
    keep = np.ones(500, dtype=bool)
    keep[::7] = False
    assert read.value[keep].tolist() == numbers[keep].tolist()


@pytest.mark.parametrize(
    ("cell", "text"),
    [(895.0, "895"), (54.5, "54.5"), ("abc", "abc"), (None, ""), (date(2024, 1, 2), "2024-01-02"),
     (datetime(2024, 1, 2), "2024-01-02"), (datetime(2024, 1, 2, 9, 30), "2024-01-02 09:30:00"), (7, "7")],
)
def test_cells_read_in_messages_as_people_see_them(cell, text):
    assert cell_text(cell) == text

"""What a chart's toolbar offers, and the file name its picture downloads as.

The toolbar keeps only what helps a report writer (download a picture, zoom, reset); the picture
is 1100 by 600 at double scale, large enough to paste into a committee paper without blurring.
"""

from __future__ import annotations

import re

from reference.catalogue import Measure

IMAGE_WIDTH = 1100
IMAGE_HEIGHT = 600
IMAGE_SCALE = 2
MODEBAR_BUTTONS = ["toImage", "zoom2d", "resetScale2d"]
MAX_FILENAME = 120


def plotly_config(filename: str) -> dict:
    """The ``config`` for st.plotly_chart: no logo, a short toolbar, PNG downloads named ``filename``."""
    return {
        "displaylogo": False,
        "modeBarButtons": [list(MODEBAR_BUTTONS)],
        "toImageButtonOptions": {
            "format": "png",
            "scale": IMAGE_SCALE,
            "filename": filename,
            "height": IMAGE_HEIGHT,
            "width": IMAGE_WIDTH,
        },
    }


def safe_filename(text: str) -> str:
    """Letters, digits, hyphens and underscores only, so the name works on every operating system."""
    text = text.replace("%", " pct ").replace("+", " plus ")
    words = re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", text)
    return "_".join(words)[:MAX_FILENAME].strip("_") or "chart"


def image_filename(measure: Measure, area_name: str, period_label: str) -> str:
    """'Northmoor_3_or_more_moves_in_a_year_April_2023_to_March_2025': area, measure and period."""
    return safe_filename(f"{area_name} {measure.short_name} {period_label}")

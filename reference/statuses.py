"""What the published symbols for missing values mean. None of them is ever a zero."""

from __future__ import annotations

import csv
from functools import lru_cache

from settings import DATA_DIR

VALUE = "value"
SMALL_PREFIX = "c<"  # public mode's 'c<5': a council's own figure below the threshold (metrics.suppression); never stored


@lru_cache(maxsize=1)
def status_labels() -> dict[str, str]:
    """Symbol -> short label people read (``c`` -> ``suppressed``)."""
    with (DATA_DIR / "value_statuses.csv").open(newline="", encoding="utf-8") as handle:
        return {row["symbol"]: row["label"] for row in csv.DictReader(handle)}


def is_status_symbol(text: str) -> bool:
    return text.strip().lower() in status_labels()


def label(status: str) -> str:
    if status.startswith(SMALL_PREFIX) and status[len(SMALL_PREFIX):].isdigit():
        return f"suppressed: fewer than {status[len(SMALL_PREFIX):]}"
    return "value" if status == VALUE else status_labels().get(status, status)

"""First start of the real app: what a council sees the very first time it opens its own dashboard."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from db import queries
from db.engine import connect
from loaders.sample import SAMPLE_AREA
from tests.databases import new_database

ROOT = Path(__file__).resolve().parents[1]


def _start(monkeypatch, tmp_path: Path, home: str, load_sample: str | None) -> str:
    url = new_database(tmp_path / 'dashboard.db')
    monkeypatch.setenv("DASHBOARD_DB_URL", url)
    monkeypatch.setenv("DASHBOARD_HOME_AREA", home)
    monkeypatch.setenv("DASHBOARD_LOAD_PUBLISHED", "0")
    if load_sample is None:
        monkeypatch.delenv("DASHBOARD_LOAD_SAMPLE", raising=False)
    else:
        monkeypatch.setenv("DASHBOARD_LOAD_SAMPLE", load_sample)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    return url


def test_a_real_council_first_start_has_no_fictional_figures(monkeypatch, tmp_path):
    url = _start(monkeypatch, tmp_path, "E06000049", None)
    engine = connect(url)
    assert queries.observations(engine, areas=[SAMPLE_AREA]).empty
    assert set(queries.batches(engine)["source"]) <= {"published"}


def test_the_sample_install_still_starts_on_the_sample(monkeypatch, tmp_path):
    url = _start(monkeypatch, tmp_path, SAMPLE_AREA, None)
    assert not queries.observations(connect(url), areas=[SAMPLE_AREA]).empty

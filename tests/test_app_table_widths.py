"""The Overview's tables cut no text off: each column is as wide as its longest text.

st.dataframe draws its cells on a canvas and cuts a text longer than its column ('Target 72% or m…',
'suppresse'), so a committee member cannot read it however the page is scrolled. Checked on the widths
the real app sends to the browser for the sample council's tables.
"""

from __future__ import annotations

import json

import pytest

from db.engine import connect
from tests import app_database
from tests.databases import new_database
from tests.test_app_pages import environment, open_page

CELL_FONT_CHAR_PX = 7  # the tables' 14px Source Sans: no more than 7 pixels a character on average
CELL_PADDING_PX = 16  # 8 pixels each side of a cell's text


@pytest.fixture(scope="module")
def url(tmp_path_factory) -> str:
    built = new_database(tmp_path_factory.mktemp('widths') / 'dashboard.db')
    app_database.build(connect(built), built)
    return built


def test_every_text_in_the_overview_tables_fits_its_column(url, monkeypatch):
    for key, value in environment(url).items():
        monkeypatch.setenv(key, value)
    at = open_page("overview")
    assert not at.exception, [e.value for e in at.exception]
    tables = at.dataframe
    assert tables
    checked = 0
    for table in tables:
        columns = json.loads(table.proto.columns)
        frame = table.value
        for name, config in columns.items():
            if config.get("type_config", {}).get("type") != "text" or name not in frame:
                continue
            longest = max([name, *map(str, frame[name])], key=len)
            assert config["width"] >= len(longest) * CELL_FONT_CHAR_PX + CELL_PADDING_PX, (name, longest, config["width"])
            checked += 1
    assert checked >= 2 * len(tables)

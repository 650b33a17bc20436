"""Shared fixtures: a real SQLite file per test, migrated to the newest schema."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from db.engine import connect  # noqa: E402
from db.scope import UNSCOPED, use_scope  # noqa: E402
from tests.databases import new_database  # noqa: E402


@pytest.fixture(autouse=True)
def _each_test_starts_unscoped():
    """A command run in-process sets the database scope of the person it acts as (as its own process would,
    for its whole life): each test starts, and leaves the next, with no one's scope in force."""
    with use_scope(UNSCOPED):
        yield


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return new_database(tmp_path / "dashboard.db")


@pytest.fixture
def engine(db_url: str):
    engine = connect(db_url)
    yield engine
    engine.dispose()
    connect.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _originals_folder(tmp_path_factory) -> None:
    """Where the databases every test process builds once (DfE's published figures, the sample council)
    are kept for copying: this run's temporary folder, cleaned up as pytest cleans up the others."""
    from tests import app_database

    app_database.originals_folder = tmp_path_factory.mktemp("originals")


# The files that take longest (the committee pack and its PDFs, the browser, the public pack, two instances
# behind nginx), measured with --durations. With xdist each file runs whole on one worker (test.sh: --dist
# loadfile), so one of these started last would run on alone at the end: started first, the other worker
# takes the rest meanwhile.
SLOWEST_FILES_FIRST = ("test_pack.py", "test_e2e_browser.py", "test_public_rule.py", "test_import_messages.py",
                       "test_instances.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: place for place, name in enumerate(SLOWEST_FILES_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: every file keeps its own order

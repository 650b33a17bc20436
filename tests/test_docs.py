"""The README documents every setting the code reads, and nothing it does not.

An administrator sets the dashboard up from the README's Settings table alone: a setting the code reads
but the table leaves out can only be found by reading the code. Every ``DASHBOARD_*`` name written
anywhere in the code (``settings.py``, an ``os.environ`` read, a message naming a setting) must have a
row of its own in that table, and every row must name a setting the code reads.
"""

from __future__ import annotations

import ast
import os
import re
from functools import cache
from pathlib import Path

import pytest

import settings

ROOT = Path(__file__).resolve().parents[1]
SKIPPED_FOLDERS = {"tests", ".venv", ".git", "node_modules"}
NAME = re.compile(r"\bDASHBOARD_[A-Z0-9_]+\b")
ROW = re.compile(r"^\| `(DASHBOARD_[A-Z0-9_]+)` \|", re.MULTILINE)


@cache
def code_files() -> tuple[Path, ...]:
    """Every Python file of the project's own code (not the tests, not installed packages)."""
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders if d not in SKIPPED_FOLDERS and not d.startswith(".")]
        found += [Path(folder) / name for name in files if name.endswith(".py")]
    return tuple(sorted(found))


@cache
def syntax_tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def names_in(path: Path) -> set[str]:
    """Every DASHBOARD_* name in a string of the module (plain strings and f-strings alike)."""
    tree = syntax_tree(path)
    return {name for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            for name in NAME.findall(node.value)}


@cache
def settings_read() -> frozenset[str]:
    return frozenset().union(*(names_in(path) for path in code_files()))


@cache
def settings_documented() -> tuple[str, ...]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    return tuple(ROW.findall(section))


def test_the_code_reads_settings_found_by_this_check():
    # A check that found no setting at all would pass whatever the README said.
    assert {s.env for s in settings.ALL_SETTINGS} <= settings_read()


@pytest.mark.parametrize("name", sorted(settings_read()))
def test_every_setting_read_is_in_the_readme_settings_table(name):
    assert name in settings_documented(), f"{name} is read by the code but has no row in the README's Settings table"


@pytest.mark.parametrize("name", settings_documented())
def test_every_setting_in_the_readme_is_read_by_the_code(name):
    assert name in settings_read(), f"the README documents {name}, which nothing reads"


def test_each_setting_has_one_row():
    documented = settings_documented()
    assert len(documented) == len(set(documented))


def test_every_setting_declared_is_listed_with_the_others():
    declared = {value.env for value in vars(settings).values() if isinstance(value, settings.Setting)}
    assert declared == {s.env for s in settings.ALL_SETTINGS}

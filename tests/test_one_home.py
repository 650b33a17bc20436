"""Each rule about periods and origins is written in one place, so a change to it is made once.

DfE's year end (31 March) was defined three times and the origin names ('published', 'local') written out in
seven places: a reader could not tell whether they had to agree, and a change to one would silently leave
the others behind. These checks read the code itself, in the style of the README check in test_docs.py.
"""

from __future__ import annotations

import ast
from pathlib import Path

import db.models
import metrics.formatting
import ui.filters
from metrics import benchmarking
from tests.test_docs import ROOT, code_files, syntax_tree

MIGRATIONS = Path("db/migrations")  # frozen history: a migration keeps the words it was written with
# The same words meaning something else: the app's sign-in mode, an SQL bind parameter's name, the reason a
# measure has no chart (DfE does not publish it), the chart trace of DfE's dots, and the folders data/published
# and data/ssda903.
OTHER_MEANINGS = {
    ("access/policy.py", "local"), ("db/writes.py", "local"), ("reports/pack.py", "local"),
    ("views/charts.py", "local"), ("views/measure.py", "local"), ("charts/trend.py", "published"),
    ("loaders/published/mapping.py", "published"), ("loaders/ssda903/codes.py", "ssda903"), ("metrics/ssda903/methods.py", "ssda903"), ("benchmarks/load.py", "ssda903"),
}


def relative(path: Path) -> Path:
    return path.relative_to(ROOT)


def assigned_names(path: Path) -> set[str]:
    tree = syntax_tree(path)
    targets = [t for node in ast.walk(tree) if isinstance(node, ast.Assign | ast.AnnAssign)
               for t in (node.targets if isinstance(node, ast.Assign) else [node.target])]
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def test_dfes_year_end_is_defined_once():
    defined = sorted(str(relative(p)) for p in code_files() if "YEAR_END_MONTH" in assigned_names(p))
    assert defined == ["metrics/formatting.py"]
    assert metrics.formatting.year_end(2025).isoformat() == "2025-03-31"


def test_the_origin_names_are_written_once():
    written = set()
    for path in code_files():
        if MIGRATIONS in relative(path).parents:
            continue
        tree = syntax_tree(path)
        written |= {(str(relative(path)), node.value) for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and node.value in db.models.ORIGINS}
    assert written - OTHER_MEANINGS == {("db/models.py", db.models.LOCAL), ("db/models.py", db.models.PUBLISHED),
                                        ("db/models.py", db.models.SSDA903)}


def test_pages_name_a_year_one_way_and_the_benchmarking_page_adds_its_end():
    assert ui.filters.year_label is metrics.formatting.year_label
    assert metrics.formatting.year_label(2025) == "2024-25"
    assert benchmarking.year_label(2025) == "2024-25 (year to 31 March 2025)"

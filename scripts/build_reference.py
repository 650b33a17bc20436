"""Rebuild data/reference/ from DfE's published area list, statistical neighbour tool and tables.

Run by a developer when DfE publishes new lists; the app itself only reads the CSVs this writes.
The files are recognised by their columns (loaders/published/reference.py holds the logic).
Usage: python scripts/build_reference.py [SOURCE_DIR]  (default data/dfe, the shipped copies)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from loaders.published.reference import write_reference  # noqa: E402


def main(source: Path) -> None:
    for path in write_reference(source):
        print(f"wrote {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "dfe")

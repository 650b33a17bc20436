"""``python -m loaders``: see loaders/cli.py."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from another folder: the project's packages still import
    sys.path.insert(0, str(ROOT))

from loaders.cli import main  # noqa: E402

raise SystemExit(main())

#!/usr/bin/env bash
# Sets up and runs the whole test suite: lint, unit and app tests, and the end-to-end browser tests.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && apt-get install -y -qq chromium chromium-driver) >/dev/null
  else
    echo "chromium is missing: install Debian's chromium package to run the browser tests" >&2
  fi
fi
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"

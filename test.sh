#!/usr/bin/env bash
# Sets up and runs the whole test suite: lint, unit and app tests, and the end-to-end browser tests.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh requirements-dev.txt
# Debian's chromium for the browser tests and chart pictures, LibreOffice for the committee pack's PDF,
# a PostgreSQL server for the PostgreSQL tests, and nginx for the shared-server tests.
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium chromium-driver"
# soffice alone may be LibreOffice Calc without Impress, which cannot read a deck: check for Impress itself.
[ -e /usr/lib/libreoffice/share/.registry/impress.xcd ] || [ -e /usr/lib/libreoffice/program/simpress ] \
  || missing="$missing libreoffice-impress-nogui"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"  # two instances behind nginx
ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1 || missing="$missing libreoffice-calc-nogui"  # Calc: a test saves a workbook again through it
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >/dev/null
  else
    echo "missing system packages:$missing (the tests that need them are skipped)" >&2
  fi
fi
.venv/bin/ruff check .
# Every core, each test file kept on one worker (--dist loadfile): a file's module fixtures (a database, a
# browser, a running app) are then built once, and tests needing a port take a free one.
exec .venv/bin/python -m pytest -n auto --dist loadfile "$@"

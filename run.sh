#!/usr/bin/env bash
# Sets up and starts the dashboard on the embedded default data (http://localhost:8501).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh requirements.txt
# Chart pictures need Debian's chromium and the committee pack's PDF needs LibreOffice: installed when
# missing and allowed; without them the app still runs and says plainly what it cannot make.
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
# soffice alone may be LibreOffice Calc without Impress, which cannot read a deck: check for Impress itself.
[ -e /usr/lib/libreoffice/share/.registry/impress.xcd ] || [ -e /usr/lib/libreoffice/program/simpress ] \
  || missing="$missing libreoffice-impress-nogui"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing) \
      >/dev/null 2>&1 || echo "could not install$missing: chart pictures or the pack's PDF will say so" >&2
  else
    echo "missing system packages:$missing (chart pictures or the pack's PDF will say what is missing)" >&2
  fi
fi
exec .venv/bin/streamlit run app.py --browser.gatherUsageStats false "$@"

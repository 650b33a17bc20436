#!/usr/bin/env bash
# Sets up and starts the dashboard on the embedded default data (http://localhost:8501).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh requirements.txt
exec .venv/bin/streamlit run app.py --browser.gatherUsageStats false "$@"

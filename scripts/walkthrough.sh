#!/usr/bin/env bash
# Set everything up, then open the walkthrough in JupyterLab (Ctrl+C to stop).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec jupyter lab --ip=127.0.0.1 --allow-root nbs/tutorials/00_tour.ipynb

#!/usr/bin/env bash
# Set everything up, then open the walkthrough and the live rollout (nbs/tutorials/01_drive.ipynb) in JupyterLab (Ctrl+C to stop).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec jupyter lab --ip=127.0.0.1 --allow-root nbs/tutorials/00_tour.ipynb nbs/tutorials/01_drive.ipynb

#!/usr/bin/env bash
# Write README.md from nbs/index.ipynb (only when it differs) and build the documentation site from the notebooks
# into _docs/ (mkdocs-material + mkdocs-jupyter; offline). Arguments go to docs/build.py:
#   --readme         only README.md          --check-readme   exit 1 if README.md and nbs/index.ipynb disagree
#   --execute all    run every notebook at build (default: the fast ones listed in docs/build.py)
# The README's animated picture, nbs/images/rollout.gif, is made apart (it reruns the model): python docs/rollout_gif.py
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 docs/build.py "$@"

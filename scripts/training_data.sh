#!/usr/bin/env bash
# The world models' training data in runs/data (not part of the repo): more episodes from the same simulators as
# data_samples, seed 1 (disjoint from data_samples' seeds 0..11 and 5000..5003). Each robot is rendered only if the
# store lacks it, so the scripts that call this resume.
set -euo pipefail
cd "$(dirname "$0")/.."
has() { python3 -c "import json,sys; sys.exit(0 if '$1' in json.load(open('runs/data/manifest.json'))['domains'] else 1)" 2>/dev/null; }
has pusht || hma-nb generate --out runs/data --domains pusht --train 300 --heldout 0 --seed 1 --quiet
for d in pusher cheetah sawyer kuka pendulum; do
  has "$d" || hma-nb generate --out runs/data --domains "$d" --train 48 --heldout 0 --seed 1 --quiet
done

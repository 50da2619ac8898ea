#!/usr/bin/env bash
# The generalist's data (runs/, not part of the repo), resumable: each robot is rendered only if the store lacks it.
#   runs/gen_data  training episodes of all six robots, seed 1, with random action bursts (5% chance per step) in every
#                  robot but the pendulum (a held random torque can balance it, and its frames then freeze: check_motion)
#   runs/val       10 held-out episodes per robot (plain policies), seed 7: model selection
#   runs/test      12 held-out episodes per robot (plain policies), seed 8: reported, never used to choose
set -euo pipefail
cd "$(dirname "$0")/.."
has() { python3 -c "import json,sys; sys.exit(0 if '$2' in json.load(open('$1/manifest.json'))['domains'] else 1)" 2>/dev/null; }
for spec in pusht:400:0.05 pusher:200:0.05 cheetah:200:0.05 sawyer:300:0.05 kuka:250:0.05 pendulum:200:0; do
  IFS=: read -r d n b <<< "$spec"
  has runs/gen_data "$d" || hma-nb generate --out runs/gen_data --domains "$d" --train "$n" --heldout 0 --seed 1 --bursts "$b" --quiet
done
for d in pusht pusher cheetah sawyer kuka pendulum; do
  has runs/val "$d" || hma-nb generate --out runs/val --domains "$d" --train 0 --heldout 10 --seed 7 --quiet
  has runs/test "$d" || hma-nb generate --out runs/test --domains "$d" --train 0 --heldout 12 --seed 8 --quiet
done

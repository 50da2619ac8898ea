#!/usr/bin/env bash
# The long CPU run's whole rule in one resumable chain (runs/gen_cpu_rule.md): train to step 20000, select on runs/val,
# report on runs/test and apply the ship conditions. Run it again after an interruption: each stage resumes or skips
# what it has done. Start it in the background: nohup bash scripts/generalist_cpu_chain.sh >> runs/gen_cpu.log 2>&1 &
# Copying a model that passes into data_samples stays a deliberate step: bash scripts/ship_generalist.sh (it reads the verdict
# in runs/gen_cpu_report.json and does nothing unless the pick replaces the shipped generalist).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/train_generalist_cpu.sh
steps=$(python -c "import json; print(json.load(open('runs/gen_cpu/model.json'))['info']['steps'])")
[ "$steps" -ge 20000 ] || { echo "runs/gen_cpu is at step $steps: the rule selects only at 20000" >&2; exit 1; }
python scripts/select_generalist.py data_samples/models/generalist runs/gen_cpu/kept/step_{12,14,16,18,20}000 \
  --root runs/val --windows 40 --out runs/gen_cpu_select.json
pick=$(python -c "import json; print(json.load(open('runs/gen_cpu_select.json'))['picked'])")
if [ "$pick" = data_samples/models/generalist ]; then echo "the shipped generalist is the pick: nothing to report"; exit 0; fi
python scripts/report_generalist.py "$pick" --root runs/test --draws 2 --out runs/gen_cpu_report.json

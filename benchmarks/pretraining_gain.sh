#!/usr/bin/env bash
# Pretraining gain (HMA's claim: about +1 dB): fine-tune the pretrained trunk on 10% of the PushT training
# episodes vs train the same model from scratch on that 10%, same steps and settings; evaluate both on the
# held-out PushT episodes of data_samples. Needs runs/data and runs/pretrain from scripts/train_world_model.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS="${STEPS:-300}"
common=(--root runs/data --domains pusht --fraction 0.1 --steps "$STEPS" --batch-size 8 --lr 5e-4 --warmup 50 --ckpt-every 100 --quiet)
hma-nb train --out runs/gain_pretrained --init runs/pretrain "${common[@]}"
hma-nb train --out runs/gain_scratch --preset cpu "${common[@]}"
for run in gain_pretrained gain_scratch; do
  hma-nb evaluate --model "runs/$run" --domain pusht --json > "runs/$run.eval.json"
done
python - <<'PY'
import json
a, b = (json.load(open(f"runs/{r}.eval.json")) for r in ("gain_pretrained", "gain_scratch"))
keys = ("psnr_teacher_forced", "psnr_autoregressive_last", "delta_psnr", "ssim")
print(json.dumps({"pretrained": {k: a[k] for k in keys}, "scratch": {k: b[k] for k in keys},
                  "gain": {k: round(a[k] - b[k], 3) for k in keys}}))
PY

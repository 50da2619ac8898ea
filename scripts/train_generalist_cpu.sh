#!/usr/bin/env bash
# A long CPU continuation of the shipped generalist (runs/gen_cpu), planned over several sessions: run it again to resume.
# The rule that decides what becomes of it was written before it started: runs/gen_cpu_rule.md (copied in the results page).
#   all six robots, batch 8, lr 2e-4 (warm-up 200, cosine to 2e-5 over 20000 steps), the recipe's masking, uniform mixture
#   with more batches for the robots that miss targets (cheetah x2, pusht and pusher x1.5, kuka and sawyer x0.5);
#   a copy every 1000 steps in runs/gen_cpu/kept/, each robot scored on 8 windows of runs/val every 2000 steps.
#   --compile (from step 4600, 2026-12-05): the same loss through torch.compile, ~1.2x faster per step in this run.
#   Then (runs/gen_cpu_rule.md): python scripts/select_generalist.py data_samples/models/generalist runs/gen_cpu/kept/step_{12,14,16,18,20}000 \
#     --root runs/val --windows 40 --out runs/gen_cpu_select.json
#   and the report and ship rule on runs/test: python scripts/report_generalist.py PICK --root runs/test --draws 2 --out runs/gen_cpu_report.json
set -euo pipefail
cd "$(dirname "$0")/.."
export HMA_NB_CACHE=${HMA_NB_CACHE:-$PWD/runs/cache}
export TORCHINDUCTOR_CACHE_DIR=${TORCHINDUCTOR_CACHE_DIR:-$PWD/runs/inductor_cache}   # compiled kernels, reused on resume
hma-nb train --out runs/gen_cpu --root runs/gen_data --init data_samples/models/generalist --steps 20000 --batch-size 8 --lr 2e-4 --warmup 200 \
  --ckpt-every 100 --keep-every 1000 --change-weight 8 --corrupt-rate 0.1 --self-context 0.5 --mixture-power 0 \
  --domain-weights cheetah=2,pusht=1.5,pusher=1.5,kuka=0.5,sawyer=0.5 --eval-root runs/val --eval-every 2000 --quiet --compile \
  ${STOP_AFTER:+--stop-after $STOP_AFTER}

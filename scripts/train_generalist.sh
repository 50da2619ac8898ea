#!/usr/bin/env bash
# How the shipped generalist (data_samples/models/discrete, all six robots) is made, on a 2-core CPU.
# Every stage resumes if interrupted (run the script again); runs/ is not part of the repo.
#   0. the PushT specialist data_samples/models/discrete_pusht (made by scripts/train_world_model.sh) is the starting point: ~11k steps of training that the
#      generalist's trunk builds on (its stems for the other five robots start from that run's pretraining)
#   1. data: scripts/generalist_data.sh (bursts of random actions in every robot's scripted policy; fresh val/test sets)
#   2. stage 1: 3000 steps on all six robots, one robot per batch, uniform mixture (--mixture-power 0), bf16 where native;
#      every 1000 steps each robot is scored on 8 windows of runs/val (records kept in the checkpoint, plotted in nbs/11_train)
#   3. stage 2: 6000 more steps from stage 1 at lr 3e-4, the robots' action statistics refreshed from this data
#      (--restat-actions: the burst data spreads the pusher's actions ~4x wider than the first pretraining's statistics)
#      (--keep-every 500: a copy of the model every 500 steps in runs/gen2/kept/, the candidates of the selection)
#   4. selection on runs/val (scripts/select_generalist.py: the rule is in its docstring): stage 1's final model and
#      stage 2's kept steps with an evaluation record (every 1000 steps, 8 windows per robot of runs/val), scored by those
#      records, which come with training (re-evaluating every candidate on 40 windows per robot is an option of the script); the pick: runs/select.json
#   (the report on runs/test and shipping as data_samples/models/discrete follow once the pick meets issue 20's targets)
#   GEN2_STOP_AFTER=N ends stage 2 at step N (with a checkpoint there) and the script there: scripts/train_generalist_gpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
INIT=${INIT:-data_samples/models/discrete_pusht}
export HMA_NB_CACHE=${HMA_NB_CACHE:-$PWD/runs/cache}      # the token cache stays with the run (encoding all six robots takes ~45 min)
bash scripts/generalist_data.sh
hma-nb train --out runs/gen1 --root runs/gen_data --init "$INIT" --steps 3000 --batch-size 8 --lr 5e-4 --warmup 100 \
  --ckpt-every 100 --change-weight 8 --corrupt-rate 0.1 --self-context 0.5 --mixture-power 0 --eval-root runs/val --eval-every 1000 --quiet
hma-nb train --out runs/gen2 --root runs/gen_data --init runs/gen1 --restat-actions --steps 6000 --batch-size 8 --lr 3e-4 --warmup 100 \
  --ckpt-every 100 --keep-every 500 --change-weight 8 --corrupt-rate 0.1 --self-context 0.5 --mixture-power 0 --eval-root runs/val --eval-every 1000 --quiet \
  ${GEN2_STOP_AFTER:+--stop-after $GEN2_STOP_AFTER}
[ -n "${GEN2_STOP_AFTER:-}" ] && exit 0          # scripts/train_generalist_gpu.sh goes on from there on a GPU
python scripts/select_generalist.py runs/gen1 runs/gen2 --out runs/select.json

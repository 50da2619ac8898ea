#!/usr/bin/env bash
# How the shipped discrete world model (data_samples/models/discrete) is made, on this 2-core CPU.
# Every step resumes if interrupted (run the script again); runs/ is not part of the repo.
#   1. training data: more episodes from the same simulators (seed 1: disjoint from data_samples' seeds 0..11 and 5000..5003)
#   2. pretraining on all six robots (heterogeneous mixture, one robot per batch): 1600 steps, 66 min here;
#      shipped as data_samples/models/discrete_pretrained, the generalist for the other robots
#   3. fine-tuning on PushT: 800 steps (26 min), then 2500 more with a higher weight on changed tokens (~80 min),
#      then 1500 more with self-context (half the windows see the model's own guesses in their context) and 5x token
#      corruption (44 min at 1.7 s/step), shipped as float16. The shipped run started from the float16 copy of the
#      2500-step stage (the model shipped before it); from runs/finetune2 it starts from the same weights in float32.
#   4. action bursts: 900 new PushT episodes in which the scripted policy is interrupted by bursts of random actions
#      (5% chance per step), then 2800 more steps from stage 3 (78 min of steps when alone). The run made here started
#      from the float16 copy of stage 3 (then shipped); from runs/ft_self it starts from the same weights in float32.
#      Then 1800 more steps at a lower peak lr on 1800 fresh burst episodes (seed 9; 17 min encoding, 87 min of steps
#      here), shipped as float16.
#   5. the sampler's MaskGIT passes per frame K: a sweep of K = 1, 2 on 40 windows of 10 other held-out PushT episodes
#      (seed 7) writes the fewest passes within 0.1 dB of the best K on all three PSNRs into the shipped model.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/training_data.sh
hma-nb train --out runs/pretrain --root runs/data --steps 1600 --batch-size 8 --lr 1e-3 --warmup 100 --ckpt-every 100 \
  --ship data_samples/models/discrete_pretrained
hma-nb train --out runs/finetune --root runs/data --domains pusht --init runs/pretrain --steps 800 \
  --batch-size 8 --lr 5e-4 --warmup 50 --ckpt-every 100
hma-nb train --out runs/finetune2 --root runs/data --domains pusht --init runs/finetune --steps 2500 \
  --batch-size 8 --lr 5e-4 --warmup 50 --ckpt-every 100 --change-weight 8
hma-nb train --out runs/ft_self --root runs/data --domains pusht --init runs/finetune2 --steps 1500 \
  --batch-size 8 --lr 5e-4 --warmup 50 --ckpt-every 100 --change-weight 8 --corrupt-rate 0.1 --self-context 0.5 \
  --ship data_samples/models/discrete
[ -f runs/pusht_bursts/.done ] || { rm -rf runs/pusht_bursts
  hma-nb generate --out runs/pusht_bursts --domains pusht --train 900 --heldout 0 --seed 2 --bursts 0.05
  touch runs/pusht_bursts/.done; }
hma-nb train --out runs/ft_bursts --root runs/pusht_bursts --domains pusht --init runs/ft_self --steps 2800 \
  --batch-size 8 --lr 5e-4 --warmup 50 --ckpt-every 100 --change-weight 8 --corrupt-rate 0.1 --self-context 0.5
[ -f runs/pusht_bursts2/.done ] || { rm -rf runs/pusht_bursts2
  hma-nb generate --out runs/pusht_bursts2 --domains pusht --train 1800 --heldout 0 --seed 9 --bursts 0.05
  touch runs/pusht_bursts2/.done; }
hma-nb train --out runs/ft_bursts2 --root runs/pusht_bursts2 --domains pusht --init runs/ft_bursts --steps 1800 \
  --batch-size 8 --lr 3e-4 --warmup 50 --ckpt-every 100 --change-weight 8 --corrupt-rate 0.1 --self-context 0.5 \
  --ship data_samples/models/discrete
[ -f runs/val_pusht/manifest.json ] || hma-nb generate --out runs/val_pusht --domains pusht --train 0 --heldout 10 --seed 7
hma-nb sweep maskgit-steps --root runs/val_pusht --values 1,2 --save
hma-nb evaluate --domain pusht

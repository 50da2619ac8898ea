#!/usr/bin/env bash
# How the continuous world model (soft tokens + per-token diffusion head) is trained on this 2-core CPU.
# Every step resumes if interrupted (run the script again); runs/ is not part of the repo.
#   1. the training data and the discrete pretraining of scripts/train_world_model.sh (its steps 1 and 2)
#   2. continuous pretraining on all six robots, its trunk and action stems/heads started from the discrete pretraining
#   3. fine-tuning on PushT, shipped as float16 to data_samples/models/continuous
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f runs/pretrain/model.json ]; then
  echo "runs/pretrain is missing: run scripts/train_world_model.sh (its data and pretraining steps) first" >&2
  exit 1
fi
hma-nb train --variant continuous --init-trunk runs/pretrain --out runs/cpretrain --root runs/data --steps 800 \
  --batch-size 8 --lr 1e-3 --warmup 50 --ckpt-every 50
hma-nb train --variant continuous --init runs/cpretrain --out runs/cfinetune --root runs/data --domains pusht --steps "${FINETUNE_STEPS:-1600}" \
  --batch-size 8 --lr 5e-4 --warmup 50 --ckpt-every 50 --change-weight 8 --ship data_samples/models/continuous
hma-nb evaluate --variant continuous --domain pusht

#!/usr/bin/env bash
# How data_samples/models/generalist (all six robots; not the default model) is made: the CPU recipe's stages 1 and 2
# (scripts/train_generalist.sh, stage 2 ended at step 2800 of its 6000), then three stages on one GPU
# (an NVIDIA H200: 2974 + 1208 + 576 steps, 280 + 206 + 99 s), then the selection on runs/val and the float16 copy.
# Every stage resumes if interrupted (run the script again); runs/ is not part of the repo.
#   GPU stages: scripts/gpu_generalist.py trains with the library's loop (hma_nb.train.train_model: accelerate, bf16) on the
#   same windows that `hma-nb train --root runs/gen_data` builds, from a small pack of the token cache (made here because
#   the GPU machine used could receive at most 64 MiB; on a machine that holds runs/ the pack is only a detour).
#   1. gpu1: from stage 2's step 2800, 2974 steps of batch 64, lr 6e-4, warm-up 100 (the step count came from a 400 s budget)
#   2. gpu2: from gpu1, 1208 steps of batch 128, lr 4e-4
#   3. gpu3: from gpu2, 576 steps of batch 128, lr 2e-4, warm-up 50
#   masking as stage 2 (change weight 8, corruption 0.1, self-context 0.5), uniform mixture over robots, cosine to lr/10.
#   Selection: scripts/select_generalist.py on 40 windows per robot of runs/val (gen1, stage 2 at 2800, gpu1-3): gpu3.
#   Token pick: scripts/choose_pick.py on the same windows chooses 'mean' over 'argmax' and writes it into model.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export HMA_NB_CACHE=${HMA_NB_CACHE:-$PWD/runs/cache}
GEN2_STOP_AFTER=2800 bash scripts/train_generalist.sh
[ -e runs/gen2_2800/model.json ] || { mkdir -p runs/gen2_2800 && cp runs/gen2/model.safetensors runs/gen2/model.json runs/gen2_2800/; }
[ -e runs/gpu_pack/pack.json ] || python scripts/gpu_generalist.py pack --root runs/gen_data --init runs/gen2_2800 --out runs/gpu_pack
G="python scripts/gpu_generalist.py train --pack runs/gpu_pack"
[ -e runs/gpu1/model.json ] || $G --out runs/gpu1 --steps 2974 --batch-size 64 --lr 6e-4 --warmup 100
[ -e runs/gpu2/model.json ] || $G --init runs/gpu1 --out runs/gpu2 --steps 1208 --batch-size 128 --lr 4e-4 --warmup 100
[ -e runs/gpu3/model.json ] || $G --init runs/gpu2 --out runs/gpu3 --steps 576 --batch-size 128 --lr 2e-4 --warmup 50
python scripts/select_generalist.py runs/gen1 runs/gen2_2800 runs/gpu1 runs/gpu2 runs/gpu3 --root runs/val --windows 40 --out runs/select_val40.json
python -c "import json; from hma_nb.model import load_model, save_model; m = load_model(json.load(open('runs/select_val40.json'))['picked'])
save_model(m, 'data_samples/models/generalist', m.info, half=True)"
python scripts/choose_pick.py data_samples/models/generalist --root runs/val --windows 40 --out runs/pick_val40.json --save

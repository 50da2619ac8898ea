#!/usr/bin/env bash
# One training call on a lent GPU machine (the device tool's `run`, in a copy of this tree), the model brought back in $OUT:
#   bash scripts/gpu_call.sh --pack runs/gpu_pack --init runs/fresh_shipped --budget 240 --batch-size 64 --lr 6e-4
#   bash scripts/gpu_call.sh --pack runs/gpu_pack --init runs/grown6 --budget 420 --domain-weights cheetah=3
#     (a deeper start from scripts/grow_model.py, more of the batches for a robot that lags)
#   bash scripts/gpu_call.sh --pack runs/gpu_pe_pack --init runs/pe_grown8 --budget 420 --batch-size 64 --lr 3e-4
#     (the PushT policy model, deeper and in larger batches: the pack from `gpu_generalist.py pack --root runs/pe_data2
#      --init runs/pe_ft4 --domains pusht`, 35 MB; runs/pe_grown8 from `grow_model.py --model runs/pe_ft4 --layers 8`, 21 MB)
#   bash scripts/gpu_call.sh --pack runs/gpu_pack --init runs/gen_cpu_last --budget 420 --domain-weights cheetah=2,pusht=1.5,pusher=1.5,kuka=0.5,sawyer=0.5
#     (taking over the long CPU run, scripts/train_generalist_cpu.sh: carry a folder with a copy of runs/gen_cpu's
#      model.safetensors and model.json only; the whole run folder, with its optimizer state and kept steps, is over 64 MiB)
# Arguments go to `scripts/gpu_generalist.py train` (--out is set here). Carry the pack, the --init folder and .whl/
# (the fastcore wheel hma_nb needs there, made here with:
#   pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#     --platform manylinux_2_28_x86_64 -d .whl fastcore==1.14.5 ).
# Brings back log.txt, model.safetensors and model.json (not train_state.pt: over the size that comes back).
set -uo pipefail
: "${OUT:?run this on the device machine, where \$OUT is the folder that comes back}"
ls .whl/*.whl > /dev/null 2>&1 || { echo "no wheels in .whl/ (carry it)" >&2; exit 3; }
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 3
rm -rf /tmp/run                                   # a warm machine keeps /tmp: start each call afresh
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1
python3 scripts/gpu_generalist.py train --out /tmp/run "$@" 2>&1 | tee "$OUT/log.txt"
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] || exit "$rc"
cp /tmp/run/model.safetensors /tmp/run/model.json "$OUT/" || exit 4     # no model back is a failure, not a success

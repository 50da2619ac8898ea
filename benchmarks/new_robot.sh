#!/usr/bin/env bash
# Issue 22, item 3: a new robot on the pretrained trunk, measured (HMA: pretraining is worth about +1 dB).
# The robot is Reacher (hma_nb.envs.EXTRA_DOMAINS: opt-in, in none of the shipped models' data): a two-link arm seen
# from above, 2 joint torques at 50 Hz, i.e. a stride of 25 raw steps per 2 Hz model frame (a 50-wide model action).
#   a. simulator -> episode store (N training episodes, M held out; 8 s = 400 frames each)
#   b. store -> LeRobot v3.0 dataset (hma-nb export-lerobot) -> a new store (hma-nb import-lerobot, the last M held out):
#      everything after this point sees the robot only through LeRobot
#   c. for each data fraction F (default 10% and 100% of the N episodes): a new action stem and head on INIT's pretrained
#      trunk (hma-nb train --init adds a robot the model lacks; the whole model is fine-tuned) vs the same-size model from
#      scratch (--preset of INIT's trunk size), same data, steps and settings. ARMS="pretrained frozen scratch" adds a third
#      arm with INIT's trunk frozen (--freeze-trunk: only stems, heads and adaLN train).
#   d. every run scored on the same M held-out episodes (same sampler settings for all), then one table: teacher-forced
#      and autoregressive last-frame PSNR, ΔPSNR and moving-pixel ΔPSNR with their standard errors, and copy-last.
# Resumable: a stage whose output exists is skipped, a training run resumes from its last checkpoint; run it again.
#   STEPS=600 bash benchmarks/new_robot.sh                            # the experiment (runs/newrobot)
#   OUT=runs/newrobot_tiny N=10 M=2 STEPS=4 bash benchmarks/new_robot.sh   # an end-to-end check in a few minutes
set -euo pipefail
cd "$(dirname "$0")/.."
ROBOT=${ROBOT:-reacher}
OUT=${OUT:-runs/newrobot}
N=${N:-200}                      # training episodes (8 s each)
M=${M:-20}                       # held-out episodes (4 evaluation windows each)
SEED=${SEED:-1}
STEPS=${STEPS:-600}              # optimizer steps per run
BATCH=${BATCH:-8}
INIT=${INIT:-data_samples/models/discrete}
PRESET=${PRESET:-$(python benchmarks/new_robot.py preset-of "$INIT")}
FRACTIONS=${FRACTIONS:-0.1 1.0}
ARMS=${ARMS:-pretrained scratch}
K=${K:-2}                        # MaskGIT passes per frame in evaluation (HMA: 2), the same for every run
GUIDANCE=${GUIDANCE:-1}
TRAIN_FLAGS=${TRAIN_FLAGS:---lr 5e-4 --warmup $(( STEPS < 50 ? 0 : 50 )) --change-weight 8 --corrupt-rate 0.1 --self-context 0.5}
export HMA_NB_CACHE=${HMA_NB_CACHE:-$OUT/cache}   # this experiment's token cache (relative: to the repo root)
mkdir -p "$OUT/train" "$OUT/eval"
has() { python -c "import json,sys; sys.exit(0 if '$2' in json.load(open('$1/manifest.json'))['domains'] else 1)" 2>/dev/null; }
echo "new robot: $ROBOT, N=$N M=$M seed $SEED, $STEPS steps at batch $BATCH, init $INIT vs preset $PRESET, fractions $FRACTIONS, arms $ARMS"

# a. simulate (hma-nb generate makes the six default robots only; this is its twin for opt-in ones, same seeds)
has "$OUT/sim" "$ROBOT" || python benchmarks/new_robot.py generate "$OUT/sim" --domain "$ROBOT" --train "$N" --heldout "$M" --seed "$SEED" --quiet
# b. through LeRobot
[ -f "$OUT/lerobot/meta/info.json" ] || hma-nb export-lerobot "$OUT/sim" --domain "$ROBOT" --out "$OUT/lerobot" --quiet
has "$OUT/store" "$ROBOT" || hma-nb import-lerobot "$OUT/lerobot" --out "$OUT/store" --domain "$ROBOT" --heldout "$M" --quiet
hma-nb data-summary --root "$OUT/store"

# c, d. train and evaluate each arm at each data fraction
for F in $FRACTIONS; do
  for ARM in $ARMS; do
    run="${ARM}_f$F"
    [ -f "$OUT/eval/$run.json" ] && continue
    case "$ARM" in
      pretrained) start=(--init "$INIT") ;;
      frozen)     start=(--init "$INIT" --freeze-trunk) ;;
      scratch)    start=(--preset "$PRESET") ;;
      *) echo "unknown arm $ARM (pretrained, frozen, scratch)" >&2; exit 2 ;;
    esac
    # shellcheck disable=SC2086
    hma-nb train --out "$OUT/$run" "${start[@]}" --root "$OUT/store" --domains "$ROBOT" --fraction "$F" --steps "$STEPS" \
      --batch-size "$BATCH" --ckpt-every $(( STEPS < 100 ? STEPS : 100 )) $TRAIN_FLAGS --quiet --json > "$OUT/train/$run.json"
    hma-nb evaluate --model "$OUT/$run" --root "$OUT/store" --domain "$ROBOT" --maskgit-steps "$K" --guidance "$GUIDANCE" --json \
      > "$OUT/eval/$run.json.tmp"
    mv "$OUT/eval/$run.json.tmp" "$OUT/eval/$run.json"
  done
done
python benchmarks/new_robot.py table "$OUT" | tee "$OUT/results.txt"

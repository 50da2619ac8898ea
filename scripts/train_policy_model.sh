#!/usr/bin/env bash
# How data_samples/models/pusht_policy (the model `hma-nb policy-eval` uses by default) is made on a 2-core CPU.
# Every step resumes if interrupted (run the script again); runs/ is not part of the repo.
#   1. PushT episodes of the evaluated policies themselves: 150 per scripted skill level (policy_eval.policy_episode,
#      40 model steps from reset seeds 300000 on) and 300 exploration episodes with action bursts (seeds 120000 on);
#      1200 episodes, 209,400 frames, 11 min. All seeds are clear of the evaluation's 70000-79999.
#   2. runs/pe_ft3: 3600 steps of 8 windows from the PushT specialist (data_samples/models/discrete) on them, with the
#      specialist's loss settings (changed tokens weighted 8, 10% corrupted context, self-context half the time), compiled;
#      12 min of tokenizing, then 64 min (1.0 s/step, bf16 on a CPU with AMX).
#   3. runs/pe_ft4: 3600 more steps at lr 2e-4 (71 min).
#   4. A float16 copy whose default token pick is 'mean' (each FSQ channel's expected level; sampling.set_pick), the pick
#      chosen by runs/pe_pick_rule.md on the closed loop from validation start states 72000-72019.
# The rules that shipped it, and its figures: the results page, "Policy evaluation: keeping the T".
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-data_samples/models/pusht_policy}
python scripts/pusht_policy_data.py --out runs/pe_data2 --per-skill 150 --explore 300 --seed 300000 --explore-seed 120000
COMMON=(--root runs/pe_data2 --domains pusht --batch-size 8 --warmup 50 --ckpt-every 100 --change-weight 8 --corrupt-rate 0.1
        --self-context 0.5 --steps 3600 --compile)
HMA_NB_CACHE=runs/cache hma-nb train --out runs/pe_ft3 --init data_samples/models/discrete --lr 3e-4 "${COMMON[@]}"
HMA_NB_CACHE=runs/cache hma-nb train --out runs/pe_ft4 --init runs/pe_ft3 --lr 2e-4 "${COMMON[@]}"
python - "$OUT" <<'PY'
import sys
from hma_nb.core import samples_dir
from hma_nb.model import load_model, save_model
from hma_nb.sampling import set_pick
from hma_nb.tokenizer import load_tokenizer
out = sys.argv[1]
m = load_model("runs/pe_ft4")
save_model(m, out, {**m.info, "selected": "runs/pe_ft4 (step 3600)", "rule": "runs/pe_pick_rule.md"}, half=True)
set_pick(out, "mean", {"chosen_by": "runs/pe_pick_rule.md (second rule): closed-loop validation, start states 72000-72019",
         "validation_pearson": {"argmax": 0.4848, "mean": 0.7552}, "gain_ci": [0.0312, 0.6721]},
         load_tokenizer(samples_dir() / "tokenizers" / "discrete").cfg.fsq_levels)
print(out)
PY

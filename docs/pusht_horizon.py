"""How long a world model keeps PushT physical: the simulator's own action sequences replayed open loop in the model
(`policy_eval.horizon_curve`), for the results page.

    python docs/pusht_horizon.py --model data_samples/models/generalist --pick mean --out runs/hz_gen_mean.json

The episodes are the expert's and the random policy's from `--episodes` held-out start states (reset seeds 70000 on),
`--horizon` model steps. Prints PSNR, copy-last PSNR, the share of the T's pixels kept and the pixel score's error at
frames 1, 2, 4, 8, 16, 24, 32, 40 (those within the horizon); writes the whole curve to --out.
"""
from __future__ import annotations

import argparse
import json

from hma_nb.core import samples_dir, write_json
from hma_nb.model import load_model
from hma_nb.policy_eval import HELDOUT_SEED, ScriptedPolicy, horizon_curve, run_sim
from hma_nb.sampling import SamplerConfig
from hma_nb.tokenizer import load_tokenizer


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=str(samples_dir() / "models" / "discrete"))
    p.add_argument("--pick", default=None, choices=["argmax", "mean"], help="default: the model's")
    p.add_argument("--episodes", type=int, default=10)
    p.add_argument("--horizon", type=int, default=40)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    model = load_model(a.model)
    tok = load_tokenizer(samples_dir() / "tokenizers" / model.cfg.variant)
    seeds = list(range(HELDOUT_SEED, HELDOUT_SEED + a.episodes))
    runs = [run_sim(ScriptedPolicy(name), seeds, a.horizon) for name in ("expert", "random")]
    cur = horizon_curve(model, tok, runs, SamplerConfig(pick=a.pick), progress=False)
    write_json(a.out, cur)
    at = [h for h in (1, 2, 4, 8, 16, 24, 32, 40) if h <= a.horizon]
    print(json.dumps({k: [cur[k][h - 1] for h in at] for k in ("psnr", "psnr_copy_last", "block_kept", "score_abs_error")}))


if __name__ == "__main__":
    main()

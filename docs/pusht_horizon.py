"""How long a world model keeps PushT physical: the simulator's own action sequences replayed open loop in the model
(`policy_eval.horizon_curve`), for the results page.

    python docs/pusht_horizon.py --model data_samples/models/generalist --pick mean --out runs/hz_gen_mean.json
    python docs/pusht_horizon.py --seed 72000 --steps 8 --order confidence --out runs/hz_k8c.json   # another sampler

The episodes are the expert's and the random policy's from `--episodes` start states (reset seeds `--seed` on; default
the held-out 70000), `--horizon` model steps. Prints PSNR, copy-last PSNR, the share of the T's pixels kept and the pixel
score's error at frames 1, 2, 4, 8, 16, 24, 32, 40 (those within the horizon), and the score error averaged over every
frame and episode with its standard error; writes the whole curve, the sampler and the wall time to --out.
"""
from __future__ import annotations

import argparse
import json
import time

from hma_nb.core import samples_dir, write_json
from hma_nb.model import load_model
from hma_nb.policy_eval import HELDOUT_SEED, ScriptedPolicy, horizon_curve, run_sim, use_bf16
from hma_nb.sampling import SamplerConfig
from hma_nb.tokenizer import load_tokenizer


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=str(samples_dir() / "models" / "discrete"))
    p.add_argument("--pick", default=None, choices=["argmax", "mean"], help="default: the model's")
    p.add_argument("--steps", type=int, default=None, help="MaskGIT passes per frame K (default: the model's)")
    p.add_argument("--order", default="random", choices=["random", "confidence"])
    p.add_argument("--temperature", type=float, default=0.0)
    p.add_argument("--fp32", action="store_true", help="the model in float32 even where bf16 is fast")
    p.add_argument("--seed", type=int, default=HELDOUT_SEED, help=f"first reset seed of the start states (default {HELDOUT_SEED})")
    p.add_argument("--episodes", type=int, default=10)
    p.add_argument("--horizon", type=int, default=40)
    p.add_argument("--keep", type=int, default=None, help="frames a full context window restarts from (default: half the window)")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    model = load_model(a.model)
    tok = load_tokenizer(samples_dir() / "tokenizers" / model.cfg.variant)
    seeds = list(range(a.seed, a.seed + a.episodes))
    runs = [run_sim(ScriptedPolicy(name), seeds, a.horizon) for name in ("expert", "random")]
    cfg = SamplerConfig(steps=a.steps, order=a.order, temperature=a.temperature, pick=a.pick)
    bf16 = use_bf16(model, False if a.fp32 else None)
    t0 = time.perf_counter()
    cur = horizon_curve(model, tok, runs, cfg, progress=False, bf16=bf16, keep=a.keep)
    cur["keep"] = a.keep
    cur |= {"model": a.model, "seeds": [seeds[0], seeds[-1]], "sampler": vars(cfg.resolve(model)),
            "dtype": "bfloat16" if bf16 else "float32", "seconds": round(time.perf_counter() - t0, 1)}
    write_json(a.out, cur)
    at = [h for h in (1, 2, 4, 8, 16, 24, 32, 40) if h <= a.horizon]
    print(json.dumps({k: [cur[k][h - 1] for h in at] for k in ("psnr", "psnr_copy_last", "block_kept", "score_abs_error")}
                     | {k: cur[k] for k in ("score_abs_error_mean", "score_abs_error_se", "seconds")}))


if __name__ == "__main__":
    main()

"""Choose a model's token pick at temperature 0 ('argmax' or 'mean') on held-out episodes, and make it the model's default.

    python scripts/choose_pick.py MODEL --root runs/val --windows 40 --out runs/pick_val40.json [--save]

Both picks are evaluated on the same windows (`evaluate_domains`: `--windows` evenly spaced windows per robot the model
knows, `--draws` random-action rollouts per window, the model's other sampling defaults). The rule, fixed before it was
first run (runs/decode_rule.md, 2026-12-05): 'mean' is chosen if its mean over robots of the moving-pixel delta PSNR beats
argmax's by more than `--z` standard errors of the difference (sqrt(sum over robots of both s.e.^2) / robots) and no robot's
teacher-forced PSNR falls by more than `--max-tf-drop` dB; otherwise 'argmax'. (The rule also asked for rollout pictures that
keep parts argmax loses: `python docs/robot_rollouts.py --model MODEL --root ROOT --domains ... --windows 1 --pick argmax,mean`.)
With --save the choice, the tokenizer's FSQ levels and the figures go into MODEL/model.json (`sampling.set_pick`; weights
untouched). Results go to --out (a rerun reuses a pick already evaluated there).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from hma_nb.core import DataError, read_json, samples_dir, write_json
from hma_nb.model import PICKS


def decide(res: dict, z: float = 2.0, max_tf_drop: float = 0.3) -> dict:
    "The rule on {pick: {robot: evaluate_world_model result}}: the chosen pick and the numbers behind it."
    a, m = res["argmax"], res["mean"]
    robots = sorted(a)
    mean = lambda r: sum(r[d]["delta_psnr_moving"] for d in robots) / len(robots)
    se = math.sqrt(sum(r[d]["delta_psnr_moving_stderr"] ** 2 for r in (a, m) for d in robots)) / len(robots)
    drops = {d: round(a[d]["psnr_teacher_forced"] - m[d]["psnr_teacher_forced"], 2) for d in robots}
    gain = mean(m) - mean(a)
    ok = gain > z * se and max(drops.values()) <= max_tf_drop
    return {"pick": "mean" if ok else "argmax", "mean_delta_psnr_moving": {"argmax": round(mean(a), 3), "mean": round(mean(m), 3)},
            "gain": round(gain, 3), "stderr_of_difference": round(se, 3), "z": z, "tf_drop": drops, "max_tf_drop": max_tf_drop}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model", help="model folder")
    p.add_argument("--root", required=True, help="held-out store to choose on (not the one reported on)")
    p.add_argument("--windows", type=int, default=40, help="windows per robot (evenly spaced)")
    p.add_argument("--draws", type=int, default=2)
    p.add_argument("--tokenizer", help="default: data_samples/tokenizers/VARIANT")
    p.add_argument("--z", type=float, default=2.0)
    p.add_argument("--max-tf-drop", type=float, default=0.3)
    p.add_argument("--out", required=True)
    p.add_argument("--save", action="store_true", help="make the chosen pick the model's default")
    a = p.parse_args(argv)
    try:
        if a.windows < 1: raise DataError(f"--windows must be >= 1, got {a.windows}")
        import torch
        from hma_nb.evaluate import evaluate_domains, take_levels
        from hma_nb.model import load_model
        from hma_nb.sampling import SamplerConfig, set_pick
        from hma_nb.tokenizer import load_tokenizer
        model = load_model(a.model)
        if model.cfg.continuous: raise DataError(f"{a.model} is a continuous model: it has no ids to pick")
        tok = load_tokenizer(a.tokenizer or samples_dir() / "tokenizers" / model.cfg.variant)
        take_levels(model, tok)                   # a model.json of format 1 or 2 takes the tokenizer's FSQ levels
        settings = {"model": a.model, "root": a.root, "windows": a.windows, "draws": a.draws}
        out = Path(a.out)
        done = read_json(out) if out.exists() else {}
        res = done.get("results", {}) if done.get("settings") == settings else {}
        for pick in PICKS:
            if pick in res: continue
            torch.manual_seed(0)
            r = evaluate_domains(model, tok, a.root, "all", progress=True, draws=a.draws, max_windows=a.windows, cfg=SamplerConfig(pick=pick))
            res[pick] = r["domains"]
            write_json(out, {"settings": settings, "results": res})
        verdict = decide(res, a.z, a.max_tf_drop)
        write_json(out, {"settings": settings, "results": res, "verdict": verdict})
        if a.save:
            set_pick(a.model, verdict["pick"], {**verdict, **settings}, levels=tok.cfg.fsq_levels)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(json.dumps(verdict))
    return 0


if __name__ == "__main__":
    sys.exit(main())

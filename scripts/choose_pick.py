"""Choose a model's token pick at temperature 0 ('argmax' or 'mean') on held-out episodes, and make it the model's default.

    python scripts/choose_pick.py MODEL --root runs/val --windows 40 --out runs/pick_val40.json [--save]
    python scripts/choose_pick.py MODEL --root runs/val --windows 40 --guidance 1.5,2,3 --out runs/guidance_val40.json

Both picks are evaluated on the same windows (`evaluate_domains`: `--windows` evenly spaced windows per robot the model
knows, `--draws` random-action rollouts per window, the model's other sampling defaults). The rule, fixed before it was
first run (runs/decode_rule.md, 2026-12-05): 'mean' is chosen if its mean over robots of the moving-pixel delta PSNR beats
argmax's by more than `--z` standard errors of the difference (sqrt(sum over robots of both s.e.^2) / robots) and no robot's
teacher-forced PSNR falls by more than `--max-tf-drop` dB; otherwise 'argmax'. (The rule also asked for rollout pictures that
keep parts argmax loses: `python docs/robot_rollouts.py --model MODEL --root ROOT --domains ... --windows 1 --pick argmax,mean`.)
With --save the choice, the tokenizer's FSQ levels and the figures go into MODEL/model.json (`sampling.set_pick`; weights
untouched). Results go to --out (a rerun reuses a setting already evaluated there).

With --guidance the same rule compares action guidance w (at the model's own pick) against w = 1 instead
(runs/guidance_rule.md): it names the values that pass, and the smallest whose mean is within one standard error of the
best. It saves nothing: guidance doubles the trunk's work per pass, so `hma-nb bench --guidance W` must show the speed
floor first (then `hma-nb sweep guidance ... --save` or `sampling.set_guidance`).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from hma_nb.core import DataError, read_json, samples_dir, write_json
from hma_nb.model import PICKS


def compare(base: dict, other: dict, z: float = 2.0, max_tf_drop: float = 0.3) -> dict:
    "The rule on two {robot: evaluate_world_model result}: does `other` beat `base`? With the numbers behind the answer."
    robots = sorted(base)
    mean = lambda r: sum(r[d]["delta_psnr_moving"] for d in robots) / len(robots)
    se = math.sqrt(sum(r[d]["delta_psnr_moving_stderr"] ** 2 for r in (base, other) for d in robots)) / len(robots)
    drops = {d: round(base[d]["psnr_teacher_forced"] - other[d]["psnr_teacher_forced"], 2) for d in robots}
    gain = mean(other) - mean(base)
    return {"passes": gain > z * se and max(drops.values()) <= max_tf_drop, "base_mean_delta_psnr_moving": round(mean(base), 3),
            "mean_delta_psnr_moving": round(mean(other), 3), "gain": round(gain, 3), "stderr_of_difference": round(se, 3), "tf_drop": drops}


def decide(res: dict, z: float = 2.0, max_tf_drop: float = 0.3) -> dict:
    "The rule on {pick: {robot: evaluate_world_model result}}: the chosen pick and the numbers behind it."
    c = compare(res["argmax"], res["mean"], z, max_tf_drop)
    return {"pick": "mean" if c["passes"] else "argmax",
            "mean_delta_psnr_moving": {"argmax": c["base_mean_delta_psnr_moving"], "mean": c["mean_delta_psnr_moving"]},
            "gain": c["gain"], "stderr_of_difference": c["stderr_of_difference"], "z": z, "tf_drop": c["tf_drop"], "max_tf_drop": max_tf_drop}


def decide_guidance(res: dict, z: float = 2.0, max_tf_drop: float = 0.3) -> dict:
    "The rule on {str(w): {robot: result}} against w = 1: each w's comparison, the values that pass, and the one to take (None: stay at 1)."
    rows = {w: compare(res["1.0"], r, z, max_tf_drop) for w, r in res.items() if w != "1.0"}
    ok = [w for w, c in rows.items() if c["passes"]]
    best = max((rows[w]["mean_delta_psnr_moving"] for w in ok), default=None)
    near = [float(w) for w in ok if rows[w]["mean_delta_psnr_moving"] >= best - rows[w]["stderr_of_difference"]]
    return {"guidance": min(near) if near else None, "passing": sorted(float(w) for w in ok), "z": z, "max_tf_drop": max_tf_drop,
            "by_value": rows}


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
    p.add_argument("--guidance", help="comma-separated action guidance values w to compare with w = 1 (at the model's pick) instead of picks")
    a = p.parse_args(argv)
    try:
        if a.windows < 1: raise DataError(f"--windows must be >= 1, got {a.windows}")
        import torch
        from hma_nb.evaluate import evaluate_domains, take_levels
        from hma_nb.model import load_model
        from hma_nb.sampling import SamplerConfig, check_guidance, set_pick
        from hma_nb.tokenizer import load_tokenizer
        model = load_model(a.model)
        if model.cfg.continuous: raise DataError(f"{a.model} is a continuous model: it has no ids to pick")
        tok = load_tokenizer(a.tokenizer or samples_dir() / "tokenizers" / model.cfg.variant)
        take_levels(model, tok)                   # a model.json of format 1 or 2 takes the tokenizer's FSQ levels
        settings = {"model": a.model, "root": a.root, "windows": a.windows, "draws": a.draws}
        if a.guidance is not None:
            try: values = [1.0] + [float(v) for v in a.guidance.split(",") if v.strip()]
            except ValueError: raise DataError(f"--guidance takes comma-separated numbers, got {a.guidance!r}") from None
            for w in values: check_guidance(w)
            if a.save: raise DataError("--save chooses a pick; a guidance default also needs the speed floor (hma-nb bench), see the docstring")
            settings["pick"] = model.cfg.pick
            configs = {str(w): SamplerConfig(guidance=w) for w in values}
        else:
            configs = {pick: SamplerConfig(pick=pick) for pick in PICKS}
        out = Path(a.out)
        done = read_json(out) if out.exists() else {}
        res = done.get("results", {}) if done.get("settings") == settings else {}
        for key, cfg in configs.items():
            if key in res: continue
            torch.manual_seed(0)
            r = evaluate_domains(model, tok, a.root, "all", progress=True, draws=a.draws, max_windows=a.windows, cfg=cfg)
            res[key] = r["domains"]
            write_json(out, {"settings": settings, "results": res})
        verdict = (decide_guidance if a.guidance is not None else decide)(res, a.z, a.max_tf_drop)
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

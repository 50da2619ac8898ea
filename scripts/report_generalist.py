"""Report a selected generalist against the shipped one on held-out episodes that selection never saw, and apply the ship rule.

    python scripts/report_generalist.py PICK [--base data_samples/models/generalist] --root runs/test --out runs/report.json

The rule (written with runs/gen_cpu_rule.md, before any figure of the pick on these episodes):
- PICK replaces BASE if its mean moving-pixel delta PSNR over the robots beats BASE's by more than `--z` standard errors
  of the difference (sqrt(sum over robots of both s.e.^2) / robots, `choose_pick.compare`), no robot's teacher-forced PSNR
  falls by more than `--max-tf-drop` dB, and `hma-nb bench` (batch 1, K as shipped, `--bench-domain`) gives PICK at least
  `--min-fps` frames/s;
- it becomes the default `models/discrete` only if, besides, every robot meets every issue-20 target (`generalist_targets`).
Both models are scored with their own default sampler on every window of `--root` (or `--windows` evenly spaced per robot),
`--draws` random-action rollouts per window, seed 0. Results go to `--out` after each model (a rerun with the same settings
skips what is there); the speeds are measured in one run, alternating, so that their ratio means something.
Prints the verdict as JSON; copying the model into data_samples stays a deliberate step.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

from hma_nb.core import DataError, read_json, samples_dir, write_json


def _choose_pick():
    spec = importlib.util.spec_from_file_location("choose_pick", Path(__file__).with_name("choose_pick.py"))
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod


def verdict(base: dict, pick: dict, fps: dict, z: float = 2.0, max_tf_drop: float = 0.3, min_fps: float = 25.0) -> dict:
    "The rule on {robot: evaluate_world_model result} of both models and their frames/s {'base', 'pick'}: the answer and its numbers."
    from hma_nb.evaluate import generalist_targets
    if set(base) != set(pick): raise DataError(f"the two models were scored on different robots: {sorted(base)} vs {sorted(pick)}")
    c = _choose_pick().compare(base, pick, z, max_tf_drop)
    missed = {d: [k for k, ok in generalist_targets(r).items() if not ok] for d, r in sorted(pick.items())}
    replaces = c["passes"] and fps["pick"] >= min_fps
    return {"replaces_base": replaces, "becomes_default": replaces and not any(missed.values()),
            **{k: c[k] for k in ("base_mean_delta_psnr_moving", "mean_delta_psnr_moving", "gain", "stderr_of_difference", "tf_drop")},
            "z": z, "max_tf_drop": max_tf_drop, "fps": fps, "min_fps": min_fps, "targets_missed": missed}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("pick", help="the selected model folder")
    p.add_argument("--base", default=str(samples_dir() / "models" / "generalist"), help="the model it must beat (default: the shipped generalist)")
    p.add_argument("--root", required=True, help="held-out store to report on (not the one selection used)")
    p.add_argument("--windows", type=int, default=0, help="0: every window of --root; N: N evenly spaced windows per robot")
    p.add_argument("--draws", type=int, default=2)
    p.add_argument("--z", type=float, default=2.0)
    p.add_argument("--max-tf-drop", type=float, default=0.3)
    p.add_argument("--min-fps", type=float, default=25.0)
    p.add_argument("--bench-domain", default="kuka")
    p.add_argument("--bench-rounds", type=int, default=2, help="alternating speed measurements per model (the best counts)")
    p.add_argument("--out", required=True)
    a = p.parse_args(argv)
    try:
        if a.windows < 0: raise DataError(f"--windows must be >= 0 (0: all), got {a.windows}")
        if a.draws < 1: raise DataError(f"--draws must be >= 1, got {a.draws}")
        if a.bench_rounds < 1: raise DataError(f"--bench-rounds must be >= 1, got {a.bench_rounds}")
        from hma_nb.evaluate import benchmark_world_model, evaluate_domains, take_levels
        from hma_nb.model import load_model
        from hma_nb.tokenizer import load_tokenizer
        models = {}
        for key, path in (("base", a.base), ("pick", a.pick)):
            m = load_model(path)
            tok = load_tokenizer(samples_dir() / "tokenizers" / m.cfg.variant)
            models[key] = (take_levels(m, tok), tok)
        settings = {"base": a.base, "pick": a.pick, "root": a.root, "windows": a.windows, "draws": a.draws}
        out = Path(a.out)
        done = read_json(out) if out.exists() else {}
        res = done.get("results", {}) if done.get("settings") == settings else {}
        for key, (m, tok) in models.items():
            if key in res: continue
            res[key] = evaluate_domains(m, tok, a.root, "all", progress=True, draws=a.draws, max_windows=a.windows or None)["domains"]
            write_json(out, {"settings": settings, "results": res})
        fps = {"base": 0.0, "pick": 0.0}
        for _ in range(a.bench_rounds):
            for key, (m, tok) in models.items():
                fps[key] = max(fps[key], benchmark_world_model(m, tok, a.bench_domain, contexts=(8,))["fps"])
        v = verdict(res["base"], res["pick"], fps, a.z, a.max_tf_drop, a.min_fps)
        write_json(out, {"settings": settings, "results": res, "verdict": v})
        print(json.dumps(v))
        return 0
    except DataError as e:
        print(f"report_generalist: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

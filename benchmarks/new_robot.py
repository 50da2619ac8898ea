"""Helpers of benchmarks/new_robot.sh (issue 22, item 3: a new robot on the pretrained trunk, measured).

    python benchmarks/new_robot.py generate STORE --domain reacher --train 200 --heldout 20 --seed 1
    python benchmarks/new_robot.py preset-of data_samples/models/discrete      # the trunk preset of a model: cpu
    python benchmarks/new_robot.py table runs/newrobot                         # the results, as JSON and markdown

`generate` renders an opt-in robot of `hma_nb.envs.EXTRA_DOMAINS` into an episode store, with the seeds and store record
of `hma-nb generate --seed S` (train episodes from seed S*10000, held-out ones from S*10000+5000): `hma-nb generate`
makes only the default six robots (`hma_nb.envs.DOMAINS`). Episodes are streamed into the store (one shard in memory).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def generate(a) -> int:
    from tqdm import tqdm
    from hma_nb.data import EpisodeStore
    from hma_nb.envs import domain_spec, generate_episode, make_env
    spec = domain_spec(a.domain)
    t0, frames = time.perf_counter(), [0]
    with make_env(a.domain, a.size) as env:
        def episodes(seed: int, n: int, split: str):
            for i in tqdm(range(n), desc=f"{a.domain} {split}", disable=a.quiet):
                ep = generate_episode(a.domain, seed + i, a.steps, a.size, env=env)
                frames[0] += len(ep)
                yield ep
        splits = {s: episodes(seed, n, s) for s, n, seed in (("train", a.train, a.seed * 10000),
                                                            ("heldout", a.heldout, a.seed * 10000 + 5000)) if n}
        EpisodeStore(a.out).write_domain(splits, action_names=spec.action_names, action_low=spec.action_low,
                                         action_high=spec.action_high, new=True,
                                         source={"generator": "hma_nb.envs", "train": a.train, "heldout": a.heldout,
                                                 "size": a.size, "seed": a.seed, "steps": a.steps})
    secs = time.perf_counter() - t0
    print(json.dumps({"out": str(a.out), "domain": a.domain, "episodes": a.train + a.heldout, "frames": frames[0],
                      "seconds": round(secs, 1), "seconds_per_episode": round(secs / max(1, a.train + a.heldout), 2),
                      "frames_per_second": round(frames[0] / secs, 1)}))
    return 0


def preset_of(a) -> int:
    "Print the name of the trunk preset whose size (d, layers, heads, MLP ratio) the model at `a.model` has."
    from hma_nb.trunk import TRUNK_PRESETS
    trunk = json.loads((Path(a.model) / "model.json").read_text())["config"]["trunk"]
    key = lambda t: (t["d"], t["layers"], t["heads"], t["mlp_ratio"])
    hits = [n for n, p in TRUNK_PRESETS.items() if key(vars(p)) == key(trunk)]
    if not hits:
        print(f"error: {a.model} has a trunk {key(trunk)} (d, layers, heads, mlp_ratio) that no preset of "
              f"{sorted(TRUNK_PRESETS)} has; pass PRESET=... to the script", file=sys.stderr)
        return 2
    print(hits[0])
    return 0


METRICS = [("teacher_forced", "psnr_teacher_forced", None), ("ar_last", "psnr_autoregressive_last", None),
           ("delta_psnr", "delta_psnr", "delta_psnr_stderr"), ("delta_psnr_moving", "delta_psnr_moving", "delta_psnr_moving_stderr")]


def table(a) -> int:
    "One row per evaluated run (OUT/eval/ARM_fF.json), then the pretrained - scratch gain per data fraction."
    rows = []
    for p in sorted((Path(a.out) / "eval").glob("*_f*.json")):
        arm, frac = p.stem.rsplit("_f", 1)
        r = json.loads(p.read_text())
        b = r["baseline_copy_last"]
        row = {"arm": arm, "fraction": float(frac), "windows": r["windows"]}
        for name, k, se in METRICS:
            row[name] = r[k]
            if se: row[name + "_se"] = r[se]
        row |= {"copy_last_tf": b["psnr_teacher_forced"], "copy_last_ar_last": b["psnr_autoregressive_last"],
                "copy_last_moving": b["psnr_moving"], "moving": r["psnr_moving"], "tokenizer_ceiling": r["tokenizer_psnr_last"]}
        rows.append(row)
    if not rows:
        print(f"error: no evaluations in {a.out}/eval", file=sys.stderr)
        return 2
    rows.sort(key=lambda r: (r["fraction"], r["arm"]))
    by = {(r["arm"], r["fraction"]): r for r in rows}
    gains = [{"fraction": f, **{n: round(by["pretrained", f][n] - by["scratch", f][n], 2) for n, _, _ in METRICS}}
             for f in sorted({r["fraction"] for r in rows}) if ("pretrained", f) in by and ("scratch", f) in by]
    print(json.dumps({"rows": rows, "gain_pretrained_minus_scratch": gains}))
    pm = lambda r, n: f"{r[n]:.2f} ± {r[n + '_se']:.2f}"
    print("\n| run | data | windows | teacher-forced PSNR | AR last PSNR | ΔPSNR | moving ΔPSNR | moving PSNR | copy-last (tf / AR last / moving) | tokenizer ceiling |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['arm']} | {r['fraction']:.0%} | {r['windows']} | {r['teacher_forced']:.2f} | {r['ar_last']:.2f} | "
              f"{pm(r, 'delta_psnr')} | {pm(r, 'delta_psnr_moving')} | {r['moving']:.2f} | "
              f"{r['copy_last_tf']:.2f} / {r['copy_last_ar_last']:.2f} / {r['copy_last_moving']:.2f} | {r['tokenizer_ceiling']:.2f} |")
    for g in gains:
        print(f"| **gain** (pretrained − scratch) | {g['fraction']:.0%} | | {g['teacher_forced']:+.2f} | {g['ar_last']:+.2f} | "
              f"{g['delta_psnr']:+.2f} | {g['delta_psnr_moving']:+.2f} | | | |")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="new_robot.py", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(required=True)
    g = sub.add_parser("generate", help="render an opt-in robot's episodes into a new domain of an episode store")
    g.add_argument("out")
    g.add_argument("--domain", default="reacher")
    g.add_argument("--train", type=int, default=200)
    g.add_argument("--heldout", type=int, default=20)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--size", type=int, default=64)
    g.add_argument("--steps", type=int, help="raw steps per episode (default: the robot's)")
    g.add_argument("--quiet", action="store_true")
    g.set_defaults(func=generate)
    s = sub.add_parser("preset-of", help="the trunk preset a model checkpoint was built with")
    s.add_argument("model")
    s.set_defaults(func=preset_of)
    t = sub.add_parser("table", help="the results table of OUT/eval/*.json")
    t.add_argument("out")
    t.set_defaults(func=table)
    a = p.parse_args(argv)
    from hma_nb.core import DataError
    try:
        return a.func(a)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""How big a trunk fits the 25 frames/s floor? (for the results page)

    python docs/trunk_speed.py --sizes 128x4,192x4,256x4,128x8,192x6,256x6 --rounds 2 [--domain kuka] [--json]

Every size is the shipped generalist's config (`data_samples/models/generalist`: its robots, token grid, action tokens,
conditioning and sampler) with the trunk's width d and number of blocks changed (d/32 heads, head width 32, as the shipped
d=128 has). The weights are untrained: speed does not depend on them. Each size is timed with `hma-nb bench`'s own
measure (`evaluate.benchmark_world_model`: batch 1, 8 frames of context, KV cache, tokenizer decode included, bf16 where
this CPU runs it natively), the sizes taking turns for `--rounds` rounds in one process so that they share the machine's
state; a size's figure is its best round. The shipped size (128x4) is always measured, and the other sizes are reported
as a ratio to it, since absolute frames/s change from one CPU to the next.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import torch

from hma_nb.core import seed_everything
from hma_nb.evaluate import benchmark_world_model
from hma_nb.model import HMA, load_model
from hma_nb.sampling import SamplerConfig
from hma_nb.tokenizer import load_tokenizer

ROOT = Path(__file__).resolve().parents[1]


def sizes_arg(s: str) -> list[tuple[int, int]]:
    "'DxL,DxL' as [(d, layers)], d a multiple of 32."
    try:
        out = [tuple(int(x) for x in part.lower().split("x")) for part in s.split(",")]
    except ValueError:
        out = []
    if not out or any(len(t) != 2 or t[0] < 32 or t[0] % 32 or t[1] < 1 for t in out):
        raise argparse.ArgumentTypeError(f"expected sizes as DxL,... with d a multiple of 32 and L >= 1 (e.g. 192x4), got {s!r}")
    return out


def sized(model: HMA, d: int, layers: int) -> HMA:
    "An untrained model of the shipped one's config with a trunk of width `d` and `layers` blocks."
    seed_everything(0)
    return HMA(replace(model.cfg, trunk=replace(model.cfg.trunk, d=d, layers=layers, heads=d // 32))).eval()


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default=str(ROOT / "data_samples" / "models" / "generalist"))
    p.add_argument("--tokenizer", default=str(ROOT / "data_samples" / "tokenizers" / "discrete"))
    p.add_argument("--sizes", type=sizes_arg, default=sizes_arg("128x4,192x4,256x4,128x8,192x6,256x6"))
    p.add_argument("--domain", default="kuka")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--reps", type=int, default=10, help="frames timed per measurement (as hma-nb bench --reps)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    if a.rounds < 1: p.error(f"--rounds must be >= 1, got {a.rounds}")
    base, tok = load_model(a.model), load_tokenizer(a.tokenizer)
    known = [md.name for md in base.cfg.domains]
    if a.domain not in known: p.error(f"--domain {a.domain!r}: the model knows {known}")
    sizes = [(base.cfg.trunk.d, base.cfg.trunk.layers)] + [s for s in a.sizes if s != (base.cfg.trunk.d, base.cfg.trunk.layers)]
    models = {s: sized(base, *s) for s in sizes}
    cfg = SamplerConfig().resolve(base)                # the shipped sampler (K, pick), the same for every size
    fps, params = {s: [] for s in sizes}, {}
    for _ in range(a.rounds):
        for s, m in models.items():
            r = benchmark_world_model(m, tok, a.domain, cfg, contexts=(8,), reps=a.reps)
            fps[s].append(r["fps"]); params[s] = r["params"]
    rows = [{"d": d, "layers": L, "params_M": round(params[(d, L)] / 1e6, 2), "fps": max(fps[(d, L)]), "fps_rounds": fps[(d, L)], "ratio_to_shipped": round(max(fps[(d, L)]) / max(fps[sizes[0]]), 3)}
            for d, L in sizes]
    res = {"model": a.model, "domain": a.domain, "maskgit_steps": cfg.steps, "pick": cfg.pick, "threads": torch.get_num_threads(),
           "rows": rows}
    if a.json:
        print(json.dumps(res))
        return
    print(f"{'d x L':>8} {'params (M)':>10} {'frames/s':>9} {'vs shipped':>10}   rounds")
    for r in rows:
        print(f"{r['d']:>4} x {r['layers']:<2} {r['params_M']:>10} {r['fps']:>9} {r['ratio_to_shipped']:>10}   {r['fps_rounds']}")


if __name__ == "__main__":
    main()

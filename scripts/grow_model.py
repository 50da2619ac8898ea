"""A deeper copy of a trained world model, to train on from where it stopped (`model.grow_depth`: new blocks start as the identity).

    python scripts/grow_model.py --model data_samples/models/generalist --layers 8 --out runs/grown8
    hma-nb train --init runs/grown8 ...        or        python scripts/gpu_generalist.py train --init runs/grown8 ...

Checks on the way out that the deeper model's outputs (logits, or for the continuous variant the trunk outputs its diffusion head reads) equal the
old one's on random tokens and actions of every robot (float32), and writes it as an ordinary model folder (model.safetensors, model.json with `info["grown"]`).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

from hma_nb.core import DataError
from hma_nb.model import grow_depth, load_model, save_model


def same_function(old, new, T: int = 3, B: int = 2) -> float:
    "Largest |difference| of the outputs of `old` and `new` over every robot, on random tokens, masks and actions."
    g = torch.Generator().manual_seed(0)
    worst = 0.0
    with torch.no_grad():
        for md in old.cfg.domains:
            if old.cfg.continuous: sub = torch.randn(B, T, old.cfg.S, old.cfg.token_dim, generator=g)
            else: sub = torch.stack([torch.randint(0, v, (B, T, old.cfg.S), generator=g) for v in old.cfg.sub_vocab_sizes], -1)
            mask = torch.rand(B, T, old.cfg.S, generator=g) < 0.5
            act = torch.randn(B, T, md.action_dim, generator=g)
            worst = max(worst, float((old(sub, mask, act, md.name)[0] - new(sub, mask, act, md.name)[0]).abs().max()))
    return worst


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, help="trained model folder")
    p.add_argument("--layers", type=int, required=True, help="trunk blocks of the new model (more than the old one's)")
    p.add_argument("--out", required=True, help="folder for the new model (must not hold one)")
    a = p.parse_args(argv)
    if (Path(a.out) / "model.json").exists(): p.error(f"{a.out} already holds a model; choose another --out")
    try:
        old = load_model(a.model)
        new = grow_depth(old, a.layers).eval()
    except DataError as e:
        p.error(str(e))
    diff = same_function(old, new)
    if diff > 1e-4: raise SystemExit(f"the grown model differs from {a.model} by {diff:.2e} in its outputs; nothing written")
    save_model(new, a.out, {**new.info, "grown_from": str(a.model)})
    n = lambda m: sum(t.numel() for t in m.parameters())
    print(f"{a.out}: {old.cfg.trunk.layers} -> {a.layers} blocks, {n(old):,} -> {n(new):,} parameters; "
          f"largest output difference {diff:.1e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: which token grid for 64x64 frames? Trains a 16x16 and an 8x8 discrete tokenizer (same
2^18 FSQ vocabulary, same steps, same data) and prints held-out PSNR per domain and batch-1 decode time.

    python benchmarks/tokenizer_grid.py --steps 600 --out runs/grid_bench

Both variants are trained and measured in this one process, so the ratios are comparable.
"""
import argparse
import json
from pathlib import Path

from hma_nb.tokenizer import TOKENIZER_PRESETS, TokenizerConfig, load_tokenizer
from hma_nb.tokens import evaluate_tokenizer, frame_pools
from hma_nb.train import train_tokenizer

VARIANTS = {
    "grid16": TOKENIZER_PRESETS["discrete"],
    "grid8": TokenizerConfig(channels=(32, 64, 128, 256), res_blocks=(0, 1, 1, 2)),
}

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--root", default="data_samples")
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--out", default="runs/grid_bench")
    a = p.parse_args()
    pools, rows = frame_pools(a.root, "train"), {}
    for name, cfg in VARIANTS.items():
        out = Path(a.out) / name
        train_tokenizer(cfg, pools, out, steps=a.steps, batch_size=32, lr=1e-3, warmup=100, resume=True)
        r = evaluate_tokenizer(load_tokenizer(out), a.root, every=2)
        rows[name] = {"grid": r["grid"], "tokens_per_frame": r["grid"][0] * r["grid"][1], "psnr": r["psnr"],
                      "psnr_mean": r["psnr_mean"], "ms_per_frame": r["speed_by_dtype"], "params": r["params"]}
    print(json.dumps({"steps": a.steps, "variants": rows}, indent=1))

if __name__ == "__main__":
    main()

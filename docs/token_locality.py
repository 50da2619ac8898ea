"""How local are a tokenizer's tokens? Between consecutive frames of held-out episodes, the share of token ids that change
where nothing moved nearby, against the share that change where something moved (for the results page).

    python docs/token_locality.py --tokenizer data_samples/tokenizers/discrete --root runs/val [--frames 60 --margin 4 24]

A pixel moved when one of its channels changed by more than 8 (of 255) between the two frames (`metrics.changed_pixels`). A token's cell (its
4x4 pixels, for a 16x16 grid on 64x64 frames) counts as static at margin m when no pixel within m pixels of the cell
moved (`metrics.dilate_mask`). With a tokenizer whose tokens depend only on nearby pixels, static tokens keep their ids (share near 0); the
world model then has to predict new ids only where the robot moved. Prints one row per robot and margin (JSON with --json).
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from hma_nb.data import open_store
from hma_nb.metrics import changed_pixels, dilate_mask
from hma_nb.tokenizer import load_tokenizer


def locality(tok, frames_NHWC: np.ndarray, margin: int, threshold: float = 8.5 / 255) -> dict:
    "Shares of token ids that change between consecutive frames: in static cells (at `margin` pixels) and in moving cells."
    ids = tok.encode(frames_NHWC).cpu().numpy()                                   # [N,h,w]
    moved = dilate_mask(changed_pixels(frames_NHWC[:-1], frames_NHWC[1:], threshold), margin)   # [N-1,H,W]
    (n, h, w), cell = ids[1:].shape, frames_NHWC.shape[1] // ids.shape[1]
    near = moved.reshape(n, h, cell, w, cell).any(4).any(2).numpy()             # [N-1,h,w]: a moved pixel near the cell
    changed = ids[1:] != ids[:-1]
    return {"margin": margin, "static_share": round(float((~near).mean()), 3), "changed_static": round(float(changed[~near].mean()), 3),
            "changed_moving": round(float(changed[near].mean()), 3), "changed_all": round(float(changed.mean()), 3)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tokenizer", required=True)
    p.add_argument("--root", required=True, help="episode store (its held-out split is read)")
    p.add_argument("--frames", type=int, default=60, help="frames of the first held-out episode of each robot")
    p.add_argument("--margin", type=int, nargs="+", default=[4, 24])
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    tok, store = load_tokenizer(a.tokenizer), open_store(a.root)
    rows = []
    for d in store.domains:
        frames = next(store.iter_episodes(d, "heldout")).frames[:a.frames]
        rows += [{"domain": d, **locality(tok, frames, m)} for m in a.margin]
    if a.json: print(json.dumps(rows))
    else:
        for r in rows: print(f"{r['domain']:9s} margin {r['margin']:2d}px: static cells {r['static_share']:.2f}, ids changed there "
                             f"{r['changed_static']:.2f}, in moving cells {r['changed_moving']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""One side-by-side video of `hma-nb policy-eval --out DIR` as a picture: one row per panel (the world model's closed
loop on top; with --replay, its open-loop replay of the simulator's actions next; the simulator's at the bottom), every
`--every`th model step.

    python docs/policy_strip.py DIR/best_expert.mp4 nbs/images/pusht_policy_expert.png [--every 4] [--size 64]
"""
from __future__ import annotations

import argparse

import mediapy
import numpy as np

from hma_nb.core import DataError


def panels(H: int, W: int) -> tuple[int, int]:
    "How many square panels of height H, and the gap between them, make a `side_by_side` video W px wide (2 or 3 panels)."
    for n in (2, 3):
        gap, rest = divmod(W - n * H, n - 1)
        if rest == 0 and 0 <= gap < H: return n, gap
    raise DataError(f"not a policy-eval side-by-side video: {W} px wide for {H} px high")


def strip(video_THWC: np.ndarray, every: int = 4, size: int = 64) -> np.ndarray:
    "One row per panel of frames 0, every, 2 every, ... and the last, each `size` px, from a `side_by_side` video."
    T, H, W, _ = video_THWC.shape
    n, gap = panels(H, W)
    idx = sorted({*range(0, T, every), T - 1})
    step = H // size
    rows = [np.concatenate([video_THWC[i, ::step, off:off + H:step] for i in idx], 1) for off in range(0, n * (H + gap), H + gap)]
    return np.concatenate(rows, 0)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("video"); p.add_argument("out")
    p.add_argument("--every", type=int, default=4)
    p.add_argument("--size", type=int, default=64)
    a = p.parse_args()
    mediapy.write_image(a.out, strip(mediapy.read_video(a.video), a.every, a.size))
    print(a.out)


if __name__ == "__main__":
    main()

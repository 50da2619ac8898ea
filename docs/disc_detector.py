"""How far from the agent's true position does `policy_eval.disc_xy` read the disc, on gym-pusht's frames and on the same
frames after the tokenizer's round trip (encode, decode), as the world model's frames are made? The local detector
(default) against the centroid over the whole frame (`reach=None`).

    python docs/disc_detector.py [--tokenizer DIR] [--seed 72000] [--episodes 20] [--moves 6] [--image OUT.png] [--json]

Frames: from each start state, `--moves` random targets (uniform in 60-452 board px), each held for one model step (5 raw
steps); the frame after each. Errors in board px (one frame pixel is 8).
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from hma_nb.core import samples_dir
from hma_nb.envs import PushTEnv
from hma_nb.policy_eval import STRIDE, disc_xy, unmix
from hma_nb.tokenizer import load_tokenizer


def frames_and_truth(seeds, moves: int, size: int, seed: int = 0):
    "gym-pusht frames uint8 [N,H,W,3] after random moves, and the agent's true positions [N,2]."
    env, rng, frames, truth = PushTEnv(size), np.random.default_rng(seed), [], []
    try:
        for s in seeds:
            env.reset(s)
            for _ in range(moves):
                t = rng.uniform(60, 452, 2)
                for _ in range(STRIDE): f = env.step(t)
                frames.append(f); truth.append(env.agent_xy())
    finally:
        env.close()
    return np.stack(frames), np.array(truth)


def errors(frames, truth, **read) -> np.ndarray:
    "Distance of the read disc (`disc_xy(..., **read)`) from the truth per frame (NaN where none is read)."
    found = [disc_xy(unmix(f)[..., 3], **read) for f in frames]
    return np.array([np.nan if p is None else float(np.linalg.norm(p - t)) for p, t in zip(found, truth)])


def summary(e: np.ndarray) -> dict:
    return {"median": round(float(np.nanmedian(e)), 1), "mean": round(float(np.nanmean(e)), 1),
            "largest": round(float(np.nanmax(e)), 1), "missed": int(np.isnan(e).sum())}


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tokenizer", default=str(samples_dir() / "tokenizers" / "discrete"))
    p.add_argument("--seed", type=int, default=72000, help="first start state (default 72000: validation)")
    p.add_argument("--episodes", type=int, default=20)
    p.add_argument("--moves", type=int, default=6)
    p.add_argument("--image", help="also write the 4 frames the whole-frame centroid misreads most: original | round trip")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    tok = load_tokenizer(a.tokenizer)
    F, truth = frames_and_truth(range(a.seed, a.seed + a.episodes), a.moves, tok.cfg.image_size)
    R = tok.decode(tok.encode(F)).cpu().numpy()
    agent = lambda x: round(float(unmix(x)[..., 3].sum((-1, -2)).mean()), 1)    # agent share per frame, px
    res = {"tokenizer": a.tokenizer, "frames": len(F), "seeds": [a.seed, a.seed + a.episodes - 1],
           "agent_px": {"simulator": agent(F), "round_trip": agent(R)}}
    whole = errors(R, truth, reach=None)
    res["local"] = {"simulator": summary(errors(F, truth)), "round_trip": summary(errors(R, truth))}   # disc_xy's default
    res["whole_frame"] = {"simulator": summary(errors(F, truth, reach=None)), "round_trip": summary(whole)}
    if a.image:
        import mediapy
        worst = np.argsort(-np.nan_to_num(whole))[:4]
        mediapy.write_image(a.image, np.concatenate([np.concatenate([F[i], R[i]], 1) for i in worst]).repeat(4, 0).repeat(4, 1))
    if a.json: print(json.dumps(res))
    else:
        for name in ("local", "whole_frame"):
            s, r = res[name]["simulator"], res[name]["round_trip"]
            print(f"{name:11s}: simulator frames median {s['median']:5.1f} px (largest {s['largest']:5.1f}); "
                  f"round trip median {r['median']:5.1f} px (largest {r['largest']:5.1f}, missed {r['missed']})")
        print(f"agent share per frame: simulator {res['agent_px']['simulator']} px, round trip {res['agent_px']['round_trip']} px")
    return res


if __name__ == "__main__":
    main()

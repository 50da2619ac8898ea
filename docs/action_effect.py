"""How much do a robot's actions change its future frames, in the simulator itself? The physical scale of the moving-pixel
delta PSNR that issue 20 asks of a world model (for the results page).

    python docs/action_effect.py --model data_samples/models/generalist --root runs/val [--windows 40 --draws 2]

The same windows as `hma-nb evaluate` (2 prompt frames, 8 generated, `--windows` evenly spaced per robot) and random actions
drawn as it draws them (each model action from N(mean, std) of the model's statistics for the robot, from the last prompt
frame on; other draws of the same law), here clipped to the simulator's bounds and played in the simulator instead of the model: the episode is replayed from its seed
with its own actions up to the last prompt frame, then with the random ones. On the last frame's moving pixels
(`metrics.moving_mask`, as in `evaluate.moving_last`: changed between the last prompt frame and the true last frame, or the random-action last
frame), per robot: the PSNR of the simulator's random-action frame against the true frame, and of copying the last prompt
frame. A low first figure means that the actions decide where the robot goes; a model that follows them can then beat its
random-action rollouts by a wide margin. Each replay is checked against the stored frame first (the simulators are
deterministic). One row per robot (JSON with --json).

    python docs/action_effect.py --root runs/val --predictability runs/gen_data

also reports how well a robot's next model action is guessed from its previous one in the training episodes of
`runs/gen_data` (ridge regression, normalised actions, fit on the first three quarters of the pairs, R^2 on the rest): a
model could follow actions that its training data makes predictable from the past motion without reading them.
"""
from __future__ import annotations

import argparse
import json

import numpy as np
import torch

from hma_nb.data import open_store, window_index
from hma_nb.envs import domain_spec, make_env
from hma_nb.evaluate import _window_starts
from hma_nb.metrics import MOVING_DILATE, MOVING_THRESHOLD, moving_mask, psnr_masked
from hma_nb.model import load_model


def _play(env, seed: int, actions_RA: np.ndarray) -> np.ndarray:
    "The frame uint8 [H,W,3] after `actions_RA` from `reset(seed)`."
    frame = env.reset(seed)
    for a in actions_RA: frame = env.step(a)
    return frame


def action_effect(model, root: str, domain: str, windows: int = 40, draws: int = 2, prompt: int = 2, horizon: int = 8, seed: int = 0) -> dict:
    "The simulator's random-action last frames against the true ones, on moving pixels, over `windows` windows of `domain`."
    dom, spec, store = model.cfg.domain(domain), domain_spec(domain), open_store(root)
    T, stride, raw = prompt + horizon, dom.stride, dom.raw_action_dim
    starts = _window_starts(window_index(store.lengths(domain, "heldout"), T, stride, 2 * stride, domain), windows)
    mean, std = np.asarray(dom.action_mean), np.asarray(dom.action_std)
    g = np.random.default_rng(seed)
    info = store.info(domain)
    env = make_env(domain, (info.height, info.width))
    rand, copy = [], []
    try:
        for e, ep in zip(sorted(starts), store.load(domain, "heldout", sorted(starts))):
            for s in starts[e]:
                cut, end = s + (prompt - 1) * stride, s + (T - 1) * stride      # raw steps to the last prompt / last frame
                true_last, prompt_last = ep.frames[end], ep.frames[cut]
                if not np.array_equal(_play(env, ep.meta["seed"], ep.actions[:end]), true_last):
                    raise RuntimeError(f"{domain}: replaying episode {e} does not give its stored frame")
                lasts = []
                for _ in range(draws):
                    fake = (mean + std * g.standard_normal((horizon, len(mean)))).reshape(-1, raw)[: end - cut]
                    fake = np.clip(fake, spec.action_low, spec.action_high).astype(np.float32)
                    lasts.append(_play(env, ep.meta["seed"], np.concatenate([ep.actions[:cut], fake])))
                t = lambda x: torch.tensor(np.array(x))
                mask = moving_mask(t(prompt_last), [t(true_last), *map(t, lasts)], MOVING_THRESHOLD, MOVING_DILATE)
                if not mask.any(): continue
                rand.append(float(np.mean([psnr_masked(t(f), t(true_last), mask) for f in lasts])))
                copy.append(float(psnr_masked(t(prompt_last), t(true_last), mask)))
    finally:
        env.close()
    r, c, n = np.array(rand), np.array(copy), len(rand)
    return {"domain": domain, "windows": n, "sim_random_actions_psnr_moving": round(float(r.mean()), 2),
            "sim_random_actions_stderr": round(float(r.std() / n ** 0.5), 2), "copy_last_psnr_moving": round(float(c.mean()), 2)}


def action_predictability(model, root: str, domain: str, ridge: float = 0.1) -> float:
    "R^2 of the next model action from the previous one over the training episodes of `domain` in `root` (ridge, held-out quarter)."
    dom = model.cfg.domain(domain)
    X, Y = [], []
    for a in open_store(root).actions(domain, "train"):
        T = len(a) // dom.stride
        A = (np.asarray(a[:T * dom.stride], np.float64).reshape(T, -1) - np.asarray(dom.action_mean)) / np.asarray(dom.action_std)
        X.append(A[:-1]); Y.append(A[1:])
    X, Y = np.concatenate(X), np.concatenate(Y)
    k = len(X) * 3 // 4
    W = np.linalg.solve(X[:k].T @ X[:k] + ridge * k * np.eye(X.shape[1]), X[:k].T @ Y[:k])
    return round(float(1 - (Y[k:] - X[k:] @ W).var(0).sum() / Y[k:].var(0).sum()), 3)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="data_samples/models/generalist", help="whose action statistics draw the random actions")
    p.add_argument("--root", required=True, help="store with held-out episodes of the robots")
    p.add_argument("--domains", default="pusht,pusher,cheetah,sawyer,kuka,pendulum")
    p.add_argument("--windows", type=int, default=40)
    p.add_argument("--draws", type=int, default=2)
    p.add_argument("--predictability", metavar="TRAIN_ROOT", help="also: R^2 of the next action from the previous one in this store's training episodes")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    model = load_model(a.model)
    rows = [action_effect(model, a.root, d.strip(), a.windows, a.draws) for d in a.domains.split(",")]
    if a.predictability:
        for r in rows: r["next_action_r2"] = action_predictability(model, a.predictability, r["domain"])
    if a.json: print(json.dumps(rows, indent=1)); return
    print("robot      windows  sim, random actions (± s.e.)  copy-last   (moving-pixel PSNR of the last frame, dB)")
    for r in rows:
        print(f"{r['domain']:<10} {r['windows']:>7}  {r['sim_random_actions_psnr_moving']:>8.2f} ± {r['sim_random_actions_stderr']:.2f}"
              f"         {r['copy_last_psnr_moving']:>8.2f}" + (f"   next-action R^2 {r['next_action_r2']:.3f}" if "next_action_r2" in r else ""))


if __name__ == "__main__":
    main()

"""Where does a PushT world model put the agent disc, and do the scripted policies stall on it? Two measures:

1. **Placement**: from each start state's prompt, one command (all 5 targets at one point `r` board px from the disc, in
   a random direction) repeated for `--repeat` model steps; the disc's distance from the commanded point after each step,
   in gym-pusht and in the model (the disc found in the frame by `disc_xy`, as the policies find it).
2. **Stalls** in a closed-loop evaluation: steps where a policy commands the disc more than 20 px away and the disc moves
   less than 5 px, per policy, in the simulator and in the model; and the episodes with 5 such steps in a row.

    python docs/pusht_stall.py [--model DIR] [--seed 72000] [--episodes 20] [--horizon 40] [--patience P] [--stalls-only] [--json]

`--patience P` runs the stalls with pushers that take a disc stalled P steps as arrived (`PushTPusher`'s `patience`).
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from hma_nb.core import samples_dir
from hma_nb.envs import PushTEnv
from hma_nb.evaluate import take_levels
from hma_nb.model import load_model
from hma_nb.policy_eval import (PATIENCE, POLICIES, POLICY_MODEL, STRIDE, ClosedLoop, PushTPusher, Run, check_pusht_model,
                                disc_xy, evaluate_policies, start_states, unmix)
from hma_nb.tokenizer import load_tokenizer

FAR, STILL, RUN = PushTPusher.stuck_far, PushTPusher.stuck_px, 5   # a stall as the pushers count one (sent over FAR px,
                                                                   # moved under STILL px); RUN stalls in a row


def discs(frames_THWC: np.ndarray) -> list:
    "The disc's board position in each frame (None where no disc is found)."
    return [disc_xy(unmix(f)[..., 3]) for f in frames_THWC]


def placement(model, tok, seeds: list[int], distances=(10, 30, 60, 100, 150), repeat: int = 4, seed: int = 0) -> list[dict]:
    "Per distance r: the disc's mean distance from the commanded point, in the simulator after 1 step, in the model after each step."
    prompt, hold = start_states(seeds, tok.cfg.image_size)
    rng, env, rows = np.random.default_rng(seed), PushTEnv(tok.cfg.image_size), []
    try:
        for r in distances:
            targets, sim_off = [], []
            for s in seeds:
                env.reset(s); a0 = env.agent_xy()
                for _ in range(STRIDE): env.step(a0)
                for _ in range(100):                                     # a point on the board, r px away
                    th = rng.uniform(0, 2 * np.pi); t = a0 + r * np.array([np.cos(th), np.sin(th)])
                    if ((t > 30) & (t < 482)).all(): break
                for _ in range(STRIDE): env.step(t)
                targets.append(t); sim_off.append(float(np.linalg.norm(env.agent_xy() - t)))
            T = np.array(targets, np.float32)
            loop = ClosedLoop(model, tok, "pusht")
            loop.start(prompt, hold[:, None])
            vs = []                                                      # per step: the disc minus the target [N,2]
            for _ in range(repeat):
                d = discs(loop.step(np.tile(T, (1, STRIDE))))
                vs.append(np.array([[np.nan, np.nan] if p is None else p - t for p, t in zip(d, T)]))
            off, vec = [float(np.nanmean(np.linalg.norm(v, axis=1))) for v in vs], vs[0]
            rows.append({"r": r, "sim_off": round(float(np.mean(sim_off)), 1), "model_off": [round(o, 1) for o in off],
                         "model_mean_offset": [round(float(x), 1) for x in np.nanmean(vec, 0)],     # after step 1: a bias would show
                         "model_largest_off": round(float(np.nanmax(np.linalg.norm(vec, axis=1))), 1)})
    finally:
        env.close()
    return rows


def stalls(run: Run) -> dict:
    "Commands further than FAR px, those after which the disc moved less than STILL px, and episodes with RUN such steps in a row."
    far = stuck = long = 0
    for F, A in zip(run.frames, run.actions):                  # action t moves frame t to frame t + 1
        d, streak, worst = discs(F), 0, 0
        for t in range(1, len(F) - 1):
            if d[t] is None or d[t + 1] is None or np.linalg.norm(A[t].reshape(-1, 2)[-1] - d[t]) <= FAR: streak = 0; continue
            far += 1
            if np.linalg.norm(d[t + 1] - d[t]) < STILL: stuck += 1; streak += 1; worst = max(worst, streak)
            else: streak = 0
        long += worst >= RUN
    return {"far": far, "stalled": stuck, "share": round(stuck / max(far, 1), 3), "episodes_stalled": int(long)}


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=str(samples_dir() / POLICY_MODEL))
    p.add_argument("--seed", type=int, default=72000, help="first start state (default 72000: validation, not the held-out 70000)")
    p.add_argument("--episodes", type=int, default=20)
    p.add_argument("--horizon", type=int, default=40)
    p.add_argument("--repeat", type=int, default=4, help="model steps the placement command is repeated")
    p.add_argument("--patience", type=int, default=PATIENCE, help=f"the scripted pushers' patience in the stalls' evaluation (default {PATIENCE})")
    p.add_argument("--stalls-only", action="store_true", help="skip the placement")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    model = load_model(a.model); check_pusht_model(model, a.model)
    tok = load_tokenizer(samples_dir() / "tokenizers" / model.cfg.variant); take_levels(model, tok)
    seeds = list(range(a.seed, a.seed + a.episodes))
    res = {"model": a.model, "seeds": [seeds[0], seeds[-1]], "patience": a.patience,
           "placement": [] if a.stalls_only else placement(model, tok, seeds, repeat=a.repeat)}
    if not a.json:
        for row in res["placement"]:
            print(f"r = {row['r']:3d} px: off target, simulator {row['sim_off']:5.1f}; model {row['model_off']} "
                  f"(after step 1: mean offset {row['model_mean_offset']}, largest {row['model_largest_off']})")
    ev = evaluate_policies(model, tok, POLICIES, a.episodes, a.horizon, a.seed, progress=not a.json, model_name=a.model,
                           patience=a.patience)
    res["stalls"] = {name: {"sim": stalls(ev.sim[name]), "model": stalls(ev.world[name])} for name in ev.policies}
    if a.json: print(json.dumps(res))
    else:
        for name, s in res["stalls"].items():
            print(f"{name:11s} stalled: simulator {s['sim']['share']:.3f} ({s['sim']['episodes_stalled']} episodes {RUN}+ in a row), "
                  f"model {s['model']['share']:.3f} ({s['model']['episodes_stalled']})")
    return res


if __name__ == "__main__":
    main()

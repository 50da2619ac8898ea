"""Does the T leave the goal? A closed-loop evaluation read over time, not only at its last frame: per policy, in gym-pusht
and in the world model, the episodes in which the T reached the goal (pixel score >= ON at some model step after the
prompt), those that ended on it (>= ON at the last frame), those that reached it and ended off it (< OFF), and the spread of
the last frame's score over the episodes that ended on it. With `--picture`, the listed episodes of one policy as rows of
frames (gym-pusht above, the model below), every `--every` model steps.

    python docs/pusht_goal_hold.py [--model DIR] [--seed 72730] [--episodes 20] [--policies expert,distracted,random]
                                   [--picture OUT.png --picture-policy distracted --rows 1,9] [--json]
    python docs/pusht_goal_hold.py --summary POLICY_EVAL.json     (the ends-on-goal shares of a finished evaluation)

Both sides are read by the same pixel score (`policy_eval.pixel_coverage`), so the scorer is not what differs.
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from hma_nb.core import samples_dir
from hma_nb.evaluate import take_levels
from hma_nb.model import load_model
from hma_nb.policy_eval import POLICIES, POLICY_MODEL, PolicyEval, evaluate_policies, pixel_coverage
from hma_nb.tokenizer import load_tokenizer

ON, OFF = 0.3, 0.05   # on the goal: pixel score >= ON; off it: < OFF


def ends_on_goal(res: dict) -> list[dict]:
    "From a `hma-nb policy-eval --json` output: per policy, the share of episodes ending on the goal and their scores' mean and s.d."
    out = []
    for r in res["policies"]:
        row = {"policy": r["name"]}
        for side in ("sim", "model"):
            x = np.array(r[f"{side}_episodes"]); on = x[x >= ON]
            row[side] = {"ended_on": round(float((x >= ON).mean()), 3), "on_mean": round(float(on.mean()), 3) if len(on) else None,
                         "on_sd": round(float(on.std()), 3) if len(on) > 1 else None}
        out.append(row)
    return out


def hold_stats(score_NT: np.ndarray, prompt: int = 2) -> dict:
    "Counts over N episodes: reached the goal after the prompt, ended on it, reached and left it; the on-goal end scores' spread."
    reached = score_NT[:, prompt:].max(1) >= ON
    end = score_NT[:, -1]
    on = end >= ON
    return {"episodes": len(end), "reached": int(reached.sum()), "ended_on": int(on.sum()), "left": int((reached & (end < OFF)).sum()),
            "on_mean": round(float(end[on].mean()), 3) if on.any() else None,
            "on_sd": round(float(end[on].std()), 3) if on.sum() > 1 else None}


def table(ev: PolicyEval) -> list[dict]:
    "Per policy: `hold_stats` in gym-pusht (its frames, read by the pixel score) and in the model."
    return [{"policy": p, "sim": hold_stats(pixel_coverage(ev.sim[p].frames, ev.goal_HW)),
             "model": hold_stats(pixel_coverage(ev.world[p].frames, ev.goal_HW))} for p in ev.policies]


def picture(ev: PolicyEval, policy: str, rows: list[int], every: int = 3, cols: int = 14) -> np.ndarray:
    "uint8 image: for each listed episode, gym-pusht's frames above the model's, every `every` model steps, 2x upscaled."
    strip = lambda f: np.concatenate(list(np.pad(f[::every][:cols], ((0, 0), (1, 1), (1, 1), (0, 0)), constant_values=255)), 1)
    img = np.concatenate([strip(side[policy].frames[i]) for i in rows for side in (ev.sim, ev.world)], 0)
    return np.repeat(np.repeat(img, 2, 0), 2, 1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=str(samples_dir() / POLICY_MODEL))
    p.add_argument("--tokenizer", default=str(samples_dir() / "tokenizers" / "discrete"))
    p.add_argument("--seed", type=int, default=72730)
    p.add_argument("--episodes", type=int, default=20)
    p.add_argument("--horizon", type=int, default=40)
    p.add_argument("--policies", default="expert,distracted,random")
    p.add_argument("--picture", help="write the rows of frames here (.png)")
    p.add_argument("--picture-policy", default="distracted")
    p.add_argument("--rows", default="1,9", help="episodes (indices from 0) drawn in the picture")
    p.add_argument("--every", type=int, default=3)
    p.add_argument("--json", action="store_true")
    p.add_argument("--summary", help="instead of running anything: read this policy-eval JSON and print `ends_on_goal`")
    a = p.parse_args()
    if a.summary:
        print(json.dumps(ends_on_goal(json.load(open(a.summary))))); return
    pols = [s.strip() for s in a.policies.split(",") if s.strip()]
    for s in pols:
        if s not in POLICIES: raise SystemExit(f"unknown policy {s!r}; the policies are {','.join(POLICIES)}")
    rows = [int(i) for i in a.rows.split(",") if i.strip()]
    if a.picture and (a.picture_policy not in pols or not rows or min(rows) < 0 or max(rows) >= a.episodes or a.every < 1):
        raise SystemExit(f"--picture needs --picture-policy among --policies ({a.picture_policy!r}), --rows within 0..{a.episodes - 1} "
                         f"({a.rows!r}) and --every >= 1 ({a.every})")
    model, tok = load_model(a.model), load_tokenizer(a.tokenizer)
    take_levels(model, tok)
    ev = evaluate_policies(model, tok, pols, a.episodes, a.horizon, a.seed, progress=not a.json, model_name=a.model)
    res = {"model": a.model, "seeds": [a.seed, a.seed + a.episodes - 1], "horizon": a.horizon, "on": ON, "off": OFF, "policies": table(ev)}
    if a.picture:
        import mediapy
        mediapy.write_image(a.picture, picture(ev, a.picture_policy, rows, a.every))
        res["picture"] = a.picture
    if a.json: print(json.dumps(res)); return
    print(f"{'policy':11s} {'side':6s} {'reached':>8s} {'ended on':>9s} {'left':>5s} {'on: mean':>9s} {'sd':>6s}   ({res['policies'][0]['sim']['episodes']} episodes)")
    for r in res["policies"]:
        for side in ("sim", "model"):
            s = r[side]
            print(f"{r['policy']:11s} {side:6s} {s['reached']:8d} {s['ended_on']:9d} {s['left']:5d} {str(s['on_mean']):>9s} {str(s['on_sd']):>6s}")


if __name__ == "__main__":
    main()

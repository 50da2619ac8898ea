"""Where a world model loses PushT's T: one step at a time from real frames (teacher-forced), split by whether the T
moved in that step, for the results page.

    python docs/pusht_contact.py [--model data_samples/models/discrete] [--seed 72000] [--episodes 20] [--json]
    python docs/pusht_contact.py --picture nbs/images/pusht_contact.png --model A,B   # one window: real, round trip, A, B

The expert policy's simulator episodes from `--episodes` start states (reset seeds `--seed` on; default validation seeds,
not the held-out 70000) are cut into windows of 10 frames starting at frames 0, 8, 16, 24 and 31. In each, the model
predicts frames 2..9, each from the real frames before it and the real actions (`sampling.rollout` with `true_BTSV`),
with its default sampler (or `--steps`, `--order`, `--temperature`, `--pick`). Per predicted frame: the T's pixel mass
(`policy_eval.unmix`) as a share of the same frame's tokenizer round trip (the real tokens decoded: what the model could
at best draw), the round trip's own share of the simulator's (`tokenizer_kept`), and the pixel score's error against
gym-pusht's coverage. A step counts as a push when the T's pixels in the simulator changed by more than `--moved` of its
mass between the frame before and this one. Prints the means, with
standard errors over episodes, for pushes and for the other steps. With `--picture`, instead: one window (episode
`--episode`, from frame `--start`) as rows of frames 2..9: the simulator, the tokenizer's round trip, then each model
of the comma-separated `--model` teacher-forced.
"""
from __future__ import annotations

import argparse
import json

import mediapy
import numpy as np
import torch

from hma_nb.core import samples_dir
from hma_nb.evaluate import decode_sub, encode_frames
from hma_nb.model import PICKS, load_model
from hma_nb.policy_eval import ScriptedPolicy, goal_mask, model_autocast, pixel_coverage, run_sim, unmix, use_bf16
from hma_nb.sampling import SamplerConfig, rollout
from hma_nb.tokenizer import load_tokenizer

STARTS, T = (0, 8, 16, 24, 31), 10


def episode_se(values_E: np.ndarray) -> list[float]:
    "Mean and standard error over episodes (episodes without such steps left out)."
    v = values_E[~np.isnan(values_E)]
    return [round(float(v.mean()), 4), round(float(v.std(ddof=1) / np.sqrt(len(v))), 4)] if len(v) > 1 else [float("nan"), float("nan")]


def teacher_forced(model, tok, run, s: int, episodes=slice(None), cfg: SamplerConfig | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    "The window from frame s: real frames [N,T,H,W,3], the model's teacher-forced frames 2..T-1 and the round trip's."
    real = run.frames[episodes, s:s + T]
    sub = encode_frames(tok, real)
    acts = torch.as_tensor(run.actions[episodes, s:s + T])
    with torch.no_grad(), model_autocast(model, use_bf16(model)):
        made = rollout(model, sub[:, :2], acts, "pusht", cfg or SamplerConfig(), true_BTSV=sub)
    return real, decode_sub(tok, made[:, 2:]).numpy(), decode_sub(tok, sub[:, 2:]).numpy()


def picture(models: list[str], run, episode: int, start: int, out: str, cfg: SamplerConfig | None = None) -> None:
    "Rows of frames 2..T-1 of one window: the simulator, the round trip, each model teacher-forced."
    rows = []
    for i, path in enumerate(models):
        model = load_model(path)
        real, pred, trip = teacher_forced(model, load_tokenizer(samples_dir() / "tokenizers" / model.cfg.variant), run, start,
                                          slice(episode, episode + 1), cfg)
        if i == 0: rows += [np.concatenate(list(real[0, 2:]), 1), np.concatenate(list(trip[0]), 1)]
        rows.append(np.concatenate(list(pred[0]), 1))
    mediapy.write_image(out, np.concatenate(rows, 0))
    print(out)


def main() -> dict | None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default=str(samples_dir() / "models" / "discrete"))
    p.add_argument("--seed", type=int, default=72000)
    p.add_argument("--episodes", type=int, default=20)
    p.add_argument("--moved", type=float, default=0.1, help="a push: the T's pixels changed by more than this share of its mass")
    p.add_argument("--steps", type=int, default=None, help="MaskGIT passes per frame K (default: the model's)")
    p.add_argument("--order", default="random", choices=["random", "confidence"])
    p.add_argument("--temperature", type=float, default=0.0)
    p.add_argument("--pick", default=None, choices=PICKS, help="default: the model's")
    p.add_argument("--json", action="store_true")
    p.add_argument("--picture", help="write the picture of one window here instead (see above)")
    p.add_argument("--episode", type=int, default=0, help="the picture's episode")
    p.add_argument("--start", type=int, default=0, help="the picture's first frame")
    a = p.parse_args()
    run = run_sim(ScriptedPolicy("expert"), list(range(a.seed, a.seed + a.episodes)), 40)
    cfg = SamplerConfig(steps=a.steps, order=a.order, temperature=a.temperature, pick=a.pick)
    if a.picture: return picture(a.model.split(","), run, a.episode, a.start, a.picture, cfg)
    model = load_model(a.model)
    tok = load_tokenizer(samples_dir() / "tokenizers" / model.cfg.variant)
    goal = goal_mask(run.frames[:, :2])
    kept, ceil, err, push = [], [], [], []                                     # each [episodes, windows * 8]
    for s in STARTS:
        real, pred, trip = teacher_forced(model, tok, run, s, cfg=cfg)
        share = unmix(real)[..., 2]                                            # the T's share of each real pixel
        t_real, t_pred, t_trip = share.sum((-1, -2)), unmix(pred)[..., 2].sum((-1, -2)), unmix(trip)[..., 2].sum((-1, -2))
        change = np.abs(share[:, 2:] - share[:, 1:-1]).sum((-1, -2)) / np.maximum(t_real[:, 1:-1], 1e-6)
        kept.append(t_pred / np.maximum(t_trip, 1e-6)); ceil.append(t_trip / np.maximum(t_real[:, 2:], 1e-6))
        err.append(np.abs(pixel_coverage(pred, goal) - run.coverage[:, s + 2:s + T]))
        push.append(change > a.moved)
    kept, ceil, err, push = (np.concatenate(x, 1) for x in (kept, ceil, err, push))
    by = lambda x, m: np.array([x[e][m[e]].mean() if m[e].any() else np.nan for e in range(len(x))])
    res = {"model": a.model, "sampler": {"steps": a.steps, "order": a.order, "temperature": a.temperature, "pick": a.pick},
           "episodes": a.episodes, "steps": int(push.size), "pushes": int(push.sum()),
           "kept": {"push": episode_se(by(kept, push)), "other": episode_se(by(kept, ~push))},
           "tokenizer_kept": {"push": episode_se(by(ceil, push)), "other": episode_se(by(ceil, ~push))},
           "score_error": {"push": episode_se(by(err, push)), "other": episode_se(by(err, ~push))}}
    print(json.dumps(res) if a.json else json.dumps(res, indent=1))
    return res


if __name__ == "__main__":
    main()

"""Does a world model rate "this token stays as it was" as often as it happens? A reliability table of the model's
probability that each sub-token keeps the previous frame's id, teacher-forced on PushT policy episodes, for the
results page.

    python docs/change_calibration.py [--model data_samples/models/pusht_policy] [--seed 72340] [--episodes 6]
                                      [--policies expert,distracted,random] [--stay-bias B] [--json]

Why: training weighs the tokens that differ from the previous frame's `--change-weight` times (objective.py). A
weighted cross-entropy is minimised by probabilities proportional to weight x frequency, so a model trained with
weight w > 1 should rate "stays" below its frequency (up to w times in odds).

For each policy, its simulator episodes from `--episodes` start states (reset seeds `--seed` on) are cut into windows of
10 frames starting at frames 0, 8, 16, 24 and 31. For each frame t = 2..9 of a window, frame t is hidden and the
model predicts it from the real frames before it and the real actions (one pass, teacher-forced).
For every sub-token, the probability the model gives the previous frame's id (softmax over that sub-vocabulary) is
binned; per bin, the mean of those probabilities against the share of sub-tokens that did keep their id. The summary
`odds_ratio`, over the sub-tokens whose predicted probability lies in (0.02, 0.98): the odds of the share that stayed
over the odds of the mean prediction; 1 for a calibrated model, above 1 for one that rates staying too low (a sub-token
alone in its token, at the weighted optimum: w). `--stay-bias B` reads the logits as a sampler with
`SamplerConfig(stay_bias=B)` does (`sampling.stay_biased`): B = ln(odds ratio) should bring the ratio near 1.
"""
from __future__ import annotations

import argparse
import json

import numpy as np
import torch

from hma_nb.cli import sampler_flag
from hma_nb.core import samples_dir
from hma_nb.evaluate import encode_frames
from hma_nb.model import incoming_actions, load_model
from hma_nb.policy_eval import ScriptedPolicy, model_autocast, run_sim, use_bf16
from hma_nb.sampling import stay_biased
from hma_nb.tokenizer import load_tokenizer

STARTS, T = (0, 8, 16, 24, 31), 10
EDGES = (0.0, 0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98, 1.0 + 1e-9)


def stay_probabilities(model, sub_BTSV: torch.Tensor, actions_BTA: torch.Tensor, bias: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    "Teacher-forced P(sub-id = the previous frame's) and whether it did, for frames 2..T-1: two arrays [B,T-2,S,V]."
    inc, none = incoming_actions(actions_BTA)
    p, kept = [], []
    for t in range(2, sub_BTSV.shape[1]):
        mask = torch.zeros(sub_BTSV[:, :t + 1].shape[:3], dtype=torch.bool)
        mask[:, t] = True                                   # frames up to t only: later ones cannot reach it (causal)
        with torch.no_grad(), model_autocast(model, use_bf16(model)):
            logits = model(sub_BTSV[:, :t + 1], mask, inc[:, :t + 1], "pusht", action_mask_BT=none[:, :t + 1],
                           last_only=True)[0][:, -1].float()   # [B,S,V,K]
        prev = sub_BTSV[:, t - 1].long()
        if bias: logits = stay_biased(logits, prev, bias)
        p.append(logits.softmax(-1).gather(-1, prev[..., None])[..., 0].numpy())
        kept.append((sub_BTSV[:, t] == sub_BTSV[:, t - 1]).numpy())
    return np.stack(p, 1), np.stack(kept, 1)


def reliability(p: np.ndarray, kept: np.ndarray) -> dict:
    "Per bin of predicted P(stay): count, mean prediction, observed share; and the pooled odds ratio (see above)."
    p, kept = p.ravel(), kept.ravel().astype(np.float64)
    bins = []
    for lo, hi in zip(EDGES[:-1], EDGES[1:]):
        m = (p >= lo) & (p < hi)
        if m.any(): bins.append({"bin": [lo, round(min(hi, 1.0), 2)], "count": int(m.sum()),
                                 "predicted": round(float(p[m].mean()), 4), "observed": round(float(kept[m].mean()), 4)})
    mid = (p > 0.02) & (p < 0.98)
    pred, obs = p[mid].mean(), kept[mid].mean()
    ratio = (obs / (1 - obs)) / (pred / (1 - pred)) if 0 < obs < 1 else float("nan")
    return {"bins": bins, "uncertain": {"count": int(mid.sum()), "predicted": round(float(pred), 4),
                                        "observed": round(float(obs), 4), "odds_ratio": round(float(ratio), 3)}}


def main() -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default=str(samples_dir() / "models" / "pusht_policy"))
    ap.add_argument("--seed", type=int, default=72340)
    ap.add_argument("--episodes", type=int, default=6)
    ap.add_argument("--policies", default="expert,distracted,random")
    ap.add_argument("--stay-bias", type=sampler_flag("stay_bias"), default=0.0, help="added to each previous id's logit (sampling.stay_biased)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    model = load_model(a.model)
    tok = load_tokenizer(samples_dir() / "tokenizers" / model.cfg.variant)
    res = {"model": a.model, "change_weight": model.info.get("args", {}).get("change_weight"), "stay_bias": a.stay_bias, "seed": a.seed,
           "episodes": a.episodes, "policies": {}}
    ps, ks = [], []
    for name in a.policies.split(","):
        run = run_sim(ScriptedPolicy(name), list(range(a.seed, a.seed + a.episodes)), 40)
        p, k = zip(*(stay_probabilities(model, encode_frames(tok, run.frames[:, s:s + T]),
                                        torch.as_tensor(run.actions[:, s:s + T]), a.stay_bias) for s in STARTS))
        ps += p; ks += k
        res["policies"][name] = reliability(np.concatenate(p, 1), np.concatenate(k, 1))["uncertain"]
    res["all"] = reliability(np.concatenate(ps, 1), np.concatenate(ks, 1))
    print(json.dumps(res) if a.json else json.dumps(res, indent=1))
    return res


if __name__ == "__main__":
    main()

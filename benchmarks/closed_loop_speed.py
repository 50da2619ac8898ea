"""How fast the world model side of `hma-nb policy-eval` runs against gym-pusht, and what each change to it bought.

    python benchmarks/closed_loop_speed.py [--model data_samples/models/discrete] [--episodes 20] [--copies 7]
                                           [--horizon 40] [--rounds 2] [--arms before,chunks,bf16,now] [--json]
    python benchmarks/closed_loop_speed.py --model data_samples/models/pusht_policy --arms now,fp32,bf16w,int8,compiled --rounds 3

The full policy evaluation runs 7 policies x 20 start states x 40 model steps; the model side is one batch of 140
episodes. Here the random policy's simulator episodes from the held-out start states give the prompts and the actions,
tiled `--copies` times, and each arm replays them open loop through `policy_eval.ClosedLoop` (the time of a step does
not depend on the actions). The arms take turns, `--rounds` times, in one process:
  - "before": the whole batch in one pass, decoding in float32, and the spatial attention's float32 detour under bf16
    (`trunk.attend` as it was until 2026-12-06, also when sampling);
    and a full context window restarting from its last 5 frames (half the window);
  - "chunks": the batch in chunks of `policy_eval.CPU_CHUNK` episodes, each with its own sampler, otherwise as before;
  - "bf16": chunks, decoding under bf16 autocast where the model runs in bf16, and the spatial attention through the
    fused kernel in bf16 when no gradients are recorded;
  - "now": the package as it is: all that, and restarts from the last `policy_eval.KEEP` (2) frames.
(The temporal key/value cache written in place, `trunk.KVCache`, is in every arm.)
Levers tried on a CPU without AMX (2026-12-07), not in the default arms; each is "now" with one change:
  - "fp32": the model's passes in float32 (`--fp32` of `hma-nb policy-eval`);
  - "bf16w": the model's linear layers stored in bfloat16 once, so that autocast no longer casts their weights at
    every call (the same arithmetic: the same tokens as "now" where "now" runs in bf16; always run in bf16);
  - "int8": the linear layers quantized to int8 with float activations (`torch.ao.quantization.quantize_dynamic`),
    the rest in float32;
  - "compiled": every trunk block through `torch.compile` (`loop.compile_forward`); its compile time is in the first
    round only, and is reported as "compile_seconds": the first round's time less the best round's.
`--profile K`: after the rounds, the "now" arm once more under `torch.profiler`; "profile_now" gives the K operators
with the largest share of its own CPU time.
"sim" is gym-pusht stepping and rendering the same number of episodes and steps (the random policy's `run_sim`, its
policy's own time taken out): policies cost the same on both sides, so the model side is faster exactly where its
generation and decoding take less than this. Figures are seconds per episode, each arm's best round; the ratios are
what carry over to another CPU. Also reported: the share of tokens "now" generates as "before" does (bf16 rounding
in another order can flip a token).
"""
from __future__ import annotations

import argparse
import copy
import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

import hma_nb.policy_eval as pe
import hma_nb.trunk as trunk
from hma_nb.loop import compile_forward
from hma_nb.model import load_model
from hma_nb.tokenizer import load_tokenizer

ROOT = Path(__file__).resolve().parents[1]
NOW_ATTEND = trunk.attend


def detour_attend(q, k, v, mask=None):
    "`trunk.attend` as it was: under bf16 on a CPU, short key sequences as two matmuls, long ones in float32 with or without gradients."
    if q.device.type != "cpu" or q.dtype != torch.bfloat16:
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    if k.shape[2] <= 32:
        s = q @ k.transpose(-1, -2) * q.shape[-1] ** -0.5
        if mask is not None: s = s.masked_fill(~mask, float("-inf"))
        return s.softmax(-1).to(v.dtype) @ v
    with torch.autocast("cpu", enabled=False):
        return F.scaled_dot_product_attention(q.float(), k.float(), v.float(), attn_mask=mask).to(q.dtype)


class FloatDecodeLoop(pe.ClosedLoop):
    "A ClosedLoop whose decoding stays in float32 whatever the model's precision (as before)."
    def step(self, actions_BA):
        bf16, self.bf16 = self.bf16, False
        orig = pe.model_autocast
        pe.model_autocast = lambda model, _b=None: orig(model, bf16)     # the model's passes keep their precision
        try: return pe.ClosedLoop.step(self, actions_BA)
        finally: self.bf16, pe.model_autocast = bf16, orig


ARMS = {"before": (FloatDecodeLoop, "all", detour_attend, 5), "chunks": (FloatDecodeLoop, None, detour_attend, 5),
        "bf16": (pe.ClosedLoop, None, NOW_ATTEND, 5), "now": (pe.ClosedLoop, None, NOW_ATTEND, None)}
DEFAULT_ARMS = tuple(ARMS)


def bf16_linears(model):
    "A copy whose linear layers hold bfloat16 weights (what autocast would cast them to at every call)."
    m = copy.deepcopy(model)
    for mod in m.modules():
        if isinstance(mod, torch.nn.Linear): mod.to(torch.bfloat16)
    return m


def int8_linears(model):
    "A copy whose linear layers are int8 with float activations (dynamic quantization); run in float32."
    return torch.ao.quantization.quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8)


def compiled_blocks(model):
    "A copy whose trunk blocks each run through `torch.compile` (`loop.compile_forward`, as training's `--compile`)."
    m = copy.deepcopy(model)
    m.trunk.blocks = torch.nn.ModuleList(compile_forward(b) for b in m.trunk.blocks)
    return m


LEVERS = {"fp32": (lambda m: m, False), "bf16w": (bf16_linears, True), "int8": (int8_linears, False), "compiled": (compiled_blocks, None)}
for _k in LEVERS: ARMS[_k] = (pe.ClosedLoop, None, NOW_ATTEND, None)


def run_arm(name, model, tok, prompt, acts, bf16=None) -> tuple[float, torch.Tensor]:
    "Seconds for the whole replay, and the tokens made (`bf16`: the model's precision; None, the package's choice)."
    cls, chunk, att, keep = ARMS[name]
    trunk.attend = att
    try:
        loop = cls(model, tok, chunk=len(prompt) if chunk == "all" else chunk, keep=keep, bf16=bf16)
        t0 = time.perf_counter()
        loop.start(prompt, acts[:, :1])
        for h in range(1, acts.shape[1]): loop.step(acts[:, h])
        return time.perf_counter() - t0, torch.stack(loop.sub[2:], 1)
    finally:
        trunk.attend = NOW_ATTEND


def profile_shares(model, tok, prompt, acts, top: int) -> dict:
    "The `top` operators with the largest share of the 'now' arm's own CPU time (one run under `torch.profiler`)."
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU]) as prof: run_arm("now", model, tok, prompt, acts)
    ops = sorted(prof.key_averages(), key=lambda e: e.self_cpu_time_total, reverse=True)
    total = sum(e.self_cpu_time_total for e in ops)
    return {e.key: round(e.self_cpu_time_total / total, 3) for e in ops[:top]}


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default=str(ROOT / "data_samples/models/discrete"))
    p.add_argument("--episodes", type=int, default=20, help="held-out start states")
    p.add_argument("--copies", type=int, default=7, help="times each start state is in the batch (7 policies)")
    p.add_argument("--horizon", type=int, default=40)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--arms", default=",".join(DEFAULT_ARMS), help=f"which arms (default: {','.join(DEFAULT_ARMS)}; "
                   f"also the CPU levers {','.join(LEVERS)})")
    p.add_argument("--profile", type=int, default=0, help="also profile the 'now' arm once and report its K costliest operators")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    arms = [x for x in a.arms.split(",") if x]
    if not arms or set(arms) - set(ARMS): p.error(f"--arms: choose among {','.join(ARMS)}, got {a.arms!r}")
    if a.profile < 0: p.error(f"--profile: the number of operators to report must be >= 0, got {a.profile}")
    model = load_model(a.model)
    tok = load_tokenizer(ROOT / "data_samples/tokenizers" / model.cfg.variant)
    seeds = list(range(pe.HELDOUT_SEED, pe.HELDOUT_SEED + a.episodes))
    N = a.episodes * a.copies
    sims, made, first = [], {}, {}
    best = {k: float("inf") for k in arms}
    models = {k: LEVERS[k][0](model) if k in LEVERS else model for k in arms}
    precision = {k: LEVERS[k][1] if k in LEVERS else None for k in arms}
    for r in range(a.rounds):
        run = pe.run_sim(pe.pixel_policy("random"), seeds, a.horizon)       # the simulator's turn
        sims.append((run.seconds - run.policy_seconds) * a.copies / N)
        prompt = np.tile(run.frames[:, :2], (a.copies, 1, 1, 1, 1))
        acts = np.tile(run.actions, (a.copies, 1, 1))
        for name in arms:
            secs, made[name] = run_arm(name, models[name], tok, prompt, acts, precision[name])
            first.setdefault(name, secs)
            best[name] = min(best[name], secs / N)
            if not a.json: print(f"round {r + 1}: {name:7s} {secs / N:.3f} s per episode", flush=True)
    sim = min(sims)
    res = {"model": a.model, "episodes": N, "horizon": a.horizon, "rounds": a.rounds, "bf16": pe.use_bf16(model),
           "chunk": pe.CPU_CHUNK, "keep": pe.KEEP, "seconds_per_episode": {"sim": round(sim, 4), **{k: round(v, 4) for k, v in best.items()}},
           "model_vs_sim": {k: round(v / sim, 2) for k, v in best.items()}}
    if "before" in best: res["speedup_vs_before"] = {k: round(best["before"] / v, 2) for k, v in best.items()}
    if {"now", "before"} <= set(made):
        res["same_tokens_now_vs_before"] = round(float((made["now"] == made["before"]).all(-1).float().mean()), 4)
    tried = [k for k in arms if k in LEVERS]
    if tried and "now" in best:
        res["speedup_vs_now"] = {k: round(best["now"] / best[k], 3) for k in ["now", *tried]}
        res["same_tokens_vs_now"] = {k: round(float((made[k] == made["now"]).all(-1).float().mean()), 4) for k in tried}
    if "compiled" in arms: res["compile_seconds"] = round(first["compiled"] - best["compiled"] * N, 1)
    if a.profile > 0: res["profile_now"] = profile_shares(model, tok, prompt, acts, a.profile)
    print(json.dumps(res) if a.json else json.dumps(res, indent=1))
    return res


if __name__ == "__main__":
    main()

"""What changes to the training step buy on a CPU: scoring only the masked tokens, `trunk.attend`, and `--compile`.

    python benchmarks/train_step.py [--model data_samples/models/generalist] [--batch-size 8] [--rounds 3] [--steps 6] [--json]

Four arms take turns, `--rounds` times, in one process:
  - "before": the cross-entropy over every position's logits, then masked (the loss as it was until 2026-12-05), and
    PyTorch's fused attention kernel everywhere;
  - "masked CE": `stems.masked_token_loss` as it is now (only the masked positions' logits are scored), the fused kernel;
  - "now": the package as it is (masked CE and `trunk.attend`, which on a CPU under bf16 runs the temporal attention as
    two matmuls and the spatial one in float32);
  - "now + compile": the same, with the loss run through `loop.compile_forward(model)` (`hma-nb train --compile`). Its
    compiling happens in an untimed pass over every batch first, and is reported apart ("compile_s"; inductor's cache on
    disk, `TORCHINDUCTOR_CACHE_DIR`, shortens it on a second run).
A training step is what `train_model` does per step: `objective.hma_loss` (the model's own masking, self-context
included) on one robot's batch of T=10 frames, backward, AdamW; the robots take turns. The batches are random token ids
and actions of the model's shapes: the time of a step does not depend on their values. Precision is what training uses
(`core.resolve_precision("auto")`: bf16 autocast where this CPU runs it natively, else float32, where "now" and
"masked CE" run the same attention). Each arm's figure is its best round (mean seconds per step); the ratios are what
carry over to another CPU. Also timed, as `hma-nb bench` measures it (`evaluate.benchmark_world_model`, batch 1, the
model's sampler): generation with the fused kernel against `attend`.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from einops import rearrange

import hma_nb.objective as objective
import hma_nb.trunk as trunk
from hma_nb.core import resolve_precision
from hma_nb.evaluate import benchmark_world_model
from hma_nb.loop import compile_forward
from hma_nb.model import load_model
from hma_nb.objective import MaskingConfig, hma_loss
from hma_nb.sampling import SamplerConfig
from hma_nb.tokenizer import load_tokenizer

ROOT = Path(__file__).resolve().parents[1]
NOW_LOSS, NOW_ATTEND = objective.masked_token_loss, trunk.attend


def full_ce_loss(logits_BTSVK, sub_BTSV, mask_BTS, weight_BTS=None):
    "The loss as it was: cross-entropy at every position in float32, then the masked ones kept."
    ce = F.cross_entropy(rearrange(logits_BTSVK.float(), "b t s v k -> b k t s v"), sub_BTSV, reduction="none").mean(-1)
    w = mask_BTS.float() * (1.0 if weight_BTS is None else weight_BTS)
    return (ce * w).sum() / w.sum().clamp_min(1e-8)


def kernel_attend(q, k, v, mask=None):
    "PyTorch's fused kernel, whatever the device and precision."
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)


ARMS = {"before": (full_ce_loss, kernel_attend), "masked CE": (NOW_LOSS, kernel_attend), "now": (NOW_LOSS, NOW_ATTEND),
        "now + compile": (NOW_LOSS, NOW_ATTEND)}


def use(arm: str) -> None:
    objective.masked_token_loss, trunk.attend = ARMS[arm]


def batches(model, batch_size: int, n: int, seed: int = 0) -> list[tuple[str, torch.Tensor, torch.Tensor]]:
    "`n` random batches (domain, sub-ids [B,10,S,V], actions [B,10,A]), the model's robots in turn."
    g = torch.Generator().manual_seed(seed)
    S, sizes = model.cfg.S, model.cfg.sub_vocab_sizes
    out = []
    for i in range(n):
        md = model.cfg.domains[i % len(model.cfg.domains)]
        sub = torch.stack([torch.randint(0, k, (batch_size, 10, S), generator=g) for k in sizes], -1)
        out.append((md.name, sub, torch.randn(batch_size, 10, len(md.action_mean), generator=g)))
    return out


def time_steps(model, opt, data, masking: MaskingConfig, bf16: bool, forward=None) -> float:
    "Mean seconds of a training step over `data` (after one untimed step), the loss run through `forward` (default: the model)."
    def step(i, d, sub, act):
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            loss, _ = hma_loss(model, sub, act, d, masking, torch.Generator().manual_seed(i), forward=forward)
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
    step(0, *data[0])
    t = time.perf_counter()
    for i, b in enumerate(data[1:], 1): step(i, *b)
    return (time.perf_counter() - t) / (len(data) - 1)


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default=str(ROOT / "data_samples" / "models" / "generalist"))
    p.add_argument("--tokenizer", default=str(ROOT / "data_samples" / "tokenizers" / "discrete"))
    p.add_argument("--batch-size", type=int, default=8)
    p.add_argument("--steps", type=int, default=6, help="timed training steps per arm and round")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--domain", default="kuka", help="the robot generation is timed on")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    if a.batch_size < 1 or a.steps < 1 or a.rounds < 1: p.error("--batch-size, --steps and --rounds must be >= 1")
    model = load_model(a.model)
    if model.cfg.continuous: p.error(f"{a.model} is the continuous variant; this times the discrete loss")
    if a.domain not in [d.name for d in model.cfg.domains]: p.error(f"--domain {a.domain!r}: the model knows {[d.name for d in model.cfg.domains]}")
    bf16 = resolve_precision("auto", torch.device("cpu")) == "bf16"
    masking = MaskingConfig(**model.info.get("train", {}).get("masking", {}))
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-7)        # real optimizer work; the weights hardly move
    data = batches(model, a.batch_size, a.steps + 1)
    secs = {arm: [] for arm in ARMS}
    compiled = compile_forward(model)
    use("now + compile"); t = time.perf_counter()
    time_steps(model, opt, data, masking, bf16, compiled)          # compiles every robot's variants (untimed)
    compile_s = time.perf_counter() - t
    for _ in range(a.rounds):
        for arm in ARMS:
            use(arm); secs[arm].append(time_steps(model, opt, data, masking, bf16, compiled if arm.endswith("compile") else None))
    model.eval(); tok = load_tokenizer(a.tokenizer); cfg = SamplerConfig().resolve(model)
    fps = {"kernel": [], "attend": []}
    for _ in range(a.rounds):
        for arm, fn in (("kernel", kernel_attend), ("attend", NOW_ATTEND)):
            trunk.attend = fn
            fps[arm].append(benchmark_world_model(model, tok, a.domain, cfg, contexts=(8,), reps=10)["fps"])
    use("now")
    best = {arm: min(v) for arm, v in secs.items()}
    res = {"model": a.model, "batch_size": a.batch_size, "precision": "bf16" if bf16 else "float32",
           "threads": torch.get_num_threads(),
           "train_step_s": {arm: round(v, 3) for arm, v in best.items()},
           "speedup_vs_before": {arm: round(best["before"] / v, 2) for arm, v in best.items()},
           "train_rounds_s": {arm: [round(x, 3) for x in v] for arm, v in secs.items()}, "compile_s": round(compile_s, 1),
           "bench_fps": {arm: max(v) for arm, v in fps.items()}, "bench_fps_rounds": fps}
    if a.json: print(json.dumps(res))
    else:
        print(f"training step, batch {a.batch_size}, {res['precision']}, {res['threads']} threads (best of {a.rounds} rounds):")
        for arm, v in best.items(): print(f"  {arm:>13}: {v:.3f} s  ({res['speedup_vs_before'][arm]:.2f}x)")
        print(f"  (compiling took {res['compile_s']} s before the rounds)")
        print(f"generation ({a.domain}, batch 1): fused kernel {res['bench_fps']['kernel']} frames/s, attend {res['bench_fps']['attend']} frames/s")
    return res


if __name__ == "__main__":
    main()

"""Quality of the shipped discrete model on held-out PushT for several MaskGIT settings (steps K, unmasking order).

    python benchmarks/sampler_sweep.py [--model DIR] [--draws 2] [--configs 1:random,2:random,2:confidence,4:random]

Prints one JSON object: for each setting the evaluate numbers (teacher-forced PSNR, autoregressive last-frame PSNR,
delta PSNR, SSIM) and the batch-1 ms per frame at context 8 (bf16, decode included), all measured in this run."""
import argparse
import json

from hma_nb.core import samples_dir
from hma_nb.evaluate import benchmark_world_model, evaluate_world_model
from hma_nb.model import load_model
from hma_nb.sampling import SamplerConfig
from hma_nb.tokenizer import load_tokenizer

p = argparse.ArgumentParser()
p.add_argument("--model", default=str(samples_dir() / "models" / "discrete"))
p.add_argument("--domain", default="pusht")
p.add_argument("--draws", type=int, default=2)
p.add_argument("--configs", default="1:random,2:random,2:confidence,4:random")
a = p.parse_args()
model, tok = load_model(a.model), load_tokenizer(samples_dir() / "tokenizers" / "discrete")
out = {}
for c in a.configs.split(","):
    k, order = c.split(":")
    cfg = SamplerConfig(steps=int(k), order=order)
    e = evaluate_world_model(model, tok, samples_dir(), a.domain, draws=a.draws, cfg=cfg)
    b = benchmark_world_model(model, tok, a.domain, cfg, contexts=(8,), headline_context=8, reps=5)
    out[c] = {k: e[k] for k in ("psnr_teacher_forced", "psnr_autoregressive_last", "delta_psnr", "ssim")} | {"ms_per_frame": b["ms_per_frame"]}
    print(c, out[c], flush=True)
print(json.dumps({"domain": a.domain, "draws": a.draws, "baseline_copy_last": e["baseline_copy_last"], "settings": out}))

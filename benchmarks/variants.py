"""The two shipped variants side by side: same held-out episodes, same machine, same run.

    python benchmarks/variants.py [--domain pusht] [--models discrete,continuous] [--draws 5]

For each model in data_samples/models: teacher-forced and autoregressive last-frame PSNR, delta PSNR, SSIM (as
`hma-nb evaluate`), batch-1 frames per second at 8 context frames with decoding (as `hma-nb bench`), and how many trunk
and image-head passes one frame costs, each model at its own default sampler (action guidance included). Prints a markdown table, then one JSON object."""
import argparse
import json

from hma_nb.core import samples_dir
from hma_nb.evaluate import benchmark_world_model, evaluate_world_model
from hma_nb.model import load_model
from hma_nb.tokenizer import load_tokenizer

p = argparse.ArgumentParser()
p.add_argument("--domain", default="pusht")
p.add_argument("--models", default="discrete,continuous", help="comma-separated folders in data_samples/models")
p.add_argument("--draws", type=int, default=5, help="random action sequences for delta PSNR")
a = p.parse_args()
rows = []
for name in a.models.split(","):
    model = load_model(samples_dir() / "models" / name)
    tok = load_tokenizer(samples_dir() / "tokenizers" / model.cfg.variant)
    e = evaluate_world_model(model, tok, samples_dir(), a.domain, draws=a.draws)
    b = benchmark_world_model(model, tok, a.domain, contexts=(8,), reps=10)
    rows.append({"model": name, "variant": model.cfg.variant, "episodes": e["episodes"],
                 **{k: e[k] for k in ("guidance", "psnr_teacher_forced", "psnr_autoregressive_last", "delta_psnr", "delta_psnr_stderr", "ssim")},
                 "copy_last": e["baseline_copy_last"], "tokenizer_psnr_last": e["tokenizer_psnr_last"],
                 **{k: b[k] for k in ("fps", "ms_per_frame", "dtype", "params", "trunk_passes_per_frame",
                                      "head_passes_per_frame")}, "diffusion_steps": b.get("diffusion_steps")})
cols = ["model", "guidance", "psnr_teacher_forced", "psnr_autoregressive_last", "delta_psnr", "delta_psnr_stderr", "ssim", "fps", "trunk_passes_per_frame",
        "head_passes_per_frame", "diffusion_steps", "params"]
print("| " + " | ".join(cols) + " |\n|" + "---|" * len(cols))
for r in rows: print("| " + " | ".join(str(r[c]) for c in cols) + " |")
print(json.dumps({"domain": a.domain, "draws": a.draws, "models": rows}))

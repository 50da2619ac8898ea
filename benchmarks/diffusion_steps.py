"""Speed/quality frontier of the continuous model: held-out quality and batch-1 speed for several numbers of
denoising steps per token (and both samplers), measured in one run on this machine.

    python benchmarks/diffusion_steps.py [--model DIR] [--steps 1,2,5,10,20] [--methods ddim] [--draws 2] [--guidance W] [--html FILE]

Prints one JSON object (per setting: teacher-forced PSNR, autoregressive last-frame PSNR, delta PSNR, SSIM, frames per
second and ms per frame at context 8, decode included) and writes a plotly chart of PSNR against frames per second."""
import argparse
import json

import plotly.graph_objects as go

from hma_nb.core import samples_dir
from hma_nb.evaluate import benchmark_world_model, evaluate_world_model
from hma_nb.model import load_model
from hma_nb.sampling import SamplerConfig
from hma_nb.tokenizer import load_tokenizer

p = argparse.ArgumentParser()
p.add_argument("--model", default=str(samples_dir() / "models" / "continuous"))
p.add_argument("--domain", default="pusht")
p.add_argument("--steps", default="1,2,5,10,20")
p.add_argument("--methods", default="ddim", help="comma-separated: ddim, ddpm")
p.add_argument("--temperature", type=float, default=0.0)
p.add_argument("--draws", type=int, default=2)
p.add_argument("--guidance", type=float, default=None, help="action guidance w (default: the model's)")
p.add_argument("--html", default="diffusion_steps.html", help="where to write the chart")
a = p.parse_args()
model = load_model(a.model)
tok = load_tokenizer(samples_dir() / "tokenizers" / model.cfg.variant)
if not model.cfg.continuous:
    raise SystemExit(f"{a.model} is a {model.cfg.variant} model; this benchmark is for the continuous variant")
rows = []
for method in a.methods.split(","):
    for n in map(int, a.steps.split(",")):
        cfg = SamplerConfig(temperature=a.temperature, diffusion_steps=n, diffusion_method=method, guidance=a.guidance)
        e = evaluate_world_model(model, tok, samples_dir(), a.domain, draws=a.draws, cfg=cfg)
        b = benchmark_world_model(model, tok, a.domain, cfg, contexts=(8,), headline_context=8, reps=5)
        rows.append({"method": method, "diffusion_steps": n, "guidance": e["guidance"], **{k: e[k] for k in ("psnr_teacher_forced", "psnr_autoregressive_last", "delta_psnr", "ssim")},
                     "fps": b["fps"], "ms_per_frame": b["ms_per_frame"]})
        print(rows[-1], flush=True)
fig = go.Figure()
for method in a.methods.split(","):
    r = [x for x in rows if x["method"] == method]
    for key, dash in (("psnr_teacher_forced", "solid"), ("psnr_autoregressive_last", "dot")):
        fig.add_scatter(x=[x["fps"] for x in r], y=[x[key] for x in r], text=[f"{x['diffusion_steps']} steps" for x in r],
                        mode="lines+markers+text", textposition="top center", line=dict(dash=dash), name=f"{method}: {key}")
fig.update_layout(xaxis_title="frames per second (batch 1, this CPU)", yaxis_title="PSNR (dB)", title=f"{a.domain}: quality vs speed")
fig.write_html(a.html, include_plotlyjs=True)
print(json.dumps({"domain": a.domain, "draws": a.draws, "temperature": a.temperature, "baseline_copy_last": e["baseline_copy_last"], "settings": rows}))

"""The continuous (soft-token, diffusion-head) variant with tiny models: the head on a toy distribution, causality and
cache equivalence, save/load, shape errors, and training / evaluation / benchmark through the same commands."""
import json
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from hma_nb.cli import main
from hma_nb.core import DataError, bf16_is_fast, samples_dir
from hma_nb.diffusion import DiffusionConfig, diffusion_sample, toy_2d, train_toy_head
from hma_nb.model import HMA, load_model, save_model
from hma_nb.objective import hma_loss
from hma_nb.sampling import SamplerConfig, rollout
from hma_nb.train import toy_model


def soft_model(seed=0, **diff):
    torch.manual_seed(seed)
    cfg = replace(toy_model().cfg, variant="continuous", token_dim=4,
                  diffusion=DiffusionConfig(**{"width": 32, "depth": 2, "sample_steps": 4, **diff}))
    net = HMA(cfg).eval()
    for lin in (net.image_head.out, net.image_head.out_ada):   # zero-initialised: give the untrained head a say
        torch.nn.init.normal_(lin.weight, std=0.3)
    return net


def soft_batch(B, T=6, seed=0):
    "An agent (a fixed 4-d token) on a 4x4 grid jumps to the cell its action names; the rest is zeros."
    g = torch.Generator().manual_seed(seed)
    target = torch.randint(0, 16, (B, T), generator=g)
    pos = torch.randint(0, 16, (B,), generator=g)
    x = torch.zeros(B, T, 16, 4)
    for t in range(T):
        x[torch.arange(B), t, pos] = torch.tensor([2.0, -1.0, 1.5, 0.5])
        pos = target[:, t]
    acts = torch.zeros(B, T, 10); acts[..., 0] = target.float() / 4
    return x, acts


def test_diffusion_head_learns_a_toy_distribution():
    head, losses = train_toy_head(steps=1500)
    assert np.mean(losses[-100:]) < 0.6 * np.mean(losses[:20])
    z = F.one_hot(torch.zeros(4000, dtype=torch.long), 3).float()
    s = diffusion_sample(head, z, steps=50, method="ddpm", generator=torch.Generator().manual_seed(0))
    A = torch.tensor([[0.5, 0.2], [0.0, 0.25]])
    assert (s.mean(0) - torch.tensor([1.5, 0.5])).abs().max() < 0.1
    assert (torch.cov(s.T) - A.T @ A).abs().max() < 0.06
    ring = diffusion_sample(head, F.one_hot(torch.ones(2000, dtype=torch.long), 3).float(), steps=20)
    assert abs(ring.norm(dim=-1).median().item() - 1.5) < 0.15


def test_causality_and_cache():
    net = soft_model(3)
    x, act = soft_batch(4, seed=5)
    for cfg in (SamplerConfig(steps=2), SamplerConfig(steps=3, temperature=1.0, diffusion_method="ddpm")):
        cached = rollout(net, x[:, :2], act, "toy", cfg)
        assert cached.shape == (4, 6, 16, 4) and cached.dtype == torch.float32
        assert torch.allclose(cached, rollout(net, x[:, :2], act, "toy", replace(cfg, cache=False)), atol=1e-4)
        changed = act.clone(); changed[:, 4:] += 3.0
        other = rollout(net, x[:, :2], changed, "toy", cfg)
        assert torch.allclose(other[:, :5], cached[:, :5], atol=1e-5)        # frame t sees actions[:t] only
        assert not torch.allclose(other[:, 5:], cached[:, 5:])


def test_shape_errors_and_save_load(tmp_path):
    net = soft_model()
    x, act = soft_batch(2)
    with pytest.raises(DataError, match=r"need floats \[B,T,S=16,C=4\]"):
        net(x[..., :3], None, act, "toy")
    with pytest.raises(DataError, match=r"need floats \[B,T,S=16,C=4\]"):
        net(x[:, :, :9], None, act, "toy")
    with pytest.raises(DataError, match=r"soft tokens \[B,P>=1,S=16,C=4\]"):
        rollout(net, x[:, :2, :, :2], act, "toy")
    with pytest.raises(DataError, match="order='random'"):
        rollout(net, x[:, :2], act, "toy", SamplerConfig(order="confidence"))
    save_model(net, tmp_path / "m")
    back = load_model(tmp_path / "m")
    assert back.cfg == net.cfg and back.cfg.variant == "continuous"
    cfg = SamplerConfig(temperature=1.0)
    assert torch.equal(rollout(back, x[:, :2], act, "toy", cfg), rollout(net, x[:, :2], act, "toy", cfg))


def test_training_lowers_the_diffusion_loss():
    net = soft_model().train()
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(1)
    losses = []
    for step in range(120):
        x, act = soft_batch(16, seed=step)
        loss, logs = hma_loss(net, x, act, "toy", generator=g)
        opt.zero_grad(); loss.backward(); opt.step()
        losses.append(logs["token_loss"])
        assert np.isnan(logs["masked_acc"])                                  # no exact-match accuracy for soft tokens
    assert np.mean(losses[-10:]) < 0.5 * np.mean(losses[:10])


def test_train_evaluate_bench_commands(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--variant", "continuous", "--out", str(run), "--preset", "tiny", "--domains", "pusht",
                 "--steps", "3", "--batch-size", "2", "--mixed-precision", "no", "--quiet", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["steps"] == 3 and summary["masked_acc_last_50"] is None
    assert load_model(run).cfg.variant == "continuous" and load_model(run).info["precision"] == "no"
    base = ["--variant", "continuous", "--model", str(run), "--json", "--diffusion-steps", "2"]
    assert main(["evaluate", *base, "--horizon", "2", "--draws", "1"]) == 0
    ev = json.loads(capsys.readouterr().out)
    assert {"domain", "episodes", "psnr_teacher_forced", "psnr_autoregressive_last", "delta_psnr", "baseline_copy_last", "ssim"} <= set(ev)
    assert main(["bench", *base, "--reps", "1", "--contexts", "2,4", "--context", "4"]) == 0
    b = json.loads(capsys.readouterr().out)
    assert b["diffusion_steps"] == 2 and b["variant"] == "continuous" and b["fps"] > 0 and "ms_per_frame_by_context" in b
    assert b["dtype"] == ("bfloat16" if bf16_is_fast() else "float32")              # bf16 by default only where it is fast
    assert main(["evaluate", "--model", str(run), "--json"]) == 2                     # a continuous model needs --variant continuous
    assert "pass --variant continuous" in capsys.readouterr().err
    assert main(["train", "--variant", "continuous", "--tokenizer", str(samples_dir() / "tokenizers" / "discrete"),
                 "--out", str(tmp_path / "x"), "--preset", "tiny", "--steps", "1", "--quiet"]) == 2
    capsys.readouterr()
    assert main(["train", "--variant", "continuous", "--out", str(tmp_path / "y"), "--preset", "tiny", "--domains", "pusht",
                 "--steps", "1", "--mixed-precision", "half", "--quiet"]) == 2
    assert "mixed_precision (--mixed-precision) must be one of" in capsys.readouterr().err


def test_residual_flag(tmp_path, capsys):
    common = ["--preset", "tiny", "--domains", "pusht", "--steps", "2", "--batch-size", "2", "--mixed-precision", "no", "--quiet"]
    res = tmp_path / "res"
    assert main(["train", "--variant", "continuous", "--residual", "--out", str(res), *common]) == 0
    capsys.readouterr()
    assert load_model(res).cfg.diffusion.residual
    plain = tmp_path / "plain"
    assert main(["train", "--variant", "continuous", "--out", str(plain), *common]) == 0
    capsys.readouterr()
    assert not load_model(plain).cfg.diffusion.residual
    x = tmp_path / "x"                                                        # a new residual head on a plain model's trunk and stems
    assert main(["train", "--variant", "continuous", "--residual", "--init", str(plain), "--out", str(x), *common, "--lr", "0"]) == 0
    capsys.readouterr()
    m_x, m_plain = load_model(x), load_model(plain)
    assert m_x.cfg.diffusion.residual and m_x.info["args"]["residual"]
    assert all(torch.equal(v, m_plain.image_stem.state_dict()[k]) for k, v in m_x.image_stem.state_dict().items())   # lr 0: unchanged
    assert main(["train", "--residual", "--out", str(tmp_path / "y"), *common]) == 2
    assert "--residual is for the continuous variant" in capsys.readouterr().err
    tr = tmp_path / "tr"                                                       # a residual head on a plain model's trunk
    assert main(["train", "--variant", "continuous", "--residual", "--init-trunk", str(plain), "--out", str(tr), *common]) == 0
    capsys.readouterr()
    assert load_model(tr).cfg.diffusion.residual
    assert main(["evaluate", "--variant", "continuous", "--model", str(tr), "--diffusion-start", "1.5", "--json"]) == 2
    assert "signal share" in capsys.readouterr().err

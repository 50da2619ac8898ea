"World model (tiny preset, seconds): shapes, clear errors, causality, cached == uncached sampling, the toy task, save/load, 2-process training."
import json
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest
import torch

from hma_nb.core import DataError, samples_dir
from hma_nb.metrics import psnr_per_frame
from hma_nb.model import load_model, save_model
from hma_nb.sampling import SamplerConfig, rollout
from hma_nb.tokenizer import unfactorize
from hma_nb.train import TokenWindows, TrainConfig, render_toy, toy_model, toy_token_world, train_model

SIZES = (8, 8)


def windows(n=32, seed=1):
    return TokenWindows("toy", toy_token_world(n, seed=seed), stride=5, T=6, sub_vocab_sizes=SIZES)


def paint(sub_BTSV):
    return render_toy(unfactorize(sub_BTSV, SIZES).reshape(*sub_BTSV.shape[:2], 4, 4))


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    net = toy_model()
    hist = train_model(net, {"toy": windows()}, tmp_path_factory.mktemp("toy"),
                       TrainConfig(steps=300, batch_size=32, lr=3e-3, warmup=20, mixed_precision="no", ckpt_every=1000), progress=False)
    return net, hist


def test_shapes_and_errors():
    net = toy_model().eval()
    sub, act = windows(4).batch([0, 1])
    with torch.no_grad():
        logits, a_hat = net(sub, torch.zeros(sub.shape[:3], dtype=torch.bool), act, "toy")
    assert logits.shape == (2, 6, 16, 2, 8) and a_hat.shape == (2, 6, 10)
    with pytest.raises(DataError, match="takes actions of width 10"):
        net(sub, None, act[..., :7], "toy")
    with pytest.raises(DataError, match="unknown domain 'robot'"):
        net(sub, None, act, "robot")
    with pytest.raises(DataError, match="do not match the model's grid"):
        net(sub[:, :, :9], None, act, "toy")
    with pytest.raises(DataError, match="takes actions of width 10"):
        rollout(net, sub[:, :1], act[..., :3], "toy")


def test_sampling_is_causal_and_cache_exact():
    net = toy_model(seed=3).eval()
    sub, act = windows(8, seed=5).batch(list(range(0, 40, 5)))
    for cfg in (SamplerConfig(), SamplerConfig(order="confidence", steps=3), SamplerConfig(temperature=1.0)):
        cached = rollout(net, sub[:, :2], act, "toy", cfg)
        assert torch.equal(cached, rollout(net, sub[:, :2], act, "toy", replace(cfg, cache=False)))
        changed = act.clone(); changed[:, 4:] += 3.0
        other = rollout(net, sub[:, :2], changed, "toy", cfg)
        assert torch.equal(other[:, :5], cached[:, :5])          # frame t sees actions[:t] only


def test_toy_task_learns_and_uses_actions(trained):
    net, hist = trained
    first, last = np.mean([h["token_loss"] for h in hist[:20]]), np.mean([h["token_loss"] for h in hist[-20:]])
    assert last < 0.2 * first
    held = windows(16, seed=99)
    sub, act = held.batch(list(range(0, len(held), 7)))
    truth = paint(sub)[:, -1]
    p_true = psnr_per_frame(paint(rollout(net, sub[:, :1], act, "toy"))[:, -1], truth).mean()
    fake = act.clone(); fake[..., ::2] = torch.randint(0, 4, fake[..., ::2].shape, generator=torch.Generator().manual_seed(0)).float()
    p_fake = psnr_per_frame(paint(rollout(net, sub[:, :1], fake, "toy"))[:, -1], truth).mean()
    assert p_true - p_fake > 5, (p_true, p_fake)


def test_save_load_identity(trained, tmp_path):
    net, _ = trained
    save_model(net, tmp_path / "m", {"note": "x"})
    back = load_model(tmp_path / "m")
    sub, act = windows(4).batch([0, 3])
    assert torch.equal(rollout(back, sub[:, :2], act, "toy"), rollout(net, sub[:, :2], act, "toy"))
    assert back.info == {"note": "x"}


def test_two_process_training(tmp_path):
    "accelerate with 2 CPU processes (gloo) on the bundled samples, tiny preset; the checkpoint records both processes."
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "accelerate.commands.accelerate_cli", "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
           "--mixed_precision", "no", "--dynamo_backend", "no", "-m", "hma_nb.train", "--out", str(tmp_path / "run"),
           "--root", str(samples_dir()), "--preset", "tiny", "--domains", "pendulum,pusht", "--steps", "4", "--batch-size", "2",
           "--mixed-precision", "no", "--quiet"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    info = json.loads((tmp_path / "run" / "model.json").read_text())["info"]
    assert info["processes"] == 2 and info["steps"] == 4
    hist = torch.load(tmp_path / "run" / "train_state.pt", weights_only=False)["history"]
    assert len(hist) == 4 and all(np.isfinite(h["loss"]) for h in hist)

"""World-model training on two processes (accelerate, gloo on CPU), which a notebook cannot run. (Shapes, errors,
causality, the cache, the toy task and save/load are checked in nbs/08_model, 10_sampling and 11_train.)"""
import json
import os
import subprocess
import sys

import numpy as np
import torch

from hma_nb.core import samples_dir


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

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
    """accelerate with 2 CPU processes (gloo) on the bundled samples, tiny preset; the checkpoint records both processes.
    With self-context, whose no-grad pass also runs through DDP while the processes draw different windows for it."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "accelerate.commands.accelerate_cli", "launch", "--multi_gpu", "--num_processes", "2", "--num_machines", "1",
           "--mixed_precision", "no", "--dynamo_backend", "no", "-m", "hma_nb.train", "--out", str(tmp_path / "run"),
           "--root", str(samples_dir()), "--preset", "tiny", "--domains", "pendulum,pusht", "--steps", "4", "--batch-size", "2",
           "--mixed-precision", "no", "--self-context", "0.5", "--quiet"]
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    info = json.loads((tmp_path / "run" / "model.json").read_text())["info"]
    assert info["processes"] == 2 and info["steps"] == 4
    hist = torch.load(tmp_path / "run" / "train_state.pt", weights_only=False)["history"]
    assert len(hist) == 4 and all(np.isfinite(h["loss"]) for h in hist)


def test_grow_model_script(tmp_path, capsys):
    "scripts/grow_model.py: the shipped generalist made deeper predicts what it predicted, for every robot; bad input is refused."
    import importlib.util
    from pathlib import Path

    import pytest
    from hma_nb.model import load_model
    spec = importlib.util.spec_from_file_location("grow_model", Path(__file__).parents[1] / "scripts" / "grow_model.py")
    grow = importlib.util.module_from_spec(spec); spec.loader.exec_module(grow)
    src = samples_dir() / "models" / "generalist"
    assert grow.main(["--model", str(src), "--layers", "5", "--out", str(tmp_path / "g5")]) == 0
    old, new = load_model(src), load_model(tmp_path / "g5")
    assert new.cfg.trunk.layers == 5 and new.info["grown"]["new_blocks"] == [1] and new.info["grown_from"] == str(src)
    assert grow.same_function(old, new) < 1e-5
    assert "4 -> 5 blocks" in capsys.readouterr().out
    for argv, msg in ((["--layers", "4", "--out", str(tmp_path / "g4")], "layers must be an int > the model's 4, got 4"),
                      (["--layers", "6", "--out", str(tmp_path / "g5")], "already holds a model")):
        with pytest.raises(SystemExit) as e:
            grow.main(["--model", str(src)] + argv)
        assert e.value.code == 2 and msg in capsys.readouterr().err
    assert not (tmp_path / "g4").exists()


def test_compiled_training_matches_eager(tmp_path):
    "`train_model(..., compile=True)` (`hma-nb train --compile`): the toy run's losses are the eager run's, self-context "
    "included, and its checkpoint loads as a plain model; a run started eager resumes compiled."
    from hma_nb.model import load_model
    from hma_nb.objective import MaskingConfig
    from hma_nb.toy import TOY_SIZES
    from hma_nb.train import TokenWindows, TrainConfig, toy_model, toy_token_world, train_model
    windows = {"toy": TokenWindows("toy", toy_token_world(16, seed=1), stride=5, T=6, sub_vocab_sizes=TOY_SIZES)}
    cfg = TrainConfig(steps=4, batch_size=4, lr=1e-3, warmup=1, ckpt_every=2, mixed_precision="no",
                      masking=MaskingConfig(self_context=0.5))
    from torch._dynamo.utils import counters
    eager = train_model(toy_model(), windows, tmp_path / "eager", cfg, progress=False)
    graphs = counters["stats"]["unique_graphs"]
    compiled = train_model(toy_model(), windows, tmp_path / "compiled", cfg, progress=False, compile=True)
    assert counters["stats"]["unique_graphs"] > graphs                  # the loss really ran through compiled graphs
    np.testing.assert_allclose([h["loss"] for h in compiled], [h["loss"] for h in eager], rtol=1e-4)
    assert load_model(tmp_path / "compiled").state_dict().keys() == toy_model().state_dict().keys()
    train_model(toy_model(), windows, tmp_path / "switch", cfg, progress=False, stop_after=2)
    switched = train_model(toy_model(), windows, tmp_path / "switch", cfg, progress=False, compile=True)
    np.testing.assert_allclose([h["loss"] for h in switched], [h["loss"] for h in eager], rtol=1e-4)


def test_compile_flag_reaches_training(monkeypatch):
    "`hma-nb train --compile` asks `train_world_model` for a compiled run, and keeps the flag out of the run's recorded arguments."
    import hma_nb.train
    from hma_nb.cli import main
    seen = []
    monkeypatch.setattr(hma_nb.train, "train_world_model", lambda *a, **kw: seen.append(kw) or {"out": "x"})
    # (the command prints the summary as JSON with --json, whatever it holds)
    for flags, want in (([], False), (["--compile"], True)):
        assert main(["train", "--out", "unused", "--steps", "2", "--quiet", "--json", *flags]) == 0
        assert seen[-1]["compile"] is want and "compile" not in seen[-1]["args"]

"Headless rollouts (tiny untrained model on the bundled store, seconds) and `hma-nb demo` with the shipped model."
import json

import mediapy
import numpy as np
import pytest
import torch

from hma_nb.cli import main
from hma_nb.core import DataError, samples_dir
from hma_nb.data import open_store
from hma_nb.model import HMA
from hma_nb.rollout import Rollout
from hma_nb.tokenizer import load_tokenizer
from hma_nb.train import model_config, model_domain


@pytest.fixture(scope="module")
def tiny():
    store, tok = open_store(samples_dir()), load_tokenizer(samples_dir() / "tokenizers" / "discrete")
    torch.manual_seed(0)
    model = HMA(model_config("tiny", tok, [model_domain(store, d) for d in ("pusht", "pendulum")])).eval()
    return model, tok


def test_steps_reset_and_errors(tiny):
    ro = Rollout(*tiny, "pusht", episode=2, window=5, twin=True)
    prompt = ro.frames.copy()
    assert np.array_equal(prompt, ro.ep.frames[[0, 5]])                       # real frames at the model's stride
    frames = [ro.step([200.0 + 20 * k, 300.0]) for k in range(7)]           # past the 5-frame window: the sampler slides
    assert all(f.shape == (64, 64, 3) and f.dtype == np.uint8 for f in frames)
    assert ro.t == 9 and ro.actions.shape == (8, 5, 2) and len(ro.psnr) == 7 and ro.sim_frames.shape == ro.frames.shape
    assert np.array_equal(ro.actions[-1], np.tile([320.0, 300.0], (5, 1)))  # a raw action is held for the 5 raw steps
    ro.reset()
    assert ro.t == 2 and np.array_equal(ro.frames, prompt) and ro.psnr == []
    again = [ro.step([200.0 + 20 * k, 300.0]) for k in range(7)]
    assert all(np.array_equal(a, b) for a, b in zip(frames, again))           # same settings, same actions: same rollout
    with pytest.raises(DataError, match="raw action of width 2 .* or a model action of width 10; got width 3"):
        ro.step([1.0, 2.0, 3.0])
    with pytest.raises(DataError, match="episode 7 is not in split 'heldout'"):
        ro.reset(episode=7)
    with pytest.raises(DataError, match="unknown domain 'kuka'"):
        ro.reset(domain="kuka")
    ro.reset(domain="pendulum")                                              # another robot: its own action width
    assert ro.step([0.5]).shape == (64, 64, 3) and ro.actions.shape == (2, 10, 1)
    ro.close()


def test_configure_and_export(tiny, tmp_path):
    ro = Rollout(*tiny, "pusht")
    ro.step([100.0, 100.0])
    with pytest.raises(ValueError):
        ro.configure(steps=0)
    ro.configure(steps=4, temperature=1.0)
    ro.step([100.0, 100.0])
    assert ro.cfg.steps == 4 and ro.t == 4
    out = ro.export(tmp_path / "r.gif")
    assert mediapy.read_video(out).shape[0] == 4
    with pytest.raises(DataError, match="writes .mp4 or .gif"):
        ro.export(tmp_path / "r.webm")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.gif"]


def test_demo_command(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--frames", "6", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert set(res) >= {"frames", "fps", "psnr_vs_simulator"} and res["frames"] == 6 and res["fps"] > 0
    assert res["psnr_vs_simulator"] > 18                     # the shipped model stays close to PushT's simulator
    assert mediapy.read_video(res["video"]).shape == (8, 256, 512, 3)   # 2 prompt + 6 frames, model | simulator
    assert main(["demo", "--out", str(tmp_path), "--episode", "9"]) == 2


def test_refused_and_clamped_actions_keep_model_and_twin_together(tiny, tmp_path):
    "Issue 24: a NaN/Inf or malformed action is refused before the model or the simulator moves; an overshoot is clamped."
    ro = Rollout(*tiny, "pusht", episode=0, twin=True)
    ro.step([200.0, 300.0])
    frames, sims, acts, psnr = ro.frames.copy(), ro.sim_frames.copy(), ro.actions.copy(), list(ro.psnr)
    for bad, words in (([np.nan, 300.0], "must be finite"), ([np.inf] * 10, "must be finite"),
                       ([1.0, 2.0, 3.0], "raw action of width 2"), ("left", "a list of numbers"), ([1e400, 0.0], "must be finite")):
        with pytest.raises(DataError, match=words):
            ro.step(bad)
        assert np.array_equal(ro.frames, frames) and np.array_equal(ro.sim_frames, sims)      # model and twin untouched
        assert np.array_equal(ro.actions, acts) and ro.psnr == psnr
    ro.step([1e30, -1e30])                                                    # far off the board: clamped to [0, 512]
    assert np.array_equal(ro.actions[-1], np.tile([512.0, 0.0], (5, 1)))
    assert ro.t == 4 and ro.sim_frames.shape == ro.frames.shape and len(ro.psnr) == 2
    out = ro.export(tmp_path / "after_refusals.mp4")                          # the histories agree, so export works
    assert mediapy.read_video(out).shape == (4, 256, 512, 3)
    clean = Rollout(*tiny, "pusht", episode=0, twin=True)                     # never saw the refused actions or the overshoot
    clean.step([200.0, 300.0]); clean.step([512.0, 0.0])
    assert np.array_equal(clean.frames, ro.frames) and np.array_equal(clean.sim_frames, ro.sim_frames)
    ro.close(); clean.close()


def test_step_failure_after_the_model_leaves_history_consistent(tiny, monkeypatch):
    "If the simulator fails mid-step, nothing is recorded and the sampler restarts from the history on the next step."
    ro = Rollout(*tiny, "pusht", episode=1, twin=True)
    ro.step([250.0, 250.0])
    t = ro.t
    def boom(a): raise RuntimeError("simulator crashed")
    monkeypatch.setattr(ro.env, "step", boom)
    with pytest.raises(RuntimeError, match="crashed"):
        ro.step([260.0, 250.0])
    assert ro.t == t and len(ro.sim_frames) == t and len(ro.actions) == t - 1 and ro._sampler is None
    ro.close()

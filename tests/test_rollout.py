"Headless rollouts (tiny untrained model on the bundled store, seconds) and `hma-nb demo` with the shipped model."
import json

import mediapy
import numpy as np
import pytest
import torch

from hma_nb.cli import main
from hma_nb.core import DataError, samples_dir
from hma_nb.data import open_store
from hma_nb.model import HMA, ModelDomain
from hma_nb.rollout import Rollout
from hma_nb.tokenizer import load_tokenizer
from hma_nb.train import model_config


@pytest.fixture(scope="module")
def tiny():
    store, tok = open_store(samples_dir()), load_tokenizer(samples_dir() / "tokenizers" / "discrete")
    torch.manual_seed(0)
    model = HMA(model_config("tiny", tok, [ModelDomain.from_store(store, d) for d in ("pusht", "pendulum")])).eval()
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

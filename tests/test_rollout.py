"""`hma-nb demo` with the shipped model, and a simulator that crashes mid-step (tiny untrained model on the bundled store).
(Steps, resets, refused and clamped actions with the twin, settings and videos are checked in nbs/14_rollout.ipynb.)"""
import json

import mediapy
import pytest
import torch

from hma_nb.cli import main
from hma_nb.core import samples_dir
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


def test_demo_command(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--frames", "6", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert set(res) >= {"frames", "fps", "psnr_vs_simulator"} and res["frames"] == 6 and res["fps"] > 0
    assert res["psnr_vs_simulator"] > 18                     # the shipped model stays close to PushT's simulator
    assert mediapy.read_video(res["video"]).shape == (8, 256, 512, 3)   # 2 prompt + 6 frames, model | simulator
    assert main(["demo", "--out", str(tmp_path), "--episode", "9"]) == 2


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

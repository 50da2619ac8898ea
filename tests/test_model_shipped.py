"""The shipped discrete world model: loads offline, knows its domains, and holds its measured quality on held-out PushT (via the CLI).

Evaluation is deterministic (seeded sampler and action draws). Measured for the shipped model (K=2, random order):
teacher-forced 25.52 dB, autoregressive last 22.72 dB vs copy-last 20.74 dB, delta PSNR 0.42 dB. The issue's targets
for autoregressive PSNR (>= copy-last + 1 dB) is met and asserted; its teacher-forced (>= 28 dB) and delta PSNR
(>= 2 dB) targets are NOT met yet, so those two are guarded at the measured level (a regression fails the test)."""
import json
import subprocess

import pytest

from hma_nb.core import samples_dir
from hma_nb.model import load_model

MODEL = samples_dir() / "models" / "discrete"


def test_shipped_model_config():
    m = load_model(MODEL)
    names = [d.name for d in m.cfg.domains]
    assert set(names) == {"pusht", "pusher", "cheetah", "sawyer", "kuka", "pendulum"}
    pusht = m.cfg.domain("pusht")
    assert (pusht.hz, pusht.stride, pusht.raw_action_dim, pusht.action_dim) == (10.0, 5, 2, 10)
    assert m.cfg.grid == (16, 16) and m.cfg.sub_vocab_sizes == (512, 512)
    assert m.info["init"] and m.info["domains_trained"] == ["pusht"]          # fine-tuned on PushT from a pretrained run
    assert set(m.info["init_info"]["windows"]) == set(names)                 # which was pretrained on every domain


@pytest.fixture(scope="module")
def pusht_eval():
    r = subprocess.run(["hma-nb", "evaluate", "--domain", "pusht", "--json"],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_evaluate_json_keys(pusht_eval):
    assert {"domain", "episodes", "psnr_teacher_forced", "psnr_autoregressive_last", "delta_psnr", "baseline_copy_last",
            "ssim"} <= set(pusht_eval)
    assert pusht_eval["domain"] == "pusht" and pusht_eval["episodes"] == 4
    assert "psnr_autoregressive_last" in pusht_eval["baseline_copy_last"]


def test_pusht_quality(pusht_eval):
    e = pusht_eval
    assert e["psnr_autoregressive_last"] >= e["baseline_copy_last"]["psnr_autoregressive_last"] + 1.0, e   # issue target
    assert e["psnr_teacher_forced"] >= 25.0, e          # measured 25.52 (target 28: not met)
    assert e["delta_psnr"] >= 0.3, e                   # measured 0.42 (target 2: not met); the model does use its actions
    assert e["psnr_teacher_forced"] < e["tokenizer_psnr_last"]

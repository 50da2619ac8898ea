"""The shipped continuous world model (data_samples/models/continuous): loads offline, records how it was made, and holds
its measured quality on held-out PushT through `hma-nb evaluate --variant continuous` (same keys as the discrete one).

Evaluation is deterministic (seeded sampler, diffusion noise and action draws). Measured for the shipped model (K=2,
random order, 10 DDIM steps, temperature 0): teacher-forced 25.56 dB, autoregressive last 23.33 dB vs copy-last
20.74 dB, delta PSNR 0.47 dB, SSIM 0.881 (the discrete model, same windows: 27.53 / 23.56 / 1.79 / 0.879). The guards sit just below the measured levels, so a regression
fails; the issue's targets that are not met (teacher-forced >= discrete + 1 dB, delta PSNR >= 2 dB) are named below."""
import pytest

from hma_nb.core import samples_dir
from hma_nb.model import load_model

MODEL = samples_dir() / "models" / "continuous"


def test_shipped_continuous_config():
    m = load_model(MODEL)
    assert m.cfg.variant == "continuous" and m.cfg.token_dim == 4 and m.cfg.grid == (16, 16)
    assert {d.name for d in m.cfg.domains} == {"pusht", "pusher", "cheetah", "sawyer", "kuka", "pendulum"}
    assert m.info["domains_trained"] == ["pusht"] and m.info["init"]                 # fine-tuned on PushT ...
    pre = m.info["init_info"]
    assert len(pre["windows"]) == 6 and pre["args"]["variant"] == "continuous"      # ... from continuous pretraining on six robots
    assert pre["args"]["init_trunk"].endswith("discrete_pretrained")                 # whose trunk came from the discrete generalist
    assert pre["init_info"]["steps"] == 1600 and len(pre["init_info"]["windows"]) == 6
    assert MODEL.joinpath("model.safetensors").stat().st_size < 8e6                  # "a few MB"


@pytest.fixture(scope="module")
def pusht_eval(evaluate_cli):
    return evaluate_cli("--variant", "continuous", "--domain", "pusht")   # checks the discrete evaluate's keys (conftest)


def test_continuous_evaluate_keys_and_quality(pusht_eval):
    e = pusht_eval
    assert e["domain"] == "pusht" and e["episodes"] == 4
    assert e["psnr_teacher_forced"] < e["tokenizer_psnr_last"]
    copy = e["baseline_copy_last"]["psnr_autoregressive_last"]
    assert e["psnr_autoregressive_last"] >= copy + 2.0, e   # measured +2.59 over copying the last frame
    assert e["psnr_teacher_forced"] >= 25.2, e               # measured 25.56 (target: discrete 27.53 + 1 dB, not met)
    assert e["delta_psnr"] >= 0.3, e                         # measured 0.47 (target 2 dB, not met): the actions move it a little
    assert e["ssim"] >= 0.87, e                              # measured 0.881

"""The shipped continuous world model (data_samples/models/continuous): loads offline, records how it was made, and holds
its measured quality on held-out PushT through `hma-nb evaluate --variant continuous` (same keys as the discrete one).

Evaluation is deterministic (seeded sampler, diffusion noise and action draws). Measured for the shipped model (residual
diffusion head, K=2, random order, 10 DDIM steps from signal share 0.01, temperature 0): teacher-forced 29.33 dB,
autoregressive last 24.33 dB vs copy-last 20.74 dB, delta PSNR 1.46 dB, SSIM 0.869 (the discrete model, same windows:
27.53 / 23.56 / 1.79 / 0.879). The guards sit just below the measured levels, so a regression fails; issue 6's
teacher-forced target (discrete + 1 dB) is asserted. Its delta PSNR target (2 dB) is met with action guidance 1.5
(`--guidance 1.5`: 29.01 / 24.24 / delta PSNR 2.26 / SSIM 0.862, 12.1 frames/s in `hma-nb bench`), not at the default 1."""
import pytest

from hma_nb.core import samples_dir
from hma_nb.model import load_model

MODEL = samples_dir() / "models" / "continuous"
DISCRETE_TEACHER_FORCED = 27.53          # the shipped discrete model on the same windows (tests/test_model_shipped.py)


def test_shipped_continuous_config():
    m = load_model(MODEL)
    assert m.cfg.variant == "continuous" and m.cfg.token_dim == 4 and m.cfg.grid == (16, 16)
    assert m.cfg.diffusion.residual and m.info["args"]["residual"]                   # the head samples changes
    assert {d.name for d in m.cfg.domains} == {"pusht", "pusher", "cheetah", "sawyer", "kuka", "pendulum"}
    assert m.info["domains_trained"] == ["pusht"] and m.info["steps"] == 1500
    plain = m.info["init_info"]                                                      # from the plain PushT model ...
    assert list(plain["windows"]) == ["pusht"] and plain["steps"] == 1600 and not plain["args"].get("residual")
    pre = plain["init_info"]
    assert len(pre["windows"]) == 6 and pre["args"]["variant"] == "continuous"      # ... after continuous pretraining on six robots
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
    assert e["psnr_autoregressive_last"] >= copy + 3.3, e                   # measured +3.59 over copying the last frame
    assert e["psnr_teacher_forced"] >= 29.0, e          # measured 29.33; issue 6's target is discrete 27.53 + 1 = 28.53
    assert e["delta_psnr"] >= 1.2, e                                        # measured 1.46 (target 2 dB, not met)
    assert e["ssim"] >= 0.86, e                                             # measured 0.869


def test_continuous_with_action_guidance_meets_issue_targets(evaluate_cli):
    e = evaluate_cli("--variant", "continuous", "--domain", "pusht", "--guidance", "1.5")
    assert e["guidance"] == 1.5
    assert e["delta_psnr"] >= 2.0, e                                        # measured 2.26: issue 6's target
    assert e["psnr_teacher_forced"] >= DISCRETE_TEACHER_FORCED + 1.0, e     # measured 29.01
    assert e["psnr_autoregressive_last"] >= e["baseline_copy_last"]["psnr_autoregressive_last"] + 3.0, e   # measured +3.50

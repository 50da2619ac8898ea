"""The shipped continuous world model (data_samples/models/continuous): loads offline with the config a user relies on,
says how its sampler defaults were chosen (on other episodes than it is reported on), and holds its measured quality
on held-out PushT through `hma-nb evaluate --variant continuous` (same keys as the discrete one).

Evaluation is deterministic (seeded sampler, diffusion noise and action draws). The model's default sampler (residual
diffusion head, K=1 MaskGIT pass per frame, random order, 10 DDIM steps from signal share 0.01, temperature 0, action
guidance 1.5; w chosen by `hma-nb sweep guidance` and K by `hma-nb sweep maskgit-steps` on 40 other held-out windows) measured:
teacher-forced 29.09 dB, autoregressive last 24.25 dB vs copy-last 20.74 dB, delta PSNR 2.45 dB (standard error 0.35),
SSIM 0.854 (the discrete model at its default K=1, same windows: 28.03 / 24.26 / 2.07 / 0.897): issue 6's targets
(teacher-forced >= discrete + 1 dB, delta PSNR >= 2 dB) are asserted. With K=2 and guidance 1.5 (the default before the
K sweep) it measured 29.01 / 24.24 / 2.26 / 0.862; the plain sampler (`--maskgit-steps 2 --guidance 1`) 29.33 / 24.33 / 1.46 /
0.869. The other guards sit just below the measured levels, so a regression fails."""
import pytest

from hma_nb.core import samples_dir
from hma_nb.evaluate import pick_guidance, pick_steps
from hma_nb.model import load_model

MODEL = samples_dir() / "models" / "continuous"
DISCRETE_TEACHER_FORCED = 28.03          # the shipped discrete model on the same windows (tests/test_model_shipped.py)


def test_shipped_continuous_config():
    "Loads offline, with the config a user relies on: variant, token size, grid, a residual head, the six robots, a few MB."
    m = load_model(MODEL)
    assert m.cfg.variant == "continuous" and m.cfg.token_dim == 4 and m.cfg.grid == (16, 16)
    assert m.cfg.diffusion.residual                                                  # the head samples changes
    assert {d.name for d in m.cfg.domains} == {"pusht", "pusher", "cheetah", "sawyer", "kuka", "pendulum"}
    assert MODEL.joinpath("model.safetensors").stat().st_size < 8e6                  # "a few MB"


def test_shipped_guidance_was_chosen_on_other_episodes():
    m = load_model(MODEL)
    g = m.info["guidance"]                               # written by `hma-nb sweep guidance --save` (scripts/train_continuous.sh)
    assert m.cfg.guidance == g["picked"] == 1.5
    assert "data_samples" not in g["root"] and g["split"] == "heldout"              # not the windows it is reported on
    assert pick_guidance(g["rows"], g["min_delta"], g["z"]) == 1.5 and g["min_delta"] == 2.0
    assert {r["guidance"] for r in g["rows"]} == {1.0, 1.25, 1.5, 2.0} and all(r["windows"] == 40 for r in g["rows"])


def test_shipped_maskgit_steps_were_chosen_on_other_episodes():
    m = load_model(MODEL)
    k = m.info["maskgit_steps"]                          # written by `hma-nb sweep maskgit-steps --save` (scripts/train_continuous.sh)
    assert m.cfg.maskgit_steps == k["picked"] == 1 and "data_samples" not in k["root"]
    assert pick_steps(k["rows"], k["tolerance"]) == 1 and [r["steps"] for r in k["rows"]] == [1, 2]


@pytest.fixture(scope="module")
def pusht_eval(evaluate_cli):
    return evaluate_cli("--variant", "continuous", "--domain", "pusht")   # checks the discrete evaluate's keys (conftest)


def test_continuous_evaluate_meets_issue_targets(pusht_eval):
    e = pusht_eval
    assert e["domain"] == "pusht" and e["episodes"] == 4 and e["guidance"] == 1.5 and e["maskgit_steps"] == 1   # the model's own defaults
    assert e["psnr_teacher_forced"] < e["tokenizer_psnr_last"]
    copy = e["baseline_copy_last"]["psnr_autoregressive_last"]
    assert e["psnr_autoregressive_last"] >= copy + 3.2, e                   # measured +3.51 over copying the last frame
    assert e["psnr_teacher_forced"] >= DISCRETE_TEACHER_FORCED + 1.0, e     # measured 29.09: issue 6's target
    assert e["delta_psnr"] >= 2.0, e                                        # measured 2.45: issue 6's target
    assert e["ssim"] >= 0.85, e                                             # measured 0.854


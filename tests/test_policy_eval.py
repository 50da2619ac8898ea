"Policy evaluation inside the world model: the pixel scorer on known frames, seeded policies, the model's action head, errors, and the CLI's JSON."
import argparse
import contextlib
import io
import json

import numpy as np
import pytest
import torch

from hma_nb.core import DataError, samples_dir
from hma_nb.data import open_store
from hma_nb.envs import make_env
from hma_nb.model import HMA, HMAConfig, ModelDomain, load_model, save_model
from hma_nb.policy_eval import (POLICIES, T_AREA_SHARE, ScriptedPolicy, action_error, add_policy_eval_args, cmd_policy_eval,
                                evaluate_policies, goal_mask, pixel_coverage, pixel_policy, predict_actions, run_sim, sim_coverage,
                                t_pose, unmix)
from hma_nb.tokenizer import load_tokenizer
from hma_nb.trunk import TrunkConfig


@pytest.fixture(scope="module")
def shipped():
    return load_model(samples_dir() / "models" / "discrete"), load_tokenizer(samples_dir() / "tokenizers" / "discrete")


@pytest.fixture(scope="module")
def pendulum_only():
    torch.manual_seed(0)
    return HMA(HMAConfig(trunk=TrunkConfig(d=32, layers=1, heads=2), domains=(ModelDomain("pendulum", 20.0, 10, 1, (0.0,) * 10, (1.0,) * 10),)))


def _cli(*argv) -> dict:
    args = add_policy_eval_args(argparse.ArgumentParser()).parse_args([*argv, "--json"])
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cmd_policy_eval(args) == 0
    return json.loads(buf.getvalue())


def test_pixel_scorer_on_known_frames():
    with make_env("pusht", 64) as env:
        frames, cov = [], []
        for s in range(70000, 70010):
            frames.append(env.reset(s)); cov.append(sim_coverage(env))
            for _ in range(3): frames.append(env.step(np.array([256.0, 256.0]))); cov.append(sim_coverage(env))
    frames, cov = np.stack(frames), np.array(cov)
    goal = goal_mask(frames[::4])
    assert abs(goal.sum() - T_AREA_SHARE * 64 * 64) < 6                      # the goal's area: 98.4 px at 64x64
    score = pixel_coverage(frames, goal)
    assert np.abs(score - cov).max() < 0.05 and np.corrcoef(score, cov)[0, 1] > 0.95
    assert (cov > 0.1).sum() >= 5                                            # frames with the T partly on the goal are among them
    painted = np.where(goal[..., None] > 0, np.uint8([143, 163, 184]), np.uint8([255, 255, 255]))
    assert pixel_coverage(painted, goal) == pytest.approx(1.0) and pixel_coverage(np.full_like(painted, 255), goal) == 0
    shares = unmix(frames[:1])
    assert shares.shape == (1, 64, 64, 4) and np.allclose(shares.sum(-1), 1, atol=1e-5)
    with pytest.raises(DataError, match="less than half a T"):
        pixel_coverage(frames, np.zeros((64, 64)))
    with pytest.raises(DataError, match="must be uint8 RGB"):
        pixel_coverage(frames.astype(np.float32), goal)


def test_perception_reads_the_block_pose():
    with make_env("pusht", 64) as env:
        errs = []
        for s in range(71000, 71012):
            pose, (x, y, a) = t_pose(unmix(env.reset(s))[..., 2]), env.object_pose()
            errs.append((np.hypot(*(pose.xy - [x, y])), abs((pose.angle - a + np.pi) % (2 * np.pi) - np.pi)))
    pos, ang = np.median(errs, 0)
    assert pos < 5 and np.degrees(ang) < 4


def test_policies_are_deterministic_under_a_seed():
    with make_env("pusht", 64) as env:
        frames = np.stack([env.reset(70000 + i) for i in range(3)])
    acts = []
    for seeds in ([5, 6, 7], [5, 6, 7], [5, 6, 8]):
        pol = ScriptedPolicy("noisy"); pol.reset(seeds); acts.append(np.stack([pol.act(frames) for _ in range(3)]))
    assert np.array_equal(acts[0], acts[1]) and acts[0].shape == (3, 3, 10)
    assert np.array_equal(acts[0][:, :2], acts[2][:, :2]) and not np.array_equal(acts[0][:, 2], acts[2][:, 2])   # its own seed per episode
    a, b = (run_sim(ScriptedPolicy("late"), [70003, 70004], horizon=4) for _ in range(2))
    assert np.array_equal(a.frames, b.frames) and np.array_equal(a.coverage, b.coverage)


def test_errors_name_the_problem(shipped, pendulum_only, tmp_path):
    model, tok = shipped
    with pytest.raises(DataError, match="unknown policy 'oracle'; the policies are expert, noisy"):
        pixel_policy("oracle")
    with pytest.raises(DataError, match="unknown policy 'sloppy'"):
        evaluate_policies(model, tok, ["expert", "sloppy"], episodes=1, horizon=1, progress=False)
    with pytest.raises(DataError, match=r"horizon \(model steps to run after the 2 prompt frames\) must be an int >= 1, got 0"):
        evaluate_policies(model, tok, ["expert"], episodes=1, horizon=0, progress=False)
    with pytest.raises(DataError, match="does not know PushT .its domains: pendulum.*discrete_pusht"):
        evaluate_policies(pendulum_only, tok, ["expert"], episodes=1, horizon=1, progress=False)
    save_model(pendulum_only, tmp_path / "pendulum")
    with pytest.raises(DataError, match="does not know PushT"):
        _cli("--model", str(tmp_path / "pendulum"))
    with pytest.raises(DataError, match="unknown policy 'oracle' in --policies"):
        _cli("--policies", "expert,oracle")
    with pytest.raises(DataError, match="horizon"):
        _cli("--horizon", "0")


def test_predict_actions_beats_the_mean_action(shipped):
    model, tok = shipped
    err = action_error(model, tok, open_store(samples_dir()).load("pusht", "heldout"))
    assert err["windows"] >= 40
    assert err["nmse"]["inverse"] < err["nmse"]["policy"] < 0.5 * err["nmse"]["mean_action"]
    with pytest.raises(DataError, match="mode must be one of"):
        predict_actions(model, torch.zeros(1, 2, 256, 2, dtype=torch.long), None, "pusht", mode="oracle")


def test_cli_json_small(shipped):
    out = _cli("--policies", "expert,random,model", "--episodes", "2", "--horizon", "2")
    assert {"policies", "pearson", "spearman", "episodes", "horizon", "model", "seconds"} <= set(out)
    assert [p["name"] for p in out["policies"]] == ["expert", "random", "model"] and set(out["seconds"]) == {"sim", "model"}
    for p in out["policies"]:
        assert {"name", "sim_score", "sim_ci", "model_score", "model_ci"} <= set(p)
        assert p["sim_ci"][0] <= p["sim_score"] <= p["sim_ci"][1] and 0 <= p["model_score"] <= 1
    assert (out["episodes"], out["horizon"]) == (2, 2) and out["model"].endswith("models/discrete") and "model" in POLICIES

"""scripts/pusht_policy_data.py's training data beyond the policies' own: short held moves (a point 10-80 px away, held 1-4 model
steps) and handovers (the expert, then a wandering pusher)."""
import numpy as np
import pytest
from conftest import load_script

from hma_nb.core import DataError
from hma_nb.envs import PushTEnv
from hma_nb.policy_eval import STRIDE, disc_xy, goal_mask, pixel_coverage, policy_episode, unmix


@pytest.fixture(scope="module")
def script():
    return load_script("scripts/pusht_policy_data.py")


def test_hop_episode_sends_the_disc_short_distances_and_holds(script):
    with PushTEnv(64) as env:
        ep = script.hop_episode(500000, 12, env)
        again = script.hop_episode(500000, 12, env)
    T = STRIDE * 13 + 1
    assert ep.frames.shape == (T, 64, 64, 3) and ep.actions.shape == (T, 2) and ep.meta["policy"] == "hops"
    assert np.array_equal(ep.actions, again.actions)                                 # the same seed, the same moves
    steps = ep.actions[:-1].reshape(13, STRIDE, 2)
    assert (steps == steps[:, :1]).all()                                             # each model step: one point, 5 times
    cmds = steps[1:, 0]
    new = np.r_[True, (np.diff(cmds, axis=0) != 0).any(1)]
    runs = np.diff(np.r_[np.flatnonzero(new), len(cmds)])
    assert runs[:-1].max() <= 4 and (runs > 1).any()                                # held at most 4 model steps, some repeated
    starts = np.flatnonzero(new) + 1                                                 # model step at which a new point is sent
    disc = [disc_xy(unmix(ep.frames[STRIDE * s])[..., 3]) for s in starts]           # where the disc was when it was chosen
    hop = [np.linalg.norm(steps[s, 0] - d) for s, d in zip(starts, disc)]
    assert 5 <= min(hop) and max(hop) <= 90                                          # 10-80 px, give or take the disc's reading
    ends = np.flatnonzero(np.r_[new[1:], True]) + 1                                  # last model step of each held point
    off = [np.linalg.norm(disc_xy(unmix(ep.frames[STRIDE * (e + 1)])[..., 3]) - steps[e, 0]) for e in ends]
    assert np.median(off) < 8                                                        # the simulator's disc arrives


def test_hop_episode_refuses_a_horizon_below_1(script):
    with PushTEnv(64) as env, pytest.raises(DataError, match="horizon"):
        script.hop_episode(500000, 0, env)


def test_handover_episode_is_the_expert_until_the_switch_then_a_wanderer(script):
    with PushTEnv(64) as env:
        ep = script.handover_episode(600000, 30, env)
        again = script.handover_episode(600000, 30, env)
        expert = policy_episode("expert", 600000, 30, env=env)
    k = ep.meta["switch"]
    lo, hi = script.HANDOVER
    assert ep.meta["policy"] == "handover" and lo <= k <= hi and ep.frames.shape == expert.frames.shape
    assert np.array_equal(ep.actions, again.actions)                                 # the same seed, the same episode
    n = STRIDE * (k + 1)                                                             # the holding step, then k expert steps
    assert np.array_equal(ep.actions[:n], expert.actions[:n])                        # the expert's own moves until the switch
    assert not np.allclose(ep.actions[n:n + STRIDE * 3], expert.actions[n:n + STRIDE * 3])   # then someone else's
    # seed 600000: the expert brings the T onto the goal before the switch and the wanderer knocks it off
    cov = pixel_coverage(ep.frames[::STRIDE], goal_mask(ep.frames[:1]))
    assert cov[k] > 0.3 and cov[-1] < 0.1

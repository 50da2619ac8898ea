"""scripts/pusht_policy_data.py's short held moves as training data: a point 10-80 px away, held 1-4 model steps."""
import numpy as np
import pytest
from conftest import load_script

from hma_nb.core import DataError
from hma_nb.envs import PushTEnv
from hma_nb.policy_eval import STRIDE, disc_xy, unmix


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

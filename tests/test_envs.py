"Tests of hma_nb.envs: specs, action validation, determinism, the twin (replay) property, motion checks."
import numpy as np
import pytest

from hma_nb.core import DataError
from hma_nb.data import Episode
from hma_nb.data import model_stride
from hma_nb.envs import (DOMAINS, EXTRA_DOMAINS, as_size, check_motion, domain_spec, generate_episode, generate_episodes,
                         make_env, make_policy, replay)

NAMES = sorted(DOMAINS)
ALL_NAMES = NAMES + sorted(EXTRA_DOMAINS)   # the default six and the opt-in robots
STEPS = 12   # short episodes keep the whole file well under a minute


def test_domain_specs():
    assert NAMES == ["cheetah", "kuka", "pendulum", "pusher", "pusht", "sawyer"]
    assert len({s.action_dim for s in DOMAINS.values()}) >= 4
    assert len({s.hz for s in DOMAINS.values()}) >= 3
    expected = {"pusht": (2, 10), "pusher": (7, 20), "cheetah": (6, 20), "sawyer": (4, 10), "kuka": (7, 12), "pendulum": (1, 20)}
    for name, (A, hz) in expected.items():
        s = DOMAINS[name]
        assert (s.action_dim, s.hz) == (A, hz), name
        assert len(s.action_low) == len(s.action_high) == len(s.action_names) == A
        assert all(lo < hi for lo, hi in zip(s.action_low, s.action_high))
        assert 5 <= s.steps / s.hz <= 10


def test_opt_in_domain_stays_out_of_the_default_set():
    "Reacher is made by name but is not one of the six that `hma-nb generate` makes by default and the shipped models know."
    assert list(DOMAINS) == ["pusht", "pusher", "cheetah", "sawyer", "kuka", "pendulum"]
    assert sorted(EXTRA_DOMAINS) == ["reacher"] and "reacher" not in DOMAINS
    assert all(s.extra for s in EXTRA_DOMAINS.values()) and not any(s.extra for s in DOMAINS.values())
    r = domain_spec("reacher")
    assert (r.action_dim, r.hz, r.steps, model_stride(r.hz)) == (2, 50.0, 400, 25) and r.hz == 2 * model_stride(r.hz)
    assert r.action_low == (-1.0, -1.0) and r.action_high == (1.0, 1.0) and len(r.action_names) == 2
    assert domain_spec("kuka") is DOMAINS["kuka"]
    with pytest.raises(DataError, match=r"unknown domain 'ur5'.*opt-in: \['reacher'\]"):
        domain_spec("ur5")
    with make_env("reacher") as env:
        assert env.spec is r and env.reset(0).shape == (64, 64, 3)


def test_unknown_domain():
    with pytest.raises(DataError, match="unknown domain 'ur5'.*known domains: \\['cheetah'"):
        make_env("ur5")
    with pytest.raises(DataError, match="known domains"):
        make_policy("ur5", 0)
    with pytest.raises(DataError, match="known domains"):
        generate_episode("ur5", 0)


def test_bad_sizes():
    assert as_size(64) == (64, 64) and as_size((48, 80)) == (48, 80)
    for bad in [8, (64,), (64, 0), 64.0]:
        with pytest.raises(DataError, match="frame size"):
            as_size(bad)


@pytest.fixture(scope="module")
def pendulum():
    with make_env("pendulum") as env:
        yield env


def test_bad_actions(pendulum):
    env = make_env("pusht")
    with pytest.raises(DataError, match="reset"):
        env.step([1.0, 2.0])
    env.reset(0)
    with pytest.raises(DataError, match=r"pusht: action must have shape \[2\].*got shape \[3\]"):
        env.step([1.0, 2.0, 3.0])
    with pytest.raises(DataError, match=r"pusht: action must have shape \[2\].*got shape \[1, 2\]"):
        env.step([[1.0, 2.0]])
    with pytest.raises(DataError, match="pusht: action must be finite"):
        env.step([np.nan, 2.0])
    with pytest.raises(DataError, match="finite"):
        env.step([np.inf, 2.0])
    env.close()
    pendulum.reset(0)
    with pytest.raises(DataError, match=r"pendulum: action must have shape \[1\]"):
        pendulum.step(np.zeros(7))


def test_actions_are_clipped(pendulum):
    pendulum.reset(0)
    np.testing.assert_array_equal(pendulum.check_action([9.0]), np.array([2.0], np.float32))
    np.testing.assert_array_equal(pendulum.step([9.0]), (pendulum.reset(0), pendulum.step([2.0]))[1])


@pytest.mark.parametrize("name", ALL_NAMES)
def test_episode_shapes_and_motion(name):
    ep = generate_episode(name, seed=5, steps=STEPS)
    s = domain_spec(name)
    assert isinstance(ep, Episode) and ep.domain == name and ep.hz == s.hz
    assert ep.frames.shape == (STEPS, 64, 64, 3) and ep.frames.dtype == np.uint8
    assert ep.actions.shape == (STEPS, s.action_dim) and ep.actions.dtype == np.float32
    assert (ep.actions >= np.float32(s.action_low)).all() and (ep.actions <= np.float32(s.action_high)).all()
    assert ep.meta["seed"] == 5 and ep.meta["simulator"] == s.simulator and ep.meta["policy"]
    changed = (ep.frames[1:] != ep.frames[:-1]).reshape(STEPS - 1, -1).any(1)
    assert changed.mean() > 0.9, f"{name}: frames barely change"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_determinism_and_replay(name):
    ep = generate_episode(name, seed=7, steps=STEPS)
    again = generate_episode(name, seed=7, steps=STEPS)
    np.testing.assert_array_equal(again.frames, ep.frames)
    np.testing.assert_array_equal(again.actions, ep.actions)
    other = generate_episode(name, seed=8, steps=STEPS)
    assert not np.array_equal(other.actions, ep.actions)
    np.testing.assert_array_equal(replay(ep), ep.frames)   # the simulator is a bit-exact twin


def test_shared_env_matches_fresh_env():
    "An env reused across episodes (generate_episodes) gives the same episodes as fresh ones."
    for name in ["cheetah", "sawyer", "kuka", "reacher"]:
        eps = generate_episodes(name, 2, seed=3, steps=8, progress=False)
        assert [e.meta["seed"] for e in eps] == [3, 4]
        np.testing.assert_array_equal(eps[1].frames, generate_episode(name, 4, steps=8).frames)


def test_two_live_mujoco_envs():
    "Closing one MuJoCo renderer must not corrupt another that is still open."
    ref = generate_episode("cheetah", 0, steps=6).frames
    a = make_env("pusher")
    a.reset(0)
    b = make_env("cheetah")
    a.close()
    pol = make_policy("cheetah", 0)
    frames = [b.reset(0)] + [b.step(pol(b)) for _ in range(5)]
    b.close()
    np.testing.assert_array_equal(np.stack(frames), ref)


def test_frame_size():
    ep = generate_episode("kuka", 0, steps=4, size=(48, 80))
    assert ep.frames.shape == (4, 48, 80, 3)
    np.testing.assert_array_equal(replay(ep), ep.frames)


def test_check_motion():
    frames = np.zeros((10, 8, 8, 3), np.uint8)
    frames[:3, 0, 0] = [[1], [2], [3]]
    with pytest.raises(DataError, match="toy: 7 consecutive identical frames"):
        check_motion(frames, "toy")
    check_motion(np.arange(10, dtype=np.uint8)[:, None, None, None].repeat(8, 1).repeat(8, 2).repeat(3, 3), "toy")


def test_generate_rejects_wrong_env_and_steps():
    with make_env("pendulum") as env:
        with pytest.raises(DataError, match="given a 'pendulum' env"):
            generate_episode("pusht", 0, env=env)
    with pytest.raises(DataError, match="steps >= 2"):
        generate_episode("pendulum", 0, steps=1)


def _render_pusher_in_child(_):
    return generate_episode("pusher", 0, steps=3).frames.shape


def test_forked_worker_fails_early_instead_of_hanging():
    "OpenGL hangs in a child forked after the parent rendered MuJoCo; we raise a DataError that names the fix."
    import multiprocessing as mp
    with make_env("pusher") as env:
        env.reset(0)
    with mp.get_context("fork").Pool(1) as pool:
        with pytest.raises(DataError, match="spawn"):
            pool.map(_render_pusher_in_child, [0], chunksize=1)
    with mp.get_context("spawn").Pool(1) as pool:   # the fix: spawned workers render fine
        assert pool.map(_render_pusher_in_child, [0]) == [(3, 64, 64, 3)]

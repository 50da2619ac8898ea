"""Simulators across processes: a worker forked after the parent rendered MuJoCo fails early instead of hanging.
(Specs, action checks, every robot's episodes, determinism, replay and shared renderers are checked in nbs/02_envs.ipynb.)"""
import pytest

from hma_nb.core import DataError
from hma_nb.envs import generate_episode, make_env


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

"""Real processes killed with SIGKILL at random (seeded) moments and restarted: `hma-nb train` (the tiny preset, a checkpoint
every 2 steps), `hma-nb generate` and a token-cache build. Each run completes, what it writes is never unreadable, and the
finished training run's losses equal an uninterrupted run's, bit for bit (float32)."""
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from hma_nb.data import EpisodeStore

def train_args(steps=60, ckpt_every=2, seed=3):
    return ["--preset", "tiny", "--domains", "pusht", "--steps", str(steps), "--ckpt-every", str(ckpt_every), "--batch-size", "2",
            "--T", "4", "--mixed-precision", "no", "--quiet", "--seed", str(seed)]


TRAIN = train_args()


def start(args, env):
    return subprocess.Popen(["hma-nb", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


def finish(p, timeout=300):
    out, err = p.communicate(timeout=timeout)
    assert p.returncode == 0, err[-3000:]
    return out


def kill_at_random(args, env, rng, kills, window, check, progress=None):
    """Start `hma-nb ARGS`, SIGKILL it after a random moment in `window` seconds (or, with `progress() -> int`, once it has
    advanced and then a random 0-0.3 s more, whatever the machine's speed), check what it left; `kills` times; then finish."""
    killed = tries = 0
    while killed < kills and tries < 3 * kills:
        tries += 1
        before = progress() if progress else None
        p = start(args, env)
        if progress:
            end = time.perf_counter() + 120
            while progress() <= before and p.poll() is None and time.perf_counter() < end: time.sleep(0.05)
            time.sleep(rng.uniform(0, 0.3))
        else:
            time.sleep(rng.uniform(*window))
        if p.poll() is not None:                      # finished before the kill: nothing left to interrupt
            if progress: break
            continue
        os.killpg(p.pid, signal.SIGKILL); p.wait(); killed += 1
        check()
    finish(start(args, env))
    return killed


def losses(run: Path) -> list[float]:
    return [h["loss"] for h in torch.load(run / "train_state.pt", weights_only=False)["history"]]


@pytest.fixture
def env(tmp_path):
    "The processes' environment: their own cache folder (token caches), one math thread each."
    return {**os.environ, "HMA_NB_CACHE": str(tmp_path / "cache"), "OMP_NUM_THREADS": "1"}


def test_train_survives_kills(tmp_path, samples, env):
    from hma_nb.model import load_model
    from hma_nb.train import read_checkpoint
    a = tmp_path / "a"
    finish(start(["train", "--out", str(a), "--root", str(samples), *TRAIN], env))        # uninterrupted (also fills the cache)
    b = tmp_path / "b"
    def check():                                     # after every kill: the run folder loads and is one checkpoint
        if (b / "train_state.pt").exists() and not (b / ".commit.json").exists():
            read_checkpoint(b)
        if (b / "model.json").exists():
            load_model(b)
    rng = random.Random(7)
    def step():                                      # the step of the run's latest checkpoint (0: none yet)
        try: return json.loads((b / "model.json").read_text())["info"]["steps"]
        except (OSError, ValueError, KeyError): return 0
    killed = kill_at_random(["train", "--out", str(b), "--root", str(samples), *TRAIN], env, rng, 5, None, check, step)
    assert killed >= 5, f"only {killed} kills landed before the run finished"
    assert losses(b) == losses(a)                    # float32: bit-for-bit the uninterrupted run
    assert json.loads((b / "model.json").read_text())["info"]["steps"] == 60
    assert not list(b.glob(".*.tmp")) and not (b / ".staging").exists() and not (b / ".commit.json").exists()


def test_same_seed_same_run_from_the_command_line(tmp_path, samples, env):
    "Two runs of the same command from scratch give the same losses (float32); another seed gives others."
    runs = {}
    for name, seed in (("x", 3), ("y", 3), ("z", 4)):
        finish(start(["train", "--out", str(tmp_path / name), "--root", str(samples), *train_args(8, 8, seed)], env))
        runs[name] = losses(tmp_path / name)
    assert runs["x"] == runs["y"] and runs["x"] != runs["z"]


def test_generate_survives_kills(tmp_path, env):
    out = tmp_path / "store"
    args = ["generate", "--out", str(out), "--domains", "pendulum,pusht", "--train", "3", "--heldout", "1", "--seed", "5",
            "--workers", "1", "--quiet"]
    def check():
        if (out / "manifest.json").exists():
            store = EpisodeStore(out)
            for d in store.domains:
                for split in store.info(d).splits: store.load(d, split)      # every shard the manifest lists reads back
    ref = tmp_path / "ref"
    t0 = time.perf_counter(); finish(start([*args[:2], str(ref), *args[3:]], env)); took = time.perf_counter() - t0
    killed = kill_at_random(args, env, random.Random(11), 5, (0.3 * took, 0.9 * took), check)   # kill moments inside a run
    assert killed >= 3, killed
    got, want = EpisodeStore(out), EpisodeStore(ref)
    assert got.domains == want.domains == ["pendulum", "pusht"]
    for d in want.domains:
        for e1, e2 in zip(got.load(d, "train"), want.load(d, "train")):
            assert np.array_equal(e1.frames, e2.frames) and np.array_equal(e1.actions, e2.actions)


def test_token_cache_survives_kills(tmp_path, samples, env):
    code = ("import sys; from hma_nb.tokenizer import load_tokenizer; from hma_nb.tokens import token_cache; from hma_nb.core import samples_dir; "
            "t = token_cache(load_tokenizer(samples_dir() / 'tokenizers' / 'discrete'), samples_dir(), 'train', "
            "['pendulum', 'pusht'], progress=False); print(sum(len(x) for v in t.values() for x in v))")
    def run():
        return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                start_new_session=True)
    rng, killed = random.Random(5), 0
    while killed < 4:
        p = run(); time.sleep(rng.uniform(2.0, 6.0))
        if p.poll() is not None: break
        os.killpg(p.pid, signal.SIGKILL); p.wait(); killed += 1
        for f in (Path(env["HMA_NB_CACHE"]) / "tokens").rglob("*.np[yz]"):
            z = np.load(f, mmap_mode="r") if f.suffix == ".npy" else np.load(f)["tokens"]
            np.asarray(z).sum()                         # whatever the cache holds is readable
    assert killed >= 2, killed
    p = run(); out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err[-2000:]
    assert int(out.strip().splitlines()[-1]) == sum(len(e) for d in ("pendulum", "pusht")
                                                    for e in EpisodeStore(samples / "episodes").load(d, "train"))

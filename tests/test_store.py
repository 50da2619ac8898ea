"""Episode store: corrupt, truncated or missing files and failed writes, each a clear message and nothing half-written; lazy
reads that never touch what they do not need. (Bad episodes, rejected and streamed writes are checked in nbs/01_data.ipynb.)"""
import json
from pathlib import Path

import numpy as np
import pytest

import hma_nb.data as data
from hma_nb.core import DataError
from hma_nb.data import EpisodeStore, toy_episode


def snapshot(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def store(tmp_path):
    s = EpisodeStore(tmp_path / "store")
    s.write_domain({"train": [toy_episode(T=30, seed=i) for i in range(3)], "heldout": [toy_episode(T=30, seed=9)]})
    return s


def test_truncated_and_missing_shard(store):
    shard = store.root / store.manifest()["domains"]["toy"]["splits"]["train"]["shards"][0]["file"]
    good = shard.read_bytes()
    shard.write_bytes(good[: len(good) // 3])
    with pytest.raises(DataError, match=f"{shard.name}.*truncated"):
        store.load("toy")
    shard.unlink()
    with pytest.raises(DataError, match="missing"):
        store.load("toy")


def test_corrupt_manifest(store):
    (store.root / "manifest.json").write_text('{"format": "hma_nb-episodes", "vers')
    with pytest.raises(DataError, match="manifest.json: not valid JSON"):
        store.load("toy")


def test_failed_shard_write_leaves_store_unchanged(store, monkeypatch):
    before = snapshot(store.root)
    real, calls = data.write_npz, []

    def flaky(path, arrays):
        calls.append(path)
        if len(calls) == 2:
            raise OSError("No space left on device")
        real(path, arrays)

    monkeypatch.setattr(data, "write_npz", flaky)
    with pytest.raises(OSError, match="No space"):
        store.write_domain({"train": [toy_episode(T=30, seed=i) for i in range(8)]}, shard_episodes=2)
    assert len(calls) == 2
    assert snapshot(store.root) == before       # old manifest and shards intact, no new or temporary files
    assert len(store.load("toy")) == 3


def test_check_store_verifies_every_shard(store):
    "Issue 24: check_store reads every shard of every split and names the first bad file."
    rows = data.check_store(store.root)
    assert sorted((r["split"], r["episodes"], r["frames"]) for r in rows) == [("heldout", 1, 30), ("train", 3, 90)]
    m = store.manifest()
    held = store.root / m["domains"]["toy"]["splits"]["heldout"]["shards"][0]["file"]
    good = held.read_bytes()
    held.write_bytes(good[:-7])                                            # a truncated held-out shard: load("toy") would not see it
    assert len(store.load("toy", "train")) == 3
    with pytest.raises(DataError, match=f"{held.name}: .* bytes, but the manifest records {len(good)}: the file is truncated"):
        data.check_store(store.root)
    held.write_bytes(good)
    sh = m["domains"]["toy"]["splits"]["train"]["shards"][0]
    sh["lengths"] = sh["lengths"][:-1] + [sh["lengths"][-1] - 1]             # the manifest and the file disagree on an episode
    (store.root / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(DataError, match="episode lengths .* differ from the manifest's"):
        data.check_store(store.root)


def test_check_store_on_a_shard_with_wrong_arrays(store):
    "A shard rewritten with arrays that do not match the manifest (sha256 and size updated too) is still refused."
    m = store.manifest()
    sh = m["domains"]["toy"]["splits"]["heldout"]["shards"][0]
    path = store.root / sh["file"]
    z = data.read_npz(path, ["frames", "actions", "lengths"])
    data.write_npz(path, {**z, "frames": z["frames"][:-2]})                    # two frames short
    sh["sha256"], sh["bytes"] = data.sha256_file(path), path.stat().st_size
    (store.root / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(DataError, match=f"{path.name}: 28 frames, 30 actions and 1 episode records"):
        data.check_store(store.root)


# ---- issue 22: streaming writes and lazy reads (data larger than memory) ---------------------------------------------
def test_actions_and_lengths_read_no_frames(store, monkeypatch):
    "Training needs actions: `actions` never asks an npz for its frames, `lengths` reads no shard at all."
    asked = []
    real = data.read_npz
    monkeypatch.setattr(data, "read_npz", lambda path, keys: asked.append(list(keys)) or real(path, keys))
    acts = store.actions("toy", "train", episodes=[2, 0])
    assert [a.shape for a in acts] == [(30, 2), (30, 2)] and asked and all("frames" not in k for k in asked)
    np.testing.assert_array_equal(acts[1], toy_episode(T=30, seed=2).actions)
    for sh in store.manifest()["domains"]["toy"]["splits"]["train"]["shards"]: (store.root / sh["file"]).unlink()
    assert store.lengths("toy", "train") == [30, 30, 30]
    with pytest.raises(DataError, match="shard listed in .* is missing"):
        store.actions("toy", "train")


def test_iter_episodes_reads_one_shard_at_a_time(tmp_path, monkeypatch):
    s = EpisodeStore(tmp_path / "s")
    s.write_domain({"train": [toy_episode(T=12, seed=i) for i in range(6)]}, shard_episodes=2)
    reads = []
    real = EpisodeStore._read_shard
    monkeypatch.setattr(EpisodeStore, "_read_shard", lambda self, *a: reads.append(a[2]["file"]) or real(self, *a))
    it = s.iter_episodes("toy", "train", episodes=[5, 1])
    assert reads == []                                                       # nothing read before it is asked for
    assert len(next(it)) == 12 and len(reads) == 1
    assert len(list(it)) == 1 and len(reads) == 2                            # the shard of episodes 2-3 is never read
    with pytest.raises(DataError, match=r"episode indices \[9\] out of range 0..5"):
        s.iter_episodes("toy", "train", episodes=[9])                        # raised at once, not at the first next()


def test_eval_windows_reads_only_the_episodes_it_uses(tmp_path, monkeypatch, samples):
    from hma_nb.evaluate import eval_windows
    from hma_nb.model import load_model
    from hma_nb.tokenizer import load_tokenizer
    model, tok = load_model(samples / "models" / "discrete"), load_tokenizer(samples / "tokenizers" / "discrete")
    reads = []
    real = EpisodeStore._read_shard
    monkeypatch.setattr(EpisodeStore, "_read_shard", lambda self, *a: reads.append(a[2]["file"]) or real(self, *a))
    frames, sub, acts = eval_windows(model, tok, samples, "pusht", T=4, max_windows=1)
    assert frames.shape == (1, 4, 64, 64, 3) and len(reads) == 1


def test_truncated_token_cache_is_named(tmp_path):
    "A token cache cut short (a full disk, a killed copy) is a DataError naming the file and the fix, not garbage tokens."
    import torch
    from hma_nb.tokenizer import TOKENIZER_PRESETS, Tokenizer
    from hma_nb.tokens import TOKEN_CACHE_FORMAT, token_cache
    torch.manual_seed(0)
    tok = Tokenizer(TOKENIZER_PRESETS["tiny"])
    s = EpisodeStore(tmp_path / "s")
    s.write_domain({"train": [toy_episode(T=12 + i, seed=i) for i in range(3)]}, shard_episodes=1)
    token_cache(tok, s.root, cache=tmp_path / "c", progress=False)
    (f,) = (tmp_path / "c").glob(f"*-{TOKEN_CACHE_FORMAT}/toy-train.npy")
    bad = f.read_bytes()[:-10]; f.unlink(); f.write_bytes(bad)
    with pytest.raises(DataError, match="toy-train.npy: cannot read the token cache .* delete it and it is rebuilt"):
        token_cache(tok, s.root, cache=tmp_path / "c", progress=False)

"Episode store: bad input fails with a clear message and leaves nothing half-written."
import json
import os
from pathlib import Path

import numpy as np
import pytest

import hma_nb.data as data
from hma_nb.core import DataError
from hma_nb.data import Episode, EpisodeStore, toy_episode


def snapshot(root: Path) -> dict:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def store(tmp_path):
    s = EpisodeStore(tmp_path / "store")
    s.write_domain({"train": [toy_episode(T=30, seed=i) for i in range(3)], "heldout": [toy_episode(T=30, seed=9)]})
    return s


def test_wrong_dtype_and_shape():
    ep = toy_episode()
    with pytest.raises(DataError, match="uint8"):
        Episode(ep.frames.astype(np.int16), ep.actions, "toy", 10)
    with pytest.raises(DataError, match=r"\[T,H,W,3\]"):
        Episode(ep.frames[..., 0], ep.actions, "toy", 10)
    with pytest.raises(DataError, match="float32"):
        Episode(ep.frames, ep.actions.astype(np.float64), "toy", 10)
    with pytest.raises(DataError, match="NaN/Inf"):
        a = ep.actions.copy(); a[3, 0] = np.inf
        Episode(ep.frames, a, "toy", 10)


def test_unknown_domain_and_split(store):
    with pytest.raises(DataError, match="unknown domain 'robodog'.*known domains: \\['toy'\\]"):
        store.load("robodog")
    with pytest.raises(DataError, match="no split 'val'"):
        store.load("toy", "val")


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


def test_rejected_write_leaves_store_unchanged(store):
    before = snapshot(store.root)
    bad = [toy_episode(seed=1), toy_episode(seed=2, size=8)]          # mixed frame sizes
    with pytest.raises(DataError, match="frame size"):
        store.write_domain({"train": bad})
    assert snapshot(store.root) == before


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


def test_rewrite_replaces_domain_and_removes_old_shards(store):
    old = {p.name for p in (store.root / "toy").glob("*.npz")}
    store.write_domain({"train": [toy_episode(T=20, seed=42)]})
    new = {p.name for p in (store.root / "toy").glob("*.npz")}
    assert not old & new
    assert [len(e) for e in store.load("toy")] == [20]


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


def test_incomplete_manifest_is_a_data_error(store):
    m = store.manifest()
    del m["domains"]["toy"]["hz"]
    (store.root / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(DataError, match=r"manifest.json: domain 'toy' has no \['hz'\]; the manifest is incomplete"):
        data.data_summary(store.root)
    with pytest.raises(DataError, match="domain 'toy' has no"):
        data.check_store(store.root)

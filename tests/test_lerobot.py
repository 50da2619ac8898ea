"""hma_nb.lerobot against genuine LeRobot fixtures (written by lerobot 0.4.4 / 0.3.3) and broken copies of them."""
import json
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from hma_nb.core import DataError
from hma_nb.data import Episode
from hma_nb.lerobot import lerobot_info, read_lerobot

FIX = Path(__file__).parent / "fixtures" / "lerobot"
NAMES = ["v21_basic", "v30_basic", "v30_multifile", "v30_images"]


def expected(name):
    with np.load(FIX / f"{name}.expected.npz") as z:
        arrays = {k: z[k] for k in z.files}
    return arrays, json.loads((FIX / f"{name}.expected.json").read_text())


def frame_code(img):
    "The number spelled by the 8 black/white blocks on the top rows of a fixture frame."
    h, w = img.shape[:2]
    rows, bw = max(1, int(h * 0.125)), w // 8
    bits = [img[1:rows - 1, b * bw + 2:(b + 1) * bw - 2].mean() > 127 for b in range(8)]
    return sum(int(bit) << (7 - i) for i, bit in enumerate(bits))


def psnr(a, b):
    return 10 * np.log10(255**2 / ((a.astype(np.float64) - b) ** 2).mean())


def copy_fixture(name, tmp_path):
    return Path(shutil.copytree(FIX / name, tmp_path / name))


@pytest.mark.parametrize("name", NAMES)
def test_fixture_reads_like_its_source(name):
    E, meta = expected(name)
    info = lerobot_info(FIX / name)
    assert info.codebase_version == meta["codebase_version"]
    assert info.fps == meta["fps"] and info.total_episodes == len(meta["lengths"])
    assert sorted(info.camera_keys) == meta["camera_keys"]
    for cam in meta["camera_keys"]:
        eps = read_lerobot(FIX / name, camera_key=cam, progress=False)
        assert [len(e) for e in eps] == meta["lengths"]
        for k, e in enumerate(eps):
            assert isinstance(e, Episode)
            assert e.frames.dtype == np.uint8 and e.actions.dtype == np.float32
            np.testing.assert_array_equal(e.actions, E[f"ep{k}/action"])
            assert [frame_code(f) for f in e.frames] == [32 * k + t for t in range(len(e))]
            src = E[f"ep{k}/{cam}"]
            assert e.frames.shape == src.shape
            if info.is_video(cam):
                assert psnr(e.frames, src) > 28
            else:
                np.testing.assert_array_equal(e.frames, src)   # PNG is lossless
            assert e.domain == name and e.hz == meta["fps"]
            assert e.meta["episode_index"] == k and e.meta["tasks"] == [meta["tasks"][k]]
            assert e.meta["codebase_version"] == meta["codebase_version"]
            assert (e.meta["camera_key"], e.meta["action_key"]) == (cam, "action")


def test_other_vector_as_action_selection_and_resize():
    E, _ = expected("v30_multifile")
    eps = read_lerobot(FIX / "v30_multifile", action_key="observation.state", episodes=[3, 1],
                       size=(32, 40), domain="pusht", progress=False)
    assert [e.meta["episode_index"] for e in eps] == [3, 1]
    np.testing.assert_array_equal(eps[0].actions, E["ep3/observation.state"])
    assert eps[1].frames.shape == (13, 32, 40, 3) and eps[1].domain == "pusht"


def test_unsupported_codebase_version(tmp_path):
    root = copy_fixture("v30_basic", tmp_path)
    info = json.loads((root / "meta/info.json").read_text())
    info["codebase_version"] = "v2.0"
    (root / "meta/info.json").write_text(json.dumps(info))
    with pytest.raises(DataError, match=r"codebase_version 'v2.0' is not supported.*v2\.1, v3\.0"):
        read_lerobot(root, camera_key="observation.image", progress=False)


def test_missing_info_json(tmp_path):
    with pytest.raises(DataError, match="info.json: file not found"):
        lerobot_info(tmp_path)


@pytest.mark.parametrize("name,video", [
    ("v21_basic", "videos/chunk-000/observation.image/episode_000001.mp4"),
    ("v30_multifile", "videos/observation.image/chunk-001/file-000.mp4")])
def test_missing_video_file(tmp_path, name, video):
    root = copy_fixture(name, tmp_path)
    (root / video).unlink()
    with pytest.raises(DataError, match=f"{video}: video file not found"):
        read_lerobot(root, camera_key="observation.image", progress=False)


@pytest.mark.parametrize("name,data", [
    ("v21_basic", "data/chunk-000/episode_000002.parquet"),
    ("v30_basic", "data/chunk-000/file-000.parquet"),
    ("v30_basic", "meta/episodes/chunk-000/file-000.parquet")])
def test_truncated_parquet(tmp_path, name, data):
    root = copy_fixture(name, tmp_path)
    raw = (root / data).read_bytes()
    (root / data).write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataError, match=f"{data}: cannot read parquet .*truncated or corrupt"):
        read_lerobot(root, camera_key="observation.image", progress=False)


def test_wrong_action_key():
    with pytest.raises(DataError, match=r"action_key 'actions' not found; action keys are \['action'\]"):
        read_lerobot(FIX / "v30_basic", camera_key="observation.image", action_key="actions", progress=False)
    with pytest.raises(DataError, match="'frame_index' is int64 .*not a fixed-size float vector"):
        read_lerobot(FIX / "v30_basic", camera_key="observation.image", action_key="frame_index", progress=False)


def test_ambiguous_or_unknown_camera_key():
    with pytest.raises(DataError, match=r"2 camera keys \['observation.image', 'observation.images.wrist'\]; pass camera_key="):
        read_lerobot(FIX / "v21_basic", progress=False)
    with pytest.raises(DataError, match="camera_key 'top' not found"):
        read_lerobot(FIX / "v30_basic", camera_key="top", progress=False)


def test_unknown_episode():
    with pytest.raises(DataError, match=r"episode\(s\) \[7\] not in the dataset"):
        read_lerobot(FIX / "v30_multifile", episodes=[0, 7], progress=False)


def _rewrite_column(path, key, fn):
    t = pq.read_table(path)
    i = t.column_names.index(key)
    pq.write_table(t.set_column(i, key, fn(t.column(key))), path)


def test_non_finite_actions(tmp_path):
    root = copy_fixture("v21_basic", tmp_path)
    path = root / "data/chunk-000/episode_000001.parquet"
    def poison(col):
        a = np.array(col.to_pylist(), np.float32)
        a[4, 1] = np.nan
        return pa.FixedSizeListArray.from_arrays(pa.array(a.ravel()), 2)
    _rewrite_column(path, "action", poison)
    with pytest.raises(DataError, match="episode 1.*'action' has NaN/Inf \\(first at frame 4\\)"):
        read_lerobot(root, camera_key="observation.image", progress=False)


def _shift_timestamps(root, extra):
    "Add 40 ms to every v30_basic row timestamp, plus `extra` {global row: seconds}."
    def shift(col):
        ts = np.asarray(col.to_numpy(), np.float32) + np.float32(0.04)
        for row, dt in extra.items():
            ts[row] += np.float32(dt)
        return pa.array(ts)
    _rewrite_column(root / "data/chunk-000/file-000.parquet", "timestamp", shift)


def test_frames_that_cannot_be_matched(tmp_path):
    root = copy_fixture("v30_basic", tmp_path)
    _shift_timestamps(root, {44: 1.0})          # last row of episode 2 now lies past the video's end
    eps = read_lerobot(root, camera_key="observation.image", episodes=[0, 1], progress=False)
    assert [frame_code(f) for f in eps[1].frames] == [32 + t for t in range(15)]   # 40 ms is within tolerance
    with pytest.raises(DataError, match=r"file-000.mp4 \(episode 2, observation.image\): no video frame within 50 ms of row 17"):
        read_lerobot(root, camera_key="observation.image", progress=False)


def test_two_rows_claiming_one_frame(tmp_path):
    root = copy_fixture("v30_basic", tmp_path)
    _shift_timestamps(root, {30: 0.1})          # episode 2 rows 3 and 4 now want the same frame
    with pytest.raises(DataError, match=r"\(episode 2, observation.image\): several rows match the same video frame"):
        read_lerobot(root, camera_key="observation.image", progress=False)


def test_row_count_disagrees_with_metadata(tmp_path):
    root = copy_fixture("v21_basic", tmp_path)
    path = root / "data/chunk-000/episode_000000.parquet"
    pq.write_table(pq.read_table(path).slice(0, 10), path)
    with pytest.raises(DataError, match="10 rows but the episode metadata says length 12"):
        read_lerobot(root, camera_key="observation.image", progress=False)

"""hma_nb.lerobot on broken copies of genuine LeRobot fixtures (written by lerobot 0.4.4 / 0.3.3), and import / export
through the command line. (Reading every fixture, the export's layout and the errors of the API are checked in
nbs/03_lerobot.ipynb.)"""
import json
import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from PIL import Image

from hma_nb.core import DataError
from hma_nb.lerobot import lerobot_info, read_lerobot

FIX = Path(__file__).parent / "fixtures" / "lerobot"


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
    with np.errstate(divide="ignore"):                       # identical frames: inf dB
        return 10 * np.log10(255**2 / ((a.astype(np.float64) - b) ** 2).mean())


def copy_fixture(name, tmp_path):
    return Path(shutil.copytree(FIX / name, tmp_path / name))


def test_unsupported_codebase_version(tmp_path):
    root = copy_fixture("v30_basic", tmp_path)
    info = json.loads((root / "meta/info.json").read_text())
    info["codebase_version"] = "v2.0"
    (root / "meta/info.json").write_text(json.dumps(info))
    with pytest.raises(DataError, match=r"codebase_version 'v2.0' is not supported.*v2\.1, v3\.0"):
        read_lerobot(root, camera_key="observation.image", progress=False)


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


# ---- issue 22: LeRobot in (import-lerobot) and out (export-lerobot) -------------------------------------------------
import contextlib
import io

import av

from hma_nb.cli import main
from hma_nb.data import EpisodeStore, open_store
from hma_nb.lerobot import export_lerobot, import_lerobot

IMPORTS = [("v21_basic", "v21", "observation.image"), ("v30_basic", "v30", "observation.images.wrist"),
           ("v30_multifile", "multi", None), ("v30_images", "images", None)]


def cli(*argv):
    "Run `hma-nb ARGV` in this process: (exit status, stdout, stderr)."
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main([str(a) for a in argv])
    return rc, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    "Every fixture imported into one store (one robot each), as a user would with the CLI."
    store = tmp_path_factory.mktemp("imp") / "store"
    for name, dom, cam in IMPORTS:
        rc, out, err = cli("import-lerobot", FIX / name, "--out", store, "--domain", dom, "--quiet", *(["--camera", cam] if cam else []))
        assert rc == 0, err
    return store


def test_import_every_fixture(imported):
    rc, out, _ = cli("data-summary", "--root", imported, "--json")
    rows = {r["name"]: r for r in json.loads(out)["domains"]}
    assert sorted(rows) == ["images", "multi", "v21", "v30"]
    store = EpisodeStore(imported)
    for name, dom, cam in IMPORTS:
        E, meta = expected(name)
        cam = cam or "observation.image"
        n = len(meta["lengths"])
        assert rows[dom]["splits"] == {"train": n - 1, "heldout": 1} and rows[dom]["hz"] == meta["fps"] == 10
        assert rows[dom]["stride"] == 5 and (rows[dom]["height"], rows[dom]["width"]) == (64, 64)
        eps = store.load(dom, "train") + store.load(dom, "heldout")      # the last episode is held out
        assert [e.meta["episode_index"] for e in eps] == list(range(n))
        assert store.info(dom).action_names == ("x", "y")
        for k, e in enumerate(eps):
            np.testing.assert_array_equal(e.actions, E[f"ep{k}/action"])
            assert e.frames.shape == (meta["lengths"][k], 64, 64, 3)
            small = np.stack([np.asarray(Image.fromarray(f).resize((64, 64), Image.Resampling.BILINEAR)) for f in E[f"ep{k}/{cam}"]])
            assert psnr(e.frames, small) > 26                           # the source frames, resized (video: within codec loss)
        assert store.info(dom).source["importer"] == "hma_nb.lerobot"


def test_imported_robots_train_evaluate_and_drive(imported, tmp_path, samples):
    "A new robot on the pretrained model: fine-tune a few steps (new stems/heads), evaluate, drive it headless without a twin."
    from hma_nb.model import load_model
    from hma_nb.rollout import Rollout
    from hma_nb.tokenizer import load_tokenizer
    from hma_nb.widget import RolloutWidget
    run, doms = tmp_path / "run", "v21,v30,multi,images"
    rc, out, err = cli("train", "--init", samples / "models" / "discrete", "--root", imported, "--domains", doms, "--T", 2,
                       "--steps", 3, "--batch-size", 2, "--ckpt-every", 3, "--out", run, "--quiet", "--json")
    assert rc == 0, err
    assert json.loads(out)["steps"] == 3
    rc, out, err = cli("evaluate", "--model", run, "--root", imported, "--domain", doms, "--prompt", 1, "--horizon", 1,
                       "--draws", 1, "--json")
    assert rc == 0, err
    res = json.loads(out)["domains"]
    assert sorted(res) == sorted(doms.split(","))
    assert all(np.isfinite(r["psnr_teacher_forced"]) and r["windows"] >= 1 for r in res.values())
    rc, _, err = cli("evaluate", "--model", run, "--root", imported, "--domain", "v21", "--json")     # 2 + 8 frames do not fit
    assert rc == 2 and "no episode is long enough for a window of T=10 model frames at stride 5" in err
    model, tok = load_model(run), load_tokenizer(samples / "tokenizers" / "discrete")
    ro = Rollout(model, tok, "v30", root=imported, prompt=2, window=3, twin=True)        # no simulator for it: no twin
    assert ro.env is None and ro.sim_frames is None
    w = RolloutWidget(ro, size=64)
    w.widget
    assert w.step().shape == (64, 64, 3) and ro.t == 3
    ro.step(ro.action_dims[0].value * np.ones(2))
    assert ro.frames.shape == (4, 64, 64, 3) and [d.name for d in ro.action_dims] == ["x", "y"]



def test_bad_imports_leave_no_store(tmp_path):
    "Each bad input: exit 2, one line naming the problem and the fix, and the target store untouched (or never made)."
    store = tmp_path / "store"
    assert cli("import-lerobot", FIX / "v30_images", "--out", store, "--domain", "robot", "--quiet")[0] == 0
    before = {p: p.read_bytes() for p in store.rglob("*") if p.is_file()}
    new = tmp_path / "new"
    # a folder that is not a LeRobot dataset, an unsupported version
    cases = [([tmp_path, "--out", new], "is not a LeRobot dataset folder (one holds meta/info.json")]
    v20 = copy_fixture("v30_images", tmp_path)
    info = json.loads((v20 / "meta/info.json").read_text()); info["codebase_version"] = "v2.0"
    (v20 / "meta/info.json").write_text(json.dumps(info))
    cases.append(([v20, "--out", new], "codebase_version 'v2.0' is not supported; hma_nb reads v2.1, v3.0"))
    # a camera or action key that does not exist, several cameras and none chosen
    cases += [([FIX / "v30_basic", "--out", new, "--camera", "top"], "camera_key 'top' not found; camera keys are"),
              ([FIX / "v30_basic", "--out", new], "2 camera keys ['observation.image', 'observation.images.wrist']; pass camera_key="),
              ([FIX / "v30_images", "--out", new, "--action-key", "actions"], "action_key 'actions' not found; action keys are ['action']"),
              ([FIX / "v30_images", "--out", new, "--action-key", "frame_index"], "'frame_index' is int64 [1], not a fixed-size float vector")]
    # an existing domain name in the target store; a target that is not a store
    (tmp_path / "notastore").mkdir(); (tmp_path / "notastore" / "notes.txt").write_text("mine")
    cases += [([FIX / "v30_images", "--out", store, "--domain", "robot"], "domain 'robot' is already in the store; pass another --domain"),
              ([FIX / "v30_images", "--out", tmp_path / "notastore"], "is not an hma_nb episode store (no manifest.json)")]
    # a frequency that gives no whole stride; episodes too short; held out too many
    fps15 = copy_fixture("v30_multifile", tmp_path)
    info = json.loads((fps15 / "meta/info.json").read_text()); info["fps"] = 15
    (fps15 / "meta/info.json").write_text(json.dumps(info))
    cases += [([fps15, "--out", new], "15 fps is not a whole multiple of the model's 2 Hz (a model frame would be 7.5 raw steps); "
                                      "resample the dataset to 14 or 16 fps, or accept a stride of 7"),
              ([FIX / "v30_images", "--out", new, "--heldout", "2"], "too short for the world model: the longest train episode has 8 steps, "
                                                                     "1 model frame(s) at stride 5"),
              ([FIX / "v30_images", "--out", new, "--heldout", "3"], "heldout must be an int in 0..2")]
    for argv, words in cases:
        rc, _, err = cli("import-lerobot", *argv, "--quiet")
        assert rc == 2 and err.startswith("hma-nb import-lerobot: error: ") and words in err, (argv, err)
        assert err.count("\n") == 1, err
    assert not new.exists()
    assert {p: p.read_bytes() for p in store.rglob("*") if p.is_file()} == before
    rc, out, err = cli("import-lerobot", fps15, "--out", new, "--heldout", 0, "--allow-inexact-stride", "--quiet", "--json")   # the documented choice
    assert rc == 0 and (json.loads(out)["hz"], json.loads(out)["stride"]) == (15.0, 7), err


def test_an_interrupted_import_is_redone(tmp_path):
    "A killed import leaves shards no manifest lists (nothing reads them); importing again succeeds and removes them."
    out = tmp_path / "store"
    (out / "robot").mkdir(parents=True)
    (out / "robot" / "train-000-0123456789.npz").write_bytes(b"left by a killed import")
    rc, _, err = cli("import-lerobot", FIX / "v30_images", "--out", out, "--domain", "robot", "--quiet")
    assert rc == 0, err
    assert "train-000-0123456789.npz" not in [p.name for p in (out / "robot").iterdir()]
    assert len(EpisodeStore(out).load("robot", "train")) == 2


def _swap_png(root, episode, size):
    "Re-encode episode `episode`'s images in v30_images' data file at size x size px."
    path = root / "data/chunk-000/file-000.parquet"
    t = pq.read_table(path)
    eps = t.column("episode_index").to_pylist()
    cells = t.column("observation.image").to_pylist()
    for i, (e, c) in enumerate(zip(eps, cells)):
        if e == episode:
            buf = io.BytesIO()
            Image.open(io.BytesIO(c["bytes"])).resize((size, size)).save(buf, format="PNG")
            cells[i] = {**c, "bytes": buf.getvalue()}
    col = t.column_names.index("observation.image")
    pq.write_table(t.set_column(col, "observation.image", pa.array(cells, t.schema.field("observation.image").type)), path)


def _reencode(path, size):
    "Re-encode the mp4 at `path` at size x size px (same frame times)."
    with av.open(str(path)) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(c.streams.video[0])]
    with av.open(str(path), "w") as c:
        s = c.add_stream("libx264", rate=10)
        s.width = s.height = size
        s.pix_fmt = "yuv420p"
        for i, f in enumerate(frames):
            fr = av.VideoFrame.from_ndarray(np.asarray(Image.fromarray(f).resize((size, size))), format="rgb24")
            fr.pts = i
            for p in s.encode(fr): c.mux(p)
        for p in s.encode(): c.mux(p)


@pytest.mark.parametrize("case", ["png", "video"])
def test_frames_of_another_shape_or_a_missing_video_write_nothing(tmp_path, case):
    "Found only while decoding (episodes already written to shards): the import fails naming the episode, and nothing stays."
    store = tmp_path / "store"
    assert cli("import-lerobot", FIX / "v30_basic", "--out", store, "--domain", "first", "--camera", "observation.image", "--quiet")[0] == 0
    before = {p: p.read_bytes() for p in store.rglob("*") if p.is_file()}
    if case == "png":
        root = copy_fixture("v30_images", tmp_path)
        _swap_png(root, 2, 80)
        argv, words = [root], "(episode 2): frame 0 of 'observation.image' is 80x80 (height x width), but this dataset's 'observation.image' frames are 96x96"
    else:
        root = copy_fixture("v21_basic", tmp_path)
        _reencode(root / "videos/chunk-000/observation.image/episode_000001.mp4", 80)
        argv, words = [root, "--camera", "observation.image", "--heldout", "0"], "episode_000001.mp4 (episode 1, observation.image): frame 0 of 'observation.image' is 80x80"
    rc, _, err = cli("import-lerobot", *argv, "--out", store, "--domain", "odd", "--quiet")
    assert rc == 2 and words in err, err
    missing = copy_fixture("v30_multifile", tmp_path)
    (missing / "videos/observation.image/chunk-001/file-001.mp4").unlink()           # the last episode's video
    rc, _, err = cli("import-lerobot", missing, "--out", store, "--domain", "odd", "--quiet")
    assert rc == 2 and "chunk-001/file-001.mp4: video file not found" in err, err
    assert {p: p.read_bytes() for p in store.rglob("*") if p.is_file()} == before and not (store / "odd").exists()
    rc, _, err = cli("import-lerobot", missing, "--out", tmp_path / "fresh", "--quiet")
    assert rc == 2 and not (tmp_path / "fresh").exists()                              # a store it made is gone again


def test_export_then_read_round_trip(tmp_path, samples):
    "Generated episodes out as LeRobot v3.0 (several data and video files, chunks) and back: same actions, frames within codec loss."
    out = tmp_path / "pusht_lerobot"
    rc, res, err = cli("export-lerobot", samples / "episodes", "--domain", "pusht", "--out", out, "--quiet", "--json")
    assert rc == 0, err
    assert json.loads(res)["splits"] == {"train": "0:12", "heldout": "12:16"}
    src = open_store(samples).load("pusht", "train") + open_store(samples).load("pusht", "heldout")
    back = read_lerobot(out, progress=False)
    assert len(back) == len(src) == 16
    for a, b in zip(back, src):
        np.testing.assert_array_equal(a.actions, b.actions)
        assert a.frames.shape == b.frames.shape and psnr(a.frames, b.frames) > 32, psnr(a.frames, b.frames)
    assert lerobot_info(out).features["action"]["names"] == ["target_x", "target_y"]
    small = tmp_path / "rolled"
    res = export_lerobot(samples, "pusht", small, splits=["heldout"], vcodec="av1", progress=False, chunks_size=2, data_mb=0.001, video_mb=0.001)
    assert {"data/chunk-001/file-000.parquet", "videos/observation.image/chunk-000/file-001.mp4"} <= set(res["files"])
    back = read_lerobot(small, progress=False)
    for a, b in zip(back, src[12:]):
        np.testing.assert_array_equal(a.actions, b.actions)
        assert psnr(a.frames, b.frames) > 30
    # and into the store again: the round trip LeRobot -> store -> LeRobot -> store keeps the actions
    again = import_lerobot(out, tmp_path / "store", "pusht_again", heldout=4, progress=False)
    assert again["episodes"] == {"train": 12, "heldout": 4} and again["hz"] == 10.0
    np.testing.assert_array_equal(EpisodeStore(tmp_path / "store").load("pusht_again", "heldout")[3].actions, src[15].actions)

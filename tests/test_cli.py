"The hma-nb command line, run as a user would: as a console script in a subprocess."
import json
import subprocess

import pytest

from hma_nb.data import EpisodeStore


def hma_nb(*args, check=True):
    r = subprocess.run(["hma-nb", *args], capture_output=True, text=True, timeout=600)
    if check and r.returncode != 0:
        raise AssertionError(f"hma-nb {' '.join(args)} exited {r.returncode}:\n{r.stderr}")
    return r


def test_console_script_installed():
    r = subprocess.run(["hma-nb", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "data-summary" in r.stdout and "generate" in r.stdout


def test_data_summary_json_on_samples(samples):
    out = json.loads(hma_nb("data-summary", "--root", str(samples), "--json").stdout)
    doms = out["domains"]
    keys = {"name", "action_dim", "raw_action_dim", "hz", "stride", "episodes", "frames", "height", "width"}
    assert all(keys <= set(d) for d in doms)
    assert len(doms) >= 5
    assert len({d["raw_action_dim"] for d in doms}) >= 4
    assert len({d["hz"] for d in doms}) >= 3
    assert "pusht" in {d["name"] for d in doms}
    for d in doms:
        assert d["stride"] == int(d["hz"] // 2.0) and d["action_dim"] == d["stride"] * d["raw_action_dim"]
        assert d["episodes"] >= 10 and (d["height"], d["width"]) == (64, 64)


def test_data_summary_table_and_model_hz(samples):
    table = hma_nb("data-summary", "--root", str(samples)).stdout
    assert "pusht" in table and "stride" in table
    at10 = json.loads(hma_nb("data-summary", "--root", str(samples), "--json", "--model-hz", "10").stdout)
    assert next(d for d in at10["domains"] if d["name"] == "pusht")["stride"] == 1


def test_data_summary_errors(tmp_path):
    r = hma_nb("data-summary", "--root", str(tmp_path / "nowhere"), check=False)
    assert r.returncode == 2 and "no manifest.json" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "manifest.json").write_text("{trunc")
    r = hma_nb("data-summary", "--root", str(tmp_path), check=False)
    assert r.returncode == 2 and "not valid JSON" in r.stderr


def test_generate_unknown_domain(tmp_path):
    r = hma_nb("generate", "--out", str(tmp_path / "s"), "--domains", "robodog", check=False)
    assert r.returncode == 2 and "unknown domain" in r.stderr and "pusht" in r.stderr
    assert not (tmp_path / "s" / "manifest.json").exists()


def test_samples_regenerate_bit_for_bit(samples, tmp_path):
    "Two domains of data_samples, regenerated in 2 worker processes with the recorded arguments, match byte for byte."
    shipped = EpisodeStore(samples / "episodes")
    doms = ["pendulum", "pusht"]
    src = shipped.info(doms[0]).source
    hma_nb("generate", "--out", str(tmp_path / "re"), "--domains", ",".join(doms), "--workers", "2", "--quiet",
           "--train", str(src["train"]), "--heldout", str(src["heldout"]), "--size", str(src["size"]), "--seed", str(src["seed"]))
    redone = EpisodeStore(tmp_path / "re").manifest()["domains"]
    for d in doms:
        assert redone[d] == shipped.manifest()["domains"][d], f"{d}: regenerated manifest differs"
        for sh in redone[d]["splits"]["train"]["shards"] + redone[d]["splits"]["heldout"]["shards"]:
            assert (tmp_path / "re" / sh["file"]).read_bytes() == (samples / "episodes" / sh["file"]).read_bytes()


def test_evaluate_domain_list_and_moving_options_refused_before_work(tmp_path):
    "A domain list with an unknown robot, and moving-pixel options out of range, exit 2 naming the problem (no traceback)."
    r = hma_nb("evaluate", "--domain", "pusht,robodog", "--json", check=False)
    assert r.returncode == 2 and "unknown domain(s) ['robodog']" in r.stderr and "pusher" in r.stderr, r.stderr
    for flag, value, words in (("--moving-threshold", "1.5", "threshold must be in (0, 1)"),
                               ("--moving-threshold", "0", "threshold must be in (0, 1)"),
                               ("--moving-dilate", "-1", "dilation must be an int >= 0"),
                               ("--draws", "0", "draws (random-action rollouts per window) must be")):
        r = hma_nb("evaluate", "--domain", "pusht", flag, value, check=False)
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, (flag, value, r.stderr)


def test_evaluate_all_needs_a_model_with_robots(tmp_path, samples):
    from hma_nb.model import HMA, load_model, save_model
    from dataclasses import replace
    m = load_model(samples / "models" / "discrete")
    save_model(HMA(replace(m.cfg, domains=())), tmp_path / "empty")
    r = hma_nb("evaluate", "--domain", "all", "--model", str(tmp_path / "empty"), check=False)
    assert r.returncode == 2 and "knows no robots" in r.stderr, r.stderr

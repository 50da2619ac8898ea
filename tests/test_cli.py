"The hma-nb command line, run as a user would: as a console script in a subprocess."
import json
import subprocess

import pytest

from hma_nb.data import EpisodeStore


def hma_nb(*args, check=True, cwd=None):
    r = subprocess.run(["hma-nb", *args], capture_output=True, text=True, timeout=600, cwd=cwd)
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


def test_evaluate_domain_list_and_moving_options_refused_before_work(tmp_path, capsys):
    "A domain list with an unknown robot, and moving-pixel options out of range, exit 2 naming the problem (no traceback)."
    from hma_nb.cli import main
    r = hma_nb("evaluate", "--domain", "pusht,robodog", "--json", check=False)
    assert r.returncode == 2 and "unknown domain(s) ['robodog']" in r.stderr and "pusher" in r.stderr, r.stderr
    for flag, value, words in (("--moving-threshold", "1.5", "threshold must be in (0, 1)"),
                               ("--moving-threshold", "0", "threshold must be in (0, 1)"),
                               ("--moving-dilate", "-1", "dilation must be an int >= 0"),
                               ("--draws", "0", "draws (random-action rollouts per window) must be")):
        code, err = main(["evaluate", "--domain", "pusht", flag, value]), capsys.readouterr().err      # in-process: cli.main
        assert code == 2 and words in err and "Traceback" not in err, (flag, value, err)


def test_evaluate_all_needs_a_model_with_robots(tmp_path, samples):
    from hma_nb.model import HMA, load_model, save_model
    from dataclasses import replace
    m = load_model(samples / "models" / "discrete")
    save_model(HMA(replace(m.cfg, domains=())), tmp_path / "empty")
    r = hma_nb("evaluate", "--domain", "all", "--model", str(tmp_path / "empty"), check=False)
    assert r.returncode == 2 and "knows no robots" in r.stderr, r.stderr


# ---- issue 24: every input checked before work, with a message naming the flag or field ----

@pytest.mark.parametrize("args, words", [
    (["evaluate", "--draws", "0"], "argument --draws: draws (random-action rollouts per window) must be an int >= 1, got 0"),
    (["evaluate", "--prompt", "0"], "argument --prompt: prompt (real frames before the generated ones) must be an int >= 1"),
    (["evaluate", "--horizon", "0"], "argument --horizon: horizon (generated frames) must be an int >= 1"),
    (["evaluate", "--temperature", "-1"], "argument --temperature: temperature must be a finite number >= 0"),
    (["evaluate", "--maskgit-steps", "0"], "argument --maskgit-steps: steps (MaskGIT passes per frame) must be an int >= 1"),
    (["evaluate", "--device", "meta"], "argument --device: device must be auto, cpu, cuda or cuda:N, got 'meta'"),
    (["bench", "--device", "gpu"], "argument --device: device must be auto, cpu, cuda or cuda:N, got 'gpu'"),
    (["generate", "--raw-steps", "1"], "argument --raw-steps: raw steps (simulator steps per episode) must be an int >= 2, got 1"),
    (["bench", "--contexts", "a,b"], "argument --contexts: contexts (frames in the model's context) must be an int >= 2, got 'a'"),
    (["bench", "--reps", "0"], "argument --reps: reps (timed steps per context) must be an int >= 1"),
    (["demo", "--out", "OUT", "--frames", "0"], "argument --frames: frames (model steps to generate) must be an int >= 1"),
    (["data-summary", "--model-hz", "nan"], "argument --model-hz: model_hz must be a finite number > 0"),
    (["policy-eval", "--stay-bias", "nan"], "argument --stay-bias: stay_bias must be a finite number, got nan"),
])
def test_bad_flags_exit_2_naming_the_flag(args, words, tmp_path):
    r = hma_nb(*[str(tmp_path) if a == "OUT" else a for a in args], check=False)
    assert r.returncode == 2 and f"hma-nb {args[0]}: error: {words}" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not any(tmp_path.iterdir())                                         # refused before any work


def test_data_summary_check_reads_every_shard(tmp_path, samples):
    from hma_nb.data import toy_episode
    assert json.loads(hma_nb("data-summary", "--root", str(samples), "--check", "--json").stdout)["check"]["ok"]
    store = EpisodeStore(tmp_path / "s")
    store.write_domain({"train": [toy_episode(T=30, seed=i) for i in range(5)], "heldout": [toy_episode(T=30, seed=9)]})
    out = json.loads(hma_nb("data-summary", "--root", str(store.root), "--check", "--json").stdout)
    assert out["check"] | {"bytes": 0} == {"ok": True, "shards": 3, "episodes": 6, "frames": 180, "bytes": 0}
    shard = store.root / store.manifest()["domains"]["toy"]["splits"]["train"]["shards"][1]["file"]
    good = shard.read_bytes()
    for bad, words in ((good[: len(good) // 2], "bytes, but the manifest records"),            # truncated
                       (good[:100] + bytes([good[100] ^ 0xFF]) + good[101:], "sha256 does not match")):   # same size, one byte changed
        shard.write_bytes(bad)
        assert hma_nb("data-summary", "--root", str(store.root)).returncode == 0               # the manifest alone looks fine
        r = hma_nb("data-summary", "--root", str(store.root), "--check", check=False)
        assert r.returncode == 2 and f"hma-nb data-summary: error: {shard}: " in r.stderr and words in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
    shard.write_bytes(good)
    assert "match the manifest" in hma_nb("data-summary", "--root", str(store.root), "--check").stdout


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    "A tiny untrained model for the bundled PushT data, saved as a checkpoint folder."
    import torch
    from hma_nb.core import samples_dir
    from hma_nb.model import HMA, save_model
    from hma_nb.tokenizer import load_tokenizer
    from hma_nb.train import model_config, model_domain
    tok = load_tokenizer(samples_dir() / "tokenizers" / "discrete")
    torch.manual_seed(0)
    model = HMA(model_config("tiny", tok, [model_domain(samples_dir(), "pusht")]))
    return save_model(model, tmp_path_factory.mktemp("tiny") / "m")


@pytest.mark.parametrize("edit, words", [
    (lambda m: m.pop("config"), "model.json: no 'config' object"),
    (lambda m: m["config"].pop("grid"), "model.json: config has no 'grid'"),
    (lambda m: m["config"]["domains"][0].pop("action_mean"), "model.json: config.domains[0] has no 'action_mean'"),
    (lambda m: m["config"].pop("maskgit_steps"), "model.json: config has no 'maskgit_steps' (the MaskGIT passes per frame K"),
])
def test_incomplete_model_json_exits_2_naming_file_and_field(edit, words, tiny_model_dir, tmp_path):
    import shutil
    d = tmp_path / "m"
    shutil.copytree(tiny_model_dir, d)
    meta = json.loads((d / "model.json").read_text())
    edit(meta)
    (d / "model.json").write_text(json.dumps(meta))
    r = hma_nb("evaluate", "--model", str(d), "--draws", "1", check=False)
    assert r.returncode == 2 and f"hma-nb evaluate: error: {d / 'model.json'}: " in r.stderr and words in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_shipped_models_all_load(samples):
    "Format-1 checkpoints without sampling defaults (models/discrete_pretrained) load with K = 2 and w = 1, as then."
    from hma_nb.model import load_model
    ks = {p.name: load_model(p).cfg.maskgit_steps for p in sorted((samples / "models").iterdir()) if (p / "model.json").exists()}
    assert ks["discrete_pretrained"] == 2 and len(ks) >= 4, ks


def test_demo_without_simulators_names_the_extra(tmp_path):
    "Installed without the `sims` extra: a clear message naming it, not `No module named 'gymnasium'`."
    import sys
    code = ("import sys; sys.modules['gymnasium'] = None; from hma_nb.cli import main; "
            f"sys.exit(main(['demo', '--out', {str(tmp_path)!r}, '--frames', '1']))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "hma-nb demo: error: pusht: its simulator" in r.stderr and "pip install 'hma_nb[sims]'" in r.stderr, r.stderr


def test_train_inputs_refused_before_work(tmp_path, capsys):
    """Each bad training knob exits 2 naming its flag, before any data is read (the store here does not even exist).
    In-process through `cli.main` (the console script's entry point; one case also through the installed command)."""
    from hma_nb.cli import main
    def refused(*argv):
        code = main(list(argv))
        return code, capsys.readouterr().err
    cases = [("--steps", "0", "steps (--steps) must be an int >= 1"), ("--batch-size", "0", "batch_size (--batch-size)"),
             ("--lr", "nan", "lr (--lr) must be a finite number >= 0"), ("--ckpt-every", "0", "ckpt_every (--ckpt-every)"),
             ("--ckpt-every", "5000", "--ckpt-every 5000 is larger than --steps 2000"), ("--T", "1", "--T (model frames per window) must be >= 2"),
             ("--T", "0", "must be >= 2"), ("--warmup", "-1", "warmup (--warmup)"), ("--mixture-power", "-1", "mixture_power"),
             ("--keep-every", "7", "--keep-every must be 0 or a multiple of --ckpt-every")]
    for flag, value, words in cases:
        code, err = refused("train", "--out", str(tmp_path / "run"), "--root", str(tmp_path / "nowhere"), flag, value)
        assert code == 2 and words in err and "Traceback" not in err, (flag, value, err)
    for flag, value, words in (("--steps", "0", "steps (--steps)"), ("--batch-size", "0", "batch_size"), ("--lr", "nan", "lr (--lr)"),
                               ("--ckpt-every", "0", "ckpt_every")):
        code, err = refused("train-tokenizer", "--out", str(tmp_path / "tok"), "--root", str(tmp_path / "nowhere"), flag, value)
        assert code == 2 and words in err and "Traceback" not in err, (flag, value, err)
    for extra, words in ((["--decoder-only"], "--decoder-only tunes the decoder of a trained tokenizer: name it with --init"),
                         (["--init", str(tmp_path / "t"), "--preset", "tiny"], "--preset and --init both choose"),
                         (["--init", str(tmp_path / "nowhere"), "--decoder-only"], "tokenizer.json: file not found")):
        code, err = refused("train-tokenizer", "--out", str(tmp_path / "tok"), "--root", str(tmp_path / "nowhere"), *extra)
        assert code == 2 and words in err and "Traceback" not in err, (extra, err)
    assert not (tmp_path / "tok").exists()
    for frac in ("0", "1.5"):
        code, err = refused("train", "--out", str(tmp_path / "run"), "--fraction", frac, "--domains", "pusht")
        assert code == 2 and "fraction must be in (0, 1]" in err, err
    r = hma_nb("train", "--out", str(tmp_path / "run"), "--root", str(tmp_path / "nowhere"), "--steps", "0", check=False)
    assert r.returncode == 2 and "steps (--steps) must be an int >= 1" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert not (tmp_path / "run").exists()


def test_train_refuses_to_replace_or_mix_runs(tmp_path, samples):
    "--no-resume does not replace a finished run, --overwrite does; resuming with other data is refused naming it."
    run = ["train", "--out", str(tmp_path / "r"), "--preset", "tiny", "--domains", "pusht", "--steps", "4", "--ckpt-every", "2",
           "--batch-size", "2", "--T", "4", "--mixed-precision", "no", "--quiet"]
    hma_nb(*run)
    r = hma_nb(*run, "--no-resume", check=False)
    assert r.returncode == 2 and "holds a finished run, which --no-resume does not replace" in r.stderr, r.stderr
    r = hma_nb(*[a if a != "pusht" else "pusht,pendulum" for a in run], check=False)
    assert r.returncode == 2 and "trained on other data (domains ['pusht'] -> ['pusht', 'pendulum']" in r.stderr, r.stderr
    before = (tmp_path / "r" / "model.safetensors").read_bytes()
    out = json.loads(hma_nb(*run, "--overwrite", "--seed", "1", "--json").stdout.strip().splitlines()[-1])
    assert out["steps"] == 4 and (tmp_path / "r" / "model.safetensors").read_bytes() != before


def test_train_stop_after_then_go_on(tmp_path, samples):
    "--stop-after N ends the call at step N with a checkpoint there; the same command without it goes on to --steps."
    from hma_nb.core import read_json
    run = ["train", "--out", str(tmp_path / "r"), "--preset", "tiny", "--domains", "pusht", "--steps", "4", "--ckpt-every", "2",
           "--batch-size", "2", "--T", "4", "--mixed-precision", "no", "--quiet"]
    hma_nb(*run, "--stop-after", "2")
    assert read_json(tmp_path / "r" / "model.json")["info"]["steps"] == 2
    for bad, says in ((["--stop-after", "0"], "--stop-after) must be an int >= 1"),
                      (["--stop-after", "2", "--ship", str(tmp_path / "s")], "--ship needs the whole run")):
        r = hma_nb(*run, *bad, check=False)
        assert r.returncode == 2 and says in r.stderr, r.stderr
    hma_nb(*run)
    info = read_json(tmp_path / "r" / "model.json")["info"]
    assert info["steps"] == 4 and info["train"]["steps"] == 4 and not (tmp_path / "s").exists()


def test_restat_actions_gives_the_data_statistics(tmp_path):
    "`train --init M --restat-actions`: the robots M knows take the training data's action statistics; without --init: exit 2."
    import torch
    from dataclasses import replace
    from hma_nb.core import samples_dir
    from hma_nb.model import HMA, load_model, save_model
    from hma_nb.tokenizer import load_tokenizer
    from hma_nb.train import model_config, model_domain
    tok, md = load_tokenizer(samples_dir() / "tokenizers" / "discrete"), model_domain(samples_dir(), "pusht")
    off = replace(md, action_std=tuple(3.0 * s for s in md.action_std))            # statistics of some other data
    torch.manual_seed(0)
    init = save_model(HMA(model_config("tiny", tok, [off])), tmp_path / "init")
    common = ("--domains", "pusht", "--steps", "1", "--batch-size", "2", "--ckpt-every", "1", "--quiet")
    hma_nb("train", "--init", str(init), "--restat-actions", "--out", str(tmp_path / "run"), *common)
    got = load_model(tmp_path / "run").cfg.domain("pusht")
    assert got.action_std == pytest.approx(md.action_std) and got.action_mean == pytest.approx(md.action_mean)
    hma_nb("train", "--init", str(init), "--out", str(tmp_path / "plain"), *common)             # without the flag: kept
    assert load_model(tmp_path / "plain").cfg.domain("pusht").action_std == pytest.approx(off.action_std)
    r = hma_nb("train", "--preset", "tiny", "--restat-actions", "--out", str(tmp_path / "new"), *common, check=False)
    assert r.returncode == 2 and "--restat-actions needs --init" in r.stderr, r.stderr


# ---- issue 25: one command-line vocabulary ----

OLD_SPELLINGS = [   # (old argv, the same in the new vocabulary, the line on stderr, flags that stop the run early with exit 2)
    (["generate", "--steps", "30"], ["generate", "--raw-steps", "30"], "hma-nb generate: --steps is now --raw-steps", ["--domains", "robodog"]),
    (["evaluate", "--steps", "2"], ["evaluate", "--maskgit-steps", "2"], "hma-nb evaluate: --steps is now --maskgit-steps", ["--model", "MISSING"]),
    (["bench", "--steps", "2"], ["bench", "--maskgit-steps", "2"], "hma-nb bench: --steps is now --maskgit-steps", ["--model", "MISSING"]),
    (["demo", "--out", "OUT", "--steps", "2"], ["demo", "--out", "OUT", "--maskgit-steps", "2"], "hma-nb demo: --steps is now --maskgit-steps",
     ["--model", "MISSING"]),
    (["sweep", "guidance", "--steps", "2"], ["sweep", "guidance", "--maskgit-steps", "2"],
     "hma-nb sweep guidance: --steps is now --maskgit-steps", ["--model", "MISSING"]),
    (["sweep", "maskgit-steps", "--steps", "2"], ["sweep", "maskgit-steps", "--maskgit-steps", "2"],
     "hma-nb sweep maskgit-steps: --steps is now --maskgit-steps", ["--model", "MISSING"]),
    (["policy-eval", "--steps", "2"], ["policy-eval", "--maskgit-steps", "2"], "hma-nb policy-eval: --steps is now --maskgit-steps",
     ["--model", "MISSING"]),
    (["eval-tokenizer", "--kind", "continuous"], ["eval-tokenizer", "--variant", "continuous"],
     "hma-nb eval-tokenizer: --kind is now --variant", ["--root", "MISSING"]),
    (["eval-tokenizer", "--checkpoint", "MISSING"], ["eval-tokenizer", "--tokenizer", "MISSING"],
     "hma-nb eval-tokenizer: --checkpoint is now --tokenizer", []),
    (["guidance", "--values", "1,2"], ["sweep", "guidance", "--values", "1,2"], "hma-nb guidance is now hma-nb sweep guidance",
     ["--model", "MISSING"]),
    (["maskgit-steps", "--tolerance", "1"], ["sweep", "maskgit-steps", "--tolerance", "1"],
     "hma-nb maskgit-steps is now hma-nb sweep maskgit-steps", ["--model", "MISSING"]),
]


@pytest.mark.parametrize("old, new, line, stop", OLD_SPELLINGS, ids=[" ".join(c[0]) for c in OLD_SPELLINGS])
def test_old_spellings_still_work(old, new, line, stop, tmp_path, capsys):
    "Each old spelling parses to what its new one does, and says so in one line on stderr (the new spelling says nothing)."
    from hma_nb.cli import build_parser, main
    fill = lambda argv: [str(tmp_path / a.lower()) if a in ("MISSING", "OUT") else a for a in argv]
    strip = lambda a: {k: v for k, v in vars(a).items() if k not in ("command", "setting", "renamed")}
    assert strip(build_parser().parse_args(fill(old))) == strip(build_parser().parse_args(fill(new)))
    capsys.readouterr()
    assert main(fill(old + stop)) == 2                                       # stopped by the bad path, after the message
    err = capsys.readouterr().err
    assert f"{line} (the old spelling will go)\n" in err and "Traceback" not in err, err
    assert main(fill(new + stop)) == 2
    assert "is now" not in capsys.readouterr().err


def test_json_or_a_summary_from_commands_that_always_printed_json(tmp_path):
    "generate prints one JSON object with --json, a line for people without; the old --steps renders the same episodes."
    common = ["--domains", "pendulum", "--train", "1", "--heldout", "1", "--workers", "1", "--quiet"]
    r = hma_nb("generate", "--out", str(tmp_path / "a"), "--raw-steps", "30", *common, "--json")
    res = json.loads(r.stdout)
    assert res["out"] == str(tmp_path / "a") and list(res["frames_per_second"]) == ["pendulum"] and r.stderr == ""
    r = hma_nb("generate", "--out", str(tmp_path / "b"), "--steps", "30", *common)
    assert r.stdout.startswith(f"episode store {tmp_path / 'b'}: pendulum rendered at ") and r.stdout.count("\n") == 1, r.stdout
    assert "hma-nb generate: --steps is now --raw-steps (the old spelling will go)" in r.stderr
    a, b = EpisodeStore(tmp_path / "a"), EpisodeStore(tmp_path / "b")
    assert a.manifest()["domains"] == b.manifest()["domains"] and a.lengths("pendulum", "train") == [30]


def test_root_defaults_to_the_bundled_samples_from_any_folder(tmp_path, samples):
    out = json.loads(hma_nb("data-summary", "--json", cwd=tmp_path).stdout)
    assert out["root"] == str(samples.resolve()) and "pusht" in {d["name"] for d in out["domains"]}


def test_sweep_command(tiny_model_dir, tmp_path):
    "`hma-nb sweep SETTING`: one command, each setting with its own flags; --save writes the pick; the old commands are not listed."
    import shutil
    from hma_nb.model import load_model
    d = tmp_path / "m"
    shutil.copytree(tiny_model_dir, d)
    res = json.loads(hma_nb("sweep", "maskgit-steps", "--model", str(d), "--values", "2,1", "--draws", "1", "--tolerance", "100",
                            "--save", "--json").stdout)
    assert (res["picked"], res["saved"], [r["steps"] for r in res["rows"]]) == (1, True, [2, 1])
    assert load_model(d).cfg.maskgit_steps == 1
    r = hma_nb("sweep", "maskgit-steps", "--model", str(d), "--min-delta", "1", check=False)     # guidance's rule, not K's
    assert r.returncode == 2 and "unrecognized arguments: --min-delta 1" in r.stderr, r.stderr
    helps = hma_nb("sweep", "--help").stdout, hma_nb("--help").stdout
    assert "guidance" in helps[0] and "maskgit-steps" in helps[0]
    assert "sweep" in helps[1] and "maskgit-steps" not in helps[1] and "{" not in helps[1].splitlines()[0]


def test_device_cpu_end_to_end_and_a_device_this_machine_lacks(tiny_model_dir, tmp_path, capsys):
    "--device cpu gives the figures the default gives on a CPU; a CUDA device the machine lacks exits 2 in one line, before any work."
    import torch
    from hma_nb.cli import main
    base = ["--model", str(tiny_model_dir), "--draws", "1", "--horizon", "2", "--json"]
    on_cpu = json.loads(hma_nb("evaluate", *base, "--device", "cpu").stdout)
    assert on_cpu["windows"] > 0
    if not torch.cuda.is_available():
        assert json.loads(hma_nb("evaluate", *base).stdout) == on_cpu                     # auto is the CPU here
    b = json.loads(hma_nb("bench", "--model", str(tiny_model_dir), "--device", "cpu", "--reps", "1", "--contexts", "2,4",
                          "--context", "4", "--json").stdout)
    assert b["device"] == "cpu" and b["fps"] > 0
    n = torch.cuda.device_count() if torch.cuda.is_available() else 0
    for cmd in (["evaluate"], ["bench"], ["demo", "--out", str(tmp_path / "v")], ["sweep", "guidance"], ["policy-eval"]):
        assert main([*cmd, "--device", f"cuda:{n}"]) == 2
        err = capsys.readouterr().err
        name = " ".join(cmd[:2] if cmd[0] == "sweep" else cmd[:1])
        assert err.startswith(f"hma-nb {name}: error: --device cuda:{n}: this machine has ") and err.count("\n") == 1, err
    assert not (tmp_path / "v").exists()

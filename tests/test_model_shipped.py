"""The shipped discrete world model: loads offline, knows its domains, and holds its measured quality on held-out PushT (via the CLI).

Evaluation is deterministic (seeded sampler and action draws). The model's default sampler is K=1 MaskGIT pass per frame
(chosen by `hma-nb sweep maskgit-steps` on 40 other held-out windows), random order, temperature 0. Measured on the 16 bundled
windows: teacher-forced 28.03 dB, autoregressive last 24.26 dB vs copy-last 20.74 dB, delta PSNR 2.07 dB (standard error
0.47), SSIM 0.897 (with HMA's K=2, `--maskgit-steps 2`, not a target: 27.87 / 23.27 / 1.28 / 0.880). The issue's targets (teacher-forced >= 28 dB,
autoregressive >= copy-last + 1 dB, delta PSNR >= 2 dB) are asserted at the default sampler; the first and last are met
by small margins on these 16 windows (on 80 other held-out windows, runs/test_pusht: 28.46 / 24.85 / 2.48).
The generalist (models/generalist, scripts/train_generalist_gpu.sh) is checked on the two robots where it meets every
target of issue 20, on the bundled windows as on 48 windows per robot of runs/test: kuka and sawyer, at its default
token pick 'mean' (chosen by scripts/choose_pick.py on runs/val, whose record the model carries)."""
import json
import subprocess

import pytest
import torch

from hma_nb.core import samples_dir
from hma_nb.evaluate import generalist_targets, pick_steps
from hma_nb.model import load_model
from hma_nb.sampling import rollout

MODEL = samples_dir() / "models" / "discrete"
PRETRAINED = samples_dir() / "models" / "discrete_pretrained"
GENERALIST = samples_dir() / "models" / "generalist"


def test_shipped_model_loads_and_runs_every_robot():
    m = load_model(MODEL)
    names = [d.name for d in m.cfg.domains]
    assert set(names) == {"pusht", "pusher", "cheetah", "sawyer", "kuka", "pendulum"}
    pusht = m.cfg.domain("pusht")
    assert (pusht.hz, pusht.stride, pusht.raw_action_dim, pusht.action_dim) == (10.0, 5, 2, 10)
    assert m.cfg.grid == (16, 16) and m.cfg.sub_vocab_sizes == (512, 512)
    for name in names:                                   # each robot's stems and heads run: one frame from a 2-frame prompt
        d = m.cfg.domain(name)
        out = rollout(m, torch.zeros(1, 2, 256, 2, dtype=torch.long), torch.zeros(1, 3, d.action_dim), name)
        assert out.shape == (1, 3, 256, 2) and int(out.min()) >= 0 and int(out.max()) < 512, name
    for other in (PRETRAINED, GENERALIST):
        pre = load_model(other)
        assert pre.cfg.trunk == m.cfg.trunk and {d.name for d in pre.cfg.domains} == set(names)


@pytest.fixture(scope="module")
def pusht_eval(evaluate_cli):
    return evaluate_cli("--domain", "pusht")          # evaluate_cli (conftest) checks the JSON keys


def test_evaluate_json(pusht_eval):
    assert pusht_eval["domain"] == "pusht" and pusht_eval["episodes"] == 4


def test_pusht_quality(pusht_eval):
    e = pusht_eval
    assert e["maskgit_steps"] == 1 and e["guidance"] == 1.0                      # the model's own defaults
    assert e["psnr_autoregressive_last"] >= e["baseline_copy_last"]["psnr_autoregressive_last"] + 1.0, e   # issue target
    assert e["delta_psnr"] >= 2.0, e                   # measured 2.07 +- 0.47: issue target
    assert e["psnr_teacher_forced"] >= 28.0, e          # measured 28.03: issue target
    assert e["ssim"] >= 0.89, e                        # measured 0.897
    assert e["psnr_teacher_forced"] < e["tokenizer_psnr_last"]


def test_maskgit_steps_were_chosen_on_other_episodes():
    m = load_model(MODEL)
    k = m.info["maskgit_steps"]                          # written by `hma-nb sweep maskgit-steps --save` (scripts/train_world_model.sh)
    assert m.cfg.maskgit_steps == k["picked"] == 1
    assert "data_samples" not in k["root"] and k["split"] == "heldout"             # not the windows it is reported on
    assert pick_steps(k["rows"], k["tolerance"]) == 1 and k["tolerance"] == 0.1
    assert [r["steps"] for r in k["rows"]] == [1, 2] and all(r["windows"] == 40 for r in k["rows"])


def test_generalist_meets_every_target_on_the_arms():
    "models/generalist on the bundled windows of the robots where it meets issue 20's targets (also on runs/test, 48 windows)."
    r = subprocess.run(["hma-nb", "evaluate", "--model", str(GENERALIST), "--domain", "kuka,sawyer", "--draws", "2", "--json"],
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert res["model"] == str(GENERALIST) and sorted(res["domains"]) == ["kuka", "sawyer"], res.keys()
    for robot, e in res["domains"].items():     # measured kuka 22.33 / 21.66 / 3.32 ± 0.48, sawyer 25.42 / 24.02 / 3.72 ± 0.35
        assert e["maskgit_steps"] == 1 and e["pick"] == "mean" and e["windows"] == 16, robot
        assert all(generalist_targets(e).values()), (robot, generalist_targets(e), e)


def test_generalist_pick_follows_its_record():
    "The generalist's token pick is what scripts/choose_pick.py's rule gives on the figures it recorded (runs/val, not the bundled windows)."
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location("choose_pick", Path(__file__).parents[1] / "scripts" / "choose_pick.py")
    cp = importlib.util.module_from_spec(spec); spec.loader.exec_module(cp)
    m = load_model(GENERALIST)
    rec = m.info["pick"]
    assert m.cfg.pick == rec["pick"] == "mean" and m.cfg.token_levels == (8,) * 6
    assert "data_samples" not in rec["root"] and rec["windows"] == 40
    assert rec["gain"] > rec["z"] * rec["stderr_of_difference"] and max(rec["tf_drop"].values()) <= rec["max_tf_drop"]
    flip = {"argmax": {d: {"delta_psnr_moving": 1.0, "delta_psnr_moving_stderr": 0.1, "psnr_teacher_forced": 25.0} for d in "ab"}}
    flip["mean"] = {d: {**v, "delta_psnr_moving": 1.1} for d, v in flip["argmax"].items()}
    assert cp.decide(flip)["pick"] == "argmax"                                  # +0.1 dB with s.e. 0.1: not enough
    flip["mean"] = {d: {**v, "delta_psnr_moving": 1.5} for d, v in flip["argmax"].items()}
    assert cp.decide(flip)["pick"] == "mean"
    flip["mean"]["a"]["psnr_teacher_forced"] = 24.5                              # a teacher-forced drop of 0.5 dB vetoes it
    assert cp.decide(flip)["pick"] == "argmax"


def test_guidance_rule_takes_the_smallest_passing_value():
    "scripts/choose_pick.py --guidance: a w passes like a pick does, and the smallest within one s.e. of the best is taken."
    import importlib.util
    from pathlib import Path
    spec = importlib.util.spec_from_file_location("choose_pick", Path(__file__).parents[1] / "scripts" / "choose_pick.py")
    cp = importlib.util.module_from_spec(spec); spec.loader.exec_module(cp)
    row = lambda delta, tf=25.0: {d: {"delta_psnr_moving": delta, "delta_psnr_moving_stderr": 0.1, "psnr_teacher_forced": tf} for d in "ab"}
    res = {"1.0": row(1.0), "1.5": row(1.1), "2.0": row(1.45), "3.0": row(1.5)}
    v = cp.decide_guidance(res)
    assert v["passing"] == [2.0, 3.0] and v["guidance"] == 2.0          # 3.0 is better by 0.05 dB, less than one s.e.
    res["2.0"] = row(1.45, tf=24.6)                                      # a teacher-forced drop of 0.4 dB vetoes 2.0
    assert cp.decide_guidance(res)["guidance"] == 3.0
    assert cp.decide_guidance({"1.0": row(1.0), "2.0": row(1.1)})["guidance"] is None


def test_report_rule_needs_gain_tf_and_speed():
    "scripts/report_generalist.py: the pick replaces the shipped generalist only on a clear gain, no teacher-forced drop, and speed."
    import importlib.util
    from pathlib import Path
    from hma_nb.core import DataError
    spec = importlib.util.spec_from_file_location("report_generalist", Path(__file__).parents[1] / "scripts" / "report_generalist.py")
    rg = importlib.util.module_from_spec(spec); spec.loader.exec_module(rg)
    def row(delta, tf=25.0, domain="kuka"):
        return {"domain": domain, "delta_psnr_moving": delta, "delta_psnr_moving_stderr": 0.1, "delta_psnr": delta,
                "delta_psnr_stderr": 0.1, "psnr_teacher_forced": tf, "psnr_autoregressive_last": 22.0,
                "baseline_copy_last": {"psnr_teacher_forced": 20.0, "psnr_autoregressive_last": 19.0}}
    base = {d: row(1.0, domain=d) for d in ("kuka", "sawyer")}
    fast = {"base": 30.0, "pick": 30.0}
    v = rg.verdict(base, {d: row(1.5, domain=d) for d in base}, fast)
    assert v["replaces_base"] and not v["becomes_default"]                 # +0.5 dB > 2 x 0.071; but 1.5 < 2 dB moving
    assert v["targets_missed"]["kuka"] == ["delta_moving"]
    assert rg.verdict(base, {d: row(2.5, domain=d) for d in base}, fast)["becomes_default"]
    assert not rg.verdict(base, {d: row(1.1, domain=d) for d in base}, fast)["replaces_base"]        # within 2 s.e.
    assert not rg.verdict(base, {"kuka": row(1.5, 24.5), "sawyer": row(1.5, domain="sawyer")}, fast)["replaces_base"]
    assert not rg.verdict(base, {d: row(2.5, domain=d) for d in base}, {"base": 30.0, "pick": 24.0})["replaces_base"]
    with pytest.raises(DataError, match="different robots"):
        rg.verdict(base, {"kuka": row(2.5)}, fast)


POLICY = samples_dir() / "models" / "pusht_policy"


def _contact(model, episodes: int = 3) -> dict:
    "docs/pusht_contact.py on the expert's first validation episodes (seeds 72000 on): the T kept, teacher-forced."
    r = subprocess.run(["python", "docs/pusht_contact.py", "--model", str(model), "--episodes", str(episodes), "--json"],
                       capture_output=True, text=True, timeout=600, cwd=samples_dir().parent)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_policy_model_keeps_a_pushed_T():
    """models/pusht_policy (scripts/train_policy_model.sh, `hma-nb policy-eval`'s default): tuned on PushT only, token pick 'mean'
    chosen by its rule; teacher-forced it keeps far more of a pushed T than the specialist (measured on 20 validation
    episodes: 0.88 against 0.34 of the tokenizer's round trip)."""
    m = load_model(POLICY)
    assert m.info["domains_trained"] == ["pusht"] and m.cfg.pick == "mean" and m.cfg.maskgit_steps == 1
    assert m.info["pick"]["chosen_by"].startswith("runs/pe_pick_rule.md") and len(m.cfg.token_levels) == 6
    tuned, specialist = _contact(POLICY), _contact(MODEL)
    assert tuned["pushes"] == specialist["pushes"] > 20               # the same simulator episodes on both sides
    assert tuned["kept"]["push"][0] > specialist["kept"]["push"][0] + 0.2, (tuned["kept"], specialist["kept"])
    assert tuned["kept"]["other"][0] > 0.8, tuned["kept"]

"""benchmarks/closed_loop_speed.py, the CPU levers' arms: linear weights stored in bf16 make the same tokens as autocast
casting them at each call; a small run reports every arm asked for, and the profile's shares; bad flags are refused."""
import pytest
import torch

from conftest import ROOT, load_script

bench = load_script("benchmarks/closed_loop_speed.py")
SMALL = ["--model", str(ROOT / "data_samples/models/pusht_policy"), "--episodes", "2", "--copies", "1", "--horizon", "3",
         "--rounds", "1", "--json"]


def test_bf16_weights_make_the_same_tokens_as_autocast():
    import hma_nb.policy_eval as pe
    from hma_nb.model import load_model
    from hma_nb.tokenizer import load_tokenizer
    model = load_model(ROOT / "data_samples/models/pusht_policy")
    tok = load_tokenizer(ROOT / "data_samples/tokenizers/discrete")
    run = pe.run_sim(pe.pixel_policy("random"), [72850, 72851], 3)
    copy = bench.bf16_linears(model)
    assert {m.weight.dtype for m in copy.modules() if isinstance(m, torch.nn.Linear)} == {torch.bfloat16}
    assert next(model.trunk.parameters()).dtype == torch.float32           # the original is left as it was
    _, a = bench.run_arm("now", model, tok, run.frames[:, :2], run.actions, bf16=True)
    _, b = bench.run_arm("bf16w", copy, tok, run.frames[:, :2], run.actions, bf16=True)
    assert a.shape == b.shape == (2, 3, 256, 2) and torch.equal(a, b)      # 3 model steps of 2 episodes


def test_a_small_run_reports_each_arm_and_the_profile():
    res = bench.main(SMALL + ["--arms", "now,int8", "--profile", "3"])
    assert set(res["seconds_per_episode"]) == {"sim", "now", "int8"} and res["episodes"] == 2
    assert all(v > 0 for v in res["seconds_per_episode"].values())
    assert set(res["speedup_vs_now"]) == {"now", "int8"} and 0 <= res["same_tokens_vs_now"]["int8"] <= 1
    shares = list(res["profile_now"].values())
    assert len(shares) == 3 and shares == sorted(shares, reverse=True) and 0 < sum(shares) <= 1


@pytest.mark.parametrize("flags", [["--arms", "now,turbo"], ["--profile", "-1"]])
def test_bad_flags_are_refused(flags, capsys):
    with pytest.raises(SystemExit) as e: bench.main(SMALL + flags)
    assert e.value.code == 2
    assert ("turbo" if "--arms" in flags else "--profile") in capsys.readouterr().err

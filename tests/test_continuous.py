"""The continuous (soft-token, diffusion-head) variant through the command line: training, evaluation and the benchmark
with tiny models, and the residual head's flags. (The head on a toy distribution, causality, the cache, shape errors and
save/load are checked in nbs/09_diffusion, 08_model, 08a_objective and 10_sampling.)"""
import json

import torch

from hma_nb.cli import main
from hma_nb.core import bf16_is_fast, samples_dir
from hma_nb.model import load_model


def test_train_evaluate_bench_commands(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["train", "--variant", "continuous", "--out", str(run), "--preset", "tiny", "--domains", "pusht",
                 "--steps", "3", "--batch-size", "2", "--mixed-precision", "no", "--quiet", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["steps"] == 3 and summary["masked_acc_last_50"] is None
    assert load_model(run).cfg.variant == "continuous" and load_model(run).info["precision"] == "no"
    base = ["--variant", "continuous", "--model", str(run), "--json", "--diffusion-steps", "2"]
    assert main(["evaluate", *base, "--horizon", "2", "--draws", "1"]) == 0
    ev = json.loads(capsys.readouterr().out)
    assert {"domain", "episodes", "psnr_teacher_forced", "psnr_autoregressive_last", "delta_psnr", "baseline_copy_last", "ssim"} <= set(ev)
    assert main(["bench", *base, "--reps", "1", "--contexts", "2,4", "--context", "4"]) == 0
    b = json.loads(capsys.readouterr().out)
    assert b["diffusion_steps"] == 2 and b["variant"] == "continuous" and b["fps"] > 0 and "ms_per_frame_by_context" in b
    assert b["dtype"] == ("bfloat16" if bf16_is_fast() else "float32")              # bf16 by default only where it is fast
    assert main(["evaluate", "--model", str(run), "--json"]) == 2                     # a continuous model needs --variant continuous
    assert "pass --variant continuous" in capsys.readouterr().err
    assert main(["train", "--variant", "continuous", "--tokenizer", str(samples_dir() / "tokenizers" / "discrete"),
                 "--out", str(tmp_path / "x"), "--preset", "tiny", "--steps", "1", "--quiet"]) == 2
    capsys.readouterr()
    assert main(["train", "--variant", "continuous", "--out", str(tmp_path / "y"), "--preset", "tiny", "--domains", "pusht",
                 "--steps", "1", "--mixed-precision", "half", "--quiet"]) == 2
    assert "mixed_precision (--mixed-precision) must be one of" in capsys.readouterr().err


def test_residual_flag(tmp_path, capsys):
    common = ["--preset", "tiny", "--domains", "pusht", "--steps", "2", "--batch-size", "2", "--mixed-precision", "no", "--quiet"]
    res = tmp_path / "res"
    assert main(["train", "--variant", "continuous", "--residual", "--out", str(res), *common]) == 0
    capsys.readouterr()
    assert load_model(res).cfg.diffusion.residual
    plain = tmp_path / "plain"
    assert main(["train", "--variant", "continuous", "--out", str(plain), *common]) == 0
    capsys.readouterr()
    assert not load_model(plain).cfg.diffusion.residual
    x = tmp_path / "x"                                                        # a new residual head on a plain model's trunk and stems
    assert main(["train", "--variant", "continuous", "--residual", "--init", str(plain), "--out", str(x), *common, "--lr", "0"]) == 0
    capsys.readouterr()
    m_x, m_plain = load_model(x), load_model(plain)
    assert m_x.cfg.diffusion.residual and m_x.info["args"]["residual"]
    assert all(torch.equal(v, m_plain.image_stem.state_dict()[k]) for k, v in m_x.image_stem.state_dict().items())   # lr 0: unchanged
    assert main(["train", "--residual", "--out", str(tmp_path / "y"), *common]) == 2
    assert "--residual is for the continuous variant" in capsys.readouterr().err
    tr = tmp_path / "tr"                                                       # a residual head on a plain model's trunk
    assert main(["train", "--variant", "continuous", "--residual", "--init-trunk", str(plain), "--out", str(tr), *common]) == 0
    capsys.readouterr()
    assert load_model(tr).cfg.diffusion.residual
    assert main(["evaluate", "--variant", "continuous", "--model", str(tr), "--diffusion-start", "1.5", "--json"]) == 2
    assert "signal share" in capsys.readouterr().err

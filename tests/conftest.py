import importlib.util
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def samples() -> Path:
    return ROOT / "data_samples"


def load_script(rel: str):
    "A script of this repo (a path under it, e.g. 'scripts/gpu_generalist.py'), imported as a module for its tests."
    path = ROOT / rel
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
    return mod


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    "No test writes into the user's real cache folder."
    monkeypatch.setenv("HMA_NB_CACHE", str(tmp_path / "cache"))


EVALUATE_KEYS = {"domain", "episodes", "psnr_teacher_forced", "psnr_autoregressive_last", "delta_psnr", "baseline_copy_last", "ssim"}


@pytest.fixture(scope="session")
def evaluate_cli():
    "Runs `hma-nb evaluate ARGS --json` as a user would; returns its JSON after checking it has the issue's keys."
    def run(*args):
        r = subprocess.run(["hma-nb", "evaluate", *args, "--json"], capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stderr[-2000:]
        e = json.loads(r.stdout.strip().splitlines()[-1])
        assert EVALUATE_KEYS <= set(e) and "psnr_autoregressive_last" in e["baseline_copy_last"], sorted(e)
        return e
    return run

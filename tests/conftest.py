import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def samples() -> Path:
    return ROOT / "data_samples"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    "No test writes into the user's real cache folder."
    monkeypatch.setenv("HMA_NB_CACHE", str(tmp_path / "cache"))
